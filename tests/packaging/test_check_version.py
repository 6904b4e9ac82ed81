"""packaging/check_version.py: the tag must be v + desk/__init__.py's __version__."""

from __future__ import annotations

import pytest

from tests.packaging.release_scripts import load, run

check_version = load("check_version")


def test_reads_the_version_desk_itself_reports():
    import desk

    assert check_version.read_version() == desk.__version__


@pytest.mark.parametrize("tag", ["v1.2.3", "refs/tags/v1.2.3"])
def test_a_matching_tag_passes(tag):
    check_version.check_tag(tag, "1.2.3")


@pytest.mark.parametrize(
    ("tag", "hint"),
    [
        ("v1.2.4", 'set __version__ = "1.2.4"'),
        ("1.2.3", "release tags look like v1.2.3"),
        ("v1.2", "release tags look like v1.2.3"),
        ("release-1.2.3", "release tags look like v1.2.3"),
    ],
)
def test_a_different_tag_fails_with_what_to_do(tag, hint):
    with pytest.raises(check_version.VersionError) as raised:
        check_version.check_tag(tag, "1.2.3")
    assert f"tag {tag} does not match" in str(raised.value)
    assert hint in str(raised.value)


@pytest.mark.parametrize("text", ['__version__ = "1.2"\n', 'VERSION = "1.2.3"\n', ""])
def test_a_missing_or_malformed_version_is_refused(tmp_path, text):
    init = tmp_path / "__init__.py"
    init.write_text(text)
    with pytest.raises(check_version.VersionError):
        check_version.read_version(init)


@pytest.mark.parametrize(
    ("version", "pre"),
    [("1.2.3", False), ("1.2.3rc1", True), ("2.0.0b2", True), ("1.0.0.dev3", True)],
)
def test_prerelease(version, pre):
    assert check_version.is_prerelease(version) is pre


def test_command_line_writes_github_outputs(tmp_path):
    init = tmp_path / "__init__.py"
    init.write_text('"""Desk."""\n\n__version__ = "2.0.0rc1"\n')
    outputs = tmp_path / "github_output"
    done = run("check_version", "v2.0.0rc1", "--init", str(init), "--github-output", str(outputs))
    assert done.returncode == 0, done.stderr
    assert "matches the tag v2.0.0rc1" in done.stdout
    assert outputs.read_text() == "version=2.0.0rc1\ntag=v2.0.0rc1\nprerelease=true\n"


def test_command_line_fails_on_a_mismatch_as_a_workflow_error():
    done = run("check_version", "v0.0.0-nope", env={"GITHUB_ACTIONS": "true"})
    assert done.returncode == 1
    assert done.stderr.startswith("::error::tag v0.0.0-nope does not match desk/__init__.py")
