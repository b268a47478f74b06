"""The weekly report: the figures for a fixed demo week, self-contained HTML, a PDF with pages
that render (and render å ä ö), the privacy rules, and the command line's exit codes."""

import datetime as dt
import re
import shutil
import subprocess

import pytest

from safetycore import report
from safetycore.__main__ import main
from safetycore.taxonomy import SENSITIVE_CODES

WEEK = "2026-W46"
GROUP_NAMES = [
    "Norrtälje stad",
    "Rimbo",
    "Hallstavik",
    "Väddö/Älmsta",
    "Skärgården",
    "Södra landsbygden",
]


def week_count(con, *, sensitive: bool) -> int:
    return (
        con.cursor()
        .execute(
            """SELECT count(*) FROM incidents WHERE occurred_at >= DATE '2026-11-09'
           AND occurred_at < DATE '2026-11-16'
           AND ($s OR category NOT IN (SELECT code FROM categories WHERE sensitive))""",
            {"s": sensitive},
        )
        .fetchone()[0]
    )


def first_row_value(text: str, label: str) -> int:
    match = re.search(rf"<td>{label}</td><td class=\"n\">([\d\u202f]+)</td>", text)
    assert match, f"no row {label!r}"
    return int(match.group(1).replace("\u202f", ""))


@pytest.fixture(scope="module")
def html_report(demo_con) -> str:
    return report.report_bytes(demo_con, WEEK, fmt="html").decode("utf-8")


def test_html_report_has_the_weeks_figures(demo_con, html_report):
    assert "<h1>Lägesbild vecka 2026-W46</h1>" in html_report
    assert "2026-11-09 – 2026-11-15" in html_report
    assert first_row_value(html_report, "Alla händelser") == week_count(demo_con, sensitive=False)
    for name in GROUP_NAMES:
        assert f">{name}</h2>" in html_report
    # The meeting's ratings for the week (comments are free text: internal report only), and
    # the task list.
    rating, comment = (
        demo_con.cursor()
        .execute(
            "SELECT rating, comment FROM area_ratings WHERE area_group_id = 'rimbo' AND iso_week = $w",
            {"w": WEEK},
        )
        .fetchone()
    )
    assert f"<p>{rating} av 5</p>" in html_report and comment not in html_report
    internal = report.report_bytes(demo_con, WEEK, fmt="html", internal=True).decode("utf-8")
    assert f"{rating} av 5 – {comment}" in internal
    assert "Försenad" in html_report


def test_html_report_is_self_contained_and_public(html_report):
    assert html_report.count('src="data:image/png;base64,') >= 1 + 2 * len(GROUP_NAMES)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html_report)  # nothing fetched
    assert "Delningsbar version" in html_report
    assert "Våld i nära relation" not in html_report and "Sexualbrott" not in html_report
    assert "Anna L." not in html_report  # assignees' names stay out of the shareable version


def test_internal_report_includes_sensitive_counts(demo_con):
    public = report.build(demo_con, WEEK)
    internal = report.build(demo_con, WEEK, internal=True)
    assert public.headline[0].week == week_count(demo_con, sensitive=False)
    assert internal.headline[0].week == week_count(demo_con, sensitive=True)
    assert not any({f.key for f in g.categories} & SENSITIVE_CODES for g in public.groups)
    assert all((g.cells["n"] >= 3).all() for g in public.groups)
    one = report.build(demo_con, WEEK, area_group="rimbo")
    assert [g.id for g in one.groups] == ["rimbo"]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
def test_pdf_report_from_the_command_line(fresh_db, tmp_path):
    # A private copy: the command line opens the file itself, read-only.
    out = tmp_path / "lagesbild.pdf"
    assert main(["report", "--week", WEEK, "--db", str(fresh_db), "--out", str(out)]) == 0
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1 + len(GROUP_NAMES)
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "2", "-l", "2", str(out), str(tmp_path / "page")],
        check=True,
    )
    from PIL import Image, ImageStat

    (png,) = tmp_path.glob("page*.png")
    image = Image.open(png).convert("L")
    assert image.size[0] > 200 and image.size[1] > 300
    assert ImageStat.Stat(image).stddev[0] > 10  # not a blank page
    text = subprocess.run(
        ["pdftotext", str(out), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Väddö/Älmsta" in text and "Skärgården" in text and "Lägesbild vecka 2026-W46" in text


def test_command_line_errors(fresh_db, tmp_path, capsys):
    out = str(tmp_path / "r.html")
    assert main(["report", "--week", "2026-W60", "--db", str(fresh_db), "--out", out]) == 2
    assert "2026-W47" in capsys.readouterr().err  # says what a week looks like
    assert (
        main(["report", "--week", WEEK, "--db", str(fresh_db), "--out", str(tmp_path / "r.doc")])
        == 2
    )
    assert (
        main(
            [
                "report",
                "--week",
                WEEK,
                "--area-group",
                "atlantis",
                "--db",
                str(fresh_db),
                "--out",
                out,
            ]
        )
        == 2
    )
    assert "rimbo" in capsys.readouterr().err  # lists the area groups there are
    assert (
        main(["report", "--week", WEEK, "--db", str(tmp_path / "none.duckdb"), "--out", out]) == 2
    )
    assert not (tmp_path / "r.html").exists()
    assert dt.date.fromisocalendar(2026, 46, 1) == dt.date(2026, 11, 9)
