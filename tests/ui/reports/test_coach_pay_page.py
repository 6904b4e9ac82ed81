"""Coach pay on the Reports page: each coach's total, and the sessions of one chosen
coach only (the report never sends a year of everyone's sessions to the screen)."""

from __future__ import annotations

from tests.ui.reports.test_reports_page import _choose, _pick, _texts


def test_coach_pay_lists_the_chosen_coachs_sessions(window, desk_staff, qtbot):
    page = window.reports
    _choose(page, desk_staff, "Coach pay")
    rows = _texts(page)
    # No coach chosen: one total line per coach and one for all, no sessions.
    assert [r[0] for r in rows if r[6] == "total"] == ["Kim Coach", "Lee Coach", "All coaches"]
    assert all(r[1] in ("", None) for r in rows)
    assert rows[-1][3] == "2 sessions"
    _pick(page.coach, desk_staff, "Kim Coach")
    rows = _texts(page)
    # Kim's a1: Ann's first credit of lot A (33.33) at 50%: 16.66; then her total.
    assert rows[0][3:] == ["Ann Smith", "PT", "$33.33", "50%", "$16.66"]
    assert [rows[1][i] for i in (0, 3, 6, 7)] == ["Kim Coach", "1 sessions", "total", "$16.66"]
    assert rows[-1][0] == "All coaches"
    assert len(rows) == 3
