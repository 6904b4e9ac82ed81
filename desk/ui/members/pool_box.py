"""The shared pool on a member's profile, apart from their own credits: "Shared pool:
Smith family (3 members) — PT 7 left, expires 30 Jun 2026", its members, a history
saying who used each shared credit, and "Share credits with…" (set up a pool with
another member, or add one to the member's pool)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk.services.core.changes import Changes
from desk.services.core.ids import MemberId
from desk.services.credits.pool_reads import PoolHistoryRow, PoolView
from desk.ui.members.member_picker import MemberPicker
from desk.ui.members.pool_actions import PoolActions
from desk.ui.shell.context import DeskContext
from desk.ui.shell.submit import ErrorFields, submit
from desk.ui.widgets.dialog_buttons import action_buttons
from desk.ui.widgets.field_error import FieldError
from desk.ui.widgets.formatting import format_date, format_datetime

if TYPE_CHECKING:
    from desk.ui.members.member_profile_view import MemberProfileView

HISTORY_ROWS = 4


def pool_summary(pool: PoolView) -> str:
    """ "Smith family (3 members) — PT 7 left, expires 30 Jun 2026; Massage 2 left"."""
    credits = "; ".join(
        f"{b.appointment_type} {b.open} left"
        + (f", expires {format_date(d)}" if (d := pool.next_expiry(b.appointment_type_id)) else "")
        for b in pool.balances
        if b.open
    )
    people = f"{len(pool.members)} member{'s' if len(pool.members) != 1 else ''}"
    return f"{pool.name} ({people}) — {credits or 'no credits left'}"


class PoolBox(QFrame):
    """The member's shared pool (hidden while they are in none, but for its button)."""

    def __init__(self, ctx: DeskContext, member_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sharedPoolBox")
        self._ctx = ctx
        self.member_id = member_id
        self.member_name = ""
        self.pool: PoolView | None = None
        self.summary = QLabel(self)
        self.summary.setObjectName("poolSummary")
        self.summary.setWordWrap(True)
        self.members = QLabel(self)
        self.members.setObjectName("poolMembers")
        self.members.setStyleSheet("color: #5b6170;")
        self.share_button = QPushButton("Share credits with…", self)
        self.share_button.setObjectName("shareCreditsButton")
        self.history = QTableWidget(0, 4, self)
        self.history.setObjectName("poolHistory")
        self.history.setAccessibleName("Shared pool history")
        self.history.setHorizontalHeaderLabels(["When", "What", "Type", "Who"])
        self.history.verticalHeader().hide()
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.history.hide()
        self.members.hide()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.pool_actions = PoolActions(ctx, member_id, self)  # Leave pool…, Dissolve pool…
        top = QHBoxLayout()  # the buttons on the summary's line: the box takes no extra row
        top.addWidget(self.summary, 1)
        top.addWidget(self.pool_actions)
        layout.addLayout(top)
        layout.addWidget(self.members)
        layout.addWidget(self.history)
        self.share_button.clicked.connect(self.share)
        ctx.hub.changed.connect(self._on_changes)
        self.reload()

    def place_in(self, profile_view: MemberProfileView) -> None:
        """Between the profile's Coming up and its own credits; Share credits… with the
        credit buttons (a member in no pool costs the profile no line of its own)."""
        layout = profile_view.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(2, self)
        profile_view.summary_row.addWidget(self.share_button)

    def reload(self) -> None:
        pools, member_id = self._ctx.services.pools, MemberId(self.member_id)

        def fetch() -> tuple[PoolView | None, list[PoolHistoryRow]]:
            pool = pools.pool_of(member_id)
            return pool, pools.pool_history(pool.id)[:HISTORY_ROWS] if pool else []

        self._ctx.runner.read((self, "pool"), fetch, self._apply, origin=self)

    def _apply(self, fetched: tuple[PoolView | None, list[PoolHistoryRow]]) -> None:
        pool, rows = fetched
        self.pool = pool
        self.summary.setText(
            f"<b>Shared pool:</b> {pool_summary(pool)}"
            if pool
            else "Not sharing credits with anyone."
        )
        self.members.setText(", ".join(m.name for m in pool.members) if pool else "")
        self.members.setVisible(pool is not None)
        self.pool_actions.show_pool(pool, self.member_name)
        self.history.setVisible(bool(rows))
        self.history.setRowCount(len(rows))
        tz = self._ctx.services.clock.tz
        for r, entry in enumerate(rows):
            cells = (format_datetime(entry.row.at, tz), entry.row.kind.value.replace("_", " "),
                     entry.row.appointment_type, entry.member_name)  # fmt: skip
            for c, text in enumerate(cells):
                self.history.setItem(r, c, QTableWidgetItem(text))
        self.history.resizeColumnsToContents()
        header = self.history.horizontalHeader().sizeHint().height()
        rows_height = sum(self.history.rowHeight(r) for r in range(len(rows)))
        self.history.setFixedHeight(header + rows_height + 2 * self.history.frameWidth())
        # One quiet line while the member shares with nobody; a framed box once they do.
        self.setVisible(pool is not None)  # "Share credits with…" stays, with the credit buttons

    def _on_changes(self, changes: Changes, _origin: object = None) -> None:
        ids = {self.member_id, *(m.member_id for m in self.pool.members)} if self.pool else {
            self.member_id}  # fmt: skip
        if any(changes.touches_member(i) for i in ids):
            self.reload()

    def share(self) -> None:
        ShareCreditsDialog(self._ctx, self.member_id, self.member_name, self.pool, self).exec()

    def disconnect_hub(self) -> None:
        self._ctx.hub.changed.disconnect(self._on_changes)


class ShareCreditsDialog(QDialog):
    """Pick the member to share credits with: a new pool of the two (named here) when
    this member is in none, else the other member joins this member's pool."""

    def __init__(self, ctx: DeskContext, member_id: int, member_name: str,
                 pool: PoolView | None, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._ctx, self._member_id, self._pool = ctx, member_id, pool
        self.setObjectName("ShareCreditsDialog")
        self.setWindowTitle(f"Share credits: {member_name}" if member_name else "Share credits")
        self.setMinimumWidth(480)
        self.other = MemberPicker(ctx, self)
        self.other.setObjectName("shareWithField")
        self.other.setAccessibleName("Share credits with")
        self.name = QLineEdit(self)
        self.name.setObjectName("poolNameField")
        self.name.setAccessibleName("Name of the shared pool")
        last = member_name.split()[-1] if member_name.split() else ""
        self.name.setText(pool.name if pool else (f"{last} family" if last else ""))
        self.name.setEnabled(pool is None)
        self.error = FieldError("shareError", self)
        form = QFormLayout()
        form.addRow("Share with", self.other)
        form.addRow("Pool", self.name)
        form.addRow("", self.error)
        buttons, self.share_button = action_buttons(self, "Share", "shareButton", self._save)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(
            "Members of a shared pool book from its credits after their own. Credits "
            "bought or added for the pool are the pool's.", self))  # fmt: skip
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.other.member_changed.connect(lambda _id: self._validate())
        self.name.textChanged.connect(self._validate)
        self._validate()

    def _validate(self) -> bool:
        ok = self.other.member_id() is not None and bool(self.name.text().strip())
        self.share_button.setEnabled(ok)
        return ok

    def _save(self) -> None:
        other = self.other.member_id()
        if not self._validate() or other is None:
            return
        pools, actor, name = self._ctx.services.pools, self._ctx.actor, self.name.text()
        if self._pool is not None:
            pool_id = self._pool.id
            save = lambda: pools.add_member(pool_id, MemberId(other), actor=actor)  # noqa: E731
        else:
            ids = [MemberId(self._member_id), MemberId(other)]
            save = lambda: pools.create(name, ids, actor=actor)  # noqa: E731
        errors = ErrorFields(otherwise=self.error, by_field={"name": self.error})
        submit(self, self._ctx.runner, save, errors, button=self.share_button)
