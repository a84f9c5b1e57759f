"""The shared conformance fixtures through Python: the raw pattern text exactly as recorded, and
the same cases as dicts (what a Python caller writes)."""

from __future__ import annotations

import json
import math

import pytest

import eventrouter
from conftest import load_cases

PREFIX = "Event pattern is not valid. Reason: "
FILES = {"aws-observed.jsonl": 155, "patterns.jsonl": 2911}


def expected_message(case):
    if "message" in case:
        return case["message"][1]
    if "reason" in case:
        return PREFIX + case["reason"][1]
    return None


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_case_through_test_event_pattern(name):
    cases = load_cases(name)
    assert len(cases) == FILES[name]
    failures = []
    for case in cases:
        case_id = case["id"][1]
        raw_pattern, pattern = case["pattern"]
        text = pattern if isinstance(pattern, str) else raw_pattern   # a string is the raw pattern text
        event = case["event"][0]
        expect = case["expect"][1]
        try:
            matched = eventrouter.test_event_pattern(text, event)
        except eventrouter.InvalidEventPatternError as error:
            message = expected_message(case)
            if expect["valid"] or (message is not None and error.message != message):
                failures.append(f"{case_id}: {error.message!r}")
            assert error.status == -5 and isinstance(error, ValueError)
            continue
        if not expect["valid"] or matched != expect["match"]:
            failures.append(f"{case_id}: matched={matched}, expected {expect}")
    assert not failures, "\n".join(failures[:20])


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_case_through_a_rule_set(name):
    failures = []
    with eventrouter.RuleSet() as rules:
        for case in load_cases(name):
            raw_pattern, pattern = case["pattern"]
            text = pattern if isinstance(pattern, str) else raw_pattern
            expect = case["expect"][1]
            try:
                rules.add("case", text)
            except eventrouter.InvalidEventPatternError:
                if expect["valid"]:
                    failures.append(case["id"][1])
                continue
            names = rules.match(case["event"][0].encode())   # bytes: JSON text as is
            rules.remove("case")
            if names != (["case"] if expect["match"] else []):
                failures.append(f"{case['id'][1]}: {names}")
        assert len(rules) == 0
    assert not failures, "\n".join(failures[:20])


def _plain(value) -> bool:
    """Whether a parsed value survives json.dumps unchanged (no inf, no nan)."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_plain(v) for v in value.values())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return True


@pytest.mark.parametrize("name", sorted(FILES))
def test_cases_as_python_dicts(name):
    """Patterns and events as dicts, as a Python program would write them."""
    failures = []
    checked = 0
    for case in load_cases(name):
        pattern = case["pattern"][1]
        event = case["event"][1]
        if isinstance(pattern, str) or not _plain(pattern) or not _plain(event):
            continue
        if json.loads(json.dumps(pattern)) != pattern:
            continue
        expect = case["expect"][1]
        checked += 1
        try:
            matched = eventrouter.test_event_pattern(pattern, event)
        except eventrouter.InvalidEventPatternError:
            if expect["valid"]:
                failures.append(case["id"][1])
            continue
        if not expect["valid"] or matched != expect["match"]:
            failures.append(f"{case['id'][1]}: {matched} vs {expect}")
    assert checked > 100
    assert not failures, "\n".join(failures[:20])
