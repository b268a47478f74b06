"""The command line: ``python -m safetycore {demo,init,info,...}``.

Exit codes: 0 success, 2 bad usage or unreadable input, 3 the database is held by another
process (usually the running dashboard), 4 a fetch must wait (the API's limits or back-off).
While the dashboard holds the database, the read-only commands are answered by it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

from safetycore import db, queries
from safetycore.errors import UsageError

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_BUSY = 3
EXIT_WAIT = 4
# Read-only commands that the running dashboard answers when it holds the database (by
# command name; the function is the one the parser sets), see serve_command and safetycore/jobs.py.
SERVED_WHEN_HELD = ("info", "report", "situation")


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse exits with 2 as well; keep its message short and clear
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-20") from exc


def _positive_int(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from exc
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _remove_existing(path: str, force: bool) -> None:
    if not db.is_local_path(path) or not Path(path).exists():
        return
    if not force:
        raise UsageError(f"{path} already exists; add --force to replace it.")
    _check_not_held(path)
    Path(path).unlink()
    Path(path + ".wal").unlink(missing_ok=True)


def _check_not_held(path: str) -> None:
    """Raise DatabaseBusy if another process holds the file, before we delete or rebuild it."""
    con = db.connect(path, read_only=True, create=False)
    con.close()


def cmd_demo(args) -> int:
    from safetycore.demo import build_demo

    _remove_existing(args.db, args.force)
    started = time.perf_counter()
    summary = build_demo(args.db, incidents=args.incidents, seed=args.seed, end=args.end)
    seconds = time.perf_counter() - started
    print(
        f"Built the demo database {args.db}: {summary['incidents']:,} incidents in "
        f"{summary['areas']} areas, ending {summary['end']} (seed {summary['seed']}), "
        f"in {seconds:.1f} s."
    )
    return EXIT_OK


def _init_areas(args) -> tuple[list, str, str]:
    """The areas, the municipality's name and code for ``init`` (see the README)."""
    from safetycore import geo

    names = geo.municipality_names()
    code = args.municipality or ""
    if code and code not in names:
        raise geo.AreaConfigError(
            f"No Swedish municipality has the code {code!r}; use a four-digit kommunkod "
            "such as 0188 (Norrtälje) or 0180 (Stockholm)."
        )
    if not args.areas:
        areas = geo.municipality_areas(code)
        return areas, areas[0].name, code
    area_file = geo.read_area_file(args.areas)
    options = {
        "area_property": args.area_property,
        "group_property": args.group_property,
        "population_property": args.population_property,
    }
    if not code:  # which municipality the areas lie in, if a Swedish one
        sketch = geo.areas_from_file(area_file, **options, default_group="-")
        code = geo.municipality_at(sketch) or ""
    label = names[code] if code else Path(args.areas).stem
    areas = geo.areas_from_file(area_file, **options, default_group=label)
    return geo.with_bundled_aliases(areas, code), label, code


def cmd_init(args) -> int:
    from safetycore import geo
    from safetycore.taxonomy import seed_taxonomy

    if not args.areas and not args.municipality:
        raise UsageError("Say which municipality: --municipality KOMMUNKOD, --areas FILE, or both.")
    for flag in ("area_property", "group_property", "population_property"):
        if getattr(args, flag) and not args.areas:
            raise UsageError(f"--{flag.replace('_', '-')} applies to --areas FILE only.")
    try:
        areas, label, code = _init_areas(args)
    except geo.AreaConfigError as exc:
        raise UsageError(str(exc)) from exc
    groups = len({a.area_group_id for a in areas})
    if args.areas and not args.force and db.db_exists(args.db):
        return _init_existing(args, areas, label, code, groups)
    _remove_existing(args.db, args.force)
    con = db.connect(args.db)
    try:
        with db.transaction(con) as cur:
            seed_taxonomy(cur)
            geo.write_areas(cur, areas)
            db.meta_set(cur, "municipality", label)
            db.meta_set(cur, "municipality_code", code)
            db.meta_set(cur, "timezone", "Europe/Stockholm")
            db.meta_set(cur, "demo", "false")
    finally:
        con.close()
    known = (
        f" ({code})" if code else " (not a Swedish municipality: police events are not filtered)"
    )
    print(
        f"Created {args.db} for {label}{known}: {groups} area groups, {len(areas)} areas, "
        "no events yet."
    )
    return EXIT_OK


