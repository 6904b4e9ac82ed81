"""What tells one list-beside-a-form settings dialog from another."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecordListSpec:
    """A dialog's words, the object names tests find its widgets by, and its proportions.

    Accessible names of the checkbox and the New button are their texts without the
    ``&`` of the shortcut.
    """

    dialog_name: str
    title: str
    """The window title, also the accessible name of the dialog and of its table."""
    table_name: str
    table_min_width: int
    show_inactive: str
    show_inactive_name: str
    new_button: str
    new_button_name: str
    form_title_name: str
    new_title: str
    """The form's title while it holds a new record."""
    name_field_name: str
    name_error_name: str
    name_placeholder: str
    active: str
    active_name: str
    new_active_tip: str
    """Why Active can't be unticked on a new record."""
    form_error_name: str
    status_name: str
    save_name: str
    save_accessible: str
    deactivate_name: str
    deactivate_accessible: str
    deactivate_tip: str
    form_panel_name: str
    form_panel_min_width: int
    close_name: str
    stretch: tuple[int, int]
    """How the width is shared between the table and the form."""
    size: tuple[int, int]
    deactivated: str
    """The status after deactivating; ``{name}`` is the record's name."""
    hidden_hint: str
    """Added to the status when a saved record is inactive and inactive ones are hidden."""
    cannot_save: str
    cannot_deactivate: str
