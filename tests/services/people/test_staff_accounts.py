"""Staff sign-ins: namesakes, who can sign in, and the audit of sign-ins and locks."""

from __future__ import annotations

import pytest

from desk.services.core.actor import Actor
from desk.services.core.errors import AuthenticationFailed, PermissionDenied
from desk.services.core.ids import StaffId
from tests.actors import SYSTEM, as_staff


def test_namesakes_ignore_case_and_spaces(services):
    kim = services.staff.create(name="Kim Alvarez", role="coach", actor=SYSTEM).value
    services.staff.create(name="Kim Alvarado", role="coach", actor=SYSTEM)
    services.staff.deactivate(StaffId(kim.id), actor=SYSTEM)
    assert [s.id for s in services.staff.namesakes("  kim   ALVAREZ ")] == [kim.id]
    assert services.staff.namesakes("Kim") == []
    assert services.staff.namesakes("   ") == []


def test_only_staff_with_a_password_are_sign_in_names(services):
    owner = services.auth.create_owner(name="Dana", username="dana", password="a long password")
    coach = services.staff.create(name="Kim", role="coach", actor=SYSTEM).value
    assert services.staff.sign_in_names() == {owner.value.id: "dana"}
    services.auth.set_login(
        StaffId(coach.id), username="Kim", password="another password", actor=SYSTEM
    )
    assert services.staff.sign_in_names() == {owner.value.id: "dana", coach.id: "kim"}
    assert services.auth.sign_in("kim", "another password").id == coach.id


def test_sign_ins_are_audited_without_the_password(services):
    owner = services.auth.create_owner(name="Dana", username="dana", password="a long password")
    services.auth.sign_in("Dana", "a long password")
    with pytest.raises(AuthenticationFailed):
        services.auth.sign_in("dana", "wrong password 1")
    with pytest.raises(AuthenticationFailed):
        services.auth.sign_in(" Nobody ", "wrong password 2")
    ok = services.audit.events(action="staff.sign_in")
    assert [(e.actor, e.entity_id, e.after) for e in ok] == [
        ("Dana", owner.value.id, {"username": "dana"})
    ]
    failed = services.audit.events(action="staff.sign_in_failed")
    assert [(e.entity_id, e.after) for e in failed] == [
        (None, {"username": "Nobody"}),
        (owner.value.id, {"username": "dana"}),
    ]
    everything = repr(services.audit.events())
    assert "wrong password" not in everything
    assert "a long password" not in everything


def test_a_deactivated_account_can_not_sign_in_and_it_is_audited(services):
    coach = services.staff.create(name="Kim", role="coach", actor=SYSTEM).value
    services.auth.set_login(
        StaffId(coach.id), username="kim", password="kim's password", actor=SYSTEM
    )
    services.staff.deactivate(StaffId(coach.id), actor=SYSTEM)
    with pytest.raises(AuthenticationFailed):
        services.auth.sign_in("kim", "kim's password")
    assert [e.entity_id for e in services.audit.events(action="staff.sign_in_failed")] == [coach.id]


def test_locks_and_unlocks_are_audited_as_the_person_signed_in(services):
    owner = services.auth.create_owner(name="Dana", username="dana", password="a long password")
    dana = as_staff(owner.value.id)
    services.auth.record_lock(reason="Ctrl+L", actor=dana)
    services.auth.record_unlock(actor=dana)
    events = services.audit.events(action_prefix="desk.")
    assert [(e.action, e.actor, e.after) for e in events] == [
        ("desk.unlock", "Dana", None),
        ("desk.lock", "Dana", {"how": "Ctrl+L"}),
    ]


def test_an_inactive_account_can_not_unlock(services):
    coach = services.staff.create(name="Kim", role="coach", actor=SYSTEM).value
    services.staff.deactivate(StaffId(coach.id), actor=SYSTEM)
    with pytest.raises(PermissionDenied):
        services.auth.record_unlock(actor=Actor.staff(StaffId(coach.id)))
    assert services.audit.events(action="desk.unlock") == []
