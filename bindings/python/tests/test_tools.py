"""The pattern tools: explain, examples, pattern_edges, overlap."""

import pytest

import eventrouter
from eventrouter import InvalidArgumentError, InvalidEventPatternError, InvalidJSONError


def test_explain_names_the_failing_condition():
    why = eventrouter.explain({"detail": {"state": [{"anything-but": "initializing"}]}}, {"detail": {}})
    assert why["match"] is False
    field = why["alternatives"][0]["fields"][0]
    assert field["path"] == "detail.state"
    assert field["satisfied"] is False
    assert field["reason"].startswith("the event has no value at detail.state")
    assert "detail.state" in why["text"]
    assert eventrouter.explain({"a": ["x"]}, {"a": ["y", "x"]})["match"] is True


def test_explain_errors():
    with pytest.raises(InvalidEventPatternError):
        eventrouter.explain({"a": "x"}, {"a": "x"})
    with pytest.raises(InvalidJSONError):
        eventrouter.explain({"a": ["x"]}, "[1, 2]")


def test_examples_are_labelled_by_the_matcher_and_seeded():
    pattern = {"source": ["shop"], "detail": {"total": [{"numeric": [">", 100]}]}}
    items = eventrouter.examples(pattern, 8, seed=5)
    assert len(items) == 8
    assert items == eventrouter.examples(pattern, 8, seed=5)
    for item in items:
        assert eventrouter.test_event_pattern(pattern, item["event"]) is item["match"]
    assert any(item["match"] for item in items) and not all(item["match"] for item in items)
    with pytest.raises(InvalidArgumentError):
        eventrouter.examples(pattern, -1)


def test_pattern_edges_report_flips():
    report = eventrouter.pattern_edges({"n": [300]}, [{"n": 300}], runs=300)
    mutations = {edge["mutation"] for edge in report["edges"]}
    assert "number-as-string" in mutations
    assert "number-format" not in mutations
    for edge in report["edges"]:
        assert edge["before"] != edge["after"]
        assert eventrouter.test_event_pattern({"n": [300]}, edge["event"]) is edge["after"]
    assert report["summary"]["seed_events"] == 1
    assert eventrouter.pattern_edges({"n": [300]}, runs=50)["summary"]["seed_events"] == 16
    with pytest.raises(InvalidArgumentError):
        eventrouter.pattern_edges({"n": [300]}, [1, 2])


def test_overlap():
    found = eventrouter.overlap({
        "all": {"source": ["shop"]},
        "big": '{"source": ["shop"], "detail": {"total": [{"numeric": [">", 9]}]}}',
        "other": {"source": ["bank"]},
    })
    assert found[0]["kind"] == "contains"
    assert (found[0]["outer"], found[0]["inner"]) == ("all", "big")
    assert not any("other" in (item.get("rules", []) + [item.get("outer"), item.get("inner")]) for item in found)
    with pytest.raises(InvalidEventPatternError, match="rule bad"):
        eventrouter.overlap({"bad": {"a": 1}})
