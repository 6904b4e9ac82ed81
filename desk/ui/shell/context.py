"""What every screen needs: the services, the change hub, who is at the desk."""

from __future__ import annotations

from dataclasses import dataclass, field

from desk.services.container import Services
from desk.services.core.ids import StaffId
from desk.ui.shell.change_hub import ChangeHub


@dataclass
class DeskContext:
    services: Services
    hub: ChangeHub
    staff_id: StaffId | None = field(default=None)
    """The staff member working the desk; recorded as "who" on every change."""
