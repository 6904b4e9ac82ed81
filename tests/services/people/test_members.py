"""Members: create, update, archive, reactivate, look up, and the audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desk.services.container import Services
from desk.services.core.errors import AmbiguousReference, InvalidState, NotFound, ValidationError
from desk.services.core.ids import MemberId
from desk.services.core.read_models import MemberStatus
from tests.actors import SYSTEM, as_staff
from tests.services.factories import make_member


def test_create_cleans_and_returns_the_member(services: Services, clock) -> None:
    outcome = services.members.create(
        first_name="  Ann ",
        last_name="Smith",
        email="Ann.Smith@Example.COM",
        phone="(555) 0142-77",
        notes="Knee injury in 2024",
        external_id="PP-1001",
        actor=SYSTEM,
    )
    member = outcome.value
    assert member.full_name == "Ann Smith"
    assert member.email == "ann.smith@example.com"
    assert member.phone == "(555) 0142-77"
    assert member.status == MemberStatus.ACTIVE
    assert member.external_id == "PP-1001"
    assert member.created_at == clock.now()
    assert outcome.changes.members == {member.id}
    assert services.members.get(MemberId(member.id)) == member


def test_a_member_needs_only_one_name(services: Services) -> None:
    assert (
        services.members.create(first_name="", last_name="Cher", actor=SYSTEM).value.full_name
        == "Cher"
    )
    with pytest.raises(ValidationError) as error:
        services.members.create(first_name="  ", last_name="", actor=SYSTEM)
    assert error.value.field == "first_name"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"email": "ann@example"}, "email"),
        ({"email": "ann smith@example.com"}, "email"),
        ({"email": "a@b@example.com"}, "email"),
        ({"phone": "555-01"}, "phone"),
        ({"phone": "call me"}, "phone"),
        ({"phone": "1234567890123456"}, "phone"),
        ({"first_name": "A" * 101}, "first_name"),
        ({"last_name": "Smith\x00"}, "last_name"),
    ],
)
def test_create_refuses_bad_values_naming_the_field(
    services: Services, fields: dict[str, str], field: str
) -> None:
    values = {"first_name": "Ann", "last_name": "Smith", **fields}
    with pytest.raises(ValidationError) as error:
        services.members.create(**values, actor=SYSTEM)
    assert error.value.field == field
    assert error.value.message
    assert services.members.count() == 0


def test_duplicate_external_id_is_refused_on_create_and_update(services: Services) -> None:
    first = make_member(services, external_id="PP-1")
    other = make_member(services, "Bob", "Jones", external_id="PP-2")
    with pytest.raises(ValidationError) as error:
        make_member(services, "Cara", "Lee", external_id="PP-1")
    assert error.value.field == "external_id"
    assert f"#{first.id}" in error.value.message
    with pytest.raises(ValidationError) as error:
        services.members.update(MemberId(other.id), external_id="PP-1", actor=SYSTEM)
    assert error.value.field == "external_id"
    assert services.members.get(MemberId(other.id)).external_id == "PP-2"
    # Keeping one's own external id is not a duplicate.
    services.members.update(MemberId(first.id), external_id="PP-1", notes="same id", actor=SYSTEM)
    assert services.members.count() == 2


def test_update_changes_only_the_given_fields(services: Services, clock) -> None:
    member = make_member(services, email="ann@example.com", phone="555-014-2777")
    clock.current += timedelta(hours=1)
    updated = services.members.update(MemberId(member.id), last_name="Jones", actor=SYSTEM).value
    assert updated.full_name == "Ann Jones"
    assert updated.email == "ann@example.com"
    assert updated.phone == "555-014-2777"
    assert updated.updated_at == clock.now()
    assert updated.created_at == member.created_at
    cleared = services.members.update(MemberId(member.id), email=None, phone="", actor=SYSTEM).value
    assert cleared.email is None
    assert cleared.phone is None
    assert services.members.search("5550142") == []


def test_update_with_a_bad_value_changes_nothing(services: Services) -> None:
    member = make_member(services, email="ann@example.com")
    with pytest.raises(ValidationError) as error:
        services.members.update(MemberId(member.id), first_name="Annie", email="nope", actor=SYSTEM)
    assert error.value.field == "email"
    assert services.members.get(MemberId(member.id)) == member


def test_unknown_member_is_not_found(services: Services) -> None:
    with pytest.raises(NotFound):
        services.members.get(MemberId(999))
    with pytest.raises(NotFound):
        services.members.update(MemberId(999), first_name="X", actor=SYSTEM)
    with pytest.raises(NotFound):
        services.members.archive(MemberId(999), actor=SYSTEM)


def test_archive_and_reactivate(services: Services) -> None:
    member = make_member(services)
    archived = services.members.archive(MemberId(member.id), actor=SYSTEM)
    assert archived.value.status == MemberStatus.ARCHIVED
    assert archived.changes.members == {member.id}
    with pytest.raises(InvalidState, match="already archived"):
        services.members.archive(MemberId(member.id), actor=SYSTEM)
    assert (
        services.members.reactivate(MemberId(member.id), actor=SYSTEM).value.status
        == MemberStatus.ACTIVE
    )
    with pytest.raises(InvalidState, match="already active"):
        services.members.reactivate(MemberId(member.id), actor=SYSTEM)
    assert services.members.get(MemberId(member.id)).status == MemberStatus.ACTIVE


def test_resolve_by_id_hash_id_email_and_external_id(services: Services) -> None:
    ann = make_member(services, email="ann@example.com", external_id="PP-77")
    bob = make_member(services, "Bob", "Jones", email="bob@example.com")
    assert services.members.resolve(str(ann.id)).id == ann.id
    assert services.members.resolve(f"#{bob.id}").id == bob.id
    assert services.members.resolve(f"  #{bob.id} ").id == bob.id
    assert services.members.resolve("ANN@example.com").id == ann.id
    assert services.members.resolve("PP-77").id == ann.id


def test_resolve_refuses_ambiguous_and_unknown_references(services: Services) -> None:
    make_member(services, "Ann", "Smith", email="family@example.com")
    make_member(services, "Tom", "Smith", email="family@example.com")
    with pytest.raises(AmbiguousReference, match="member id"):
        services.members.resolve("family@example.com")
    for reference in ("#999", "999", "nobody@example.com", "PP-0", "", "   "):
        with pytest.raises(NotFound):
            services.members.resolve(reference)


def test_find_by_email_is_case_insensitive_and_lists_every_holder(services: Services) -> None:
    ann = make_member(services, "Ann", "Smith", email="family@example.com")
    tom = make_member(services, "Tom", "Smith", email="Family@Example.com")
    make_member(services, "Bob", "Jones", email="bob@example.com")
    found = services.members.find_by_email(" FAMILY@example.com ")
    assert sorted(m.id for m in found) == [ann.id, tom.id]
    assert services.members.find_by_email("") == []
    assert services.members.find_by_email("none@example.com") == []


def test_every_change_writes_an_audit_event(services: Services, clock) -> None:
    staff = services.staff.create(name="Dana", role="admin", actor=SYSTEM).value
    member = services.members.create(
        first_name="Ann", last_name="Smith", email="ann@example.com", actor=as_staff(staff.id)
    ).value
    clock.current += timedelta(minutes=1)
    services.members.update(MemberId(member.id), last_name="Jones", actor=as_staff(staff.id))
    clock.current += timedelta(minutes=1)
    services.members.archive(MemberId(member.id), actor=SYSTEM)
    clock.current += timedelta(minutes=1)
    services.members.reactivate(MemberId(member.id), actor=SYSTEM)
    # An update that changes nothing leaves no trace.
    services.members.update(MemberId(member.id), last_name="Jones", actor=SYSTEM)

    events = services.audit.events(member_id=member.id)
    assert [e.action for e in events] == [
        "member.reactivate",
        "member.archive",
        "member.update",
        "member.create",
    ]
    reactivate, archive, update, create = events
    assert create.before is None
    assert create.after is not None
    assert create.after["last_name"] == "Smith"
    assert create.after["email"] == "ann@example.com"
    assert create.actor == "Dana"
    assert update.before == {"last_name": "Smith"}
    assert update.after == {"last_name": "Jones"}
    assert update.actor == "Dana"
    assert archive.before == {"status": "active"}
    assert archive.after == {"status": "archived"}
    assert reactivate.before == {"status": "archived"}
    assert reactivate.after == {"status": "active"}
    assert reactivate.actor == SYSTEM.label
    assert all(e.entity == "member" and e.entity_id == member.id for e in events)
    assert events[0].at > events[-1].at


def test_a_refused_change_writes_no_audit_event(services: Services) -> None:
    member = make_member(services)
    with pytest.raises(ValidationError):
        services.members.update(MemberId(member.id), phone="12", actor=SYSTEM)
    with pytest.raises(InvalidState):
        services.members.reactivate(MemberId(member.id), actor=SYSTEM)
    assert [e.action for e in services.audit.events(member_id=member.id)] == ["member.create"]
