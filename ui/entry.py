"""Every page runs inside the entry script (dashboard.py): page config, login, navigation and
the shared sidebar come from there.

Because the page files live in a folder named ``pages/``, Streamlit's very first script run
after a server start uses its legacy folder discovery and may run a page file on its own
(the URL ``/atgarder`` runs ``pages/atgarder.py``), without login or sidebar. ``ensure()`` at the
top of each page notices that and runs the entry script in its place, which then shows the
page the URL names, as on every later run. There is no setting for this in Streamlit 1.67:
``PagesManager.uses_pages_directory`` is set from the folder's existence when the server's
first session starts and is cleared only by a call to ``st.navigation``; during that first
run Streamlit executes the page file and nothing else, so its first statement is the only
place that can see the run (``tests/test_page_entry.py`` checks that every page has it).

The default page of ``st.navigation`` always answers at "/" (its ``url_path`` is not used), so
``situation_alias`` gives Lägesbild, the default, a hidden second entry at ``/lagesbild``: the
address the documentation and the shared screen's bookmarks use opens the page, with its
parameters, instead of Streamlit's English "Page not found" dialog over the start page.
"""

from __future__ import annotations

import runpy
from contextlib import contextmanager

import streamlit as st

from safetycore.db import PROJECT_DIR
from ui import memory

_RUNNING = "_entry_running_page"
SITUATION_URL = "lagesbild"
SITUATION_DEFAULT_PATH = "lagesbild-start"  # Streamlit reserves the default page's url_path


def situation_alias(title: str) -> st.Page:
    """Lägesbild at its own address, hidden from the navigation (the default entry is shown)."""
    return st.Page("pages/lagesbild.py", title=title, url_path=SITUATION_URL, visibility="hidden")


@contextmanager
def running_page(page_name: str):
    """Around ``page.run()`` in the entry script: the page knows it was started from there."""
    st.session_state[_RUNNING] = True
    try:
        yield
    finally:  # also when the page stops or reruns early
        st.session_state[_RUNNING] = False
        memory.freeze_after_first_run(page_name)


def ensure() -> None:
    """Run the entry script instead when this page was started without it."""
    if st.session_state.get(_RUNNING):
        return
    runpy.run_path(str(PROJECT_DIR / "dashboard.py"), run_name="__main__")
    st.stop()
