"""A quiet, honest command line: one line per problem, never a traceback, and no
empty gym made by a typo."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desk.cli import build_parser, main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    url = f"sqlite:///{tmp_path / 'gym.sqlite3'}"
    assert main(["demo", "--members", "1000", "--seed", "5", "--database", url]) == 0
    capsys.readouterr()
    return url


def _desk(*argv: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "desk", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )


def test_a_reader_that_leaves_early_ends_the_command_quietly(demo_url):
    child = _desk("members", "search", "son", "--limit", "500", "--database", demo_url)
    assert child.stdout is not None
    assert child.stderr is not None
    child.stdout.close()  # like `| head` exiting before Desk writes
    err = child.stderr.read().decode()
    assert child.wait(timeout=60) == 1
    assert "Traceback" not in err
    assert "BrokenPipe" not in err
    assert err == ""


def test_a_folder_that_cannot_be_created_is_one_line(capsys):
    code, _, err = run(capsys, "demo", "--database", "sqlite:////proc/desk-x/y.sqlite3")
    assert code == 1
    assert err.count("\n") == 1
    assert err.startswith("desk: error: Can't create the folder /proc/desk-x")


def test_a_mistyped_database_is_refused_and_nothing_is_created(capsys, tmp_path):
    missing = tmp_path / "typo" / "gmy.sqlite3"
    code, _, err = run(capsys, "members", "search", "ann", "--database", f"sqlite:///{missing}")
    assert code == 1
    assert f"there is no Desk database at {missing}" in err
    assert "--create" in err
    assert err.count("\n") == 1
    assert not missing.parent.exists()


def test_create_starts_a_new_database_and_says_so(capsys, tmp_path):
    new = tmp_path / "new" / "gym.sqlite3"
    code, out, err = run(
        capsys, "members", "search", "ann", "--database", f"sqlite:///{new}", "--create"
    )
    assert code == 0
    assert err == f"desk: created a new, empty Desk database at {new}\n"
    assert "No member matches" in out
    assert new.exists()
    # The second time it exists: nothing more to say.
    code, _, err = run(capsys, "members", "search", "ann", "--database", f"sqlite:///{new}")
    assert (code, err) == (0, "")


def test_demo_creates_its_database_and_says_so(capsys, tmp_path):
    new = tmp_path / "demo.sqlite3"
    code, _, err = run(capsys, "demo", "--members", "5", "--database", f"sqlite:///{new}")
    assert code == 0
    assert err == f"desk: created a new, empty Desk database at {new}\n"


def test_the_window_without_a_desktop_session_is_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    env["XDG_DATA_HOME"] = str(tmp_path)  # never the developer's own database
    child = _desk(env=env)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 1
    assert err.decode() == (
        "desk: error: the Desk window needs a desktop session (no DISPLAY or "
        "WAYLAND_DISPLAY is set here); the commands in 'desk --help' work without one\n"
    )
    assert out == b""


def test_search_says_how_many_it_left_out(capsys, demo_url):
    code, out, _ = run(capsys, "members", "search", "son", "--database", demo_url)
    assert code == 0
    rows = out.splitlines()[2:-1]
    total = len(run(capsys, "members", "search", "son", "--limit", "500", "--database",
                    demo_url)[1].splitlines()) - 2  # fmt: skip
    assert total > 20, "the demo gym should have more than 20 matches for 'son'"
    assert len(rows) == 20
    assert out.splitlines()[-1] == f"20 of {total} shown (--limit N shows more)."


def test_search_that_shows_everything_adds_no_count_line(capsys, demo_url):
    code, out, _ = run(capsys, "members", "search", "son", "--limit", "500", "--database",
                       demo_url)  # fmt: skip
    assert code == 0
    assert "shown" not in out


def _options(parser: argparse.ArgumentParser, path: str = "desk"):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _options(sub, f"{path} {name}")
        elif not isinstance(action, argparse._HelpAction | argparse._VersionAction):
            yield path, action


def test_every_option_has_a_description_and_its_default():
    for path, action in _options(build_parser()):
        name = "/".join(action.option_strings) or action.dest
        assert action.help, f"{path} {name} has no description"
        optional = action.option_strings and not action.required
        takes_value = action.nargs != 0
        if optional and takes_value and action.default is not None:
            assert "default" in action.help, f"{path} {name}: the help doesn't say the default"


def test_help_says_plain_desk_opens_the_window_and_where_the_database_is(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "Plain 'desk' opens the window" in out
    assert "The local database is " in out
    assert "desk.sqlite3" in out


def test_a_postgresql_connection_error_is_one_line(capsys):
    code, _, err = run(
        capsys, "members", "search", "ann", "--database", "postgresql://nobody@127.0.0.1:1/desk"
    )
    assert code == 1
    assert err.count("\n") == 1
    assert err.startswith("desk: error: Can't open the database postgresql://nobody@127.0.0.1:1/")
