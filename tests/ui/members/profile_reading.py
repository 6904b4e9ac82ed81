"""Reading the member profile's tables in a test: their texts, a balance row, the history kinds."""

from __future__ import annotations

from desk.ui.members.member_profile import MemberProfile


def table_texts(view) -> list[list[str]]:
    model = view.model()
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def balance(profile: MemberProfile, type_name: str) -> dict[str, int]:
    for row in table_texts(profile.view.balances):
        if row[0] == type_name:
            return dict(zip(("open", "booked", "used", "expired"), map(int, row[1:]), strict=True))
    raise AssertionError(f"no balance row for {type_name}")


def history_kinds(profile: MemberProfile) -> list[str]:
    return [row[1] for row in table_texts(profile.view.history)]
