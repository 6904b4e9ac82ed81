"""`desk import ... --encoding NAME`: a name that isn't a text encoding is argparse's one-line
error with status 2 (like a bad number or choice), and nothing is read or written."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.cli import main

CSV = "member,type,quantity\r\nann@example.com,PT,3\r\n"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("undefined", "is not a text encoding"),
        ("punycode", "is not a text encoding"),
        ("rot13", "is not a text encoding"),
        ("base64", "is not a text encoding"),
        ("hex", "is not a text encoding"),
        ("zlib", "is not a text encoding"),
        ("unicode_escape", "is not a text encoding"),
        ("no-such-codec", "is not an encoding Desk knows"),
    ],
)
@pytest.mark.parametrize("what", ["credits", "members"])
def test_a_bad_encoding_is_one_line_with_status_2(
    capsys, db_url: str, tmp_path: Path, what: str, name: str, message: str
) -> None:
    file = tmp_path / "f.csv"
    file.write_text(CSV, encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["import", what, str(file), "--encoding", name, "--database", db_url])
    assert exit_info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"desk import {what}: error: argument --encoding: {name!r} {message}; choose one like "
        f"utf-8, cp1252 or utf-16. (see 'desk import {what} --help')\n"
    )
    assert "Traceback" not in err


def test_a_text_encoding_is_taken(capsys, db_url: str, tmp_path: Path) -> None:
    assert main(["demo", "--members", "5", "--database", db_url]) == 0
    file = tmp_path / "f.csv"
    file.write_bytes(CSV.encode("utf-16"))
    code = main(["import", "credits", str(file), "--encoding", "utf-16", "--dry-run",
                 "--database", db_url])  # fmt: skip
    out = capsys.readouterr().out
    assert "(utf-16, comma-separated)" in out
    assert code == 1  # the file's type and member aren't in the demo gym: read, not imported
