"""Exports that open in Swedish Excel, formula cells neutralised, and the one home of number
formats and plurals."""

import datetime as dt
import io

import pandas as pd
import pytest

from safetycore import export, formats

FRAME = pd.DataFrame(
    {
        "Område": [
            "Rimbo",
            "Väddö/Älmsta",
            '=HYPERLINK("http://x","klick")',
            "+46 70",
            "-2+3",
            "@SUM(A1)",
            "\tcmd",
            "\rcmd",
            None,
        ],
        "Antal": [1234, 5, 0, -3, 7, 8, 9, 10, 11],
        "Per 1 000": [1.5, 0.25, 0.0, 2.0, float("nan"), 1.0, 1.0, 1.0, 1.0],
        "Tid": pd.to_datetime(
            [
                "2026-11-09 08:30",
                None,
                "2026-11-10 00:00",
                "2026-11-11 00:00",
                "2026-11-12 00:00",
                "2026-11-13 00:00",
                "2026-11-14 00:00",
                "2026-11-15 00:00",
                "2026-11-16 00:00",
            ]
        ),
    }
)


def test_csv_opens_in_swedish_excel():
    data = export.to_csv(FRAME)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark
    text = data.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == "Område;Antal;Per 1 000;Tid"
    assert lines[1] == "Rimbo;1234;1,5;2026-11-09 08:30:00"
    assert lines[2] == "Väddö/Älmsta;5;0,25;"  # an empty time stays empty
    back = pd.read_csv(io.StringIO(text), sep=";", decimal=",")
    assert list(back["Antal"]) == list(FRAME["Antal"])
    assert back["Per 1 000"].iloc[0] == 1.5 and pd.isna(back["Per 1 000"].iloc[4])


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_leading_cells_are_neutralised(lead):
    assert export.neutralise(f"{lead}1+1") == f"'{lead}1+1"
    assert export.neutralise("Rimbo") == "Rimbo" and export.neutralise(5) == 5


def test_csv_cells_never_start_a_formula():
    back = pd.read_csv(
        io.StringIO(export.to_csv(FRAME).decode("utf-8-sig")),
        sep=";",
        decimal=",",
        keep_default_na=False,
    )
    texts = list(back["Område"])
    assert texts[2].startswith("'=HYPERLINK") and texts[3] == "'+46 70"
    assert texts[4] == "'-2+3" and texts[5] == "'@SUM(A1)"
    assert texts[6] == "'\tcmd" and texts[7] == "'\rcmd"
    assert list(back["Antal"])[3] == -3  # a negative number is a number, not text


def test_xlsx_keeps_numbers_and_never_writes_a_formula():
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(export.to_xlsx(FRAME)))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Område", "Antal", "Per 1 000", "Tid")
    assert rows[1][:3] == ("Rimbo", 1234, 1.5)
    assert rows[1][3] == dt.datetime(2026, 11, 9, 8, 30)
    assert rows[2][3] is None and rows[5][2] is None
    formula_cell = sheet.cell(row=4, column=1)
    assert formula_cell.data_type == "s"  # stored as text, shown as written
    assert formula_cell.value.startswith("=HYPERLINK")
    assert sheet.cell(row=1, column=1).font.bold
    with pytest.raises(ValueError):
        export.file_bytes(FRAME, "ods")


def test_numbers_in_swedish_and_english():
    assert formats.number(1234567.5, 1, "sv") == "1\u202f234\u202f567,5"
    assert formats.number(1234567.5, 1, "en") == "1,234,567.5"
    assert formats.number(89.1, 1, "sv") == "89,1"
    assert formats.number(None) == formats.number(float("nan")) == formats.number(pd.NA) == "–"
    assert formats.signed(3) == "+3" and formats.signed(-2) == "-2" and formats.signed(0) == "0"
    assert formats.signed(-0.04, 1) == "0,0"  # rounds to no change: no sign


def test_plurals_from_the_catalogue():
    from ui.format import plural

    assert (
        plural("filter.period_text", 1, "sv", count="days", start="a", end="b") == "a – b (1 dag)"
    )
    assert (
        plural("filter.period_text", 2, "sv", count="days", start="a", end="b") == "a – b (2 dagar)"
    )
    assert plural("situation.group_total_no_rate", 1, "sv") == "1 händelse"
    assert plural("situation.group_total_no_rate", 0, "sv") == "0 händelser"
    assert plural("situation.group_total_no_rate", 1500, "sv") == "1\u202f500 händelser"
    assert plural("situation.group_total_no_rate", 1, "en") == "1 event"


def test_map_hexagons_readable_and_one_row_a_hotspot_place():
    from safetycore import maps

    # A whole municipality in view (zoom 7.8 at 60° N): resolution 8 would be 6 px dots.
    assert maps.hex_pixels(8, 7.8, 59.8) < 8 and maps.readable_resolution(7.8, 59.8) == 7
    assert maps.readable_resolution(11, 59.3) == 9  # a city district: the finest cells
    assert all(
        maps.hex_pixels(maps.readable_resolution(z, 59.5), z, 59.5) >= 12 for z in (9, 10, 11, 12)
    )
    hot = pd.DataFrame(
        {
            "cell": ["a", "b", "c"],
            "n": [25, 22, 10],
            "share": [3.7, 3.3, 1.5],
            "persistence": [6, 7, 2],
            "top_category": ["youth", "litter", "theft"],
        }
    )
    merged = maps.merge_hotspots_by_place(
        hot, pd.Series(["Busstation (Centrum)", "Torget", "Busstation (Centrum)"])
    )
    assert list(merged["label"]) == ["Busstation (Centrum)", "Torget"]
    assert list(merged["n"]) == [35, 22] and list(merged["persistence"]) == [6, 7]
    assert merged["share"].iloc[0] == pytest.approx(5.2) and merged["cells"].iloc[0] == 2
    assert merged["top_category"].iloc[0] == "youth"  # the busiest cell's category


def test_action_markers_are_rings_that_leave_the_cell_visible():
    from safetycore import maps

    layer = maps.action_layer(pd.DataFrame({"id": [1], "lat": [59.7], "lon": [18.7], "tip": ["x"]}))
    assert layer.filled is False and layer.stroked is True
