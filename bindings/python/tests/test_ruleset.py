from __future__ import annotations

import pytest

import eventrouter
from eventrouter import RuleSet


def test_add_match_remove_with_dict_str_and_bytes():
    with RuleSet() as rules:
        rules.add("ec2", {"source": ["aws.ec2"]})
        rules.add("big", '{"detail": {"size": [{"numeric": [">", 100]}]}}')       # str: raw pattern text
        rules.add("s3", b'{"source": ["aws.s3"]}')
        assert len(rules) == 3
        event = {"source": "aws.ec2", "detail": {"size": 700}}
        assert rules.match(event) == ["ec2", "big"]
        assert rules.match('{"source": "aws.ec2", "detail": {"size": 700}}') == ["ec2", "big"]
        assert rules.match(b'{"source": "aws.s3"}') == ["s3"]
        assert rules.count_matches(event) == 2
        rules.remove("big")
        assert rules.match(event) == ["ec2"]
        with pytest.raises(eventrouter.ResourceNotFoundError):
            rules.remove("big")


def test_two_patterns_under_one_name_are_or():
    with RuleSet() as rules:
        rules.add("either", {"a": [1]})
        rules.add("either", {"b": [2]})
        assert rules.match({"b": 2}) == ["either"]
        assert rules.match({"a": 1, "b": 2}) == ["either"]
        assert len(rules) == 1


def test_unicode_names_and_values():
    with RuleSet() as rules:
        rules.add("größe-名前", {"detail": {"名前": [{"prefix": "Straße"}]}})
        assert rules.match({"detail": {"名前": "Straßenbahn"}}) == ["größe-名前"]


def test_invalid_pattern_keeps_the_set_unchanged():
    with RuleSet() as rules:
        rules.add("ok", {"a": ["x"]})
        with pytest.raises(eventrouter.InvalidEventPatternError) as info:
            rules.add("bad", {"a": "x"})
        assert info.value.message == 'Event pattern is not valid. Reason: "a" must be an object or an array'
        assert len(rules) == 1


def test_matcher_is_reusable_and_sees_changes():
    rules = RuleSet()
    rules.add("a", {"a": [1]})
    with rules.matcher() as matcher:
        assert matcher.match({"a": 1}) == ["a"]
        rules.add("b", {"a": [{"numeric": [">", 0]}]})
        assert matcher.match({"a": 1}) == ["a", "b"]
        rules.close()
        # The matcher keeps the rules it had.
        assert matcher.match({"a": 1}) == ["a", "b"]


def test_closed_rule_set_raises_invalid_handle():
    rules = RuleSet()
    rules.close()
    rules.close()   # idempotent
    with pytest.raises(eventrouter.InvalidHandleError):
        rules.match({"a": 1})
    with pytest.raises(eventrouter.InvalidHandleError):
        len(rules)


def test_bad_events():
    with RuleSet(max_event_bytes=64) as rules:
        rules.add("a", {"a": [1]})
        with pytest.raises(eventrouter.InvalidJSONError):
            rules.match("[1, 2]")
        with pytest.raises(eventrouter.InvalidJSONError) as info:
            rules.match('{"a": ')
        assert info.value.offset is not None
        with pytest.raises(eventrouter.InvalidUTF8Error) as info:
            rules.match(b'{"a": "\xff"}')
        assert info.value.offset == 7
        with pytest.raises(eventrouter.LimitExceededError):
            rules.match({"a": 1, "padding": "x" * 100})
        with pytest.raises(eventrouter.InvalidArgumentError):
            rules.match(42)  # type: ignore[arg-type]
        with pytest.raises(eventrouter.InvalidArgumentError):
            rules.add("", {"a": [1]})
        with pytest.raises(eventrouter.InvalidArgumentError):
            rules.add("nul\0name", {"a": [1]})


def test_one_shot_helpers():
    assert eventrouter.test_event_pattern({"source": [{"prefix": "aws."}]}, {"source": "aws.ec2"}) is True
    assert eventrouter.test_event_pattern('{"source": [{"prefix": "aws."}]}', '{"source": "shop"}') is False
    eventrouter.validate_pattern({"source": ["x"]})
    with pytest.raises(eventrouter.InvalidEventPatternError) as info:
        eventrouter.validate_pattern('{"source": [')          # raw text: malformed JSON
    assert info.value.message.startswith("Event pattern is not valid. Reason: ")
    assert info.value.offset is not None
    with pytest.raises(eventrouter.InvalidEventPatternError):
        eventrouter.test_event_pattern({"source": []}, {"source": "x"})
