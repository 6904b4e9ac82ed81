"""``desk import|export|backup|restore``: CSV files in and out, backups made and restored."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from desk.cli_common import _fail, _table
from desk.db import Database, DatabaseError
from desk.services.container import Services
from desk.services.core.actor import command_line
from desk.services.core.errors import DeskError, ValidationError
from desk.services.importing.report import ImportOptions, ImportReport, Remedy, RowStatus
from desk.services.records import backup_files
from desk.services.records.backup_service import BackupService
from desk.services.records.exports import write_import_report


def _import_options(args: argparse.Namespace) -> ImportOptions:
    delimiter = args.delimiter
    if delimiter in ("tab", "\\t"):
        delimiter = "\t"
    return ImportOptions(
        encoding=args.encoding,
        delimiter=delimiter,
        mappings=tuple(args.map),
        date_order=getattr(args, "date_order", None),
        create_missing_members=getattr(args, "create_missing_members", False),
        create_missing_types=getattr(args, "create_missing_types", False),
        dry_run=args.dry_run,
        type_map=tuple(getattr(args, "map_type", ())),
        source_system=getattr(args, "system", None),
        leave_out=tuple(getattr(args, "leave_out", ())),
    )


def _print_report(report: ImportReport, out: TextIO) -> int:
    print(
        f"{report.file_name}: {report.rows:,} rows "
        f"({report.encoding}, {report.delimiter}-separated)",
        file=out,
    )
    mapped = ", ".join(f"{field} <- {column!r}" for field, column in report.columns.items())
    print(f"Columns: {mapped}", file=out)
    if report.ignored_columns:
        ignored = ", ".join(repr(c) for c in report.ignored_columns)
        print(f"Ignored columns: {ignored}", file=out)
    if report.type_map:
        types = ", ".join(f"{k!r} -> {v!r}" for k, v in sorted(report.type_map.items()))
        print(f"Types ({report.source_system}): {types}", file=out)
    skipped = [
        (RowStatus.NOTHING_REMAINING, "row(s) with nothing remaining skipped"),
        (RowStatus.NOT_BOOKED, "past, attended or cancelled appointment(s) skipped"),
    ]
    for status, text in skipped:
        if report.count(status):
            print(f"{report.count(status):,} {text}.", file=out)
    for o in report.left_out:
        print(f"  left out: row {o.line}: {o.detail}", file=out)
    for problem in report.problems:
        remedy = f"; {CLI_REMEDIES[problem.remedy]}" if problem.remedy else ""
        print(f"  {problem.severity.value}: {problem}{remedy}", file=out)
    if not report.ok:
        print(
            f"{len(report.errors)} error(s): nothing was imported. Fix the file and run again.",
            file=out,
        )
        return 1
    if report.written:
        extra = []
        if report.created_members:
            extra.append(f"{report.created_members} new members")
        if report.created_types:
            extra.append(f"new types: {', '.join(report.created_types)}")
        more = f" ({'; '.join(extra)})" if extra else ""
        print(
            f"Imported {report.to_import:,} rows{more}; {report.already_imported:,} were already "
            f"imported. Import id {report.batch_id} (undo with 'desk import undo').",
            file=out,
        )
    elif report.rows == 0:
        print("The file has no rows to import.", file=out)
    elif report.to_import == 0:
        print(
            f"Nothing to import: all {report.already_imported:,} rows were already imported.",
            file=out,
        )
    else:
        print(
            f"Dry run: {report.to_import:,} rows would be imported, "
            f"{report.already_imported:,} were already imported. Nothing was written.",
            file=out,
        )
    return 0


# What settles a problem, said the command line's way (the wizard names its controls).
CLI_REMEDIES = {
    Remedy.DATE_ORDER: "choose with --date-order mdy or dmy",
    Remedy.CREATE_MEMBERS: "or use --create-missing-members",
    Remedy.CREATE_TYPES: 'map it with --map-type "NAME=DESK TYPE" or use --create-missing-types',
}


def _import(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    options = _import_options(args)
    run = {
        "members": services.imports.import_members,
        "credits": services.imports.import_credits,
        "appointments": services.imports.import_appointments,
    }[args.action]
    try:
        report = run(args.file, options, actor=command_line()).value
    except ValidationError as exc:
        if exc.field == "columns":
            hint = f"{exc.message.removesuffix('.')} with --map COLUMN=FIELD."
            raise ValidationError(exc.field, hint) from exc
        raise
    code = _print_report(report, out)
    if getattr(args, "report", None) is not None:
        count = write_import_report(args.report, report)
        print(f"What became of each of the {count:,} rows: {args.report}", file=out)
    return code


def _import_list(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    batches = services.imports.batches()
    if not batches:
        print("No imports yet.", file=out)
        return 0
    tz = services.clock.tz
    _table(
        out,
        ("Import id", "What", "File", "When", "Rows", "Status"),
        [
            (b.id, b.kind, b.file_name, b.created_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
             str(b.rows_imported), b.status)
            for b in batches
        ],
        right={4},
    )  # fmt: skip
    return 0


def _import_undo(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    batch = services.imports.undo(args.batch, actor=command_line()).value
    print(f"Undid the import of {batch.file_name} ({batch.rows_imported} rows).", file=out)
    return 0


def _export(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    write = {
        "members": services.exports.members,
        "credits": services.exports.credits,
        "appointments": services.exports.appointments,
    }[args.action]
    count = write(args.file)
    print(f"Wrote {count:,} {args.action} rows to {args.file}.", file=out)
    return 0


def _backup(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    target = services.backups.back_up_now(args.file, actor=command_line())
    print(f"Backed up {services.db.describe()} to {target}.", file=out)
    return 0


def _restore(url: str, file: Path, out: TextIO) -> int:
    try:
        db = Database(url)
    except DatabaseError as exc:
        return _fail(str(exc))
    try:
        result = BackupService(db).restore(file, actor=command_line())
    except DeskError as exc:
        return _fail(exc.message)
    finally:
        db.dispose()
    print(f"Restored {db.describe()} from {result.restored_from}.", file=out)
    print(backup_files.describe(result.checksum), file=out)
    if result.kept_aside is not None:
        print(f"The database as it was is kept in {result.kept_aside}.", file=out)
    return 0
