"""The booking dialog's "Book as unpaid": offered when sessions have no credit to pay
for them and the person signed in may book unpaid (unpaid_rule)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton

from desk.services.core.read_models import OccurrencePlan
from desk.ui.shell.context import DeskContext
from desk.ui.widgets.field_error import FieldError

NO_CREDIT_UNPAID = (
    "This member has no credit to pay for the session: book it as unpaid, or add credits first."
)


class UnpaidOffer:
    """The button and whether the next booking is to be unpaid (``wanted``)."""

    def __init__(
        self,
        dialog: QDialog,
        ctx: DeskContext,
        book_button: QPushButton,
        book: Callable[[], None],
        no_credit: FieldError,
    ) -> None:
        self._ctx = ctx
        self._no_credit = no_credit
        self._book_button = book_button
        self._book = book
        self.wanted = False
        self.button = QPushButton("Book as unpaid", dialog)
        self.button.setObjectName("bookUnpaidButton")
        self.button.setToolTip(
            "Book the sessions no credit covers as unpaid: the member's next credits "
            "of this type pay for them."
        )
        self.button.hide()
        box = book_button.parentWidget()
        if isinstance(box, QDialogButtonBox):
            box.addButton(self.button, QDialogButtonBox.ButtonRole.ActionRole)
        self.button.clicked.connect(self._clicked)
        book_button.pressed.connect(self._plain)  # the plain Book books paid sessions only

    def update(self, plans: Sequence[OccurrencePlan]) -> None:
        """Show the offer when some free session has no credit and the role may."""
        uncovered = sum(1 for p in plans if p.conflict is None and p.lot_id is None)
        if not uncovered or not self._ctx.services.unpaid.may_book_unpaid(self._ctx.actor):
            self.button.hide()
            return
        free = sum(1 for p in plans if p.conflict is None)
        self.button.setText("Book as unpaid" if free == 1 else f"Book {free} ({uncovered} unpaid)")
        self.button.setEnabled(True)
        self.button.show()
        if self._no_credit.text():  # "no credit to pay" (refresh cleared any other): say more
            self._no_credit.show_message(NO_CREDIT_UNPAID)

    def _plain(self) -> None:
        self.wanted = False

    def _clicked(self) -> None:
        self.wanted = True
        self.button.setEnabled(False)
        self._book_button.setEnabled(True)  # the booking step starts from an enabled Book
        self._book()
