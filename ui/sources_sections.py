"""Datakällor's sections: the summary figures, importing a file, the import history with undo,
the events behind the view with their export, and data quality. Each takes the page's view
(``safetycore.sources_view.SourcesView``) and small values.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from functools import partial
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from safetycore import ingest
from safetycore import sources_view as sv
from safetycore.access import Actor
from safetycore.db import PROJECT_DIR
from safetycore.errors import UsageError
from safetycore.filters import Filter
from safetycore.ingest import refused
from ui import data
from ui.auth import ask_name, viewer_actor
from ui.export import download
from ui.format import number, plural
from ui.i18n import catalogue, t
from ui.uploader import uploader_texts

MAPPING_DIR = PROJECT_DIR / "data" / "mappings"
UPLOAD_MB = ingest.MAX_UPLOAD_BYTES // (1024 * 1024)
UPLOAD_TYPES = ["json", "csv", "xlsx", "txt"]
RESULT_KEY = "_import_result"  # the last import's outcome, shown until the next one or an undo


def _share(part: int, total: int) -> str:
    pct = number(100 * part / total, 1) if total else "0"
    return t("data.quality_share", share=pct, total=number(total))


def summary(view: sv.SourcesView) -> None:
    """The filter's events and how many lack an area, an exact place or an exact time."""
    q = view.quality
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(t("data.events_in_filter"), number(view.in_filter))
    quiet = {"delta_color": "off", "delta_arrow": "off"}
    m2.metric(
        t("data.quality_without_area"),
        number(q.without_area),
        _share(q.without_area, q.total),
        **quiet,
    )
    m3.metric(
        t("data.quality_coarse"),
        number(q.coarse_location),
        _share(q.coarse_location, q.total),
        help=t("data.quality_coarse_help"),
        **quiet,
    )
    m4.metric(
        t("data.quality_coarse_time"),
        number(q.coarse_time),
        _share(q.coarse_time, q.total),
        **quiet,
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


def situation_link(week: str, lang: str) -> dict[str, str]:
    """Lägesbild's address parameters for ``week`` (in the viewer's language)."""
    params = {"week": week}
    if lang != "sv":
        params["lang"] = st.query_params.get("lang", "")
    return params


def import_span(view: sv.SourcesView, flt: Filter, batch_id: int, lang: str) -> None:
    """What time the import's events cover, with a link to Lägesbild at the last one's week:
    after importing last year's file the period's figures may all be 0, and this says why."""
    span = view.span(batch_id)
    if span is None:
        st.caption(t("data.import_span_none"))
        return
    text, link = st.columns([3, 1.2], vertical_alignment="center")
    text.caption(
        t(
            "data.import_span",
            first=span.first_event.strftime("%Y-%m-%d"),
            last=span.last_event.strftime("%Y-%m-%d"),
            start=flt.start.isoformat(),
            end=flt.end.isoformat(),
        )
    )
    link.page_link(
        "pages/lagesbild.py",
        label=t("data.view_week", week=span.last_week),
        icon=":material/dashboard:",
        query_params=situation_link(span.last_week, lang),
    )


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


def show_result(view: sv.SourcesView, flt: Filter, result: dict, lang: str) -> None:
    """The last import's outcome: its counts, the time it covers and what was refused."""
    st.success(
        t("data.import_done", batch=result["batch_id"], file=result["file"]),
        icon=":material/check_circle:",
    )
    cols = st.columns(5)
    for col, key in zip(
        cols, ("read", "imported", "duplicates", "rejected", "skipped"), strict=True
    ):
        col.metric(t(f"data.{key}"), number(result[key]))
    import_span(view, flt, int(result["batch_id"]), lang)
    refused_table(result["batch_id"], "result")


def _run_import(
    upload: UploadedFile,
    own_mapping: UploadedFile | None,
    mapping_name: str,
    actor: Actor,
    fmt: str,
    source: str,
) -> None:
    """Import the uploaded file (a mapping uploaded or shipped) and rerun on the new data."""
    st.session_state.pop(RESULT_KEY, None)
    if upload.size > ingest.MAX_UPLOAD_BYTES:
        st.error(t("data.too_big", size=number(upload.size / 1024 / 1024, 1), mb=UPLOAD_MB))
        return
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
            return
    st.session_state[RESULT_KEY] = result.as_dict()
    st.rerun()  # every figure on the page (and elsewhere) from the new data


def import_section(view: sv.SourcesView, flt: Filter, lang: str) -> None:
    """Upload a file, choose its format, mapping and source, and import it."""
    actor = ask_name()
    may_import = viewer_actor().can("import_data")
    if not may_import:
        st.info(t("data.cannot_import"))
    upload = st.file_uploader(
        t("data.upload"),
        type=UPLOAD_TYPES,
        key="imp_file",
        max_upload_size=UPLOAD_MB,
        help=t("data.upload_help", mb=UPLOAD_MB),
        disabled=not may_import,
    )
    uploader_texts(t("data.upload"), UPLOAD_MB, UPLOAD_TYPES)
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
    uploader_texts(t("data.mapping_upload"), 1, ["toml"])
    if st.button(
        t("data.run_import"),
        type="primary",
        key="imp_run",
        disabled=upload is None or actor is None or not may_import,
    ):
        _run_import(upload, own_mapping, mapping_name, actor, fmt, source)
    if st.session_state.get(RESULT_KEY):
        show_result(view, flt, st.session_state[RESULT_KEY], lang)


def _day_texts(times: pd.Series) -> list[str]:
    return [time.strftime("%Y-%m-%d") if pd.notna(time) else "–" for time in times]


def history_section(view: sv.SourcesView, flt: Filter, sources: dict, lang: str) -> None:
    """Every import with its counts, state and span; one chosen to see its refused rows or
    to undo it."""
    batches = view.batches
    if batches.empty:
        st.caption(t("data.no_imports"))
        return
    links = [
        None if pd.isna(w) else "lagesbild?" + urlencode(situation_link(w, lang))
        for w in batches["last_week"]
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
            t("data.col.first_event"): _day_texts(batches["first_event"]),
            t("data.col.last_event"): _day_texts(batches["last_event"]),
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
        format_func=partial(_batch_label, by_id),
    )
    if chosen is None:
        return
    import_span(view, flt, int(chosen), lang)
    refused_table(int(chosen), "history")
    undo_actor = ask_name() if viewer_actor().can("undo_import") else None
    removable = view.undoable(int(chosen))
    if undo_actor is not None and removable > 0:
        sure = st.checkbox(
            t("data.undo_confirm", n=number(removable), id=chosen), key=f"undo_sure_{chosen}"
        )
        if st.button(t("data.undo"), key="undo_run", disabled=not sure):
            removed = ingest.undo_batch(data.con(), int(chosen), undo_actor)
            st.session_state.pop(RESULT_KEY, None)
            st.toast(plural("data.undone", removed, id=chosen))
            st.rerun()


def _batch_label(by_id: pd.DataFrame, i: int) -> str:
    return t(
        "data.batch_label",
        id=i,
        file=by_id.loc[i, "file_name"],
        when=str(by_id.loc[i, "imported_at"])[:16],
        who=by_id.loc[i, "imported_by"],
    )


def events_section(view: sv.SourcesView, flt: Filter, labels: dict) -> None:
    """The export of the events behind the view, and the newest of them."""
    cap = ingest.EXPORT_CAP
    if view.export_capped:
        st.warning(t("data.export_capped", n=number(view.in_filter), cap=number(cap)))
    else:
        st.caption(t("data.export_note", cap=number(cap)))
    download(
        partial(_export_frame, flt, cap), "handelser.csv", t("data.export"), key="export_events"
    )
    st.subheader(t("data.latest"))
    events = view.events
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


def _export_frame(flt: Filter, cap: int) -> pd.DataFrame:
    """The export's frame: made only when a file is asked for (see events_section)."""
    return ingest.export_events(data.con(), flt, cap)[0]


def quality_section(view: sv.SourcesView, labels: dict, today: dt.date) -> None:
    """Sources gone quiet, the tables' sizes, how the police's events were placed and the
    types in the "other" categories."""
    st.subheader(t("data.quiet"))
    quiet = view.quiet
    if quiet.empty:
        st.caption(t("data.quiet_none", days=sv.QUIET_DAYS))
    else:
        st.caption(t("data.quiet_text", days=sv.QUIET_DAYS, day=today.isoformat()))
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
    counts = view.table_counts
    st.dataframe(
        pd.DataFrame(
            {
                t("data.table.what"): counts["what"].map(lambda w: t(f"data.table.{w}")),
                t("data.table.n"): counts["n"],
            }
        ),
        hide_index=True,
    )
    placement_section(view, labels)


def placement_section(view: sv.SourcesView, labels: dict) -> None:
    """How the police's events were placed, and the raw types in the "other" categories."""
    st.subheader(t("data.placement.title"))
    p = view.placement
    if not p.total:
        st.caption(t("data.placement.none"))
    else:
        p1, p2, p3 = st.columns(3)
        p1.metric(t("data.placement.by_area"), number(p.by_area))
        p2.metric(t("data.placement.by_locality"), number(p.by_locality))
        p3.metric(t("data.placement.at_centre"), number(p.at_centre))
        st.caption(
            t(
                "data.placement.text",
                total=number(p.total),
                by_area=number(p.by_area),
                by_locality=number(p.by_locality),
                at_centre=number(p.at_centre),
            )
        )
    st.subheader(t("data.placement.other_title"))
    other = view.other
    if other.empty:
        st.caption(t("data.placement.other_none"))
        return
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
