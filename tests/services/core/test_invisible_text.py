"""Text of nothing but invisible characters is empty: a zero-width space is no note.

clean_text strips whitespace (Zs included) and format characters (Cf) at the ends,
so a "required" rule sees an empty value; inside the text they stay, where they
join emoji and letters.
"""

from __future__ import annotations

import pytest

from desk.services.container import Services
from desk.services.core.errors import PermissionDenied, ValidationError
from desk.services.core.ids import AppointmentTypeId, MemberId
from desk.services.core.validation import clean_text, is_blank
from tests.actors import SYSTEM, as_staff

INVISIBLE = {
    "zero-width space": "\u200b",
    "zero-width non-joiner": "\u200c",
    "zero-width joiner": "\u200d",
    "word joiner": "\u2060",
    "byte-order mark": "\ufeff",
    "no-break space": "\u00a0",
    "narrow no-break space": "\u202f",
    "ideographic space": "\u3000",
    "soft hyphen": "\u00ad",
    "left-to-right mark": "\u200e",
    "Hangul filler": "\u3164",
    "a mix, with tabs and line breaks": " \u200b\t\u00a0\n\ufeff\u2060 ",
    "tag characters only": "\U000e0067\U000e0062\U000e007f",
}
KEPT = {
    "ZWJ in an emoji sequence": "\U0001f469\u200d\U0001f4bb",
    "ZWJ between letters": "a\u200db",
    "ZWNJ inside a Persian word": "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
    "Scotland's flag (tag characters at the end)": (
        "Go \U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
    ),
    "Arabic number sign before digits": "\u0600\u0661\u0662",
    "an inner no-break space": "10\u00a0pack",
}


@pytest.mark.parametrize("text", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_invisible_only_text_is_empty(text: str) -> None:
    assert clean_text(text, "note") == ""
    assert is_blank(text)


@pytest.mark.parametrize("text", KEPT.values(), ids=KEPT.keys())
def test_inner_joiners_and_flags_are_kept(text: str) -> None:
    assert clean_text(text, "note") == text
    assert not is_blank(text)


def test_invisible_characters_at_the_ends_are_stripped() -> None:
    assert clean_text("\u200b\ufeffmigrated\u2060\u00a0", "note") == "migrated"
    assert (
        clean_text("\u200b\U0001f469\u200d\U0001f4bb\u200d", "note") == "\U0001f469\u200d\U0001f4bb"
    )
    # Tag characters hiding text after a letter are no flag: stripped.
    assert clean_text("ok\U000e0068\U000e0069\U000e007f", "note") == "ok"


def test_a_control_character_inside_is_still_refused() -> None:
    with pytest.raises(ValidationError, match="control characters"):
        clean_text("\u200bAnn\x00\u200b", "first_name")


# --- through the services ---------------------------------------------------------------------


@pytest.fixture
def desk(services: Services) -> dict[str, int]:
    owner = services.auth.create_owner(name="Dana Owner", username="dana", password="correct horse")
    front = services.staff.create(name="Frankie", role="front_desk", actor=SYSTEM).value
    kind = services.appointment_types.create(name="PT", duration_minutes=60, actor=SYSTEM).value
    member = services.members.create(first_name="Ann", last_name="Smith", actor=SYSTEM).value
    return {"owner": owner.value.id, "front": front.id, "type": kind.id, "member": member.id}


def add_free(services: Services, desk: dict[str, int], who: str, note: str):
    return services.credits.add_credits(
        member_id=MemberId(desk["member"]),
        appointment_type_id=AppointmentTypeId(desk["type"]),
        quantity=2,
        expires_on=None,
        note=note,
        actor=as_staff(desk[who]),
    ).value


@pytest.mark.parametrize("note", ["\u200b", "\ufeff\u2060", "\u00a0", "\u200c\u200d"])
def test_the_front_desk_cant_add_free_credits_with_an_invisible_note(
    services: Services, desk: dict[str, int], note: str
) -> None:
    with pytest.raises(PermissionDenied, match="Frankie"):
        add_free(services, desk, "front", note)
    assert services.credits.lots(MemberId(desk["member"]), include_expired=True) == []


def test_a_visible_note_with_invisible_ends_is_kept_clean(
    services: Services, desk: dict[str, int]
) -> None:
    lot = add_free(services, desk, "front", "\u200bmigrated from the old system\ufeff")
    assert lot.note == "migrated from the old system"
    # An owner may add $0 credits without a note; an invisible one is stored as none.
    assert add_free(services, desk, "owner", "\u200b").note == ""


def test_an_invisible_reason_is_no_reason(services: Services, desk: dict[str, int]) -> None:
    with pytest.raises(ValidationError, match="reason is required"):
        services.credits.adjust(
            member_id=MemberId(desk["member"]),
            appointment_type_id=AppointmentTypeId(desk["type"]),
            delta=1,
            reason="\u200b\u00a0",
            actor=SYSTEM,
        )
    with pytest.raises(ValidationError, match="needs a first or a last name"):
        services.members.create(first_name="\u200b", last_name="\u3164", actor=SYSTEM)
