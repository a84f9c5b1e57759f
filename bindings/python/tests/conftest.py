"""Shared helpers: where the repository's fixtures are, and raw JSON members of fixture lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Dict, Tuple

import pytest


def repository_root() -> Path:
    for candidate in Path(__file__).resolve().parents:
        if (candidate / "Package.swift").is_file() and (candidate / "include" / "eventrouter.h").is_file():
            return candidate
    raise RuntimeError("the tests run inside the EventRouter repository")


ROOT = repository_root()
FIXTURES = ROOT / "Tests" / "Fixtures" / "conformance"
HEADER = ROOT / "include" / "eventrouter.h"


def raw_members(line: str) -> Dict[str, Tuple[str, object]]:
    """The top-level members of a one-line JSON object: name -> (raw value text, parsed value).

    The raw text keeps numbers exactly as written (1e400, 5.0e2), which re-encoding would not.
    """
    decoder = json.JSONDecoder()
    members: Dict[str, Tuple[str, object]] = {}
    index = line.index("{") + 1
    while True:
        while line[index] in " \t\r\n,":
            index += 1
        if line[index] == "}":
            return members
        key, index = decoder.raw_decode(line, index)
        while line[index] in " \t:":
            index += 1
        start = index
        value, index = decoder.raw_decode(line, index)
        members[key] = (line[start:index], value)


def load_cases(name: str):
    with open(FIXTURES / name, encoding="utf-8") as file:
        return [raw_members(line) for line in file if line.strip()]


@pytest.fixture
def router():
    import eventrouter

    with eventrouter.Router(seed=7) as instance:
        yield instance