def _init_existing(args, areas, label: str, code: str, groups: int) -> int:
    """``init --areas FILE --db EXISTING``: the existing database takes the new areas and keeps
    its events, placed again in the new areas."""
    from safetycore.access import command_line_actor
    from safetycore.area_admin import replace_areas
    from safetycore.taxonomy import seed_taxonomy

    con = db.connect(args.db, create=False)
    try:
        cur = con.cursor()
        old_code = db.meta_get(cur, "municipality_code") or ""
        old_name = db.meta_get(cur, "municipality") or ""
        cur.close()
        if args.municipality and old_code and old_code != args.municipality:
            raise UsageError(
                f"{args.db} is the database of {old_name} ({old_code}), not {label} "
                f"({args.municipality}); add --force to start a new, empty database instead."
            )
        if not args.municipality and old_code:
            # The database's own municipality: its name for the single group, its code kept.
            from safetycore import geo

            label, code = old_name, old_code
            areas = geo.with_bundled_aliases(
                geo.areas_from_file(
                    geo.read_area_file(args.areas),
                    area_property=args.area_property,
                    group_property=args.group_property,
                    population_property=args.population_property,
                    default_group=label,
                ),
                code,
            )
            groups = len({a.area_group_id for a in areas})
        with db.transaction(con) as cur:
            seed_taxonomy(cur)
        outcome = replace_areas(
            con, command_line_actor(), areas, municipality=label, municipality_code=code
        )
    finally:
        con.close()
    p = outcome.placed
    print(
        f"Gave {args.db} ({label}) {groups} area groups and {len(areas)} areas; its events were "
        f"placed again: {p['by_point']:,} by their point, {p['by_area_name']:,} by the area they "
        f"name, {p['by_locality']:,} by the locality they name, {p['at_centre']:,} at the "
        f"municipality's centre, {p['outside']:,} outside every area."
    )
    if outcome.kept_groups:
        print(
            f"Kept the area groups {', '.join(outcome.kept_groups)}: actions or ratings belong "
            "to them."
        )
    return EXIT_OK


def database_info(con) -> dict:

    counts = {table: int(n) for table, n in queries.run(con, "info_counts").itertuples(index=False)}
    cur = con.cursor()
    first, last = queries.execute(cur, "main_incident_span").fetchone()
    return {
        "municipality": db.meta_get(cur, "municipality"),
        "demo": db.meta_get(cur, "demo") == "true",
        "schema_version": int(db.meta_get(cur, "schema_version") or 0),
        "data_version": db.data_version(cur),
        "counts": counts,
        "first_event": first.isoformat() if first else None,
        "last_event": last.isoformat() if last else None,
    }


