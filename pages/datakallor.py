"""Data: the events behind the current view, imports (upload, history, undo), data quality."""

import tempfile
from functools import partial
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from safetycore import ingest
from safetycore.db import PROJECT_DIR
from safetycore.errors import UsageError
from safetycore.ingest import refused
from safetycore.taxonomy import OTHER_CODES
from ui import data, entry, render
from ui.auth import ask_name, viewer_actor
from ui.export import download
from ui.filters import current_filter, label_maps
from ui.format import number, plural
from ui.i18n import catalogue, current_language, t
from ui.jobs import schedule_section as jobs_section

entry.ensure()  # the first run after a server start: see ui/entry.py

MAPPING_DIR = PROJECT_DIR / "data" / "mappings"
UPLOAD_MB = ingest.MAX_UPLOAD_BYTES // (1024 * 1024)
QUIET_DAYS = 14
RESULT_KEY = "_import_result"

flt = current_filter()
lang = current_language()
labels = label_maps(lang)
today = data.reference_date()
st.title(t("data.title"))

in_filter = int(data.query("kpi_by_kind", flt)["n"].sum())
quality = data.query("data_quality", flt).iloc[0]


def share(part: int, total: int) -> str:
    pct = number(100 * part / total, 1) if total else "0"
    return t("data.quality_share", share=pct, total=number(total))


m1, m2, m3, m4 = st.columns(4)
m1.metric(t("data.events_in_filter"), number(in_filter))
m2.metric(
    t("data.quality_without_area"),
    number(int(quality["without_area"])),
    share(int(quality["without_area"]), int(quality["total"])),
    delta_color="off",
    delta_arrow="off",
)
m3.metric(
    t("data.quality_coarse"),
    number(int(quality["coarse_location"])),
    share(int(quality["coarse_location"]), int(quality["total"])),
    delta_color="off",
    delta_arrow="off",
    help=t("data.quality_coarse_help"),
)
m4.metric(
    t("data.quality_coarse_time"),
    number(int(quality["coarse_time"])),
    share(int(quality["coarse_time"]), int(quality["total"])),
    delta_color="off",
    delta_arrow="off",
)

tab_import, tab_history, tab_events, tab_quality = st.tabs(
    [
        t("data.tab_import"),
        t("data.tab_history"),
        t("data.tab_events"),
        t("data.tab_quality"),
    ]
)


def reason_text(reason: str) -> str:
    code, _, detail = str(reason).partition(":")
    label = t(f"data.reason.{code}")
    return f"{label}: {detail.strip()}" if detail.strip() else label


def refusal_text(exc: UsageError) -> str:
    """A refused file's message in the page's language when it has one (the limits on
    hostile files), else the domain's message."""
    key = getattr(exc, "key", None)
    if key and f"data.refusal.{key}" in catalogue():
        values = {k: number(v) if isinstance(v, int) else v for k, v in exc.params.items()}
        return t(f"data.refusal.{key}", **values)
    return str(exc)


def batch_ranges() -> pd.DataFrame:
    return data.query("import_batch_ranges").set_index("id")


def import_span(batch_id: int) -> None:
    """What time the import's events cover, with a link to Lägesbild at the last one's week:
    after importing last year's file the period's figures may all be 0, and this says why."""
    ranges = batch_ranges()
    if batch_id not in ranges.index:
        st.caption(t("data.import_span_none"))
        return
    row = ranges.loc[batch_id]
    text, link = st.columns([3, 1.2], vertical_alignment="center")
    text.caption(
        t(
            "data.import_span",
            first=row["first_event"].strftime("%Y-%m-%d"),
            last=row["last_event"].strftime("%Y-%m-%d"),
            start=flt.start.isoformat(),
            end=flt.end.isoformat(),
        )
    )
    link.page_link(
        "pages/lagesbild.py",
        label=t("data.view_week", week=row["last_week"]),
        icon=":material/dashboard:",
        query_params=situation_link(row["last_week"]),
    )


def day_texts(times: pd.Series) -> list[str]:
    return [time.strftime("%Y-%m-%d") if pd.notna(time) else "–" for time in times]


