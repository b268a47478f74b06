"""The yearly situation picture as a document: self-contained HTML, PDF for the council, and
JSON with the figures behind it. The same tables feed the Årlig lägesbild page.

``python -m safetycore report --year 2026 [--db PATH] --out FILE.html|FILE.pdf|FILE.json
[--internal]``
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import pandas as pd

from safetycore import clock, db, palette, queries
from safetycore import yearly as yr
from safetycore.clock import reference_date
from safetycore.errors import UsageError
from safetycore.involvement import INVOLVED
from safetycore.report import FONT_DIR, _data_uri, _number, _png
from safetycore.taxonomy import category_label, kind_label, source_label
from safetycore.texts import translator

FORMATS = ("html", "pdf", "json")
PLACES_SHOWN = 12


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]
    numeric: frozenset[int] = frozenset()


class Content:
    """The picture's tables and sentences in one language (shared by HTML, PDF and the page)."""

    def __init__(
        self,
        p: yr.YearlyPicture,
        lang: str,
        *,
        municipality: str = "",
        area_names: dict[str, str] | None = None,
    ):
        self.p, self.lang, self.t = p, lang, translator(lang)
        self.municipality = municipality
        self.area_names = area_names or {}
        self.group_names = {f.key: f.name or f.key for f in p.area_groups}
        self.y1, self.y2 = p.year - 1, p.year - 2

    # numbers
    def n(self, value, decimals: int = 0) -> str:
        if value is None:
            return self.t("yearly.fewer", k=self.p.min_count)
        return _number(value, self.lang, decimals)

    def kr(self, value) -> str:
        return "–" if value is None else _number(value, self.lang)

    def pct(self, share: float) -> str:
        return f"{_number(100 * share, self.lang)} %"

    def judgement(self, f: yr.Figure) -> str:
        return self.t(f"yearly.change.{f.change}")

    def expected(self, f: yr.Figure) -> str:
        if f.expected_low is None:
            return "–"
        return f"{self.n(f.expected_low)}–{self.n(f.expected_high)}"

    # part 1: extent
    def headline(self) -> Table:
        t = self.t
        rows = []
        for f in [self.p.total, *self.p.kinds]:
            label = t("yearly.col.total") if f.key == "total" else kind_label(f.key, self.lang)
            rows.append(
                [
                    label,
                    self.n(f.count),
                    self.n(f.per_1000, 1) if f.per_1000 is not None else "–",
                    self.n(f.previous[self.y1]),
                    self.n(f.previous[self.y2]),
                    self.expected(f),
                    self.judgement(f),
                ]
            )
        return Table(self._extent_header(t("yearly.col.figure")), rows, frozenset({1, 2, 3, 4}))

    def _extent_header(self, first: str) -> list[str]:
        t = self.t
        return [
            first,
            t("yearly.col.count", year=self.p.year),
            t("yearly.col.per_1000"),
            str(self.y1),
            str(self.y2),
            t("yearly.col.expected"),
            t("yearly.col.judgement"),
        ]

    def categories(self) -> Table:
        rows = [
            [
                category_label(f.key, self.lang),
                self.n(f.count),
                self.n(f.per_1000, 2) if f.per_1000 is not None else "–",
                self.n(f.previous[self.y1]),
                self.n(f.previous[self.y2]),
                self.expected(f),
                self.judgement(f),
            ]
            for f in self.p.categories
        ]
        return Table(
            self._extent_header(self.t("yearly.col.category")), rows, frozenset({1, 2, 3, 4})
        )

    def groups(self) -> Table:
        rows = [
            [
                f.name or f.key,
                self.n(f.count),
                self.n(f.per_1000, 1) if f.per_1000 is not None else "–",
                self.n(f.previous[self.y1]),
                self.n(f.previous[self.y2]),
                self.expected(f),
                self.judgement(f),
            ]
            for f in self.p.area_groups
        ]
        u = self.p.unplaced
        if u.count or any(u.previous.values()):
            rows.append(
                [
                    self.t("yearly.col.unplaced"),
                    self.n(u.count),
                    "–",
                    self.n(u.previous[self.y1]),
                    self.n(u.previous[self.y2]),
                    "–",
                    "",
                ]
            )
        return Table(
            self._extent_header(self.t("yearly.col.area_group")), rows, frozenset({1, 2, 3, 4})
        )

    # part 2: consequences
    def cost_total(self) -> str:
        t = self.t
        return t(
            "yearly.line.cost_total",
            cost=self.kr(self.p.total.cost_sek),
            previous=self.kr(self.p.total.cost_previous),
            y1=self.y1,
        )

    def _cost_row(self, label: str, f: yr.Figure) -> list[str]:
        change = (
            None if f.cost_sek is None or f.cost_previous is None else f.cost_sek - f.cost_previous
        )
        shown = "–" if change is None else ("+" if change > 0 else "") + _number(change, self.lang)
        return [
            label,
            self.kr(f.cost_sek),
            self.kr(f.cost_previous),
            shown.replace("-", "−"),
            self.n(f.n_cost) if f.count is not None else "–",
        ]

    def _cost_header(self, first: str) -> list[str]:
        t = self.t
        return [
            first,
            t("yearly.col.cost", year=self.p.year),
            t("yearly.col.cost", year=self.y1),
            t("yearly.col.cost_change"),
            t("yearly.col.with_cost"),
        ]

    def costs_by_category(self) -> Table:
        rows = [
            self._cost_row(category_label(f.key, self.lang), f)
            for f in self.p.categories
            if (f.cost_sek or 0) > 0 or (f.cost_previous or 0) > 0
        ]
        rows.append(self._cost_row(self.t("yearly.col.total"), self.p.total))
        return Table(
            self._cost_header(self.t("yearly.col.category")), rows, frozenset({1, 2, 3, 4})
        )

    def costs_by_group(self) -> Table:
        rows = [self._cost_row(f.name or f.key, f) for f in self.p.area_groups]
        return Table(
            self._cost_header(self.t("yearly.col.area_group")), rows, frozenset({1, 2, 3, 4})
        )

    def involved(self) -> Table:
        t, p = self.t, self.p
        known = sum(v or 0 for v in p.involved.values()) or 1
        rows = []
        for g in INVOLVED:
            n = p.involved[g]
            rows.append(
                [
                    t(f"involvement.{g}"),
                    self.n(n),
                    "–" if n is None else self.pct(n / known),
                    self.n(p.involved_previous[g]),
                    _number(p.people[g], self.lang) if g != "unknown" else "–",
                ]
            )
        return Table(
            [
                t("yearly.col.group"),
                t("yearly.col.count", year=p.year),
                t("yearly.col.share"),
                str(self.y1),
                t("yearly.col.people"),
            ],
            rows,
            frozenset({1, 2, 3, 4}),
        )

    def involved_note(self) -> str:
        return self.t("yearly.line.not_recorded", n=self.n(self.p.not_recorded))

    def involved_by_category(self, limit: int = 12) -> Table:
        frame = self.p.involved_by_category.copy()
        t = self.t
        if frame.empty:
            return Table([], [])
        frame["known"] = frame[["youth", "adults", "mixed"]].fillna(0).sum(axis=1)
        frame = frame.sort_values("known", ascending=False).head(limit)
        rows = [
            [
                category_label(r["category"], self.lang),
                *[self.n(None if pd.isna(r[g]) else int(r[g])) for g in INVOLVED],
            ]
            for _, r in frame.iterrows()
            if r["known"] > 0
        ]
        return Table(
            [t("yearly.col.category"), *[t(f"involvement.{g}") for g in INVOLVED]],
            rows,
            frozenset({1, 2, 3, 4}),
        )

    def busiest_line(self) -> str:
        t = self.t
        bands = ", ".join(
            t(
                "yearly.line.band",
                day=t(f"yearly.weekday.{d}"),
                first=f"{h:02d}",
                last=f"{(h + 3) % 24:02d}",
            )
            + f" ({self.n(n)})"
            for d, h, n in self.p.busiest
        )
        return t("yearly.line.busiest", bands=bands or "–")

    def places(self, status: tuple[str, ...] | None = None, limit: int = PLACES_SHOWN) -> Table:
        t, p = self.t, self.p
        chosen = [pl for pl in p.places if status is None or pl.status in status][:limit]
        rows = []
        for pl in chosen:
            where = pl.area or "–"
            if p.internal and pl.place:
                where = f"{pl.place} ({where})"
            rows.append(
                [
                    where,
                    self.group_names.get(pl.area_group_id or "", "–"),
                    t(f"yearly.status.{pl.status}"),
                    *[self.n(pl.counts[y]) for y in p.years],
                ]
            )
        return Table(
            [
                t("yearly.col.place"),
                t("yearly.col.area_group"),
                t("yearly.col.status"),
                *[str(y) for y in p.years],
            ],
            rows,
            frozenset({3, 4, 5}),
        )

    # part 3: other relevant information
    def sources(self) -> Table:
        t = self.t
        rows = [
            [
                source_label(s.source, self.lang),
                self.n(s.count),
                self.n(s.previous),
                f"{s.months} / {self.p.span.end.month}",
                self.pct(s.exact_time),
                self.pct(s.located),
                self.pct(s.placed),
                self.pct(s.with_cost),
                self.pct(s.with_involved),
            ]
            for s in self.p.sources
        ]
        return Table(
            [
                t("yearly.col.source"),
                t("yearly.col.count", year=self.p.year),
                str(self.y1),
                t("yearly.col.months"),
                t("yearly.col.exact_time"),
                t("yearly.col.located"),
                t("yearly.col.placed"),
                t("yearly.col.with_cost"),
                t("yearly.col.with_involved"),
            ],
            rows,
            frozenset({1, 2, 4, 5, 6, 7, 8}),
        )

    def gaps(self) -> list[str]:
        out = []
        for g in self.p.gaps:
            values = dict(g.values)
            if "source" in values:
                values["source"] = source_label(values["source"], self.lang)
            for key in ("n", "of", "previous"):
                if isinstance(values.get(key), int):
                    values[key] = _number(values[key], self.lang)
            out.append(self.t(f"yearly.gap.{g.code}", **values))
        return out

    # part 4: analysis
    def change_lines(self) -> list[str]:
        t = self.t
        lines = []
        for f in self.p.changes:
            label = f.name if f.name else category_label(f.key, self.lang)
            lines.append(
                t(
                    "yearly.line.change",
                    label=label,
                    count=self.n(f.count),
                    expected=self.n(f.expected, 0),
                    low=self.n(f.expected_low),
                    high=self.n(f.expected_high),
                    judgement=self.judgement(f),
                )
            )
        return lines or [t("yearly.line.no_change")]

    def peak_line(self) -> str:
        months = ", ".join(self.t(f"yearly.month.{m}") for m in self.p.peak_months)
        return self.t("yearly.line.peak", months=months or "–")

    def verdict(self, a: yr.ActionYear) -> str:
        def f(x):
            return _number(x, self.lang, 2)

        if a.verdict in ("drop", "rise", "unclear"):
            return self.t(
                f"yearly.verdict.{a.verdict}", ratio=f(a.ratio), low=f(a.low), high=f(a.high)
            )
        return self.t(f"yearly.verdict.{a.verdict}")

    def actions(self) -> Table:
        t = self.t
        rows = []
        for a in self.p.actions:
            before = self.kr(a.problem_cost_before)
            after = self.kr(a.problem_cost_after)
            rows.append(
                [
                    a.title,
                    self.group_names.get(a.area_group_id, a.area_group_id),
                    a.start_date.isoformat(),
                    t(f"yearly.action_status.{a.status}"),
                    self.kr(a.cost_sek),
                    self.verdict(a),
                    "–" if a.problem_cost_before is None else f"{before} → {after}",
                ]
            )
        return Table(
            [
                t("yearly.col.action"),
                t("yearly.col.area_group"),
                t("yearly.col.start"),
                t("yearly.col.action_status"),
                t("yearly.col.action_cost"),
                t("yearly.col.effect"),
                t("yearly.col.problem_cost"),
            ],
            rows,
            frozenset({4}),
        )

    def text_by(self, section: str) -> str:
        found = self.p.texts.get(section)
        if not found:
            return ""
        at = found.written_at.strftime("%Y-%m-%d %H:%M")
        if found.written_by:
            return self.t("yearly.text.by", by=found.written_by, at=at)
        return self.t("yearly.text.at", at=at)

    def privacy_note(self) -> str:
        if self.p.internal:
            return self.t("yearly.internal")
        return self.t("yearly.public", k=self.p.min_count)


