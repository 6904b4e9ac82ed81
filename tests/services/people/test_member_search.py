"""Member search: any part of a name, email or phone, best matches first."""

from __future__ import annotations

import pytest

from desk.services.container import Services
from desk.services.core.ids import MemberId
from desk.services.core.read_models import MemberStatus
from tests.actors import SYSTEM
from tests.services.factories import give_credits, make_member, make_type


def names(services: Services, query: str) -> list[str]:
    return [m.full_name for m in services.members.search(query)]


@pytest.fixture
def people(services: Services) -> Services:
    make_member(services, "Ann", "Smith", email="ann.smith@example.com", phone="(555) 0142-77")
    make_member(services, "Anna", "Karenina", email="anna@trains.ru")
    make_member(services, "Joanne", "Baker", email="jo@bakery.com", phone="+1 212 555 9000")
    make_member(services, "Bob", "Smithers", email="bob@example.com")
    make_member(services, "Zed", "Ward", email="zed@zmail.com")
    return services


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Ann", {"Ann Smith", "Anna Karenina", "Joanne Baker"}),
        ("karen", {"Anna Karenina"}),
        ("SMITH", {"Ann Smith", "Bob Smithers"}),
        ("ithers", {"Bob Smithers"}),
        ("ann smi", {"Ann Smith"}),
        ("smith ann", {"Ann Smith"}),
        ("  Ann   SMITH  ", {"Ann Smith"}),
        ("bakery", {"Joanne Baker"}),
        ("BAKERY.COM", {"Joanne Baker"}),
        ("trains.ru", {"Anna Karenina"}),
        ("example.com", {"Ann Smith", "Bob Smithers"}),
        ("555-0142", {"Ann Smith"}),
        ("5550142", {"Ann Smith"}),
        ("(555) 014", {"Ann Smith"}),
        ("212-555", {"Joanne Baker"}),
        ("555", {"Ann Smith", "Joanne Baker"}),
        ("nobody", set()),
    ],
)
def test_search_finds_any_part_of_name_email_or_phone(
    people: Services, query: str, expected: set[str]
) -> None:
    assert set(names(people, query)) == expected


def test_exact_match_comes_before_prefix_before_substring(services: Services) -> None:
    make_member(services, "Joanne", "Baker")
    make_member(services, "Annabel", "Lee")
    make_member(services, "Ann", "Zimmer")
    make_member(services, "Hanna", "Abbott")
    found = names(services, "ann")
    assert found[0] == "Ann Zimmer"
    assert found[1] == "Annabel Lee"
    assert set(found[2:]) == {"Joanne Baker", "Hanna Abbott"}
    # Within one rank, by last name.
    assert found[2:] == ["Hanna Abbott", "Joanne Baker"]


def test_exact_phone_before_longer_phone(services: Services) -> None:
    make_member(services, "Long", "Number", phone="555-0142-99")
    make_member(services, "Exact", "Number", phone="555-0142")
    make_member(services, "Inner", "Number", phone="1-555-0142")
    assert names(services, "555 0142") == ["Exact Number", "Long Number", "Inner Number"]


# SQLite only: PostgreSQL's LIKE fallback in member_search matches one or two letters anywhere
# in a name (no prefix-only rule there yet).
@pytest.mark.sqlite_only
def test_one_and_two_letter_queries_match_prefixes(people: Services) -> None:
    assert set(names(people, "a")) == {"Ann Smith", "Anna Karenina"}
    assert set(names(people, "Z")) == {"Zed Ward"}
    assert set(names(people, "sm")) == {"Ann Smith", "Bob Smithers"}
    assert set(names(people, "jo")) == {"Joanne Baker"}
    # An email's start counts too: "bo" is Bob's first name and email.
    assert set(names(people, "bo")) == {"Bob Smithers"}
    assert names(people, "q") == []
    # Several short tokens must all appear.
    assert set(names(people, "an sm")) == {"Ann Smith"}
    assert set(names(people, "sm an")) == {"Ann Smith"}
    assert set(names(people, "jo ba")) == {"Joanne Baker"}
    assert names(people, "an zz") == []
    assert set(names(people, "joa b")) == {"Joanne Baker"}
    assert names(people, "ann z") == []


