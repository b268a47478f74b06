"""The weekly digest through a real SMTP server: what each kind of contact reads, no sensitive
category in any message, never twice for a week unless forced, and --json saying who got what."""

import datetime as dt
import json
import subprocess
import sys

import h3
import pytest

from safetycore import actions, contacts, db, ratings
from safetycore.access import Actor
from safetycore.incidents import insert_incidents, staged_frame
from tests.conftest import ROOT

ADMIN = Actor("ada@kommun.se", "admin")
WEEK = "2026-W47"
SENSITIVE = (
    "Våld i nära relation",
    "Sexualbrott",
    "Domestic violence",
    "Sexual offence",
    "domestic_violence",
    "sexual_offence",
)


@pytest.fixture()
def cli(capsys):
    """The command line in this process (``main`` with its exit code, stdout and stderr)."""
    from safetycore.__main__ import main

    def run(*args):
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out, err)

    return run


def test_the_command_runs_as_python_m_safetycore(digest_db, smtp_server):
    done = subprocess.run(
        [sys.executable, "-m", "safetycore", "notify", "--week", WEEK, "--db", str(digest_db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Sent the digest for 2026-W47 to 4 addresses")
    assert "polisen@polisen.se (sv): police; 4 tasks, 2 overdue" in done.stdout
    assert len(smtp_server.messages) == 4


@pytest.fixture()
def digest_db(fresh_db):
    """The demo with contacts of every kind, a rating with a comment, a task aimed at a
    sensitive category, a task assigned to a user's address and a new hotspot in Rimbo."""
    con = db.connect(str(fresh_db))
    try:
        for email, org, group, lang in [
            ("polisen@polisen.se", "police", "", "sv"),
            ("gata@kommun.se", "street_park", "", "en"),
            ("rimbo@kommun.se", "", "rimbo", "sv"),
            ("cora@kommun.se", "", "", "sv"),
        ]:
            contacts.add_contact(
                con, ADMIN, email, organisation=org, area_group=group, language=lang
            )
        ratings.save_rating(con, ADMIN, "rimbo", WEEK, 2, "Oroligt kring Lena Berg på torget")
        now = dt.datetime(2026, 11, 20, 9, 0)
        actions.create_action(
            con,
            ADMIN,
            actions.ActionDraft(
                title="Stödsamtal efter anmälan om våld",
                area_group_id="rimbo",
                owner_org="police",
                target_categories=("domestic_violence",),
                due_date=dt.date(2026, 11, 22),
            ),
            now=now,
        )
        actions.create_action(
            con,
            ADMIN,
            actions.ActionDraft(
                title="Tala med fastighetsägaren om belysning",
                area_group_id="rimbo",
                owner_org="property",
                assignee="Cora@Kommun.se",
                due_date=dt.date(2026, 11, 18),
            ),
            now=dt.datetime(2026, 11, 10, 9, 0),
        )
        lat, lon = 59.7813, 18.2257  # Rånäs: six events in one cell, none there before
        cell = h3.str_to_int(h3.latlng_to_cell(lat, lon, 9))
        with db.transaction(con) as cur:
            insert_incidents(
                cur,
                staged_frame(
                    {
                        "source": "field_coordinators",
                        "source_ref": f"hotspot-{i}",
                        "category": "vandalism",
                        "occurred_at": dt.datetime(2026, 11, 17, 20, i),
                        "time_precision": "exact",
                        "lat": lat,
                        "lon": lon,
                        "location_precision": "exact",
                        "h3_cell": cell,
                        "area_id": "ranas",
                    }
                    for i in range(6)
                ),
            )
    finally:
        con.close()
    return fresh_db


def test_each_contact_reads_what_is_theirs_and_nothing_sensitive(digest_db, smtp_server, cli):
    done = cli("notify", "--week", WEEK, "--db", str(digest_db), "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert sorted(item["to"] for item in out["sent"]) == [
        "cora@kommun.se",
        "gata@kommun.se",
        "polisen@polisen.se",
        "rimbo@kommun.se",
    ]
    assert len(smtp_server.messages) == 4

    [police] = smtp_server.to("polisen@polisen.se")
    assert police.subject == "Norrtälje: veckobrev vecka 47 2026"
    text = police.text
    assert "Uppgifter för Polisen" in text
    # Overdue first with the days late, then due within the week.
    first = text.index("Försenad 20 d  Kontroll av mopedbuskörning (Hallstavik omland)")
    assert first < text.index("Försenad 9 d") < text.index("Inom en vecka")
    assert "Kontroll av mopedbuskörning (Rimbo omland)" in text

    [street] = smtp_server.to("gata@kommun.se")  # English for this contact
    assert street.subject == "Norrtälje: weekly digest, week 47 2026"
    assert "Tasks for Street and park" in street.text
    assert "18 days late" in street.text

    [rimbo] = smtp_server.to("rimbo@kommun.se")
    assert "Rimbo: veckans läge" in rimbo.text
    assert "Mötets bedömning: 2 av 5." in rimbo.text
    assert "Väntat intervall" in rimbo.text
    assert any(
        line.startswith("Livskvalitetsbrott ") and line.rstrip().endswith("det väntade")
        for line in rimbo.text.splitlines()
    )
    assert "Nya hotspots:" in rimbo.text
    # The week is still running on the data's last day: its hotspots are not judged yet.
    assert "Inga nya hotspots." in rimbo.text
    assert "Tala med fastighetsägaren om belysning" in rimbo.text  # the group's open tasks
    rimbo_summary = next(i for i in out["sent"] if i["to"] == "rimbo@kommun.se")
    assert rimbo_summary["groups"]["rimbo"]["hotspots"] == 0
    assert rimbo_summary["groups"]["rimbo"]["rating"] == 2

    [cora] = smtp_server.to("cora@kommun.se")  # a user's own address: the task assigned to it
    assert "Dina uppgifter" in cora.text
    assert "Försenad 2 d  Tala med fastighetsägaren om belysning" in cora.text

    for message in smtp_server.messages:
        for part in (message.text, message.html, message.subject):
            for word in SENSITIVE:
                assert word not in part, (message.to, word)
            assert "Stödsamtal efter anmälan om våld" not in part  # aimed at a sensitive category
            assert "Lena Berg" not in part and "Oroligt" not in part  # no free text, no names
            assert "cora@kommun.se" not in part.replace(message.to[0], "")  # nobody else's address
        assert message.html.startswith("<!DOCTYPE html>")


def test_a_digest_is_sent_once_a_week_unless_forced(digest_db, smtp_server, cli):
    first = json.loads(cli("notify", "--week", WEEK, "--db", str(digest_db), "--json").stdout)
    assert len(first["sent"]) == 4 and first["skipped"] == []
    again = cli("notify", "--week", WEEK, "--db", str(digest_db), "--json")
    assert again.returncode == 0
    second = json.loads(again.stdout)
    assert second["sent"] == [] and len(second["skipped"]) == 4
    assert {s["reason"] for s in second["skipped"]} == {"already_sent"}
    assert len(smtp_server.messages) == 4  # nothing more arrived

    forced = json.loads(
        cli("notify", "--week", WEEK, "--db", str(digest_db), "--force", "--json").stdout
    )
    assert len(forced["sent"]) == 4
    assert len(smtp_server.messages) == 8

    other = cli("notify", "--week", "2026-W46", "--db", str(digest_db))  # another week is new
    assert other.returncode == 0
    assert "Sent the digest for 2026-W46 to 4 addresses" in other.stdout
    assert len(smtp_server.messages) == 12


def test_json_says_what_was_sent_to_whom_and_dry_run_sends_nothing(digest_db, smtp_server, cli):
    dry = cli("notify", "--week", WEEK, "--db", str(digest_db), "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    out = json.loads(dry.stdout)
    assert out["dry_run"] is True and out["week"] == WEEK
    assert smtp_server.messages == []
    item = next(i for i in out["sent"] if i["to"] == "polisen@polisen.se")
    assert set(item) >= {
        "to",
        "language",
        "subject",
        "organisations",
        "area_groups",
        "personal",
        "tasks",
        "overdue",
        "groups",
        "bytes",
    }
    assert (item["organisations"], item["area_groups"], item["tasks"], item["overdue"]) == (
        ["police"],
        [],
        4,
        2,
    )
    # A dry run records nothing: the real run still sends to all.
    real = json.loads(cli("notify", "--week", WEEK, "--db", str(digest_db), "--json").stdout)
    assert len(real["sent"]) == 4


def test_without_mail_settings_or_with_a_bad_week_it_exits_2(digest_db, monkeypatch, cli):
    monkeypatch.delenv("SAFETY_SMTP_HOST", raising=False)
    done = cli("notify", "--week", WEEK, "--db", str(digest_db))
    assert done.returncode == 2 and "set SAFETY_SMTP_HOST" in done.stderr
    bad = cli("notify", "--week", "2026-W99", "--db", str(digest_db), "--dry-run")
    assert bad.returncode == 2 and "not an ISO week" in bad.stderr
    assert "Traceback" not in done.stderr + bad.stderr


def test_an_address_the_server_refuses_is_reported_and_the_rest_arrive(digest_db, smtp_server, cli):
    smtp_server.refuse.add("gata@kommun.se")
    done = cli("notify", "--week", WEEK, "--db", str(digest_db), "--json")
    out = json.loads(done.stdout)
    assert [r["to"] for r in out["refused"]] == ["gata@kommun.se"]
    assert len(out["sent"]) == 3
    retry = json.loads(cli("notify", "--week", WEEK, "--db", str(digest_db), "--json").stdout)
    assert [r["to"] for r in retry["refused"]] == ["gata@kommun.se"]  # not recorded as sent


def test_without_contacts_it_says_how_to_add_them(fresh_db, smtp_server, cli):
    done = cli("notify", "--week", WEEK, "--db", str(fresh_db))
    assert done.returncode == 0
    assert "Sent the digest for 2026-W47 to 0 addresses" in done.stdout
    assert "There are no contacts yet" in done.stdout and "contacts import" in done.stdout
    assert smtp_server.messages == []
