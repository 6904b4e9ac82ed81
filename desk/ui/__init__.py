"""PySide6 widgets, dialogs and Qt models. Talks only to desk.services."""