def test_empty_query_returns_nothing(people: Services) -> None:
    assert people.members.search("") == []
    assert people.members.search("   ") == []
    assert people.members.search("\t\n") == []


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"ann',
        "ann\"'",
        "%",
        "%%%",
        "_",
        "___",
        "a%",
        "%ann%",
        "a_n",
        "\\",
        "'; DROP TABLE members; --",
        "ann OR bob",
        "ann AND NOT",
        "NEAR(ann bob)",
        "*",
        "ann*",
        "name:ann",
        "phone : 555",
        "(",
        ")",
        "^ann",
        "{ann}",
        "[a-z]",
    ],
)
def test_metacharacters_neither_crash_nor_over_match(people: Services, query: str) -> None:
    found = people.members.search(query)
    assert len(found) < 5
    assert people.members.count() == 5


# SQLite only: PostgreSQL's LIKE fallback in member_search matches '%' anywhere
# in a name (no prefix-only rule there yet).
@pytest.mark.sqlite_only
def test_metacharacters_match_literally(services: Services) -> None:
    make_member(services, "Percy", "50%off", email="p_ercy@example.com")
    make_member(services, "Other", "Person", email="percy@example.com")
    make_member(services, "Quote", "O'Brien")
    assert names(services, "0%o") == ["Percy 50%off"]
    assert names(services, "%") == []
    assert names(services, "p_e") == ["Percy 50%off"]
    assert names(services, "y_e") == []
    assert names(services, "o'b") == ["Quote O'Brien"]
    assert names(services, "o'") == ["Quote O'Brien"]


def test_open_credits_column(services: Services, clock) -> None:
    pt = make_type(services, "Personal training")
    massage = make_type(services, "Massage")
    ann = make_member(services, "Ann", "Smith")
    make_member(services, "Ann", "None")
    give_credits(services, ann, pt, 3)
    give_credits(services, ann, massage, 2, expires_on=clock.now().date())
    by_name = {m.full_name: m for m in services.members.search("ann")}
    assert by_name["Ann Smith"].open_credits == 5
    assert by_name["Ann None"].open_credits == 0
    # After the massage credits' last day they are no longer open.
    clock.current = clock.current.replace(day=6)
    by_name = {m.full_name: m for m in services.members.search("ann")}
    assert by_name["Ann Smith"].open_credits == 3


def test_archived_members_sort_after_active_ones(services: Services) -> None:
    aaron = make_member(services, "Ann", "Aaron")
    make_member(services, "Ann", "Zimmer")
    services.members.archive(MemberId(aaron.id), actor=SYSTEM)
    found = services.members.search("ann")
    assert [m.full_name for m in found] == ["Ann Zimmer", "Ann Aaron"]
    assert [m.status for m in found] == [MemberStatus.ACTIVE, MemberStatus.ARCHIVED]


def test_search_follows_updates(services: Services) -> None:
    member = make_member(services, "Ann", "Smith", email="ann@example.com", phone="555-0142")
    services.members.update(
        MemberId(member.id), last_name="Jones", email="aj@mail.org", phone="777-1234", actor=SYSTEM
    )
    assert names(services, "smith") == []
    assert names(services, "example.com") == []
    assert names(services, "555-0142") == []
    assert names(services, "jones") == ["Ann Jones"]
    assert names(services, "mail.org") == ["Ann Jones"]
    assert names(services, "7771234") == ["Ann Jones"]
    assert names(services, "ann") == ["Ann Jones"]


def test_limit_caps_the_rows(services: Services) -> None:
    for i in range(12):
        make_member(services, "Ann", f"Smith{i:02d}")
    assert len(services.members.search("smith", limit=5)) == 5
    assert len(services.members.search("smith")) == 12
    assert len(services.members.search("smith", limit=0)) == 1
