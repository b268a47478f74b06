"""Contacts: loaded from CSV on the command line (refused rows with their reasons, exit codes),
the language belongs to the address, every change logged."""

import json
import subprocess
import sys

import pytest

from safetycore import contacts, db
from safetycore.access import Actor, command_line_actor
from tests.conftest import ROOT

ADMIN = Actor("ada@kommun.se", "admin")

GOOD = """email,organisation,area_group,language
Anna.Polis@Polisen.se,Polisen,,
gata@kommun.se,street_park,,en
rimbo@kommun.se,,Rimbo,
rimbo@kommun.se,Fältsamordnare,rimbo,
ada@kommun.se,,,
not-an-address,Polisen,,
x@kommun.se,Brandkåren,,
y@kommun.se,,Atlantis,
z@kommun.se,,,klingon
"""


def cli(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "safetycore", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_import_adds_good_rows_and_refuses_bad_ones_with_their_line_and_reason(fresh_db, tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text(GOOD, encoding="utf-8")
    done = cli("contacts", "import", str(path), "--db", str(fresh_db), "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert (out["read"], out["added"], out["refused"]) == (9, 5, 4)
    reasons = {r["row"]: r["reason"] for r in out["refused_rows"]}
    assert "not an e-mail address" in reasons[7]
    assert "no organisation 'Brandkåren'" in reasons[8] and "street_park" in reasons[8]
    assert "no area group 'Atlantis'" in reasons[9]
    assert "sv or en" in reasons[10]

    con = db.connect(str(fresh_db))
    try:
        found = {r.email: r for r in contacts.recipients(con)}
        log = con.execute("SELECT change, email, changed_by FROM contact_log").fetchall()
    finally:
        con.close()
    assert set(found) == {
        "anna.polis@polisen.se",
        "gata@kommun.se",
        "rimbo@kommun.se",
        "ada@kommun.se",
    }
    assert found["anna.polis@polisen.se"].organisations == ("police",)  # label → code
    assert found["gata@kommun.se"].language == "en"
    assert found["rimbo@kommun.se"].area_groups == ("rimbo",)
    assert found["rimbo@kommun.se"].organisations == ("field_coordinators",)
    assert found["ada@kommun.se"].personal
    assert sum(1 for change, *_ in log if change == "added") == 5

    again = cli("contacts", "import", str(path), "--db", str(fresh_db))  # nothing doubles
    assert again.returncode == 0
    assert "added 0, already there 5, refused 4" in again.stdout
    assert "line 7: refused" in again.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("mail;org\nx@k.se;police\n", "lacks the columns email, organisation, area_group"),
        ("", "no header row"),
        (b"email,organisation,area_group\n\xff\xfe@x,,\n", "not UTF-8"),
    ],
)
def test_a_file_that_is_not_a_contacts_file_exits_2_and_imports_nothing(
    fresh_db, tmp_path, content, message
):
    path = tmp_path / "c.csv"
    (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)
    done = cli("contacts", "import", str(path), "--db", str(fresh_db))
    assert done.returncode == 2
    assert message in done.stderr and "Nothing was imported" in done.stderr
    assert "Traceback" not in done.stderr
    missing = cli("contacts", "import", str(tmp_path / "none.csv"), "--db", str(fresh_db))
    assert missing.returncode == 2 and "There is no file" in missing.stderr


def test_a_held_database_exits_3(fresh_db, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("email,organisation,area_group\na@k.se,police,\n")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb,sys,time; c=duckdb.connect(sys.argv[1]); "
            "print('held', flush=True); time.sleep(60)",
            str(fresh_db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        done = cli("contacts", "import", str(path), "--db", str(fresh_db))
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode == 3
    assert "in use by another process" in done.stderr


def test_the_language_belongs_to_the_address_and_changes_are_logged(fresh_db):
    con = db.connect(str(fresh_db))
    try:
        contacts.add_contact(con, ADMIN, "Lisa@Kommun.se", organisation="schools")
        contacts.add_contact(con, ADMIN, "lisa@kommun.se", area_group="Hallstavik", language="en")
        with pytest.raises(contacts.ContactError) as exists:
            contacts.add_contact(con, ADMIN, "lisa@kommun.se", organisation="Skolor", language="en")
        assert exists.value.code == "exists"
        langs = con.execute(
            "SELECT DISTINCT language FROM contacts WHERE email = 'lisa@kommun.se'"
        ).fetchall()
        assert langs == [("en",)]
        contacts.remove_contact(con, ADMIN, "lisa@kommun.se", organisation="schools")
        log = con.execute(
            "SELECT change, organisation, area_group_id, changed_by FROM "
            "contact_log ORDER BY changed_at, change"
        ).fetchall()
        with pytest.raises(PermissionError):
            contacts.add_contact(
                con, Actor("cora@kommun.se", "coordinator"), "q@k.se", organisation="police"
            )
    finally:
        con.close()
    assert ("added", "schools", "", "ada@kommun.se") in log
    assert ("added", "", "hallstavik", "ada@kommun.se") in log
    assert ("removed", "schools", "", "ada@kommun.se") in log
    assert any(change == "language" for change, *_ in log)
    assert command_line_actor().role == "admin"
