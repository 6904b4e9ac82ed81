"""The import wizard's Types page: every type name a file uses, and where it goes."""

from __future__ import annotations

from collections import Counter
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from desk.db import Database
from desk.models import AppointmentType
from desk.services.importing.directory import text_key
from desk.services.importing.fields import (
    APPOINTMENT_FIELDS,
    CREDIT_FIELDS,
    map_columns,
    parse_overrides,
    require,
)
from desk.services.importing.import_run import load_source
from desk.services.importing.report import ImportOptions
from desk.services.importing.type_maps import (
    detect_system,
    parse_type_map,
    remembered,
    system_key,
)
from desk.services.importing.values import ValueProblem, is_zero_quantity, parse_quantity


@dataclass(frozen=True)
class FileType:
    """One distinct service or pricing-option name of a file."""

    name: str
    """As the file spells it (its first spelling)."""
    rows: int
    credits: int
    """The credits its rows carry (rows whose count can't be read add none)."""
    desk_type: str | None
    """The Desk type it goes to: mapped (given or remembered) or of the same name;
    None when Desk has no such type yet."""
    mapped: bool
    """True when ``desk_type`` comes from a mapping rather than the same name."""


@dataclass(frozen=True)
class FileTypes:
    source_system: str
    types: list[FileType]
    desk_types: list[str]
    """Every Desk appointment type, for choosing one."""


class FileTypesRead:
    """The Types page read of ImportService."""

    _db: Database

    def file_types(
        self,
        source: Path | bytes,
        options: ImportOptions = ImportOptions(),  # noqa: B008 - frozen, never mutated
        *,
        appointments: bool = False,
    ) -> FileTypes:
        """The distinct type names of a credits file (or, with ``appointments``, a
        bookings file, one credit a row) with their rows and credits,
        each with the Desk type it would go to (``options.type_map`` first, then
        what is remembered for the file's system, then the same name). Writes
        nothing. Raises ValidationError when the file can't be read, its columns
        can't be mapped or a --map-type pair is malformed."""
        table, _name = load_source(source, options)
        fields = APPOINTMENT_FIELDS if appointments else CREDIT_FIELDS
        mapping = map_columns(table.header, fields, parse_overrides(list(options.mappings), fields))
        require(mapping, [("appointment_type",)], "appointment type")
        system = system_key(options.source_system or detect_system(table.header))
        type_index = mapping.columns["appointment_type"]
        quantity_index = mapping.columns.get("quantity")
        left_out = {line for line, _why in options.leave_out}
        spelling: dict[str, str] = {}
        rows: Counter[str] = Counter()
        credits: Counter[str] = Counter()
        for line, cells in table.rows:
            if line in left_out or type_index >= len(cells) or not cells[type_index].strip():
                continue
            has_count = quantity_index is not None and quantity_index < len(cells)
            text = cells[quantity_index] if has_count and quantity_index is not None else ""
            if appointments:
                text = "1"  # each booking holds one credit
            if is_zero_quantity(text):
                continue  # skipped at import: it carries nothing to map
            raw = " ".join(cells[type_index].split())
            key = text_key(raw)
            spelling.setdefault(key, raw)
            rows[key] += 1
            with suppress(ValueProblem):  # the import reports it; here it adds no credits
                credits[key] += parse_quantity(text)
        with self._db.read() as session:
            names = sorted(session.scalars(select(AppointmentType.name)))
            given = parse_type_map(options.type_map)
            maps = {text_key(k): v for k, v in {**remembered(session, system), **given}.items()}
        by_key = {text_key(n): n for n in names}
        types = []
        for key in sorted(spelling):
            target = maps.get(key)
            desk = by_key.get(text_key(target)) if target else by_key.get(key)
            types.append(FileType(spelling[key], rows[key], credits[key], desk, target is not None))
        return FileTypes(system, types, names)