# --- charts --------------------------------------------------------------------------------


def season_chart(p: yr.YearlyPicture, t, *, height: int = 220, font_size: int = 12) -> alt.Chart:
    frame = p.months.assign(year=lambda f: f["year"].astype(str))
    return (
        alt.Chart(frame)
        .mark_line(point=True, strokeWidth=2.5)
        .encode(
            x=alt.X("month:O", title=t("yearly.col.month")),
            y=alt.Y("n:Q", title=t("word.count")),
            color=alt.Color(
                "year:N",
                title=t("yearly.year"),
                scale=alt.Scale(domain=[str(y) for y in p.years], range=list(palette.YEARS)),
            ),
            tooltip=["year:N", "month:O", "n:Q"],
        )
        .properties(height=height)
        .configure_axis(labelFontSize=font_size, titleFontSize=font_size)
        .configure_legend(labelFontSize=font_size, titleFontSize=font_size, orient="top")
    )


def weekday_hour_chart(
    p: yr.YearlyPicture, t, lang: str, *, height: int = 200, font_size: int = 11
) -> alt.Chart:
    days = {d: t(f"yearly.weekday.{d}") for d in range(1, 8)}
    frame = p.weekday_hour.assign(day=lambda f: f["weekday"].map(days))
    return (
        alt.Chart(frame)
        .mark_rect()
        .encode(
            x=alt.X("hour:O", title=t("yearly.col.hours")),
            y=alt.Y("day:N", title="", sort=list(days.values())),
            color=alt.Color("n:Q", title=t("word.count"), scale=alt.Scale(scheme="orangered")),
            tooltip=["day:N", "hour:O", "n:Q"],
        )
        .properties(height=height)
        .configure_axis(labelFontSize=font_size, titleFontSize=font_size)
        .configure_legend(labelFontSize=font_size, titleFontSize=font_size)
    )


