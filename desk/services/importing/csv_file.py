"""Reading a CSV file the way spreadsheets and other gym systems write them.

Encoding: a byte-order mark wins (UTF-8, or UTF-16 as Excel's "Unicode Text"
writes it); text whose every other byte is zero is UTF-16 without one; otherwise
strict UTF-8; otherwise Windows-1252 (what Excel on Windows saves as "CSV"). Delimiter: the standard
library's csv.Sniffer restricted to comma, semicolon and tab, with a count of
the header line as the fallback. Quoted fields may hold newlines (CRLF and CR
become LF); blank lines and trailing empty columns are dropped. A leading
apostrophe that only guarded a formula-like cell ("'=x", "'+cmd", what Desk's
exports and many other systems write against formula injection) is taken off.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

from desk.services.core.errors import ValidationError

DELIMITERS = ",;\t"
MAX_BYTES = 200 * 1024 * 1024
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
# Codecs Python counts as text encodings that no spreadsheet saves a file in: they
# read backslash escapes or domain names, stand for a codec family, or refuse all.
_NOT_FILE_ENCODINGS = frozenset(
    {"undefined", "punycode", "idna", "unicode-escape", "raw-unicode-escape", "charmap"}
)
# What a CSV file of any real encoding holds: separators, quotes, line ends, a long run
# without a dot (domain-name codecs cap a label at 63 characters).
_SAMPLE = 'Name,Email;Note\t"Quoted"\r\n0123456789 AZ az @ . - _ / \\ + ~ ' + "x" * 70


@dataclass(frozen=True)
class CsvTable:
    """A file's header and rows, with what was detected to read it."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    """(line number in the file where the row starts, cells)."""
    encoding: str
    delimiter: str
    sha256: str

    @property
    def delimiter_name(self) -> str:
        return DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))


def text_encoding(name: str) -> str:
    """``name`` (stripped) when it is a text encoding a file can be saved in.

    Python's codecs also turn bytes into bytes (base64, hex, zlib), text into text
    (rot13) or text into escapes (unicode-escape): those are refused, as is an
    unknown name. Raises ValidationError (field "encoding") with the name.
    """
    wanted = name.strip()
    try:
        info = codecs.lookup(wanted)
    except LookupError:
        raise ValidationError(
            "encoding",
            f"{wanted!r} is not an encoding Desk knows; choose one like utf-8, cp1252 or utf-16.",
        ) from None
    if not info._is_text_encoding or info.name in _NOT_FILE_ENCODINGS or not _reads_back(info):
        raise ValidationError(
            "encoding",
            f"{wanted!r} is not a text encoding; choose one like utf-8, cp1252 or utf-16.",
        )
    return wanted


def _reads_back(info: codecs.CodecInfo) -> bool:
    """Whether the sample comes back unchanged, read at once and a byte at a time."""
    try:
        data = info.encode(_SAMPLE)[0]
        decoder = info.incrementaldecoder()
        pieces = [decoder.decode(data[i : i + 1]) for i in range(len(data))]
        pieces.append(decoder.decode(b"", final=True))
        return info.decode(data)[0] == _SAMPLE == "".join(pieces)
    except (UnicodeError, LookupError, TypeError, ValueError):
        return False


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The text and the encoding used. Raises ValidationError if it can't be decoded or
    ``encoding`` is not a text encoding (see ``text_encoding``)."""
    if encoding:
        encoding = text_encoding(encoding)
        try:
            return data.decode(encoding), encoding
        except UnicodeError as exc:
            raise ValidationError(
                "encoding", f"The file can't be read as {encoding}: {exc}."
            ) from exc
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    utf16 = _utf16_kind(data)
    if utf16 is not None:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError as exc:
            raise ValidationError(
                "encoding",
                f"The file looks like UTF-16 text but byte {exc.start} isn't valid UTF-16; "
                "save it again as CSV UTF-8.",
            ) from exc
    if b"\x00" in data[:65536]:
        # UTF-8 accepts NUL bytes, so a binary file (a workbook saved as .xlsx, a
        # PDF) would "decode" into nonsense rows: say what it is instead.
        raise ValidationError(
            "file",
            "The file holds binary data, not text: in the spreadsheet, save it as "
            '"CSV UTF-8" (or CSV) and import that file.',
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # cp1252 leaves 5 bytes undefined; latin-1 is the last resort that never fails.
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            return data.decode("latin-1"), "latin-1"


def _unguarded(cell: str) -> str:
    if len(cell) > 1 and cell[0] == "'" and cell[1] in "=@+-\t\r":
        return cell[1:]
    return cell


def _utf16_kind(data: bytes) -> str | None:
    """ "utf-16" for a UTF-16 byte-order mark, "utf-16-le"/"-be" for BOM-less UTF-16
    text (ASCII-heavy, as headers and names are: a zero in every other byte)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    zero_odd = sample[1 : pairs * 2 : 2].count(0)
    zero_even = sample[0 : pairs * 2 : 2].count(0)
    if zero_odd >= 0.6 * pairs and zero_even == 0:
        return "utf-16-le"
    if zero_even >= 0.6 * pairs and zero_odd == 0:
        return "utf-16-be"
    return None


def sniff_delimiter(text: str) -> str:
    sample = text[: 64 * 1024]
    # A header naming its columns with one candidate separator settles it: the
    # Sniffer's guess from quotes can be fooled by a cell like 'A1';x in the data.
    header = next((line for line in sample.split("\n") if line.strip()), "")
    in_header = [d for d in DELIMITERS if d in header]
    if len(in_header) == 1:
        return in_header[0]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first_line = sample.splitlines()[0] if sample else ""
        counts = {d: first_line.count(d) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def read_csv_bytes(
    data: bytes, *, encoding: str | None = None, delimiter: str | None = None
) -> CsvTable:
    """Parse CSV bytes. Raises ValidationError for an empty or unreadable file."""
    import hashlib

    if len(data) > MAX_BYTES:
        raise ValidationError("file", "The file is larger than 200 MB; split it first.")
    text, used = decode(data, encoding)
    if not text.strip():
        raise ValidationError("file", "The file is empty.")
    if delimiter is not None and (len(delimiter) != 1 or delimiter in '"\r\n'):
        raise ValidationError("delimiter", f"{delimiter!r} can't be a delimiter; use , ; or tab.")
    # Excel writes CRLF, also inside quoted cells; a note keeps "\n" like a typed one.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    sep = delimiter or sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, quotechar='"', strict=False)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    try:
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            while cells and not cells[-1].strip():
                cells.pop()
            if not cells:
                continue
            if header is None:
                header = [c.strip() for c in cells]
                continue
            rows.append((line, [_unguarded(c) for c in cells]))
    except csv.Error as exc:
        raise ValidationError(
            "file", f"Line {reader.line_num}: the file isn't valid CSV ({exc})."
        ) from exc
    if header is None:
        raise ValidationError("file", "The file has no header line.")
    return CsvTable(header, rows, used, sep, hashlib.sha256(data).hexdigest())


def read_csv(path: Path, *, encoding: str | None = None, delimiter: str | None = None) -> CsvTable:
    """Read a CSV file from disk. Raises ValidationError if it can't be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError("file", f"Can't read {path}: {exc.strerror or exc}.") from exc
    return read_csv_bytes(data, encoding=encoding, delimiter=delimiter)
