"""The weekly digest for a demo week: how many messages, how big, how long to build and send.

``python -m benchmarks.digests [--incidents N] [--week 2026-W47]`` builds a demo database (ending
2026-11-20, seed 7), gives it one contact per owner organisation and per area group, and sends
the week's digests through a real SMTP server on 127.0.0.1 (aiosmtpd, started here), timing
the run as ``notify`` does it. Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import socket
import statistics
import tempfile
import time
from pathlib import Path

from aiosmtpd.controller import Controller

from safetycore import contacts, db, mail, notify
from safetycore.access import Actor
from safetycore.demo import build_demo

ADMIN = Actor("benchmark", "admin")


class _Count:
    def __init__(self):
        self.sizes: list[int] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.sizes.append(len(envelope.content))
        return "250 OK"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(incidents: int, week: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="digests-") as tmp:
        path = str(Path(tmp) / "demo.duckdb")
        build_demo(path, incidents=incidents, seed=7, end=dt.date(2026, 11, 20))
        con = db.connect(path)
        try:
            orgs = [r[0] for r in con.execute("SELECT code FROM sources").fetchall()]
            groups = [r[0] for r in con.execute("SELECT id FROM area_groups").fetchall()]
            for org in orgs:
                contacts.add_contact(
                    con, ADMIN, f"{org.replace('_', '.')}@kommun.se", organisation=org
                )
            for group in groups:
                contacts.add_contact(
                    con,
                    ADMIN,
                    f"{group}@kommun.se",
                    area_group=group,
                    language="en" if group == "rimbo" else "sv",
                )
            handler = _Count()
            port = _port()
            server = Controller(handler, hostname="127.0.0.1", port=port)
            server.start()
            try:
                settings = mail.SmtpSettings("127.0.0.1", port, "trygghet@kommun.se")
                started = time.perf_counter()
                digests = notify.build_digests(con, week)
                built = time.perf_counter() - started
                first = notify.send_digests(con, week, settings=settings)
                forced = [
                    notify.send_digests(con, week, settings=settings, force=True).seconds
                    for _ in range(3)
                ]
                again = notify.send_digests(con, week, settings=settings)
            finally:
                server.stop()
        finally:
            con.close()
    return {
        "incidents": incidents,
        "messages": len(first.sent),
        "build_s": built,
        "first_s": first.seconds,
        "forced_s": statistics.median(forced),
        "skipped_again": len(again.skipped),
        "sent_again": len(again.sent),
        "median_kb": statistics.median(handler.sizes) / 1024,
        "max_kb": max(handler.sizes) / 1024,
        "digests": len(digests),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, nargs="+", default=[40_000, 1_000_000])
    parser.add_argument("--week", default="2026-W47")
    args = parser.parse_args()
    print(
        "| incidents | messages | build all (s) | build + send (s) | resend, median of 3 (s) "
        "| message size, median / largest (kB) | run again |"
    )
    print("|---|---|---|---|---|---|---|")
    for n in args.incidents:
        r = run(n, args.week)
        print(
            f"| {r['incidents']:,} | {r['messages']} | {r['build_s']:.2f} | {r['first_s']:.2f} "
            f"| {r['forced_s']:.2f} | {r['median_kb']:.1f} / {r['max_kb']:.1f} | "
            f"{r['sent_again']} sent, {r['skipped_again']} already had it |"
        )


if __name__ == "__main__":
    main()