# --- building ------------------------------------------------------------------------------


def build(
    con,
    year: int,
    *,
    today: dt.date | None = None,
    internal: bool = False,
    min_count: int = yr.DEFAULT_MIN_CELL,
) -> yr.YearlyPicture:
    cur = con.cursor()
    try:
        today = today or reference_date(cur)
    finally:
        cur.close()

    def run(name: str, flt=None, **extra) -> pd.DataFrame:
        return queries.run(con, name, flt, **extra)

    return yr.yearly_picture(run, int(year), today=today, internal=internal, min_count=min_count)


class _Doc:
    def __init__(self, con, p: yr.YearlyPicture, lang: str):
        cur = con.cursor()
        try:
            municipality = db.meta_get(cur, "municipality") or ""
            self.demo = db.meta_get(cur, "demo") == "true"
            self.generated_at = clock.now(db.meta_get(cur, "timezone"))
        finally:
            cur.close()
        self.c = Content(p, lang, municipality=municipality)
        self.p, self.t, self.lang = p, self.c.t, lang

    def title(self) -> str:
        return self.t("yearly.title", year=self.p.year)

    def subtitle(self) -> str:
        p = self.p
        return self.t(
            "yearly.subtitle",
            municipality=self.c.municipality,
            start=p.span.start.isoformat(),
            end=p.span.end.isoformat(),
        )

    def compared(self) -> str:
        text = self.t("yearly.compared", y1=self.c.y1, y2=self.c.y2)
        if not self.p.complete:
            text += " " + self.t("yearly.so_far")
        return text


