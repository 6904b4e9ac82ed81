"""The runner's read side: off the GUI thread, never behind a write, latest request wins."""

from __future__ import annotations

import threading

from desk.services.core.changes import Changes, Outcome
from desk.services.core.errors import NotFound


def test_a_read_runs_off_the_gui_thread_and_applies_on_it(qtbot, ctx):
    threads: list[str] = []
    applied: list[tuple[int, str]] = []

    def fetch() -> int:
        threads.append(threading.current_thread().name)
        return 7

    ctx.runner.read("k", fetch, lambda v: applied.append((v, threading.current_thread().name)))
    assert ctx.runner.busy
    ctx.runner.wait_idle()
    assert threads == ["desk-reads"]
    assert applied == [(7, threading.main_thread().name)]


def test_a_read_does_not_wait_for_a_long_write(qtbot, ctx):
    release = threading.Event()
    applied: list[int] = []

    def slow_write() -> Outcome[None]:
        release.wait(10)
        return Outcome(None, Changes())

    ctx.runner.run(slow_write)
    ctx.runner.read("k", lambda: 1, applied.append)
    qtbot.waitUntil(lambda: applied == [1])  # while the write still runs
    assert ctx.runner.busy
    release.set()
    ctx.runner.wait_idle()


def test_the_latest_request_per_key_wins(qtbot, ctx):
    gate = threading.Event()
    applied: list[str] = []

    def first() -> str:
        gate.wait(10)
        return "first"

    ctx.runner.read("profile", first, applied.append)
    ctx.runner.read("profile", lambda: "queued, then superseded", applied.append)
    ctx.runner.read("other", lambda: "other", applied.append)
    ctx.runner.read("profile", lambda: "latest", applied.append)
    gate.set()
    ctx.runner.wait_idle()
    assert applied == ["other", "latest"]


def test_a_failed_read_goes_to_on_failed(qtbot, ctx):
    errors: list[BaseException] = []

    def fetch() -> int:
        raise NotFound("gone")

    ctx.runner.read("k", fetch, lambda _v: None, on_failed=errors.append)
    ctx.runner.wait_idle()
    assert [type(e) for e in errors] == [NotFound]
