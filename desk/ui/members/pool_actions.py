"""The shared pool box's own buttons: "Leave pool…" takes this member out of the pool,
"Dissolve pool…" ends it (each pool lot's open credits go back to the member who
bought them). Both ask first, saying what happens; what was done is said through
``report`` (the profile's status line: the box itself goes once the member is in no
pool), a refusal (a pool dissolved at another desk meanwhile) on the box's own line.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from desk.services.core.errors import DeskError
from desk.services.core.ids import MemberId
from desk.services.core.permissions import Permission
from desk.services.credits.pool_reads import PoolView
from desk.services.credits.pools import PoolDissolved, PoolLeft
from desk.ui.shell.context import DeskContext


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class PoolActions(QWidget):
    """Leave pool… and Dissolve pool…, and the line saying what they did."""

    def __init__(self, ctx: DeskContext, member_id: int, parent: QWidget) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._member_id = member_id
        self.member_name = ""
        self.pool: PoolView | None = None
        self.leave_button = QPushButton("Leave pool…", self)
        self.leave_button.setObjectName("leavePoolButton")
        self.leave_button.setAccessibleName("Take this member out of the shared pool")
        self.dissolve_button = QPushButton("Dissolve pool…", self)
        self.dissolve_button.setObjectName("dissolvePoolButton")
        self.dissolve_button.setAccessibleName("Dissolve the shared pool")
        self.message = QLabel(self)
        self.message.setObjectName("poolActionMessage")
        self.message.setWordWrap(True)
        self.message.hide()  # only a refusal shows here; what was done goes to ``report``
        self.report: Callable[[str], None] = self._say
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.message, 1)
        row.addWidget(self.leave_button)
        row.addWidget(self.dissolve_button)
        self.leave_button.clicked.connect(self.leave)
        self.dissolve_button.clicked.connect(self.dissolve)

    def show_pool(self, pool: PoolView | None, member_name: str) -> None:
        """The pool now shown (None: the member is in none); buttons greyed, with the
        reason, for a role that may not manage members."""
        self.pool, self.member_name = pool, member_name
        may = self._ctx.can(Permission.MANAGE_MEMBERS)
        why = "" if may else f"Your role may not {Permission.MANAGE_MEMBERS.value}."
        for button in (self.leave_button, self.dissolve_button):
            button.setEnabled(pool is not None and may)
            button.setToolTip(why)

    def leave(self) -> None:
        pool = self.pool
        if pool is None:
            return
        who = self.member_name or "this member"
        if not self._confirm(
            "Leave the shared pool",
            f"Take {who} out of {pool.name}? Sessions the pool already paid for stay booked; "
            f"from now on {who} books from their own credits only.",
        ):
            return
        pools, member_id = self._ctx.services.pools, MemberId(self._member_id)
        actor = self._ctx.actor

        def left(result: PoolLeft) -> None:
            kept = _plural(result.bookings_kept, "booking")
            self.report(f"{who} left {pool.name}; {kept} the pool paid for stay booked.")

        self._ctx.runner.run(lambda: pools.remove_member(pool.id, member_id, actor=actor),
                             origin=self, on_done=left, on_refused=self._refused)  # fmt: skip

    def dissolve(self) -> None:
        pool = self.pool
        if pool is None:
            return
        if not self._confirm(
            "Dissolve the shared pool",
            f"Dissolve {pool.name}? Every open credit of the pool goes back to the member who "
            "bought it, and nobody books from the pool any more. Sessions it already paid "
            "for stay as they are.",
        ):
            return
        pools, actor = self._ctx.services.pools, self._ctx.actor

        def dissolved(result: PoolDissolved) -> None:
            back = _plural(result.credits_returned, "credit")
            lots = _plural(result.lots_returned, "lot")
            self.report(f"Dissolved {pool.name}: {back} ({lots}) went back to their buyers.")

        self._ctx.runner.run(lambda: pools.dissolve(pool.id, actor=actor),
                             origin=self, on_done=dissolved, on_refused=self._refused)  # fmt: skip

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def _refused(self, exc: DeskError) -> None:
        self._say(exc.message, error=True)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b42318;" if error else "color: #067647;")
        self.message.setText(text)
        self.message.show()