# --- HTML ----------------------------------------------------------------------------------

_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; color: #1d1d1d; margin: 2rem auto;
       max-width: 62rem; line-height: 1.4; padding: 0 1rem; }
h1 { margin-bottom: 0.2rem; } h2 { border-bottom: 2px solid #2471a3; padding-bottom: 0.2rem;
margin-top: 2.4rem; } h3 { margin-top: 1.4rem; } .muted { color: #555; }
.note { background: #f3f6fa; padding: 0.5rem 0.8rem; border-left: 4px solid #2471a3; }
.internal { background: #fdecea; border-left-color: #c0392b; }
.analyst { background: #fbf8ef; border-left: 4px solid #b7950b; padding: 0.5rem 0.8rem;
white-space: pre-wrap; }
table { border-collapse: collapse; width: 100%; margin: 0.6rem 0 1rem; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.5rem; text-align: left; }
td.n, th.n { text-align: right; } .up { color: #c0392b; font-weight: bold; }
.down { color: #2471a3; font-weight: bold; } img { max-width: 100%; }
@media print { h2 { page-break-before: always; } }
"""


def _html_table(tb: Table) -> str:
    if not tb.rows:
        return ""

    def cell(tag: str, i: int, text: str) -> str:
        cls = ' class="n"' if i in tb.numeric else ""
        if str(text).startswith("▲"):
            cls = ' class="up"'
        elif str(text).startswith("▼"):
            cls = ' class="down"'
        return f"<{tag}{cls}>{html.escape(str(text))}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(tb.header))
    body = "".join(
        "<tr>" + "".join(cell("td", i, c) for i, c in enumerate(r)) + "</tr>" for r in tb.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(doc: _Doc) -> str:
    c, t, p, esc = doc.c, doc.t, doc.p, html.escape
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{doc.lang}"><head><meta charset="utf-8">',
        f"<title>{esc(doc.title())}</title><style>{_CSS}</style></head><body>",
        f"<h1>{esc(doc.title())}</h1>",
        f'<p class="muted">{esc(doc.subtitle())}<br>{esc(doc.compared())}<br>'
        f"{esc(t('yearly.generated', at=doc.generated_at.strftime('%Y-%m-%d %H:%M')))}</p>",
        f'<p class="note{" internal" if p.internal else ""}">{esc(c.privacy_note())}</p>',
        f'<p class="muted">{esc(t("yearly.law"))}</p>',
    ]
    if doc.demo:
        out.append(f'<p class="note">{esc(t("yearly.demo"))}</p>')

    def h2(part: str) -> None:
        out.append(f'<h2 id="{part}">{esc(t(f"yearly.part.{part}"))}</h2>')
        out.append(f'<p class="muted">{esc(t(f"yearly.intro.{part}"))}</p>')

    def analyst(section: str, heading: bool = False) -> None:
        text = p.text(section)
        if heading:
            out.append(f'<h2 id="{section}">{esc(t(f"yearly.part.{section}"))}</h2>')
        if text:
            out.append(f'<div class="analyst">{esc(text)}</div>')
            out.append(f'<p class="muted">{esc(c.text_by(section))}</p>')
        elif heading:
            out.append(f'<p class="muted">{esc(t("yearly.text.none"))}</p>')

    def image(chart: alt.Chart, width: int, alt_text: str) -> None:
        png = _png(chart.properties(width=width))
        out.append(f'<img alt="{esc(alt_text)}" src="{_data_uri(png)}">')

    h2("extent")
    out.append(_html_table(c.headline()))
    out.append(f"<h3>{esc(t('yearly.col.category'))}</h3>" + _html_table(c.categories()))
    out.append(f"<h3>{esc(t('yearly.col.area_group'))}</h3>" + _html_table(c.groups()))
    analyst("extent")

    h2("consequences")
    out.append(f"<p>{esc(c.cost_total())}</p>")
    out.append(_html_table(c.costs_by_category()))
    out.append(_html_table(c.costs_by_group()))
    out.append(f"<h3>{esc(t('involvement.involved'))}</h3>" + _html_table(c.involved()))
    out.append(f'<p class="muted">{esc(c.involved_note())}</p>')
    out.append(_html_table(c.involved_by_category()))
    out.append(f"<h3>{esc(t('yearly.col.hours'))}</h3><p>{esc(c.busiest_line())}</p>")
    if not p.weekday_hour.empty:
        image(weekday_hour_chart(p, t, doc.lang), 640, t("yearly.col.hours"))
    out.append(f"<h3>{esc(t('yearly.col.place'))}</h3>")
    places = c.places()
    out.append(
        _html_table(places)
        if places.rows
        else f"<p>{esc(t('yearly.line.no_places', n=max(p.min_count, 10)))}</p>"
    )
    analyst("consequences")

    h2("other")
    out.append(_html_table(c.sources()))
    out.append("<ul>" + "".join(f"<li>{esc(line)}</li>" for line in c.gaps()) + "</ul>")
    analyst("other")

    h2("analysis")
    for status in ("persistent", "emerging", "fading"):
        tb = c.places((status,), limit=8)
        if tb.rows:
            out.append(f"<h3>{esc(t(f'yearly.status.{status}'))}</h3>" + _html_table(tb))
    out.append(f"<h3>{esc(t('yearly.col.month'))}</h3><p>{esc(c.peak_line())}</p>")
    if not p.months.empty:
        image(season_chart(p, t), 640, t("yearly.col.month"))
    out.append("<ul>" + "".join(f"<li>{esc(line)}</li>" for line in c.change_lines()) + "</ul>")
    out.append(f"<h3>{esc(t('yearly.col.action'))}</h3>")
    actions = c.actions()
    out.append(
        _html_table(actions) if actions.rows else f"<p>{esc(t('yearly.line.no_actions'))}</p>"
    )
    analyst("analysis")
    analyst("conclusions", heading=True)
    analyst("priorities", heading=True)
    out.append("</body></html>")
    return "\n".join(out)


# --- PDF -----------------------------------------------------------------------------------


def render_pdf(doc: _Doc) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    c, t, p = doc.c, doc.t, doc.p
    title = doc.title()

    class Report(FPDF):
        def footer(self):
            self.set_y(-12)
            self.set_font("DejaVu", size=8)
            self.set_text_color(110)
            self.cell(0, 8, f"{title} · {t('report.page', n=self.page_no())}", align="C")
            self.set_text_color(0)

    pdf = Report(format="A4")
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title)
    heading = FontFace(emphasis="BOLD", fill_color=(228, 236, 244))

    def h1(text: str) -> None:
        pdf.set_font("DejaVu", "B", 18)
        pdf.multi_cell(0, 9, text, new_x="LMARGIN", new_y="NEXT")

    def h2(text: str, size: float = 13) -> None:
        pdf.ln(2)
        pdf.set_font("DejaVu", "B", size)
        pdf.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT")

    def para(text: str, size: float = 9, colour: int = 0) -> None:
        pdf.set_font("DejaVu", "", size)
        pdf.set_text_color(colour)
        pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)

    def table(tb: Table, widths: tuple | None = None, size: float = 8) -> None:
        if not tb.rows:
            return
        pdf.set_font("DejaVu", "", size)
        aligns = tuple("RIGHT" if i in tb.numeric else "LEFT" for i in range(len(tb.header)))
        with pdf.table(
            col_widths=widths,
            headings_style=heading,
            line_height=size * 0.55,
            text_align=aligns,
            first_row_as_headings=True,
        ) as tbl:
            for r in [tb.header, *tb.rows]:
                row = tbl.row()
                for cell in r:
                    row.cell(str(cell))
        pdf.ln(1)

    def analyst(section: str, heading_too: bool = False) -> None:
        text = p.text(section)
        if heading_too:
            h2(t(f"yearly.part.{section}"), 12)
        if text:
            pdf.set_fill_color(251, 248, 239)
            pdf.set_font("DejaVu", "", 9.5)
            pdf.multi_cell(0, 5, text, fill=True, new_x="LMARGIN", new_y="NEXT")
            para(c.text_by(section), 7.5, 110)
        elif heading_too:
            para(t("yearly.text.none"), 9, 110)

    def image(chart: alt.Chart, width_px: int, width_mm: float) -> None:
        png = _png(chart.properties(width=width_px))
        pdf.image(io.BytesIO(png), w=width_mm)
        pdf.ln(1)

    def part(name: str) -> None:
        pdf.add_page()
        h1(t(f"yearly.part.{name}"))
        para(t(f"yearly.intro.{name}"), 8.5, 80)

    pdf.add_page()
    h1(title)
    para(doc.subtitle(), 11, 60)
    para(doc.compared(), 9, 80)
    para(t("yearly.generated", at=doc.generated_at.strftime("%Y-%m-%d %H:%M")), 8, 100)
    pdf.ln(2)
    para(c.privacy_note(), 8.5, 150 if p.internal else 40)
    if doc.demo:
        para(t("yearly.demo"), 8.5, 90)
    para(t("yearly.law"), 8, 90)
    h2(t("yearly.part.conclusions"), 12)
    analyst("conclusions")
    if not p.text("conclusions"):
        para(t("yearly.text.none"), 9, 110)
    h2(t("yearly.part.extent"), 12)
    table(c.headline(), (38, 22, 18, 18, 18, 24, 42))
    para(c.cost_total(), 9)
    h2(t("involvement.involved"), 12)
    table(c.involved(), (50, 30, 22, 25, 53))

    part("extent")
    table(c.categories(), (44, 20, 18, 18, 18, 22, 40), 7.5)
    h2(t("yearly.col.area_group"), 11)
    table(c.groups(), (58, 20, 18, 18, 18, 22, 26), 7.5)
    analyst("extent")

    part("consequences")
    para(c.cost_total(), 9)
    table(c.costs_by_category(), (50, 32, 32, 32, 34), 7.5)
    table(c.costs_by_group(), (50, 32, 32, 32, 34), 7.5)
    h2(t("involvement.involved"), 11)
    table(c.involved(), (50, 30, 22, 25, 53), 7.5)
    para(c.involved_note(), 8, 90)
    table(c.involved_by_category(), (50, 28, 28, 28, 28), 7.5)
    h2(t("yearly.col.hours"), 11)
    para(c.busiest_line(), 8.5)
    if not p.weekday_hour.empty:
        image(weekday_hour_chart(p, t, doc.lang), 620, 175)
    h2(t("yearly.col.place"), 11)
    table(c.places(), (58, 36, 40, 16, 16, 14), 7.5)
    analyst("consequences")

    part("other")
    table(c.sources(), (34, 17, 15, 20, 17, 17, 17, 17, 17), 7)
    for line in c.gaps():
        para(f"• {line}", 8.5)
    analyst("other")

    part("analysis")
    for status in ("persistent", "emerging", "fading"):
        tb = c.places((status,), limit=8)
        if tb.rows:
            h2(t(f"yearly.status.{status}"), 11)
            table(tb, (58, 36, 40, 16, 16, 14), 7.5)
    h2(t("yearly.col.month"), 11)
    para(c.peak_line(), 8.5)
    if not p.months.empty:
        image(season_chart(p, t), 620, 175)
    for line in c.change_lines():
        para(f"• {line}", 8.5)
    h2(t("yearly.col.action"), 11)
    actions = c.actions()
    if actions.rows:
        table(actions, (48, 24, 18, 14, 18, 34, 34), 6.5)
    else:
        para(t("yearly.line.no_actions"))
    analyst("analysis")
    analyst("priorities", heading_too=True)
    return bytes(pdf.output())


# --- entry points --------------------------------------------------------------------------


def report_bytes(
    con,
    year: int,
    *,
    fmt: str = "html",
    lang: str = "sv",
    internal: bool = False,
    today: dt.date | None = None,
    min_count: int = yr.DEFAULT_MIN_CELL,
) -> bytes:
    if fmt not in FORMATS:
        raise UsageError(f"Unknown format {fmt!r}; use html, pdf or json.")
    p = build(con, year, today=today, internal=internal, min_count=min_count)
    if fmt == "json":
        return json.dumps(yr.as_json(p), ensure_ascii=False, indent=1).encode("utf-8")
    doc = _Doc(con, p, lang)
    return render_pdf(doc) if fmt == "pdf" else render_html(doc).encode("utf-8")


def min_count() -> int:
    """k: counts below it are not shown in the shareable version (``SAFETY_MEETING_MIN_CELL``,
    the meeting mode's own k)."""
    try:
        return max(1, int(os.environ.get("SAFETY_MEETING_MIN_CELL", yr.DEFAULT_MIN_CELL)))
    except ValueError:
        return yr.DEFAULT_MIN_CELL


def parse_year(text) -> int:
    try:
        year = int(str(text).strip())
    except ValueError:
        raise UsageError(
            f"{text!r} is not a year; give --year as YYYY, for example 2026."
        ) from None
    if not 1990 <= year <= 2200:
        raise UsageError(f"{year} is not a year the situation picture can cover; give e.g. 2026.")
    return year


def run_command(args) -> int:
    """``report --year``: the yearly picture to --out (its ending says the format)."""
    out = Path(args.out)
    fmt = out.suffix.lower().lstrip(".")
    fmt = "html" if fmt == "htm" else fmt
    if fmt not in FORMATS:
        raise UsageError(f"--out must end in .html, .pdf or .json (got {out.name!r}).")
    year = parse_year(args.year)
    if getattr(args, "area_group", None):
        raise UsageError(
            "--area-group is for the weekly report; the yearly picture covers every area group."
        )
    if not out.parent.exists():
        raise UsageError(f"The folder {out.parent} does not exist.")
    con = db.connect(args.db, read_only=True, create=False)
    try:
        content = report_bytes(
            con,
            year,
            fmt=fmt,
            lang=getattr(args, "lang", None) or "sv",
            internal=bool(args.internal),
            min_count=min_count(),
        )
    finally:
        con.close()
    out.write_bytes(content)
    kind = "internal" if args.internal else "shareable"
    print(
        f"Wrote the {kind} yearly situation picture for {year} to {out} ({len(content):,} bytes)."
    )
    return 0
