"""Work beside the dashboard, the Streamlit side: the one start-up place, and the Data page's
section about the scheduled police fetch (the work itself is in safetycore/jobs.py).

``start_server_jobs()`` runs once per server process (``st.cache_resource``), called by
dashboard.py once the database is open: it starts the scheduler thread and the localhost
endpoint that answers read-only commands while the dashboard holds the database.
"""

from __future__ import annotations

import time

import streamlit as st

from safetycore import clock, fetch, jobs
from safetycore.__main__ import serve_command
from safetycore.access import read_only_mode
from safetycore.errors import UsageError
from ui import cache, data
from ui.auth import ask_name, viewer_actor
from ui.format import number
from ui.i18n import t


@st.cache_resource(show_spinner=False)
def _started(path: str) -> dict:
    return jobs.start(data.connection(path), path, serve_command, schedule=not read_only_mode())


def start_server_jobs() -> None:
    """Once per server process: the scheduled jobs and the command endpoint."""
    _started(data.db_path())


def _local(epoch: float | None, zone: str) -> str:
    if not epoch:
        return "–"
    return clock.from_epoch(float(epoch), zone).strftime("%Y-%m-%d %H:%M:%S")


def outcome_text(run: dict, zone: str) -> str:
    """The last run's outcome in the catalogue's words."""
    status, code = run.get("status"), run.get("code") or ""
    if status == "ok":
        return t(
            "jobs.outcome_ok",
            **{
                k: number(int(run.get(k) or 0))
                for k in ("read", "imported", "duplicates", "rejected", "skipped")
            },
            seconds=number(float(run.get("seconds") or 0), 1),
        )
    if status == "wait":
        return _label(
            f"jobs.wait.{code}", "jobs.wait.backoff", at=_local(run.get("retry_at"), zone)
        )
    return _label(f"jobs.error.{code}", "jobs.error.other")


def _label(key: str, fallback: str, **values) -> str:
    text = t(key, **values)
    return text if text != key else t(fallback, **values)


def schedule_section() -> None:
    """The end of the Data page: the scheduled fetch, its last run, and the admin's switch."""
    cur = data.con().cursor()  # read fresh on every run: the job writes its state uncached
    try:
        settings = jobs.schedule_settings(cur)
        state = fetch.load_state(cur)
    finally:
        cur.close()
    info = cache.meta()
    zone = info.get("timezone") or clock.DEFAULT_ZONE
    st.subheader(t("jobs.title"))
    st.caption(t("jobs.intro", municipality=info.get("municipality") or "–"))
    if read_only_mode():
        st.caption(t("jobs.read_only"))
    line = (
        t("jobs.state_on", minutes=number(settings["every_minutes"]))
        if settings["enabled"]
        else t("jobs.state_off")
    )
    due = jobs.next_due(settings, state, time.time())
    if due is not None:
        line += " " + t("jobs.next_run", at=_local(max(due, time.time()), zone))
    st.markdown(line)
    run = state.get("last_run")
    if run:
        by = t(f"jobs.by.{run.get('by')}")
        st.markdown(
            t("jobs.last_run", at=run.get("at") or "–", by=by) + " " + outcome_text(run, zone)
        )
    else:
        st.caption(t("jobs.never"))
    if settings["changed"]:
        st.caption(t("jobs.changed", at=settings["changed"]["at"], by=settings["changed"]["by"]))

    viewer = viewer_actor()
    if read_only_mode() or not viewer.can("import_data"):
        return
    cols = st.columns([2, 2, 2, 2], vertical_alignment="bottom")
    if viewer.can("admin"):
        enabled = cols[0].toggle(t("jobs.enable"), value=settings["enabled"], key="jobs_enabled")
        every = cols[1].number_input(
            t("jobs.every"),
            min_value=1,
            max_value=7 * 24 * 60,
            value=settings["every_minutes"],
            step=5,
            key="jobs_every",
        )
        if cols[2].button(t("jobs.save"), key="jobs_save"):
            actor = ask_name()
            if actor is not None:
                jobs.set_schedule(data.con(), actor, enabled=enabled, every_minutes=int(every))
                st.success(t("jobs.saved"), icon=":material/check_circle:")
    else:
        cols[0].caption(t("jobs.admin_only"))
    if cols[3].button(t("jobs.fetch_now"), key="jobs_fetch_now", icon=":material/download:"):
        actor = ask_name()
        if actor is not None:
            try:
                fetch.fetch_polisen(data.con(), actor, by="dashboard")
            except (fetch.MustWait, UsageError):
                pass  # the outcome is recorded; shown after the rerun
            st.rerun()
