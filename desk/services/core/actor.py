"""Who is acting: a signed-in staff member, or the system named for the audit log.

Every write service takes an ``Actor`` as a required keyword. There is no
"nobody" default: a call without one doesn't type-check and, if forced through
with ``None``, is refused (permissions.authorize fails closed).
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from desk.services.core.ids import StaffId


@dataclass(frozen=True, slots=True)
class Actor:
    """The staff member behind a change, or an explicit system actor.

    ``staff_id`` is None only for system actors, whose ``label`` says which part
    of Desk acted and for which operating-system user ("command line (os user
    maria)"); the audit log shows that label.
    """

    staff_id: StaffId | None
    label: str = ""

    @classmethod
    def staff(cls, staff_id: StaffId) -> Actor:
        return cls(staff_id)

    @classmethod
    def system(cls, what: str) -> Actor:
        """A system actor: ``what`` names the caller (the command line, start-up)."""
        return cls(None, f"{what} (os user {_os_user()})")

    @property
    def is_system(self) -> bool:
        return self.staff_id is None


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container, a service account)
        return "unknown"


def command_line() -> Actor:
    """The actor for ``desk`` commands run on the desk's own machine."""
    return Actor.system("command line")


def start_up() -> Actor:
    """The actor for the housekeeping Desk runs by itself (expiry at start-up)."""
    return Actor.system("Desk start-up")
