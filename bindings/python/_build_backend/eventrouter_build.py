"""A small in-tree PEP 517 backend for the ``eventrouter`` package.

It needs nothing from PyPI (``requires = []``) and no C compiler. ``build_wheel`` puts the
library into the wheel next to the Python code:

1. ``EVENTROUTER_LIBRARY=/path/to/libeventrouter.so``: bundle that file (no Swift needed);
2. otherwise, inside the EventRouter repository: run ``make lib`` at the repository root (the
   Swift toolchain builds a self-contained ``libeventrouter.so``) and bundle the result.

The wheel is tagged for this platform (``py3-none-<platform>``): it carries a native library but
no Python extension module, so one wheel serves every Python 3 version.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import subprocess
import sysconfig
import tarfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent          # bindings/python
SOURCE = HERE / "src" / "eventrouter"
NAME = "eventrouter"
VERSION = "0.1.0"
DIST_INFO = f"{NAME}-{VERSION}.dist-info"

METADATA = f"""Metadata-Version: 2.1
Name: {NAME}
Version: {VERSION}
Summary: Amazon EventBridge in a process: event patterns, rule sets, buses, schedules (over libeventrouter)
Requires-Python: >=3.8
License: Apache-2.0
Classifier: Programming Language :: Python :: 3
Classifier: Operating System :: POSIX :: Linux
Classifier: Typing :: Typed
Description-Content-Type: text/markdown

"""


def _platform_tag() -> str:
    return sysconfig.get_platform().replace("-", "_").replace(".", "_")


def _wheel_name() -> str:
    return f"{NAME}-{VERSION}-py3-none-{_platform_tag()}.whl"


def _repository_root() -> Path | None:
    for candidate in [HERE.parent.parent, *HERE.parents]:
        if (candidate / "Package.swift").is_file() and (candidate / "Makefile").is_file() \
                and (candidate / "include" / "eventrouter.h").is_file():
            return candidate
    return None


def _library() -> Path:
    override = os.environ.get("EVENTROUTER_LIBRARY")
    if override:
        path = Path(override)
        if not path.is_file():
            raise RuntimeError(f"EVENTROUTER_LIBRARY={override} is not a file")
        return path
    root = _repository_root()
    if root is None:
        raise RuntimeError("eventrouter: not inside the EventRouter repository, so the C library cannot be built; "
                           "set EVENTROUTER_LIBRARY to a libeventrouter.so to bundle it")
    env = dict(os.environ)
    if shutil.which("swift", path=env.get("PATH")) is None and Path("/opt/swift/usr/bin/swift").exists():
        env["PATH"] = "/opt/swift/usr/bin:" + env.get("PATH", "")
    make = shutil.which("make") or "make"
    print(f"eventrouter: building the C library: make -C {root} lib", flush=True)
    subprocess.run([make, "-C", str(root), "lib"], check=True, env=env)
    library = root / ".build" / "capi" / "lib" / "libeventrouter.so"
    if not library.is_file():
        raise RuntimeError(f"eventrouter: make lib did not produce {library}")
    return library


def _record_line(path: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def _readme() -> str:
    readme = HERE / "README.md"
    return readme.read_text(encoding="utf-8") if readme.is_file() else ""


def _metadata_files() -> dict[str, bytes]:
    return {
        f"{DIST_INFO}/METADATA": (METADATA + _readme()).encode(),
        f"{DIST_INFO}/WHEEL": (f"Wheel-Version: 1.0\nGenerator: eventrouter_build {VERSION}\nRoot-Is-Purelib: false\n"
                               f"Tag: py3-none-{_platform_tag()}\n").encode(),
        f"{DIST_INFO}/top_level.txt": f"{NAME}\n".encode(),
    }


# -- PEP 517 hooks ---------------------------------------------------------------------------

def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    for name, data in _metadata_files().items():
        if name.endswith("/RECORD"):
            continue
        target = Path(metadata_directory) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return DIST_INFO


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    files: dict[str, bytes] = {}
    for path in sorted(SOURCE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix in (".py", ".typed"):
            files[f"{NAME}/{path.relative_to(SOURCE).as_posix()}"] = path.read_bytes()
    files[f"{NAME}/libeventrouter.so"] = _library().read_bytes()
    files.update(_metadata_files())
    record = [_record_line(name, data) for name, data in files.items()] + [f"{DIST_INFO}/RECORD,,"]
    files[f"{DIST_INFO}/RECORD"] = ("\n".join(record) + "\n").encode()
    target = Path(wheel_directory) / _wheel_name()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as wheel:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o755 if name.endswith(".so") else 0o644) << 16
            wheel.writestr(info, data)
    return target.name


def build_sdist(sdist_directory, config_settings=None):
    """A source archive of the binding alone (building a wheel from it needs EVENTROUTER_LIBRARY)."""
    base = f"{NAME}-{VERSION}"
    target = Path(sdist_directory) / f"{base}.tar.gz"
    with tarfile.open(target, "w:gz") as archive:
        for path in sorted(HERE.rglob("*")):
            relative = path.relative_to(HERE)
            if path.is_file() and not any(part in ("__pycache__", ".pytest_cache") for part in relative.parts) \
                    and path.suffix != ".so":
                archive.add(path, arcname=f"{base}/{relative.as_posix()}")
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        data = _metadata_files()[f"{DIST_INFO}/METADATA"]
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return target.name
