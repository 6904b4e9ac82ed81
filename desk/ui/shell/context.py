"""What every screen needs: the services, the change hub, who is at the desk."""

from __future__ import annotations

from dataclasses import dataclass, field

from desk.services.container import Services
from desk.services.core.actor import Actor
from desk.services.core.errors import PermissionDenied
from desk.services.core.ids import StaffId
from desk.services.core.permissions import Permission
from desk.ui.shell.change_hub import ChangeHub
from desk.ui.shell.operations import OperationRunner


@dataclass
class DeskContext:
    services: Services
    hub: ChangeHub
    staff_id: StaffId | None = field(default=None)
    """The staff member working the desk; recorded as "who" on every change."""
    runner: OperationRunner = field(init=False)
    """Where every write of the GUI runs (off the GUI thread, one at a time)."""

    def __post_init__(self) -> None:
        self.runner = OperationRunner(self.hub, self.hub)

    @property
    def actor(self) -> Actor:
        """Who the desk's writes act as. Raises PermissionDenied before anyone
        signed in: nothing is written as "nobody"."""
        if self.staff_id is None:
            raise PermissionDenied("No one is signed in: sign in to make changes.")
        return Actor.staff(self.staff_id)

    def can(self, permission: Permission) -> bool:
        """Whether the signed-in person may do this (asked of the services, which
        hold the role rules); False before anyone signs in."""
        if self.staff_id is None:
            return False
        return self.services.auth.can(self.actor, permission)
