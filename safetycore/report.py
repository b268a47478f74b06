"""The weekly situation report for the minutes: self-contained HTML, or PDF.

The same figures as the Lägesbild page (both come from ``safetycore.situation``), charts as
images (Vega-Lite rendered by vl-convert, embedded as data URIs so the HTML needs no
internet), the week's ratings (with their comments in the internal report), and the task list.
Unless ``internal`` is given, the meeting mode's privacy rules apply: no sensitive categories,
no names, no free text (rating comments, descriptions, notes), no title of an action aimed at
a sensitive category (its number instead), no map cells with fewer than k events. All text is
written as text: escaped in the HTML, plain in the PDF (never Markdown or HTML of its own).

``python -m safetycore report --week 2026-W47 [--area-group ID] [--db PATH] --out FILE.html|.pdf
[--internal]``
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import html
import io
import json
from pathlib import Path
from typing import Any

import altair as alt
import h3
import pandas as pd

from safetycore import clock, db, formats, palette, queries, signals
from safetycore import situation as sit
from safetycore import situation_charts as week_charts
from safetycore.analysis import MIN_COUNT_FOR_PERCENT, rate_per_1000
from safetycore.errors import UsageError
from safetycore.filters import Filter
from safetycore.taxonomy import KINDS, category_label, kind_label, source_label
from safetycore.texts import translator

PACKAGE_DIR = Path(__file__).resolve().parent
FONT_DIR = PACKAGE_DIR / "fonts"
FORMATS = ("html", "pdf")


# --- Texts ---------------------------------------------------------------------------------------


def _number(value, lang: str, decimals: int = 0) -> str:
    return formats.number(value, decimals, lang)  # the one home of number formats


# --- Building ------------------------------------------------------------------------------------


# The week's figures for the report, the command line and e-mails: ``situation.build_week``.
build = sit.build_week


# --- Charts as images ----------------------------------------------------------------------------


def _png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    return _render_png(json.dumps(chart.to_dict(validate=False), sort_keys=True), scale)


@functools.lru_cache(maxsize=128)
def _render_png(spec: str, scale: float) -> bytes:
    # Cached on the full spec (data included): the HTML and the PDF of the same week, or two
    # downloads in a row, render each chart once.
    import vl_convert

    return vl_convert.vegalite_to_png(vl_spec=spec, scale=scale)


def trend_png(ws: sit.WeekSituation, t, lang: str) -> bytes | None:
    if ws.weekly.empty:
        return None
    chart = week_charts.trend_chart(
        ws.weekly,
        ws.week,
        kind_labels={k: kind_label(k, lang) for k in KINDS},
        week_title=t("word.week"),
        count_title=t("word.count"),
        kind_title=t("word.kind"),
        height=220,
        font_size=12,
    )
    return _png(chart.properties(width=620))


def category_png(g: sit.GroupWeek, t, lang: str) -> bytes | None:
    frame = sit.category_frame(
        g.categories, {c: category_label(c, lang) for c in [f.key for f in g.categories]}, limit=8
    )
    if frame.empty or not (frame["week"].sum() or frame["usual"].sum()):
        return None
    chart = week_charts.category_chart(
        frame,
        week_title=t("situation.this_week"),
        usual_title=t("situation.usual"),
        category_title="",
        height=26 * len(frame) + 10,
        font_size=11,
    )
    return _png(chart.properties(width=330))


def map_png(boundaries: pd.DataFrame, g: sit.GroupWeek, legend: str = "n") -> bytes | None:
    """The group's areas and the week's cells, drawn without any basemap; framed on the
    cells (like the page's map) when there are any."""
    mine = boundaries[boundaries["area_group_id"] == g.id]
    if mine.empty:
        return None
    areas = [
        {
            "type": "Feature",
            "properties": {"name": r.name},
            "geometry": json.loads(r.boundary_geojson),
        }
        for r in mine.itertuples(index=False)
    ]
    layers = [
        alt.Chart(alt.Data(values=areas)).mark_geoshape(
            fill=palette.MAP_GROUND, stroke=palette.MAP_EDGE, strokeWidth=0.8, clip=True
        )
    ]
    fit = None
    if len(g.cells):
        cells = []
        for row in g.cells.itertuples(index=False):
            ring = [[lon, lat] for lat, lon in h3.cell_to_boundary(row.cell)]
            ring.append(ring[0])
            cells.append(
                {
                    "type": "Feature",
                    "properties": {"n": int(row.n)},
                    "geometry": {"type": "Polygon", "coordinates": [ring[::-1]]},
                }
            )
        layers.append(
            alt.Chart(alt.Data(values=cells))
            .mark_geoshape(stroke="white", strokeWidth=0.4, clip=True)
            .encode(
                color=alt.Color(
                    "properties.n:Q", title=legend, scale=alt.Scale(scheme="orangered", type="sqrt")
                )
            )
        )
        box = week_charts.cells_box(g.cells)
        if box is not None:
            fit = {"type": "Feature", "properties": {}, "geometry": box}
    projection: dict[str, Any] = {"type": "mercator"}
    if fit is not None:
        projection["fit"] = fit
    chart = alt.layer(*layers).project(**projection).properties(width=300, height=260)
    return _png(chart.configure_view(stroke=None))


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


# --- The content, shared by HTML and PDF ---------------------------------------------------------


def _flag_text(fig: sit.Figure, t) -> str:
    if fig.direction == "up":
        return t("situation.flag_up")
    if fig.direction == "down":
        return t("situation.flag_down")
    return ""


def _change_text(fig: sit.Figure, lang: str) -> str:
    cmp = fig.vs_last_week
    if cmp.too_small:
        return f"{cmp.difference:+d}"
    return f"{cmp.difference:+d} ({_number(cmp.percent, lang)} %)".replace("(-", "(−")


def figure_rows(figures: list[sit.Figure], t, lang: str) -> list[list[str]]:
    rows = []
    for fig in figures:
        label = t("situation.total") if fig.key == "total" else kind_label(fig.key, lang)
        rows.append(
            [
                label,
                _number(fig.week, lang),
                _change_text(fig, lang),
                _number(fig.last_year, lang),
                _number(fig.usual, lang, 1),
                signals.short_range(fig.flag, t, lambda v: _number(v, lang)),
                _flag_text(fig, t),
            ]
        )
    return rows


def figure_header(t) -> list[str]:
    return [
        t("report.figure"),
        t("report.this_week"),
        t("report.change"),
        t("report.last_year"),
        t("report.usual"),
        t("report.expected"),
        t("report.flag"),
    ]


def standout_lines(g: sit.GroupWeek, t, lang: str, area_names: dict[str, str]) -> list[str]:
    lines = []
    for s in g.standouts[:6]:
        usual = _number(s.usual, lang, 1)
        if s.kind == "hotspot":
            area = area_names.get(s.area_id or "", g.name)
            text = t(
                "signals.hotspot_line",
                status=t(f"signals.hotspot_{s.status}"),
                area=area,
                since=s.since,
                n=s.week,
                expected=usual,
            )
        else:
            label = (
                category_label(s.key, lang)
                if s.kind.startswith("category")
                else kind_label(s.key, lang)
            )
            text = t(f"situation.standout_{s.kind}", label=label, week=s.week, usual=usual)
        lines.append(text.replace("**", ""))
    return lines or [t("situation.standout_none")]


def task_rows(g: sit.GroupWeek, t, lang: str, internal: bool) -> list[list[str]]:
    rows = []
    for r in g.tasks.itertuples(index=False):
        owner = source_label(r.owner_org, lang)
        if internal and r.assignee:
            owner = f"{owner} ({r.assignee})"
        due = pd.Timestamp(r.due_date).date().isoformat() if pd.notna(r.due_date) else "–"
        done = pd.Timestamp(r.done_on).date().isoformat() if pd.notna(r.done_on) else ""
        rows.append([t(f"situation.bucket_{r.bucket}"), r.title, owner, due, done])
    return rows


def task_header(t) -> list[str]:
    return [
        t("situation.task_list"),
        t("situation.task_title"),
        t("situation.task_owner"),
        t("situation.task_due"),
        t("situation.task_done"),
    ]


def source_rows(ws: sit.WeekSituation, t, lang: str) -> list[list[str]]:
    rows = []
    for r in ws.sources.itertuples(index=False):
        status = (
            t("situation.source_none")
            if r.week == 0
            else t("situation.source_low")
            if sit.poisson_flag(r.week, r.usual).direction == "low"
            else t("situation.source_ok")
        )
        rows.append(
            [source_label(r.source, lang), _number(r.week, lang), _number(r.usual, lang, 1), status]
        )
    return rows


def source_header(t) -> list[str]:
    return [
        t("word.source"),
        t("situation.source_week"),
        t("situation.source_usual"),
        t("situation.source_status"),
    ]


def rating_line(g: sit.GroupWeek, ws: sit.WeekSituation, t, internal: bool = True) -> str:
    """The week's rating; its comment (free text) only in the internal report."""
    saved = g.rating_for(ws.week.label)
    if not saved:
        return t("report.no_rating")
    if not internal:
        return t("report.rating_only", rating=int(saved["rating"]))
    return t("report.rating_by", rating=int(saved["rating"]), comment=saved["comment"] or "–")


def past_ratings(g: sit.GroupWeek, ws: sit.WeekSituation) -> list[tuple[str, int | None]]:
    by_week = dict(zip(g.ratings["iso_week"], g.ratings["rating"], strict=True))
    return [
        (label, None if by_week.get(label) is None else int(by_week[label]))
        for label in ws.rating_weeks
    ]


class _Context:
    def __init__(self, con, ws: sit.WeekSituation, lang: str, internal: bool):
        self.ws = ws
        self.lang = lang
        self.internal = internal
        self.t = translator(lang)
        cur = con.cursor()
        try:
            self.municipality = db.meta_get(cur, "municipality") or ""
            self.demo = db.meta_get(cur, "demo") == "true"
            self.generated_at = clock.now(db.meta_get(cur, "timezone"))
        finally:
            cur.close()
        self.boundaries = queries.run(con, "area_boundaries")
        self.area_names = dict(zip(self.boundaries["id"], self.boundaries["name"], strict=True))

    def privacy_note(self) -> str:
        if self.internal:
            return self.t("report.internal")
        return self.t("report.public", k=self.ws.min_cell)


# --- HTML ----------------------------------------------------------------------------------------

_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; color: #1d1d1d; margin: 2rem auto;
       max-width: 60rem; line-height: 1.4; }
