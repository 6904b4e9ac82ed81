"""The README and docs/: no link leaves the repository, every link and image
resolves, every screenshot is shown somewhere, and MkDocs builds the site with
no warning (the same --strict build CI runs)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.docs.markdown_links import Link, broken, links, web_addresses

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]
SCREENSHOTS = DOCS / "screenshots"
# The screenshots docs/make_screenshots.py makes, by the names the pages use.
EXPECTED_SCREENSHOTS = {
    "today.png", "members_search.png", "profile.png", "calendar_day.png",
    "calendar_week.png", "staff.png", "audit_log.png", "general_settings.png",
    "lock_screen.png", "booking_dialog.png", "add_credits.png", "catalog.png",
    "booking_pick_lot.png",
    "import_wizard.png", "import_types.png", "import_preview.png", "imports_list.png",
    "reports_liability.png", "reports_liability_movement.png", "reports_expiring.png",
    "reports_attendance.png", "reports_sales.png", "reports_end_of_day.png",
    "reports_coach_pay.png", "reports_printed_liability.png", "statement_page1.png",
    "two_desks_a.png", "two_desks_b.png", "calendar_group_roster.png", "booking_waitlist.png",
    "staff_hours.png", "booking_next_free.png",
    "transfer_credits.png", "bulk_expiry.png",
    "end_plan.png", "booking_unpaid.png",
    "type_fees.png", "account_fees.png",
    "profile_hold.png",
    "shared_pool.png",
    "profile_undo.png",
}  # fmt: skip
GUIDE_PAGES = {
    "index", "installing", "today-and-check-in", "search-and-profile", "credits",
    "calendar", "selling", "moving-in", "staff-and-roles", "settings", "reports",
    "backups-and-data", "several-desks", "command-line",
}  # fmt: skip


def test_no_page_names_a_web_address() -> None:
    found = [line for page in PAGES for line in web_addresses(page)]
    assert found == []


def test_every_link_and_image_resolves_inside_the_repository() -> None:
    problems = [
        f"{link}: {why}" for page in PAGES for link in links(page)
        if (why := broken(link, ROOT)) is not None
    ]  # fmt: skip
    assert problems == []


def test_the_pages_do_link_to_each_other() -> None:
    # The check above passes vacuously if the link finder finds nothing.
    readme = {link.target for link in links(ROOT / "README.md")}
    assert "docs/guide/index.md" in readme
    assert "docs/screenshots/today.png" in readme
    guide = {link.target for link in links(DOCS / "guide" / "index.md")}
    assert {f"{name}.md" for name in GUIDE_PAGES - {"index"}} <= guide


def test_the_checker_catches_what_it_should(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    (tmp_path / "other.md").write_text("# Other page\n\n## Some part\n", encoding="utf-8")
    page.write_text(
        "[ok](other.md#some-part) [gone](missing.md) ![pic](pic.png)\n"
        "[anchor](other.md#nowhere) [up](../../outside.md) [web](https://example.org)\n"
        "`[code](not-a-link.md)`\n\n```\n[fenced](nor-this.md)\n```\n",
        encoding="utf-8",
    )
    verdicts = {link.target: broken(link, tmp_path) for link in links(page)}
    assert verdicts == {
        "other.md#some-part": None,
        "missing.md": "no such file",
        "pic.png": "no such file",
        "other.md#nowhere": "no heading with the anchor #nowhere",
        "../../outside.md": "leads outside the repository",
        "https://example.org": "leads outside the repository",
    }
    assert web_addresses(page) == [f"{page}:2: {page.read_text().splitlines()[1]}"]
    assert broken(Link(page, "/abs.md"), tmp_path) == "absolute path"


def test_every_screenshot_exists_and_is_shown() -> None:
    on_disk = {p.name for p in SCREENSHOTS.glob("*.png")}
    shown = {
        Path(link.target).name for page in PAGES for link in links(page)
        if "screenshots/" in link.target
    }  # fmt: skip
    assert on_disk == EXPECTED_SCREENSHOTS
    assert shown == EXPECTED_SCREENSHOTS


def test_the_guide_has_a_page_per_workflow() -> None:
    assert {p.stem for p in (DOCS / "guide").glob("*.md")} == GUIDE_PAGES


@pytest.mark.skipif(
    importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("material") is None,
    reason='MkDocs is not installed (pip install -e ".[docs]")',
)
def test_mkdocs_builds_the_site_with_no_warning(tmp_path: Path) -> None:
    site = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "WARNING" not in done.stderr
    assert (site / "guide" / "staff-and-roles" / "index.html").is_file()
    roles = (site / "guide" / "staff-and-roles" / "index.html").read_text(encoding="utf-8")
    # The roles table comes from the README (one copy, which test_role_walk checks).
    assert "import and undo imports" in roles
    assert (site / "screenshots" / "today.png").is_file()
