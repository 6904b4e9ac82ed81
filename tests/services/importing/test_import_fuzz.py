"""Whatever a file holds, the importer answers with a report or a ValidationError, and
writes either nothing or exactly the rows its report says it wrote."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from desk.db import Database
from desk.services.container import Services
from desk.services.core.errors import ValidationError
from desk.services.importing.report import ImportOptions, ImportReport
from tests.actors import SYSTEM
from tests.services.importing.import_gym import counts, seed_gym

FUZZ = settings(
    max_examples=150,
    deadline=None,
    # One database per test function; each example compares counts before and after.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

HEADERS = [
    "Client", "Client Name", "Name", "First Name", "Last Name", "Email", "E-mail",
    "Email Address", "Client ID", "Member ID", "Phone", "Mobile", "Service", "Pricing Option",
    "Appointment Type", "Credits", "Remaining", "Sessions Remaining", "Expiration", "Expires",
    "Expiry", "Price", "Amount Paid", "Notes", "Comment", "", " ", "Unknown", "ID", "Type",
]  # fmt: skip
NASTY = [
    "'; DROP TABLE members; --", 'Robert"); DELETE FROM credit_lots;--', "%", "_", "\\", "\\N",
    "NULL", "null", "0x00", "\x00", "\x07", "\u200f", "\u202e", "\ufeff", "🏋️‍♀️", "💪🏽",
    "محمد علي", "שרה כהן", "Zoë Müller", "Müller, Zoë", "ZOË MÜLLER", "Ann Smith",
    "ann.smith@example.com", "zoe.muller@example.com", "PP-1002", "MB-100", "Sports Massage",
    "personal  training 60", "Small Group PT", "Aqua Aerobics", "1", "5", "1000", "1001", "0",
    "-2", "2.0", "2.5", "abc", "9" * 30, "9" * 5000, "1e308", "NaN", "inf", "$1,200.00",
    "1.200,00 €", "€", "$", "2027-01-31", "2027-02-30", "31/01/2027", "01/31/2027", "03/04/2027",
    "12/31/99", "2025-12-31", "9999-99-99", "0000-00-00", "1/1/1", "   ", "", '"', '""', "a\nb",
    "a\r\nb", "x" * 300,
]  # fmt: skip

cell = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=20),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.from_regex(r"[A-Za-z][a-z]{0,8} [A-Z][a-z]{0,8}", fullmatch=True),
)
# A NUL byte is what the importer takes for a binary file (csv_file.decode: UTF-8 text
# never holds one; a workbook or a PDF does), so a file meant to be read as text has
# none; test_a_nul_cell_makes_a_plausible_file_binary keeps the case that failed.
text_cell = st.one_of(
    st.sampled_from([c for c in NASTY if "\x00" not in c]),
    st.text(alphabet=st.characters(exclude_characters="\x00"), max_size=20),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.from_regex(r"[A-Za-z][a-z]{0,8} [A-Z][a-z]{0,8}", fullmatch=True),
)


# Columns an import can map, with values that would pass for them.
COLUMNS = {
    "Client": ["Zoë Müller", "Müller, Zoë", "Ann Smith", "Liam O'Brien", "New Person", "محمد علي"],
    "Email": ["zoe.muller@example.com", "annie.s@example.com", "new@example.com", ""],
    "Member ID": ["PP-1002", "MB-100", "NEW-1", "'; --", ""],
    "First Name": ["Zoë", "Ben", "שרה"],
    "Last Name": ["Müller", "Okafor", "כהן"],
    "Service": ["Sports Massage", "small group pt", "Reformer 🧘"],
    "Pricing Option": ["Personal Training 60", "Sports Massage"],
    "Credits": ["1", "4", "10"],
    "Sessions Remaining": ["2", "3.0"],
    "Expires": ["", "2027-01-31", "31/01/2027", "12/31/2026", "2025-06-01"],
    "Price": ["", "0", "$1,200.00", "85", "1.200,00 €"],
    "Notes": ["", "paid cash", "two\nlines", "'VIP'; pays cash"],
}
MEMBER_COLUMNS = ["Client", "Email", "Member ID", "First Name", "Last Name"]


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """CSV-ish text: random delimiters, quoting, blank lines, line endings and encodings.

    Most files have a header the importer can map (so their rows get checked, and
    some get written); the rest have random headers."""
    # Separators the importer sniffs; a "|" or " " file is the random-bytes test's business.
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    if draw(st.integers(0, 4)) == 4:  # Hypothesis' simplest choice is the mappable one
        header = draw(
            st.lists(st.sampled_from(HEADERS) | st.text(max_size=12), min_size=1, max_size=8)
        )
    else:
        header = [
            draw(st.sampled_from(MEMBER_COLUMNS)),
            draw(st.sampled_from(["Service", "Pricing Option"])),
            draw(st.sampled_from(["Credits", "Sessions Remaining"])),
        ]
        header += draw(st.lists(st.sampled_from([*COLUMNS, *HEADERS]), max_size=4))
        header = draw(st.permutations(header))

    def value(column: str) -> str:
        if column in COLUMNS and draw(st.integers(0, 3)):
            return draw(st.sampled_from(COLUMNS[column]))
        return draw(cell)

    width = len(header)
    rows = draw(
        st.lists(
            st.integers(0, width + 2).map(
                lambda n: [value(header[i] if i < width else "") for i in range(n)]
            ),
            max_size=12,
        )
    )

    def render(cells: list[str], *, header: bool = False) -> str:
        out = []
        for text in cells:
            if draw(st.booleans()) or any(c in text for c in (delimiter, '"', "\n", "\r")):
                if not header and draw(st.integers(0, 19)) == 19:
                    out.append('"' + text)  # an unclosed quote now and then
                else:
                    out.append('"' + text.replace('"', '""') + '"')
            else:
                out.append(text)
        return delimiter.join(out)

    lines = [render(header, header=True)]
    for row in rows:
        if draw(st.integers(0, 5)) == 0:
            lines.append("")
        lines.append(render(row))
    text = newline.join(lines) + draw(st.sampled_from(["", newline, newline * 3]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    return text.encode(encoding, errors="replace")


options = st.builds(
    ImportOptions,
    encoding=st.sampled_from([None] * 8 + ["utf-8", "cp1252", "utf-16", "ascii"]),
    delimiter=st.sampled_from([None] * 8 + [",", ";", "\t", "|"]),
    mappings=st.sampled_from(
        [()] * 8 + [("Client=name",), ("Notes=ignore", "Pricing Option=appointment_type")]
    ),
    date_order=st.sampled_from([None, None, "mdy", "dmy"]),
    create_missing_members=st.booleans(),
    create_missing_types=st.booleans(),
)


def check_one_import(
    database: Database,
    services: Services,
    run: Callable[[bytes, ImportOptions], ImportReport],
    data: bytes,
    chosen: ImportOptions,
) -> ImportReport | None:
    """One import, checked: the report, or None when it raised ValidationError."""
    before = counts(database)
    try:
        report = run(data, chosen)
    except ValidationError:
        assert counts(database) == before
        return None
    after = counts(database)
    assert services.credits.verify_ledger() == []
    if not report.written:
        assert after == before
        assert report.batch_id is None
        return report
    assert report.ok
    assert report.to_import > 0
    assert report.batch_id is not None
    assert after["batches"] == before["batches"] + 1
    if report.kind == "credits":
        assert after["lots"] == before["lots"] + report.to_import
        assert after["entries"] == before["entries"] + report.to_import
        assert after["members"] == before["members"] + report.created_members
        assert after["types"] == before["types"] + len(report.created_types)
    else:
        assert after["members"] == before["members"] + report.to_import
        assert (after["lots"], after["types"]) == (before["lots"], before["types"])
    return report


@pytest.fixture
def gym_services(services: Services) -> Services:
    seed_gym(services)
    return services


@FUZZ
@given(data=st.binary(max_size=3000), chosen=options)
def test_random_bytes_as_a_credits_file(gym_services, database, data, chosen):
    check_one_import(
        database,
        gym_services,
        lambda d, o: gym_services.imports.import_credits(d, o, actor=SYSTEM).value,
        data,
        chosen,
    )


@FUZZ
@given(data=csv_files(), chosen=options)
def test_csv_like_credits_files(gym_services, database, data, chosen):
    check_one_import(
        database,
        gym_services,
        lambda d, o: gym_services.imports.import_credits(d, o, actor=SYSTEM).value,
        data,
        chosen,
    )


@FUZZ
@given(data=st.one_of(csv_files(), st.binary(max_size=2000)), chosen=options)
def test_csv_like_members_files(gym_services, database, data, chosen):
    member_options = ImportOptions(
        encoding=chosen.encoding,
        delimiter=chosen.delimiter,
        mappings=tuple(m for m in chosen.mappings if "appointment_type" not in m),
    )
    check_one_import(
        database,
        gym_services,
        lambda d, o: gym_services.imports.import_members(d, o, actor=SYSTEM).value,
        data,
        member_options,
    )


MEMBERS = [
    ("PP-1002", "Ben Okafor", "ben.okafor@example.com"),
    ("", "Ann Smith", "annie.s@example.com"),
    ("", "Müller, Zoë", ""),
    ("MB-100", "", ""),
    ("NEW-1", "New Person", "new@example.com"),  # needs --create-missing-members
    ("", "محمد علي", "mohammed@example.com"),  # needs --create-missing-members
]
TYPES = ["Sports Massage", "small group pt", "Personal Training 60", "Reformer 🧘"]


@st.composite
def plausible_rows(draw: st.DrawFn) -> list[list[str]]:
    """Rows that are valid more often than not, one field now and then made nasty."""
    rows = []
    for _ in range(draw(st.integers(1, 8))):
        row = [
            *draw(st.sampled_from(MEMBERS)),
            draw(st.sampled_from(TYPES)),
            draw(st.sampled_from(["1", "3", "10", "1000"])),
            draw(st.sampled_from(["", "2027-01-31", "2025-01-01", "12/31/2026"])),
            draw(st.sampled_from(["", "0", "$1,200.00", "85"])),
        ]
        if draw(st.integers(0, 5)) == 5:
            row[draw(st.integers(0, len(row) - 1))] = draw(text_cell)
        rows.append(row)
    return rows


def plausible_file(rows: list[list[str]]) -> bytes:
    header = "Client ID,Client,Email,Service,Credits,Expires,Price"
    lines = [header] + [
        ",".join(
            '"' + c.replace('"', '""') + '"' if any(x in c for x in ',"\r\n') else c for c in row
        )
        for row in rows
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


def test_a_nul_cell_makes_a_plausible_file_binary(gym_services, database):
    """The example the plausible-file strategy once drew (a NUL cell, from NASTY or
    st.text()): the importer refuses the file as binary, says how to save it as CSV,
    and writes nothing."""
    rows = [["PP-1002", "Ben Okafor", "ben.okafor@example.com", "Sports Massage", "1", "", ""]]
    assert gym_services.imports.import_credits(plausible_file(rows), actor=SYSTEM).value.written
    before = counts(database)
    for nul in ("\x00", "Ben\x00Okafor"):
        rows[0][1] = nul
        with pytest.raises(ValidationError, match="binary data, not text") as refused:
            gym_services.imports.import_credits(plausible_file(rows), actor=SYSTEM)
        assert refused.value.field == "file"
        assert 'save it as "CSV UTF-8"' in refused.value.message
    assert counts(database) == before


@FUZZ
@given(rows=plausible_rows(), create=st.booleans(), twice=st.booleans())
@example(  # a cell of control characters that aren't NUL: still text, still read
    rows=[["PP-1002", "\x07\x1b\x7f", "", "Sports Massage", "1", "", ""]], create=False, twice=False
)
def test_plausible_credit_files_import_whole_or_not_at_all(
    gym_services, database, rows, create, twice
):
    """Mostly-valid files: these do get written, so the "exactly what was reported" half
    of the property is exercised, and a second import of the same file writes nothing."""
    data = plausible_file(rows)
    chosen = ImportOptions(create_missing_members=create, create_missing_types=create)

    def run(d: bytes, o: ImportOptions) -> ImportReport:
        return gym_services.imports.import_credits(d, o, actor=SYSTEM).value

    first = check_one_import(database, gym_services, run, data, chosen)
    # A plain comma file with a header: it is always read, whatever its cells hold.
    assert first is not None
    assert first.delimiter == "comma"
    if twice:
        before = counts(database)
        again = run(data, chosen)
        assert counts(database) == before
        assert not again.written
        if again.ok:
            assert again.to_import == 0
            assert again.already_imported == first.to_import + first.already_imported
