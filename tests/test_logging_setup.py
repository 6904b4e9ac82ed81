"""The log file: in the given folder, rotating, and the terminal unchanged."""

from __future__ import annotations

import logging

import pytest

from desk import logging_setup
from desk.logging_setup import configure_logging, log_file, log_folder, stop_logging


@pytest.fixture(autouse=True)
def _stop():
    yield
    stop_logging()


def test_records_go_to_the_file_with_time_level_and_thread(tmp_path):
    path = configure_logging(tmp_path)
    logging.getLogger("desk.test").info("member 42 opened")
    assert path == tmp_path / "desk.log"
    text = path.read_text(encoding="utf-8")
    assert "Desk " in text.splitlines()[0]  # the start-up line says which version
    assert "INFO     desk.test [MainThread] member 42 opened" in text
    assert log_file() == path
    assert log_folder() == tmp_path


def test_the_file_rotates_and_keeps_a_bounded_number(tmp_path, monkeypatch):
    monkeypatch.setattr(logging_setup, "MAX_BYTES", 2_000)
    monkeypatch.setattr(logging_setup, "BACKUP_COUNT", 2)
    configure_logging(tmp_path)
    for n in range(200):
        logging.getLogger("desk.test").info("line %d %s", n, "x" * 40)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["desk.log", "desk.log.1", "desk.log.2"]
    assert all(p.stat().st_size <= 2_100 for p in tmp_path.iterdir())


def test_configuring_again_replaces_the_file(tmp_path):
    configure_logging(tmp_path / "a")
    configure_logging(tmp_path / "b")
    files = [
        h.baseFilename
        for h in logging.getLogger().handlers
        if isinstance(h, logging.FileHandler) and h.baseFilename.startswith(str(tmp_path))
    ]
    assert files == [str(tmp_path / "b" / "desk.log")]
    stop_logging()
    assert log_file() is None


def test_a_terminal_handler_keeps_its_level(tmp_path):
    root = logging.getLogger()
    terminal = logging.StreamHandler()
    old_level = root.level
    root.setLevel(logging.WARNING)
    root.addHandler(terminal)
    try:
        configure_logging(tmp_path)
        assert terminal.level == logging.WARNING
        assert root.level == logging.INFO
    finally:
        root.removeHandler(terminal)
        root.setLevel(old_level)