def cmd_info(args) -> int:
    con = db.connect(args.db, read_only=True, create=False)
    try:
        info = database_info(con)
    finally:
        con.close()
    info["db"] = args.db
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"Database:       {args.db}{'  (synthetic demo data)' if info['demo'] else ''}")
    print(f"Municipality:   {info['municipality']}")
    print(f"Schema version: {info['schema_version']}   data version: {info['data_version']}")
    print(f"Events:         {info['first_event'] or '-'} .. {info['last_event'] or '-'}")
    for table, count in info["counts"].items():
        print(f"  {table:<15} {count:>12,}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m safetycore", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def add_db(p):
        p.add_argument(
            "--db",
            default=db.default_db_path(),
            help="database file (default: $SAFETY_DB, else data/safety.duckdb)",
        )

    demo = sub.add_parser("demo", help="build the synthetic demo municipality (Norrtälje)")
    add_db(demo)
    demo.add_argument(
        "--incidents", type=_positive_int, default=None, help="number of incidents (default 40,000)"
    )
    demo.add_argument("--seed", type=int, default=None, help="random seed (default 7)")
    demo.add_argument(
        "--end", type=_date, default=None, help="last day of the demo, YYYY-MM-DD (default today)"
    )
    demo.add_argument("--force", action="store_true", help="replace an existing database")
    demo.set_defaults(func=cmd_demo)

    init = sub.add_parser(
        "init",
        help="create a database for a municipality, or give an "
        "existing one the municipality's own areas",
    )
    add_db(init)
    init.add_argument(
        "--municipality",
        metavar="KOMMUNKOD",
        help="four-digit Swedish municipality code, e.g. 0188: the database's "
        "municipality (name, police filtering), with or without --areas",
    )
    init.add_argument(
        "--areas",
        metavar="FILE",
        help="GeoJSON (WGS84 or any CRS it declares, e.g. SWEREF 99 TM), zipped "
        "Shapefile or GeoPackage with one polygon per area; with an existing "
        "--db, its events are kept and placed again in these areas",
    )
    init.add_argument(
        "--area-property",
        metavar="NAME",
        help="property with the area's name (default: area, else name or namn)",
    )
    init.add_argument(
        "--group-property",
        metavar="NAME",
        help="property with the area group (default: area_group; without one, "
        "all areas form one group named after the municipality)",
    )
    init.add_argument(
        "--population-property",
        metavar="NAME",
        help="property with the area's population (default: population)",
    )
    init.add_argument(
        "--force", action="store_true", help="replace an existing database with a new, empty one"
    )
    init.set_defaults(func=cmd_init)

    info = sub.add_parser("info", help="counts per table, date range, schema and data version")
    add_db(info)
    info.add_argument("--json", action="store_true", help="print one JSON object")
    info.set_defaults(func=cmd_info)

    imp = sub.add_parser("import", help="import events from a file (one transaction per file)")
    imp.add_argument("file", metavar="FILE")
    add_db(imp)
    imp.add_argument(
        "--format",
        default="auto",
        choices=["auto", "csv", "xlsx", "polisen", "police-uk", "open311"],
    )
    imp.add_argument("--mapping", metavar="FILE.toml", help="column and value mapping for csv/xlsx")
    imp.add_argument("--source", metavar="NAME", help="source name recorded for the events")
    imp.add_argument("--json", action="store_true", help="print one JSON object with the counts")
    imp.set_defaults(func=cmd_import)

    report = sub.add_parser(
        "report",
        help="the weekly situation report as HTML or PDF, or the "
        "yearly situation picture as HTML, PDF or JSON",
    )
    which = report.add_mutually_exclusive_group(required=True)
    which.add_argument("--week", metavar="YYYY-Www", help="ISO week, e.g. 2026-W47")
    which.add_argument(
        "--year",
        metavar="YYYY",
        help="the yearly situation picture (lag 2023:196 § 4) of this year, e.g. 2026",
    )
    report.add_argument("--area-group", metavar="ID", help="only this area group (weekly report)")
    add_db(report)
    report.add_argument("--out", required=True, metavar="FILE.html|FILE.pdf|FILE.json")
    report.add_argument(
        "--internal",
        action="store_true",
        help="include free text and sensitive categories (not for circulation)",
    )
    report.set_defaults(func=cmd_report)

    situation = sub.add_parser(
        "situation", help="the week's unusual figures and hotspots, as the meeting is told them"
    )
    situation.add_argument(
        "--week", required=True, metavar="YYYY-Www", help="ISO week, e.g. 2026-W47"
    )
    situation.add_argument("--area-group", metavar="ID", help="only this area group")
    add_db(situation)
    situation.add_argument("--json", action="store_true", help="print one JSON object")
    situation.set_defaults(func=cmd_situation, ends_quickly=True)

    fetch = sub.add_parser("fetch", help="fetch new events from an API and import them")
    fetch.add_argument(
        "source",
        choices=["polisen"],
        help="polisen: the police's open events API, for the database's municipality",
    )
    add_db(fetch)
    fetch.add_argument(
        "--url",
        metavar="URL",
        help="the API's address (default $SAFETY_POLISEN_URL, else "
        "https://polisen.se/api/events); ?locationname= is added",
    )
    fetch.add_argument("--json", action="store_true", help="print one JSON object with the counts")
    fetch.set_defaults(func=cmd_fetch)
    contacts = sub.add_parser(
        "contacts", help="who gets e-mail: contacts per organisation and area group"
    )
    contacts_sub = contacts.add_subparsers(
        dest="contacts_command", required=True, parser_class=_Parser
    )
    contacts_import = contacts_sub.add_parser(
        "import",
        help="add the contacts a CSV lists (columns email, organisation, area_group; "
        "optionally language sv/en)",
    )
    contacts_import.add_argument("file", metavar="FILE.csv")
    add_db(contacts_import)
    contacts_import.add_argument(
        "--json", action="store_true", help="print one JSON object with the counts"
    )
    contacts_import.set_defaults(func=cmd_contacts_import)

    notify = sub.add_parser("notify", help="send every contact the weekly digest by e-mail")
    notify.add_argument(
        "--week",
        metavar="YYYY-Www",
        help="ISO week, e.g. 2026-W47 (default: the last complete week)",
    )
    add_db(notify)
    notify.add_argument(
        "--dry-run",
        action="store_true",
        help="build the messages and say what would be sent; send nothing",
    )
    notify.add_argument(
        "--force",
        action="store_true",
        help="send again to addresses that already had this week's digest",
    )
    notify.add_argument("--json", action="store_true", help="print what was sent to whom as JSON")
    notify.set_defaults(func=cmd_notify)
    return parser


def cmd_notify(args) -> int:
    from safetycore import mail, notify

    week = notify.check_week(args.week) if args.week else None
    settings = None if args.dry_run else mail.SmtpSettings.from_env()  # not set: exit 2
    con = db.connect(args.db, create=False)  # missing: exit 2; held by the dashboard: exit 3
    try:
        run = notify.send_digests(
            con, week, dry_run=args.dry_run, force=args.force, settings=settings
        )
    finally:
        con.close()
    if args.json:
        print(json.dumps(run.as_dict(), ensure_ascii=False, indent=2))
    else:
        verb = "Would send" if run.dry_run else "Sent"
        print(
            f"{verb} the digest for {run.week} to {len(run.sent):,} addresses in "
            f"{run.seconds:.1f} s; {len(run.skipped):,} had it already"
            + ("" if run.dry_run else f", {len(run.refused):,} refused by the server")
            + "."
        )
        for item in run.sent:
            what = ", ".join(
                [*item["organisations"], *item["area_groups"]]
                + (["own tasks"] if item["personal"] else [])
            )
            print(
                f"  {item['to']} ({item['language']}): {what}; {item['tasks']} tasks, "
                f"{item['overdue']} overdue"
            )
        for item in run.refused:
            print(f"  refused: {item['to']}: {item['reason']}", file=sys.stderr)
        if not (run.sent or run.skipped or run.refused):
            print(
                "There are no contacts yet: add them at the end of the Administration page, "
                "or with 'python -m safetycore contacts import FILE.csv'."
            )
    if run.error:
        print(f"error: {run.error}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def cmd_contacts_import(args) -> int:
    from safetycore import contacts
    from safetycore.access import command_line_actor

    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"There is no file {args.file}.")
    con = db.connect(args.db, create=False)  # missing: exit 2; held by the dashboard: exit 3
    try:
        outcome = contacts.import_contacts(con, command_line_actor(), path.read_bytes())
    except contacts.ContactError as exc:
        raise UsageError(f"{args.file}: {exc} Nothing was imported.") from exc
    finally:
        con.close()
    if args.json:
        print(json.dumps(outcome.as_dict(), ensure_ascii=False))
        return EXIT_OK
    print(
        f"Read {outcome.read:,} contacts from {args.file}: added {outcome.added:,}, already "
        f"there {outcome.unchanged:,}, refused {len(outcome.refused):,}"
        + (
            f", language changed on {outcome.language_changed:,}"
            if outcome.language_changed
            else ""
        )
        + "."
    )
    for refused in outcome.refused:
        print(f"  line {refused.row}: refused: {refused.reason}", file=sys.stderr)
    return EXIT_OK


def cmd_import(args) -> int:
    from safetycore.ingest.cli import run_import

    return run_import(args)


def cmd_report(args) -> int:
    if getattr(args, "year", None) is not None:
        from safetycore.yearly_report import run_command

        return run_command(args)
    from safetycore.report import run_report_command

    return run_report_command(args)


def week_as_data(ws) -> dict:
    """The ``situation --json`` object: the week, its flags and its hotspots."""
    return {
        "week": ws.week.label,
        "partial": ws.partial,
        "flags": ws.flags(),
        "hotspots": ws.hotspot_list(),
    }


def cmd_situation(args) -> int:
    """``python -m safetycore situation``: what the meeting is told is unusual this week (the
    shared-screen rules: no sensitive categories), from the same model as the Lägesbild."""
    from safetycore import situation as sit

    con = db.connect(args.db, read_only=True, create=False)  # missing: exit 2, held: exit 3
    try:
        ws = sit.build_week(con, args.week.strip(), area_group=args.area_group)
    finally:
        con.close()
    out = week_as_data(ws)
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return EXIT_OK
    print(f"{out['week']}{' (running week: not flagged)' if out['partial'] else ''}")
    if not out["flags"]:
        print("No unusual figures.")
    for f in out["flags"]:
        what = f["category"] or f["kind"] or "all events"
        where = f["area_group"] or "whole municipality"
        print(
            f"  {'▲' if f['direction'] == 'up' else '▼'} {where}, {what}: {f['observed']} "
            f"(expected {f['low']}–{f['high']})"
        )
    for h in out["hotspots"]:
        print(
            f"  hotspot {h['status']} since {h['since']}: {h['area'] or h['area_group']} "
            f"({h['lat']:.4f}, {h['lon']:.4f}), {h['observed']} events "
            f"(expected {h['expected']})"
        )
    return EXIT_OK


def cmd_fetch(args) -> int:
    from safetycore import fetch
    from safetycore.access import command_line_actor

    con = db.connect(args.db, create=False)  # missing: exit 2; held by the dashboard: exit 3
    try:
        result = fetch.fetch_polisen(con, command_line_actor(), url=args.url)
    except fetch.MustWait as wait:
        from safetycore import clock

        retry_at = clock.from_epoch(wait.retry_at, clock.zone_of(con)).isoformat(sep=" ")
        if args.json:
            out = fetch.empty_outcome()
            out.update(
                {
                    "status": "wait",
                    "reason": wait.code,
                    "message": str(wait),
                    "wait_seconds": round(wait.wait_seconds, 1),
                    "retry_at": retry_at,
                }
            )
            print(json.dumps(out, ensure_ascii=False))
        print(
            f"Not fetched: {wait}. Try again in {wait.wait_seconds:.0f} s (at {retry_at}).",
            file=sys.stderr,
        )
        return EXIT_WAIT
    finally:
        con.close()
    out = result.as_dict()
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return EXIT_OK
    print(
        f"Fetched {result.url} in {result.seconds:.1f} s: read {out['read']:,}, imported "
        f"{out['imported']:,}, duplicates {out['duplicates']:,}, rejected {out['rejected']:,}, "
        f"skipped {out['skipped']:,}" + (f" (batch {out['batch_id']})." if out["batch_id"] else ".")
    )
    return EXIT_OK


def serve_command(con, argv: list[str]) -> dict:
    """Run a read-only command for another process, in the process that holds the database.

    ``con`` is a cursor of the holder's connection; the command runs unchanged on it
    (``db.lent_connection``). What it prints is returned; a file it writes (``--out``) is
    written to a temporary folder here and returned, for the asking process to write.
    """
    import tempfile

    from safetycore import jobs

    with jobs.captured_output() as (out, err):
        code, payload = _serve(con, argv, tempfile, jobs)
    return {
        "exit": code,
        "stdout": out.getvalue().replace(*payload.get("swap", ("", ""))),
        "stderr": err.getvalue(),
        "out_b64": payload.get("out_b64"),
    }


def _serve(con, argv, tempfile, jobs) -> tuple[int, dict]:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or EXIT_USAGE), {}
    if args.command not in SERVED_WHEN_HELD:
        print(
            f"error: the running dashboard answers only {', '.join(SERVED_WHEN_HELD)}.",
            file=sys.stderr,
        )
        return EXIT_USAGE, {}
    payload: dict = {}
    with tempfile.TemporaryDirectory(prefix="safety-command-") as tmp:
        asked_out = getattr(args, "out", None)
        if asked_out:
            args.out = str(Path(tmp) / Path(asked_out).name)
            payload["swap"] = (args.out, asked_out)
        try:
            with db.lent_connection(con):
                code = args.func(args)
        except (UsageError, db.DatabaseMissing) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE, payload
        if asked_out and Path(args.out).is_file():
            payload["out_b64"] = jobs.encode_file(Path(args.out))
    return code, payload