h1 { margin-bottom: 0.2rem; } h2 { border-bottom: 2px solid #2471a3; padding-bottom: 0.2rem;
margin-top: 2.2rem; } .muted { color: #555; } .note { background: #f3f6fa; padding: 0.5rem 0.8rem;
border-left: 4px solid #2471a3; } .internal { background: #fdecea; border-left-color: #c0392b; }
table { border-collapse: collapse; width: 100%; margin: 0.6rem 0 1rem; font-size: 0.92rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.5rem; text-align: left; }
td.n, th.n { text-align: right; } .up { color: #c0392b; font-weight: bold; } .down { color: #2471a3; }
.row { display: flex; gap: 1.5rem; flex-wrap: wrap; align-items: flex-start; }
.chip { display: inline-block; color: white; border-radius: 0.3rem; padding: 0.1rem 0.45rem;
margin: 0 0.2rem 0.2rem 0; font-size: 0.85rem; } img { max-width: 100%; }
@media print { h2 { page-break-before: always; } }
"""


def _table(
    header: list[str], rows: list[list[str]], numeric: frozenset[int] | set[int] = frozenset()
) -> str:
    def cell(tag: str, i: int, text: str) -> str:
        cls = ' class="n"' if i in numeric else ""
        if text and text.startswith("▲"):
            cls = ' class="up"'
        elif text and text.startswith("▼"):
            cls = ' class="down"'
        return f"<{tag}{cls}>{html.escape(str(text))}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(cell("td", i, c) for i, c in enumerate(r)) + "</tr>" for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(ctx: _Context) -> str:
    ws, t, lang = ctx.ws, ctx.t, ctx.lang
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{esc(t('report.title', week=ws.week.label))}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{esc(t('report.title', week=ws.week.label))}</h1>",
        f'<p class="muted">{esc(t("report.subtitle", municipality=ctx.municipality, start=ws.week.monday.isoformat(), end=ws.week.sunday.isoformat()))}<br>'
        f"{esc(t('report.generated', at=ctx.generated_at.strftime('%Y-%m-%d %H:%M'), day=ws.as_of.isoformat()))}</p>",
        f'<p class="note{" internal" if ctx.internal else ""}">{esc(ctx.privacy_note())}</p>',
    ]
    if ctx.demo:
        parts.append(f'<p class="note">{esc(t("report.demo"))}</p>')
    parts.append(f'<h2 id="overview">{esc(t("report.municipality"))}</h2>')
    parts.append(_table(figure_header(t), figure_rows(ws.headline, t, lang), {1, 2, 3, 4, 5}))
    notes = [t("situation.small_counts", n=MIN_COUNT_FOR_PERCENT), t("situation.flag_help")]
    if ws.unplaced.week:
        notes.append(t("situation.unplaced", n=_number(ws.unplaced.week, lang)))
    parts.append(f'<p class="muted">{esc(" ".join(notes))}</p>')
    trend = trend_png(ws, t, lang)
    if trend:
        parts.append(f"<h3>{esc(t('situation.trend'))}</h3>")
        parts.append(f'<img alt="{esc(t("situation.trend"))}" src="{_data_uri(trend)}">')
    parts.append(f"<h3>{esc(t('situation.sources'))}</h3>")
    parts.append(_table(source_header(t), source_rows(ws, t, lang), {1, 2}))
    # Overview of ratings for all groups.
    parts.append(f"<h3>{esc(t('report.rating'))}</h3>")
    parts.append(
        _table(
            [t("word.area_group"), t("report.rating")],
            [[g.name, rating_line(g, ws, t, ctx.internal)] for g in ws.groups],
        )
    )

    for g in ws.groups:
        rate = rate_per_1000(g.total.week, g.population)
        summary = (
            t("situation.group_total", n=_number(g.total.week, lang), rate=_number(rate, lang, 2))
            if rate is not None
            else t("situation.group_total_no_rate", n=_number(g.total.week, lang))
        )
        parts.append(
            f'<h2 id="group-{esc(g.id)}">{esc(g.name)}</h2><p class="muted">{esc(summary)}</p>'
        )
        parts.append(_table(figure_header(t), figure_rows(g.headline, t, lang), {1, 2, 3, 4, 5}))
        parts.append(
            f"<h3>{esc(t('situation.standouts'))}</h3><ul>"
            + "".join(
                f"<li>{esc(line)}</li>" for line in standout_lines(g, t, lang, ctx.area_names)
            )
            + "</ul>"
        )
        images = []
        cats = category_png(g, t, lang)
        if cats:
            images.append(
                f'<figure><img alt="{esc(t("situation.by_category"))}" src="{_data_uri(cats)}">'
                f'<figcaption class="muted">{esc(t("situation.category_chart_note"))}</figcaption></figure>'
            )
        gmap = map_png(ctx.boundaries, g, t("word.events"))
        if gmap:
            images.append(
                f'<figure><img alt="{esc(t("situation.map"))}" src="{_data_uri(gmap)}">'
                f'<figcaption class="muted">{esc(t("report.map_caption"))}</figcaption></figure>'
            )
        parts.append('<div class="row">' + "".join(images) + "</div>")
        parts.append(
            f"<h3>{esc(t('report.rating'))}</h3><p>{esc(rating_line(g, ws, t, ctx.internal))}</p>"
        )
        chips = "".join(
            f'<span class="chip" style="background:{palette.RATING.get(v, palette.PALE) if v else palette.PALE}">'
            f"v{label[-2:]} {v if v else '–'}</span>"
            for label, v in past_ratings(g, ws)
        )
        parts.append(f'<p class="muted">{esc(t("report.ratings_past"))}: {chips}</p>')
        parts.append(f"<h3>{esc(t('situation.tasks', day=ws.as_of.isoformat()))}</h3>")
        rows = task_rows(g, t, lang, ctx.internal)
        parts.append(
            _table(task_header(t), rows) if rows else f"<p>{esc(t('report.no_tasks'))}</p>"
        )
    parts.append("</body></html>")
    return "\n".join(parts)


# --- PDF -----------------------------------------------------------------------------------------


def render_pdf(ctx: _Context) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    ws, t, lang = ctx.ws, ctx.t, ctx.lang

    class Report(FPDF):
        def footer(self):
            self.set_y(-12)
            self.set_font("DejaVu", size=8)
            self.set_text_color(110)
            self.cell(
                0,
                8,
                f"{t('report.title', week=ws.week.label)} · {t('report.page', n=self.page_no())}",
                align="C",
            )
            self.set_text_color(0)

    pdf = Report(format="A4")
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(t("report.title", week=ws.week.label))
    heading = FontFace(emphasis="BOLD", fill_color=(228, 236, 244))

    def h1(text: str) -> None:
        pdf.set_font("DejaVu", "B", 18)
        pdf.multi_cell(0, 9, text, new_x="LMARGIN", new_y="NEXT")

    def h2(text: str) -> None:
        pdf.ln(2)
        pdf.set_font("DejaVu", "B", 13)
        pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 9)

    def para(text: str, size: float = 9, colour: int = 0) -> None:
        pdf.set_font("DejaVu", "", size)
        pdf.set_text_color(colour)
        pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)

    def table(header: list[str], rows: list[list[str]], widths: tuple | None = None) -> None:
        pdf.set_font("DejaVu", "", 8.5)
        with pdf.table(
            col_widths=widths,
            headings_style=heading,
            line_height=5,
            text_align="LEFT",
            first_row_as_headings=True,
        ) as tbl:
            for r in [header, *rows]:
                row = tbl.row()
                for c in r:
                    row.cell(str(c))
        pdf.ln(1)

    def image(png: bytes | None, width: float, x: float | None = None) -> float:
        if not png:
            return 0.0
        info = pdf.image(io.BytesIO(png), x=x, w=width)
        return float(info.rendered_height)

    pdf.add_page()
    h1(t("report.title", week=ws.week.label))
    para(
        t(
            "report.subtitle",
            municipality=ctx.municipality,
            start=ws.week.monday.isoformat(),
            end=ws.week.sunday.isoformat(),
        ),
        10,
        70,
    )
    para(
        t(
            "report.generated",
            at=ctx.generated_at.strftime("%Y-%m-%d %H:%M"),
            day=ws.as_of.isoformat(),
        ),
        8,
        90,
    )
    pdf.ln(1)
    para(ctx.privacy_note(), 8.5, 150 if ctx.internal else 40)
    if ctx.demo:
        para(t("report.demo"), 8.5, 90)
    h2(t("report.municipality"))
    table(figure_header(t), figure_rows(ws.headline, t, lang), (30, 14, 20, 18, 15, 14, 22))
    notes = [t("situation.small_counts", n=MIN_COUNT_FOR_PERCENT), t("situation.flag_help")]
    if ws.unplaced.week:
        notes.append(t("situation.unplaced", n=_number(ws.unplaced.week, lang)))
    para(" ".join(notes), 7.5, 90)
    trend = trend_png(ws, t, lang)
    if trend:
        h2(t("situation.trend"))
        image(trend, 170)
    h2(t("situation.sources"))
    table(source_header(t), source_rows(ws, t, lang), (40, 18, 18, 24))
    h2(t("report.rating"))
    table(
        [t("word.area_group"), t("report.rating")],
        [[g.name, rating_line(g, ws, t, ctx.internal)] for g in ws.groups],
        (30, 70),
    )

    for g in ws.groups:
        pdf.add_page()
        h1(g.name)
        rate = rate_per_1000(g.total.week, g.population)
        para(
            t("situation.group_total", n=_number(g.total.week, lang), rate=_number(rate, lang, 2))
            if rate is not None
            else t("situation.group_total_no_rate", n=_number(g.total.week, lang)),
            9,
            70,
        )
        table(figure_header(t), figure_rows(g.headline, t, lang), (30, 14, 20, 18, 15, 14, 22))
        h2(t("situation.standouts"))
        for line in standout_lines(g, t, lang, ctx.area_names):
            para(f"• {line}")
        top = pdf.get_y() + 2
        cats = category_png(g, t, lang)
        gmap = map_png(ctx.boundaries, g, t("word.events"))
        pdf.set_y(top)
        left_h = image(cats, 95, x=pdf.l_margin) if cats else 0.0
        pdf.set_y(top)
        right_h = image(gmap, 80, x=pdf.l_margin + 100) if gmap else 0.0
        pdf.set_y(top + max(left_h, right_h) + 2)
        h2(t("report.rating"))
        para(rating_line(g, ws, t, ctx.internal), 9.5)
        chips = "  ".join(f"v{label[-2:]}: {v if v else '–'}" for label, v in past_ratings(g, ws))
        para(f"{t('report.ratings_past')}: {chips}", 8, 80)
        h2(t("situation.tasks", day=ws.as_of.isoformat()))
        rows = task_rows(g, t, lang, ctx.internal)
        if rows:
            table(task_header(t), rows, (26, 74, 32, 20, 20))
        else:
            para(t("report.no_tasks"))
    return bytes(pdf.output())


# --- Entry points --------------------------------------------------------------------------------


def report_bytes(
    con,
    week_label: str,
    base: Filter | None = None,
    *,
    fmt: str = "html",
    lang: str = "sv",
    today: dt.date | None = None,
    internal: bool = False,
    min_cell: int = sit.DEFAULT_MIN_CELL,
    area_group: str | None = None,
) -> bytes:
    """The report as bytes (UTF-8 HTML or PDF)."""
    if fmt not in FORMATS:
        raise UsageError(f"Unknown report format {fmt!r}; use html or pdf.")
    ws = build(
        con,
        week_label,
        base,
        today=today,
        internal=internal,
        min_cell=min_cell,
        area_group=area_group,
    )
    ctx = _Context(con, ws, lang, internal)
    if fmt == "pdf":
        return render_pdf(ctx)
    return render_html(ctx).encode("utf-8")


def run_report_command(args) -> int:
    """``python -m safetycore report``: write the week's report; exit codes as the CLI says."""
    out = Path(args.out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt == "htm":
        fmt = "html"
    if fmt not in FORMATS:
        raise UsageError(f"--out must end in .html or .pdf (got {out.name!r}).")
    try:
        sit.Week.parse(args.week)
    except ValueError as exc:
        raise UsageError(f"{exc} Give --week as YYYY-Www, for example 2026-W47.") from exc
    if not out.parent.exists():
        raise UsageError(f"The folder {out.parent} does not exist.")
    con = db.connect(args.db, read_only=True, create=False)  # missing: exit 2, held: exit 3
    try:
        content = report_bytes(
            con,
            args.week.strip().upper(),
            fmt=fmt,
            lang=getattr(args, "lang", None) or "sv",
            internal=bool(args.internal),
            area_group=args.area_group,
        )
    finally:
        con.close()
    out.write_bytes(content)
    kind = "internal" if args.internal else "shareable"
    print(f"Wrote the {kind} report for {args.week.upper()} to {out} ({len(content):,} bytes).")
    return 0
