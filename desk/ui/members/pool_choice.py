""" "For the shared pool …": a check box on the Add Credits and Sell dialogs, shown when
the picked member is in a shared pool; checked, the credits become the pool's."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QWidget

from desk.services.core.ids import MemberId
from desk.ui.members.member_picker import MemberPicker
from desk.ui.shell.context import DeskContext


class PoolChoice(QCheckBox):
    def __init__(
        self, ctx: DeskContext, picker: MemberPicker | int, parent: QWidget | None
    ) -> None:
        """``picker``: the dialog's member field, or the one member it is for."""
        super().__init__(parent)
        self.setObjectName("forPoolCheck")
        self.setAccessibleName("For the shared pool")
        self._ctx = ctx
        self._pool_id: int | None = None
        if isinstance(picker, int):
            self._member_changed(picker)
            return
        picker.member_changed.connect(self._member_changed)
        self._member_changed(picker.member_id())

    def _member_changed(self, member_id: int | None) -> None:
        pool = self._ctx.services.pools.pool_of(MemberId(member_id)) if member_id else None
        self._pool_id = pool.id if pool else None
        self.setText(f"For the shared pool {pool.name} (any of its members can book)" if pool
                     else "")  # fmt: skip
        self.setChecked(False)
        self.setVisible(pool is not None)

    def pool_id(self) -> int | None:
        """The pool the credits go to (None: the member's own)."""
        return self._pool_id if self.isChecked() else None
