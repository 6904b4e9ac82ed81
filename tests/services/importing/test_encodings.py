"""Only text encodings read an import file: Python's other codecs (bytes to bytes, text
to text, escapes, domain names) and unknown names are a clear error, never a traceback."""

from __future__ import annotations

import pytest

from desk.services.container import Services
from desk.services.core.errors import ValidationError
from desk.services.importing.csv_file import read_csv_bytes, text_encoding
from desk.services.importing.report import ImportOptions
from tests.actors import SYSTEM
from tests.services.importing.import_gym import DATA, counts, seed_gym

NOT_TEXT = [
    "undefined",  # Python calls it text; it refuses every byte
    "punycode",
    "idna",
    "unicode_escape",
    "raw_unicode_escape",
    "rot13",
    "base64",
    "hex",
    "zlib",
    "bz2",
    "uu",
    "quopri",
]
UNKNOWN = ["no-such-codec", "utf-9", "", "   "]
TEXT = ["utf-8", " UTF-8 ", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1", "ascii",
        "shift_jis", "iso8859-15", "mac_roman"]  # fmt: skip
CSV = b"Name,Email\r\nAnn Smith,ann@example.com\r\n"


@pytest.mark.parametrize("name", NOT_TEXT)
def test_a_codec_that_is_not_a_text_encoding_is_refused(name: str) -> None:
    with pytest.raises(ValidationError, match="is not a text encoding") as caught:
        text_encoding(name)
    assert caught.value.field == "encoding"
    assert repr(name) in caught.value.message
    with pytest.raises(ValidationError, match="is not a text encoding"):
        read_csv_bytes(CSV, encoding=name)


@pytest.mark.parametrize("name", UNKNOWN)
def test_an_unknown_encoding_is_refused(name: str) -> None:
    with pytest.raises(ValidationError, match="is not an encoding Desk knows") as caught:
        text_encoding(name)
    assert caught.value.field == "encoding"


@pytest.mark.parametrize("name", TEXT)
def test_text_encodings_read_the_file(name: str) -> None:
    assert text_encoding(name) == name.strip()
    table = read_csv_bytes(CSV.decode("ascii").encode(name.strip()), encoding=name)
    assert table.header == ["Name", "Email"]
    assert table.rows == [(2, ["Ann Smith", "ann@example.com"])]


@pytest.mark.parametrize("name", ["undefined", "punycode", "rot13", "base64", "no-such-codec"])
def test_the_importer_refuses_them_and_writes_nothing(services: Services, name: str) -> None:
    seed_gym(services)
    before = counts(services.db)
    for run in (services.imports.import_credits, services.imports.import_members):
        with pytest.raises(ValidationError) as caught:
            run(DATA / "pushpress_credits_cp1252.csv", ImportOptions(encoding=name), actor=SYSTEM)
        assert caught.value.field == "encoding"
        assert "\n" not in caught.value.message
    assert counts(services.db) == before
