"""Matching from several Python threads while another changes the rules (ctypes releases the GIL
during each C call, so the matching really runs in parallel)."""

from __future__ import annotations

import threading

import eventrouter

EVENT = b'{"source": "shop", "detail-type": "Order", "detail": {"total": 250}}'


def test_two_threads_match_while_a_third_changes_rules():
    rules = eventrouter.RuleSet()
    rules.add("stable-source", {"source": ["shop"]})
    rules.add("stable-total", {"detail": {"total": [{"numeric": [">=", 100]}]}})
    done = threading.Event()
    problems: list = []
    counts = [0, 0]

    def reader(slot: int, use_matcher: bool) -> None:
        matcher = rules.matcher() if use_matcher else None
        iterations = 0
        while (not done.is_set() or iterations < 2000) and iterations < 200_000:
            names = matcher.match(EVENT) if matcher else rules.match(EVENT)
            iterations += 1
            if names[:2] != ["stable-source", "stable-total"]:
                problems.append(names)
            if any(not (n.startswith("stable-") or n.startswith("temp-")) for n in names):
                problems.append(names)
        counts[slot] = iterations
        if matcher:
            matcher.close()

    def writer() -> None:
        try:
            for i in range(300):
                rules.add(f"temp-{i}", {"detail": {"total": [{"numeric": [">", i]}]}})
                if i >= 2:
                    rules.remove(f"temp-{i - 2}")
        except Exception as error:  # pragma: no cover
            problems.append(error)
        finally:
            done.set()

    threads = [threading.Thread(target=reader, args=(0, True)), threading.Thread(target=reader, args=(1, False)),
               threading.Thread(target=writer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert problems == []
    assert min(counts) >= 2000
    assert len(rules) == 4
    rules.close()


def test_a_matcher_shared_by_two_threads_raises_busy_or_works():
    rules = eventrouter.RuleSet()
    rules.add("a", {"source": ["shop"]})
    matcher = rules.matcher()
    outcomes = {"ok": 0, "busy": 0, "other": 0}
    lock = threading.Lock()

    def hammer():
        for _ in range(3000):
            try:
                matcher.match(EVENT)
                key = "ok"
            except eventrouter.BusyError:
                key = "busy"
            except Exception:  # pragma: no cover
                key = "other"
            with lock:
                outcomes[key] += 1

    threads = [threading.Thread(target=hammer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes["other"] == 0 and outcomes["ok"] > 0


def test_router_calls_from_several_threads():
    with eventrouter.Router(seed=3) as router:
        received = []
        lock = threading.Lock()

        def target(delivery):
            with lock:
                received.append(delivery.json()["detail"]["n"])

        arn = router.create_function("sink", target)
        router.put_rule(Name="r", EventPattern={"source": ["load"]})
        router.put_targets(Rule="r", Targets=[{"Id": "t", "Arn": arn}])

        def producer(base: int) -> None:
            for n in range(base, base + 100):
                router.put_events(Entries=[{"Source": "load", "DetailType": "n", "Detail": {"n": n}}])

        threads = [threading.Thread(target=producer, args=(k * 1000,)) for k in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        router.run_until_idle()
        assert sorted(received) == sorted(n for k in range(3) for n in range(k * 1000, k * 1000 + 100))
