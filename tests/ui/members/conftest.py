"""Ann's member profile, shown and loaded, for the tests of this folder."""

from __future__ import annotations

import pytest

from desk.ui.members.member_profile import MemberProfile


@pytest.fixture
def profile(qtbot, desk_staff, gym) -> MemberProfile:
    widget = MemberProfile(desk_staff, gym["ann"])
    qtbot.addWidget(widget)
    widget.show()
    desk_staff.runner.wait_idle()  # the profile loads on the read worker
    return widget
