"""Typed ids, so a member id can't be passed where a staff id is expected."""

from typing import NewType

MemberId = NewType("MemberId", int)
AppointmentTypeId = NewType("AppointmentTypeId", int)
StaffId = NewType("StaffId", int)
LotId = NewType("LotId", int)
AppointmentId = NewType("AppointmentId", int)