def _answered_by_server(args, argv: list[str]) -> int | None:
    """While the dashboard holds the database, it answers the read-only commands."""
    from safetycore import jobs

    if args.command not in SERVED_WHEN_HELD:
        return None
    answer = jobs.ask_running_server(args.db, argv)
    if answer is None:
        return None
    if answer.get("out_b64") is not None and getattr(args, "out", None):
        Path(args.out).write_bytes(jobs.decode_file(answer["out_b64"]))
    sys.stdout.write(answer.get("stdout") or "")
    sys.stderr.write(answer.get("stderr") or "")
    return int(answer.get("exit", EXIT_USAGE))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    return run(build_parser().parse_args(argv), argv)


def run(args: argparse.Namespace, argv: list[str]) -> int:
    """Run the parsed command: its exit code, with a usage error or a held database said in
    words on stderr."""
    if args.command == "demo":
        from safetycore.demo import DEFAULT_INCIDENTS, DEFAULT_SEED

        args.incidents = args.incidents or DEFAULT_INCIDENTS
        args.seed = DEFAULT_SEED if args.seed is None else args.seed
    try:
        return args.func(args)
    except (UsageError, db.DatabaseMissing) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except db.DatabaseBusy as exc:
        answered = _answered_by_server(args, argv)
        if answered is not None:
            return answered
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BUSY


if __name__ == "__main__":
    arguments = sys.argv[1:]
    parsed = build_parser().parse_args(arguments)
    code = run(parsed, arguments)
    if getattr(parsed, "ends_quickly", False):
        # A command that only reads, its database closed and its answer written: the process
        # ends without the interpreter's teardown of pandas, scipy and DuckDB (0.2-0.3 s of a
        # 2.5 s run of `situation`, docs/benchmarks.md). Nothing is left to write or flush.
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)
    sys.exit(code)
