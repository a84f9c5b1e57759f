"""Fixtures: the release server binary started on a free port, with a credentials file for two
accounts (alice and bob), and boto3 clients signed as either of them."""
import json
import os
import pathlib
import signal
import subprocess
import time

import boto3
import pytest
from botocore.config import Config

HERE = pathlib.Path(__file__).resolve().parent
SERVER = pathlib.Path(os.environ.get("EVENTROUTER_SERVER", HERE.parent / ".build" / "release" / "eventrouter-server"))
REGION = "us-east-1"

ALICE = {"key": "AKIDALICE0000000001", "secret": "alice-secret-key", "account": "111111111111"}
BOB = {"key": "AKIDBOB000000000002", "secret": "bob-secret-key", "account": "222222222222"}


class RunningServer:
    def __init__(self, args, tmp_path):
        self.log_path = tmp_path / f"server-{time.monotonic_ns()}.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen([str(SERVER), "--port", "0", *args], stdout=self.log, stderr=subprocess.STDOUT)
        self.url = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            text = self.log_path.read_text()
            for line in text.splitlines():
                if "listening on " in line:
                    self.url = line.split("listening on ", 1)[1].strip()
            if self.url:
                break
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{text}")
            time.sleep(0.05)
        if not self.url:
            self.stop()
            raise RuntimeError("server did not start:\n" + self.log_path.read_text())

    def output(self):
        return self.log_path.read_text()

    def stop(self, sig=signal.SIGTERM):
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return self.process.returncode


@pytest.fixture(scope="session")
def credentials_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("creds") / "credentials.json"
    path.write_text(json.dumps({
        person["key"]: {"secretAccessKey": person["secret"], "accountId": person["account"]} for person in (ALICE, BOB)
    }))
    return path


@pytest.fixture(scope="session")
def server(credentials_file, tmp_path_factory):
    if not SERVER.exists():
        pytest.fail(f"{SERVER} is not built: swift build -c release --package-path Server")
    running = RunningServer(["--credentials", str(credentials_file)], tmp_path_factory.mktemp("server"))
    yield running
    running.stop()


def make_client(service, url, person, secret=None):
    return boto3.client(
        service, endpoint_url=url, region_name=REGION,
        aws_access_key_id=person["key"], aws_secret_access_key=secret or person["secret"],
        config=Config(retries={"max_attempts": 1}),
    )


@pytest.fixture
def alice_events(server):
    return make_client("events", server.url, ALICE)


@pytest.fixture
def alice_sqs(server):
    return make_client("sqs", server.url, ALICE)


@pytest.fixture
def bob_events(server):
    return make_client("events", server.url, BOB)


@pytest.fixture
def bob_sqs(server):
    return make_client("sqs", server.url, BOB)


@pytest.fixture
def unique(request):
    """A name unique to the test (the session's server is shared)."""
    return request.node.name.replace("[", "-").replace("]", "").replace("_", "-")[:40] + "-" + str(time.monotonic_ns() % 100000)
