"""The button walk (tests/ui/button_walk.py) itself: it notices a button that does
nothing, and counts dialogs, Qt's own modal boxes and changed labels as effects."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QPushButton, QVBoxLayout

from tests.ui.button_walk import walk_buttons


def test_the_walk_names_the_button_that_does_nothing(qtbot, message_boxes):
    screen = QDialog()
    qtbot.addWidget(screen)
    label = QLabel("before", screen)
    buttons = {
        name: QPushButton(name, screen) for name in ("dead", "label", "question", "dialog", "hide")
    }
    buttons["label"].clicked.connect(lambda: label.setText("after"))
    buttons["question"].clicked.connect(lambda: QMessageBox.question(screen, "Sure?", "Sure?"))
    buttons["dialog"].clicked.connect(lambda: QDialog(screen).exec())
    revealed = QPushButton("revealed", screen)
    revealed.hide()
    buttons["hide"].clicked.connect(revealed.show)  # a button that appears is clicked too
    layout = QVBoxLayout(screen)
    layout.addWidget(label)
    for button in [*buttons.values(), revealed]:
        layout.addWidget(button)
    screen.show()
    walk = walk_buttons(screen, settle=lambda: None, messages=message_boxes)
    assert walk.clicked == ["dead", "label", "question", "dialog", "hide", "revealed"]
    assert walk.no_effect == ["dead", "revealed"]
    assert label.text() == "after"
