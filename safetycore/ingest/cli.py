"""``python -m safetycore import FILE ...``: the command-line side of imports."""

from __future__ import annotations

import json
import time
from pathlib import Path

from safetycore import db
from safetycore.access import command_line_actor
from safetycore.errors import UsageError

REASON_TEXTS = {
    "unparseable_time": "time missing or not readable",
    "future_time": "time in the future",
    "implausible_time": "time before the earliest plausible date",
    "unknown_category": "category with no mapping",
    "outside_areas": "not in any of the areas (coordinates outside them, or an unknown area name)",
    "no_location": "no location",
    "bad_coordinates": "coordinates out of range",
    "not_incident": "not an incident",
    "outside_municipality": "outside the municipality",
    "bad_cost": "cost not readable as kronor (or negative, or over 100 million)",
    "unknown_involved": "involved group with no mapping",
    "bad_people": "number of people not readable",
}


def run_import(args) -> int:
    from safetycore.ingest import import_file

    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"No file {args.file}; give the path of the file to import.")
    if args.mapping and not Path(args.mapping).is_file():
        raise UsageError(f"No mapping file {args.mapping}.")
    # A missing database exits 2; one held by the dashboard exits 3 with a message that
    # points to the Data page, which imports through the dashboard's own connection.
    con = db.connect(args.db, create=False)
    started = time.perf_counter()
    try:
        result = import_file(
            con,
            path,
            command_line_actor(),
            fmt=args.format,
            mapping=args.mapping,
            source=args.source,
        )
    finally:
        con.close()
    seconds = time.perf_counter() - started
    if args.json:
        out = result.as_dict()
        out["seconds"] = round(seconds, 3)
        print(json.dumps(out, ensure_ascii=False))
        return 0
    print(
        f"Imported {path.name} as {result.format} (source {result.source}) into batch "
        f"{result.batch_id} in {seconds:.1f} s:"
    )
    print(
        f"  read {result.read:,}: imported {result.imported:,}, duplicates "
        f"{result.duplicates:,}, rejected {result.rejected:,}, skipped {result.skipped:,}"
    )
    for code, count in result.reasons.items():
        print(f"  {count:>8,}  {REASON_TEXTS.get(code, code)}")
    if result.rejected or result.skipped:
        print("  The refused rows and their reasons are on the Data page (downloadable as CSV).")
    return 0
