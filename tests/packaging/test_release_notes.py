"""packaging/release_notes.py: one version's section of a Keep a Changelog file."""

from __future__ import annotations

import pytest

from tests.packaging.release_scripts import ROOT, load, run

release_notes = load("release_notes")
check_version = load("check_version")

CHANGELOG = """\
# Changelog

Intro text that belongs to no version.

## [Unreleased]

### Fixed

- Something not yet released.

## [1.1.0] - 2026-12-24

### Added

- Gift cards.
  A second line of the same item.

### Fixed

- The calendar's week view on a DST change.

## 1.0.1 - 2026-12-10

- No brackets, no subsections.

## [1.0.0] - 2026-12-01

- First.

[Unreleased]: https://example.invalid/compare/v1.1.0...HEAD
[1.1.0]: https://example.invalid/compare/v1.0.1...v1.1.0
"""


def test_extracts_exactly_the_section_asked_for():
    assert release_notes.extract(CHANGELOG, "1.1.0") == (
        "### Added\n\n- Gift cards.\n  A second line of the same item.\n\n"
        "### Fixed\n\n- The calendar's week view on a DST change.\n"
    )
    assert release_notes.extract(CHANGELOG, "1.0.1") == "- No brackets, no subsections.\n"


def test_the_last_section_leaves_out_the_link_definitions():
    assert release_notes.extract(CHANGELOG, "1.0.0") == "- First.\n"


def test_unreleased_needs_no_date():
    assert release_notes.extract(CHANGELOG, "Unreleased") == (
        "### Fixed\n\n- Something not yet released.\n"
    )


def test_sections_know_their_dates():
    found = release_notes.sections(CHANGELOG)
    assert list(found) == ["Unreleased", "1.1.0", "1.0.1", "1.0.0"]
    assert found["1.1.0"].date == "2026-12-24"
    assert found["Unreleased"].date is None


def test_a_missing_version_is_an_error_naming_the_sections():
    with pytest.raises(release_notes.ChangelogError, match=r"no section for 1\.2\.0 .*1\.1\.0"):
        release_notes.extract(CHANGELOG, "1.2.0")


def test_a_version_is_not_found_by_prefix():
    with pytest.raises(release_notes.ChangelogError, match=r"no section for 1\.0 "):
        release_notes.extract(CHANGELOG, "1.0")


@pytest.mark.parametrize(
    "body", ["", "\n\n", "### Added\n\n### Fixed\n", "[1.2.0]: https://x.invalid\n"]
)
def test_an_empty_section_is_an_error(body):
    text = f"# Changelog\n\n## [1.2.0] - 2026-12-30\n{body}\n## [1.1.0] - 2026-12-24\n\n- x\n"
    with pytest.raises(release_notes.ChangelogError, match=r"section for 1\.2\.0 is empty"):
        release_notes.extract(text, "1.2.0")


@pytest.mark.parametrize(
    ("heading", "message"),
    [
        ("## [1.2.0]", "has no date"),
        ("## [1.2.0] - 30/12/2026", "not a YYYY-MM-DD date"),
        ("## [1.2.0] - 2026-13-01", "not a YYYY-MM-DD date"),
        ("## [1.2.0] - 20261230", "not a YYYY-MM-DD date"),
    ],
)
def test_a_released_version_needs_a_real_date(heading, message):
    with pytest.raises(release_notes.ChangelogError, match=message):
        release_notes.extract(f"{heading}\n\n- x\n", "1.2.0")


def test_a_version_twice_is_an_error():
    text = "## [1.0.0] - 2026-12-01\n\n- a\n\n## [1.0.0] - 2026-12-02\n\n- b\n"
    with pytest.raises(release_notes.ChangelogError, match=r"two sections for 1\.0\.0"):
        release_notes.sections(text)


def test_the_repository_changelog_has_a_dated_section_for_the_current_version():
    version = check_version.read_version()
    notes = release_notes.extract((ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), version)
    assert notes.strip()
    assert release_notes.extract((ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), "Unreleased")


def test_command_line_writes_the_notes_file(tmp_path):
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text(CHANGELOG)
    notes = tmp_path / "out" / "notes.md"
    done = run("release_notes", "1.0.1", "--changelog", str(changelog), "-o", str(notes))
    assert done.returncode == 0, done.stderr
    assert notes.read_text() == "- No brackets, no subsections.\n"


def test_command_line_fails_on_a_missing_version(tmp_path):
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text(CHANGELOG)
    done = run("release_notes", "3.0.0", "--changelog", str(changelog))
    assert done.returncode == 1
    assert "no section for 3.0.0" in done.stderr
    assert done.stdout == ""
