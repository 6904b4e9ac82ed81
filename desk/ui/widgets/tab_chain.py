"""Tab order in reading order where creation order differs from the layout."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtWidgets import QWidget


def tab_chain(*widgets: QWidget) -> None:
    """Tab goes from each widget to the next, in the order given."""
    for first, second in pairwise(widgets):
        QWidget.setTabOrder(first, second)
