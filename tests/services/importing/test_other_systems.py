"""Exports shaped like other gym systems' own, each imported into the small gym.

The fixtures in tests/data/systems/ are written from general knowledge of how
these systems lay out their exports (header names, date and money formats,
"Last, First" names, phone formats), not copied from their help centres:
anonymised, a few rows each. Each test checks what arrives per member and type:
credits, their value to the cent and their expiry.
"""

from __future__ import annotations

from datetime import date

import pytest

from desk.services.core.ids import MemberId
from desk.services.credits.lot_value import value_of_credits
from desk.services.importing.report import RowStatus
from tests.services.importing.import_calls import import_credits, import_members

Arrived = set[tuple[str, str, int, int, date | None]]


def arrived(services, gym) -> Arrived:
    """(member, type, open credits, their value, expiry) of every lot with credits."""
    names = {gym.zoe: "zoe", gym.ben: "ben", gym.liam: "liam", gym.ann: "ann", gym.annie: "annie"}
    result: Arrived = set()
    for member_id, name in names.items():
        for lot in services.credits.lots(MemberId(member_id)):
            value = value_of_credits(lot.price_cents, lot.quantity, lot.remaining)
            result.add((name, lot.appointment_type, lot.remaining, value, lot.expires_on))
    return result


SYSTEMS = [
    (
        "mindbody_client_pricing_options.csv", "mindbody", {}, 1,
        {
            ("zoe", "Personal Training 60", 7, 476_00, date(2026, 12, 31)),
            ("liam", "Small Group PT", 13, 650_00, date(2027, 1, 15)),
        },
    ),
    (
        "pushpress_plans.csv", "pushpress", {}, 0,
        {
            ("ben", "Personal Training 60", 5, 450_00, date(2026, 10, 31)),
            ("liam", "Small Group PT", 2, 50_00, date(2026, 9, 15)),
        },
    ),
    (
        "pike13_passes.csv", "pike13", {}, 0,
        {
            ("ben", "Personal Training 60", 3, 225_00, date(2026, 11, 30)),
            ("annie", "Small Group PT", 4, 100_00, None),
        },
    ),
    (
        "glofox_credit_packs.csv", "glofox", {}, 0,
        {
            ("ben", "Personal Training 60", 4, 340_00, date(2026, 9, 30)),
            ("liam", "Small Group PT", 8, 224_00, date(2026, 12, 1)),
        },
    ),
    (
        "wellnessliving_purchase_options.csv", "wellnessliving", {}, 1,
        {("zoe", "Sports Massage", 2, 180_00, date(2027, 2, 28))},
    ),
    (
        "vagaro_packages.csv", "vagaro",
        {"type_map": ("Sports Massage 60 Min=Sports Massage",)}, 0,
        {
            ("zoe", "Sports Massage", 3, 270_00, date(2027, 3, 31)),
            ("ben", "Personal Training 60", 1, 95_00, None),
        },
    ),
    (
        "teamup_passes_cp1252.csv", "teamup", {}, 0,
        {
            ("zoe", "Small Group PT", 6, 90_00, date(2027, 1, 31)),
            ("ann", "Personal Training 60", 2, 100_00, date(2027, 3, 15)),
        },
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("file", "system", "options", "zero_rows", "expected"),
    SYSTEMS,
    ids=[s[1] for s in SYSTEMS],
)
def test_an_export_of_another_system_imports_to_the_cent(
    services, gym, file, system, options, zero_rows, expected
):
    # Mindbody's Liam has no email: "O'Brien, Liam" finds him by name.
    report = import_credits(services, f"systems/{file}", **options)

    assert report.errors == []
    assert report.written
    assert report.source_system == system
    assert report.count(RowStatus.NOTHING_REMAINING) == zero_rows
    assert arrived(services, gym) == expected


def test_a_vagaro_service_name_desk_lacks_stops_the_file_until_it_is_mapped(services, gym):
    report = import_credits(services, "systems/vagaro_packages.csv")

    assert [(p.row, p.value) for p in report.errors] == [(2, "Sports Massage 60 Min")]
    assert not report.written


def test_the_mapping_given_once_is_remembered_for_the_next_file_of_that_system(services, gym):
    import_credits(
        services, "systems/vagaro_packages.csv", type_map=("Sports Massage 60 Min=Sports Massage",)
    )
    march = services.imports.file_types(
        b"Customer ID,Package Name,Services Remaining,Email\n"
        b"V-88,Sports Massage 60 min,1,zoe.muller@example.com\n"
    )

    assert march.source_system == "vagaro"
    assert [(t.name, t.desk_type, t.mapped) for t in march.types] == [
        ("Sports Massage 60 min", "Sports Massage", True)
    ]


def test_an_unknown_header_set_says_which_column_was_taken_for_what(services, gym):
    report = import_credits(
        services,
        "Kunde,E-Mail,Leistung,Credits,Gültig bis,Filiale\n"
        "Zoë Müller,zoe.muller@example.com,Sports Massage,2,2027-01-31,Mitte\n".encode(),
        mappings=("Leistung=appointment_type",),
    )

    assert report.errors == []
    assert report.source_system == "other"
    assert report.columns == {
        "email": "E-Mail", "appointment_type": "Leistung", "quantity": "Credits",
    }  # fmt: skip
    assert report.ignored_columns == ["Kunde", "Gültig bis", "Filiale"]


@pytest.mark.parametrize("file", [s[0] for s in SYSTEMS], ids=[s[1] for s in SYSTEMS])
def test_the_same_exports_bring_their_people_in_as_members(services, file):
    report = import_members(services, f"systems/{file}")

    assert report.errors == []
    assert report.to_import == report.rows
    names = {m.full_name for m in services.members.summaries(range(1, 20))}
    assert names & {"Zoë Müller", "Ben Okafor", "Liam O'Brien", "Ann Smith"}
    assert not any("," in name for name in names)  # "Müller, Zoë" is split, not kept