def situation_link(week: str) -> dict[str, str]:
    params = {"week": week}
    if lang != "sv":
        params["lang"] = st.query_params.get("lang", "")
    return params


def show_result(result: dict) -> None:
    st.success(
        t("data.import_done", batch=result["batch_id"], file=result["file"]),
        icon=":material/check_circle:",
    )
    cols = st.columns(5)
    for col, key in zip(
        cols, ("read", "imported", "duplicates", "rejected", "skipped"), strict=True
    ):
        col.metric(t(f"data.{key}"), number(result[key]))
    import_span(int(result["batch_id"]))
    refused_table(result["batch_id"], "result")


def refused_table(batch_id: int, where: str) -> None:
    """Counts and reasons for everyone; the rows themselves (masked, and without sensitive
    categories for roles that may not see them) only for the roles that may import."""
    who = viewer_actor()
    shown = refused.view(data.con(), who, int(batch_id))
    if not shown.total:
        st.caption(t("data.no_refused"))
        return
    reasons = shown.reasons
    st.markdown(f"**{t('data.reasons')}**")
    st.dataframe(
        pd.DataFrame(
            {
                t("data.outcome_col"): reasons["outcome"].map(lambda o: t(f"data.outcome.{o}")),
                t("data.reason_col"): reasons["reason"].map(reason_text),
                t("word.count"): reasons["n"],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    if shown.rows is None:
        st.caption(t("data.refused_private.rows_hidden"))
        return
    if shown.hidden_sensitive:
        st.caption(t("data.refused_private.sensitive_hidden", n=number(shown.hidden_sensitive)))
    st.download_button(
        t("data.refused_download"),
        data=partial(refused.rows_csv, data.con(), who, int(batch_id)),  # made on click
        file_name=f"import-{batch_id}-refused.csv",
        mime="text/csv",
        key=f"refused_{where}",
        icon=":material/download:",
        on_click="ignore",
    )
    with st.expander(t("data.refused_table")):
        rows = shown.rows
        st.dataframe(
            pd.DataFrame(
                {
                    t("data.row"): rows["row_number"],
                    t("data.outcome_col"): rows["outcome"].map(lambda o: t(f"data.outcome.{o}")),
                    t("data.reason_col"): rows["reason"].map(reason_text),
                    t("data.raw"): rows["raw"],
                }
            ),
            hide_index=True,
            width="stretch",
        )


# --- Import a file ---
with tab_import:
    actor = ask_name()
    may_import = viewer_actor().can("import_data")
    if not may_import:
        st.info(t("data.cannot_import"))
    upload_types = ["json", "csv", "xlsx", "txt"]
    upload = st.file_uploader(
        t("data.upload"),
        type=upload_types,
        key="imp_file",
        max_upload_size=UPLOAD_MB,
        help=t("data.upload_help", mb=UPLOAD_MB),
        disabled=not may_import,
    )
    render.uploader_texts(t("data.upload"), UPLOAD_MB, upload_types)
    c1, c2, c3 = st.columns(3)
    fmt = c1.selectbox(
        t("data.format"),
        ("auto", *ingest.FORMATS),
        key="imp_format",
        format_func=lambda f: t("data.format_auto") if f == "auto" else f,
    )
    shipped = sorted(p.name for p in MAPPING_DIR.glob("*.toml"))
    mapping_name = c2.selectbox(
        t("data.mapping"),
        ["", *shipped],
        key="imp_mapping",
        format_func=lambda m: m or t("data.mapping_none"),
    )
    source = c3.text_input(
        t("data.source"), key="imp_source", max_chars=60, help=t("data.source_help")
    )
    own_mapping = st.file_uploader(
        t("data.mapping_upload"),
        type=["toml"],
        key="imp_mapping_file",
        max_upload_size=1,
        disabled=not may_import,
    )
    render.uploader_texts(t("data.mapping_upload"), 1, ["toml"])
    if st.button(
        t("data.run_import"),
        type="primary",
        key="imp_run",
        disabled=upload is None or actor is None or not may_import,
    ):
        st.session_state.pop(RESULT_KEY, None)
        if upload.size > ingest.MAX_UPLOAD_BYTES:
            st.error(t("data.too_big", size=number(upload.size / 1024 / 1024, 1), mb=UPLOAD_MB))
        else:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / Path(upload.name).name
                path.write_bytes(upload.getvalue())
                mapping = None
                if own_mapping is not None:
                    mapping = Path(tmp) / "mapping.toml"
                    mapping.write_bytes(own_mapping.getvalue())
                elif mapping_name:
                    mapping = MAPPING_DIR / mapping_name
                try:
                    result = ingest.import_file(
                        data.con(),
                        path,
                        actor,
                        fmt=fmt,
                        mapping=mapping,
                        source=source.strip() or None,
                        file_name=upload.name,
                    )
                except UsageError as exc:
                    st.error(t("data.refused_file", reason=refusal_text(exc)))
                else:
                    st.session_state[RESULT_KEY] = result.as_dict()
                    st.rerun()  # every figure on the page (and elsewhere) from the new data
    if st.session_state.get(RESULT_KEY):
        show_result(st.session_state[RESULT_KEY])

# --- Import history, undo ---
with tab_history:
    batches = data.query("import_batches")
    if batches.empty:
        st.caption(t("data.no_imports"))
    else:
        sources = labels["sources"]
        ranges = batch_ranges().reindex(batches["id"])
        links = [
            None if pd.isna(w) else "lagesbild?" + urlencode(situation_link(w))
            for w in ranges["last_week"]
        ]
        status = [
            t("data.undone_already", when=str(w)[:16], who=b)
            if pd.notna(w)
            else t("data.status.active")
            for w, b in zip(batches["undone_at"], batches["undone_by"], strict=True)
        ]
        shown = pd.DataFrame(
            {
                t("data.col.id"): batches["id"],
                t("data.col.imported_at"): batches["imported_at"].dt.strftime("%Y-%m-%d %H:%M"),
                t("data.col.imported_by"): batches["imported_by"],
                t("data.col.file_name"): batches["file_name"],
                t("data.col.format"): batches["format"],
                t("data.col.source"): batches["source"].map(lambda s: sources.get(s, s)),
                t("data.col.rows_read"): batches["rows_read"],
                t("data.col.imported"): batches["imported"],
                t("data.col.duplicates"): batches["duplicates"],
                t("data.col.rejected"): batches["rejected"],
                t("data.col.skipped"): batches["skipped"],
                t("data.col.status"): status,
                t("data.col.first_event"): day_texts(ranges["first_event"]),
                t("data.col.last_event"): day_texts(ranges["last_event"]),
                t("data.col.view_week"): links,
            }
        )
        st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            placeholder="–",
            column_config={
                t("data.col.view_week"): st.column_config.LinkColumn(
                    display_text=r"week=(\d{4}-W\d{2})"
                ),  # the week, from the link
            },
        )
        by_id = batches.set_index("id")
        chosen = st.selectbox(
            t("data.batch"),
            list(batches["id"]),
            key="hist_batch",
            format_func=lambda i: t(
                "data.batch_label",
                id=i,
                file=by_id.loc[i, "file_name"],
                when=str(by_id.loc[i, "imported_at"])[:16],
                who=by_id.loc[i, "imported_by"],
            ),
        )
        if chosen is not None:
            row = by_id.loc[chosen]
            import_span(int(chosen))
            refused_table(int(chosen), "history")
            undo_actor = ask_name() if viewer_actor().can("undo_import") else None
            if pd.isna(row["undone_at"]) and undo_actor is not None and int(row["imported"]) > 0:
                sure = st.checkbox(
                    t("data.undo_confirm", n=number(int(row["imported"])), id=chosen),
                    key=f"undo_sure_{chosen}",
                )
                if st.button(t("data.undo"), key="undo_run", disabled=not sure):
                    removed = ingest.undo_batch(data.con(), int(chosen), undo_actor)
                    st.session_state.pop(RESULT_KEY, None)
                    st.toast(plural("data.undone", removed, id=chosen))
                    st.rerun()

# --- The events behind the view, export ---
with tab_events:
    cap = ingest.EXPORT_CAP
    if in_filter > cap:
        st.warning(t("data.export_capped", n=number(in_filter), cap=number(cap)))
    else:
        st.caption(t("data.export_note", cap=number(cap)))

    def export_frame() -> pd.DataFrame:
        return ingest.export_events(data.con(), flt, cap)[0]

    download(export_frame, "handelser.csv", t("data.export"), key="export_events")
    st.subheader(t("data.latest"))
    events = data.query("events_list", flt, limit=1000)
    cats, srcs = labels["categories"], labels["sources"]
    st.dataframe(
        pd.DataFrame(
            {
                t("word.time"): events["occurred_at"].dt.strftime("%Y-%m-%d %H:%M"),
                t("word.category"): events["category"].map(lambda c: cats.get(c, c)),
                t("word.source"): events["source"].map(lambda s: srcs.get(s, s)),
                t("word.area_group"): events["area_group"].fillna("–"),
                t("word.area"): events["area"].fillna(t("word.unknown_area")),
                t("word.place"): events["place"],
                t("map.precision"): events["location_precision"].map(
                    lambda p: t(f"map.precision_{p}")
                ),
                t("word.description"): events["description"],
            }
        ),
        hide_index=True,
        width="stretch",
    )

# --- Data quality ---
with tab_quality:
    st.subheader(t("data.quiet"))
    quiet = data.query("data_quiet_sources", today=today, quiet_days=QUIET_DAYS)
    if quiet.empty:
        st.caption(t("data.quiet_none", days=QUIET_DAYS))
    else:
        st.caption(t("data.quiet_text", days=QUIET_DAYS, day=today.isoformat()))
        st.dataframe(
            pd.DataFrame(
                {
                    t("word.source"): quiet["source"].map(lambda s: labels["sources"].get(s, s)),
                    t("data.last_event"): quiet["last_event"].dt.strftime("%Y-%m-%d"),
                    t("data.events_before"): quiet["events_before"],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    st.subheader(t("data.tables"))
    counts = data.query("table_counts")
    st.dataframe(
        pd.DataFrame(
            {
                t("data.table.what"): counts["what"].map(lambda w: t(f"data.table.{w}")),
                t("data.table.n"): counts["n"],
            }
        ),
        hide_index=True,
    )

# --- Placement of the police's events, and the types in the "other" categories ---
with tab_quality:
    st.subheader(t("data.placement.title"))
    placed = data.query("data_placement").iloc[0]
    if not int(placed["total"]):
        st.caption(t("data.placement.none"))
    else:
        by_area, by_name = int(placed["by_area"]), int(placed["by_name"])
        p1, p2, p3 = st.columns(3)
        p1.metric(t("data.placement.by_area"), number(by_area))
        p2.metric(t("data.placement.by_locality"), number(by_name - by_area))
        p3.metric(t("data.placement.at_centre"), number(int(placed["at_centre"])))
        st.caption(
            t(
                "data.placement.text",
                total=number(int(placed["total"])),
                by_area=number(by_area),
                by_locality=number(by_name - by_area),
                at_centre=number(int(placed["at_centre"])),
            )
        )
    st.subheader(t("data.placement.other_title"))
    other = data.query("data_other_categories", other=OTHER_CODES)
    if other.empty:
        st.caption(t("data.placement.other_none"))
    else:
        st.caption(t("data.placement.other_text"))
        st.dataframe(
            pd.DataFrame(
                {
                    t("data.placement.category"): other["category"].map(
                        lambda c: labels["categories"].get(c, c)
                    ),
                    t("data.placement.raw"): other["category_raw"],
                    t("data.placement.format"): other["format"],
                    t("data.placement.n"): other["n"],
                    t("data.placement.first"): other["first_event"].dt.strftime("%Y-%m-%d"),
                    t("data.placement.last"): other["last_event"].dt.strftime("%Y-%m-%d"),
                }
            ),
            hide_index=True,
            width="stretch",
        )
# --- The scheduled police fetch: its state, last run and switch (ui/jobs.py) ---
jobs_section()
