"""The open händelser at the top of the Lägesbild page (the shared screen shows them first).

Titles are short, neutral and scrubbed when stored (safetycore/events.py); they are shown as
text, never as Markdown."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from safetycore import clock
from ui import cache
from ui.i18n import t


def open_events_section(*, meeting: bool = False) -> None:
    """A small bordered section listing the open events, or nothing when there are none."""
    now = clock.now(cache.meta().get("timezone")).replace(tzinfo=None, second=0, microsecond=0)
    listing = cache.query("handelse_list", None, now=now, closed_days=0)
    listing = listing[listing["status"] == "open"]
    if listing.empty:
        return
    with st.container(border=True, key="open_events"):
        st.markdown(f":red[:material/emergency:] **{t('events.banner_title')}**")
        lines = [
            t(
                "events.banner_line",
                title=r.title,
                place=r.place,
                when=pd.Timestamp(r.occurred_at).strftime("%Y-%m-%d %H:%M"),
                open=int(r.open_tasks),
                overdue=int(r.overdue_tasks),
            )
            for r in listing.itertuples(index=False)
        ]
        st.text("\n".join(lines))
        if not meeting:
            st.page_link(
                "pages/handelser.py", label=t("events.title"), icon=":material/arrow_forward:"
            )
