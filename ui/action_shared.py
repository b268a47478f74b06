"""What the action views share: the time a change is recorded at, error texts and the labels
of an action's status, priority, origin and owner organisation.

Used by the create form (``ui/action_form.py``), the follow-up (``ui/action_followup.py``)
and the Actions page's board (``ui/action_board.py``).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from safetycore import actions, clock
from safetycore.access import AccessDenied, Actor
from ui import cache
from ui.filters import label_maps
from ui.i18n import t
from ui.text import md


def now() -> dt.datetime:
    """The time a change is recorded at: the reference day ('today' of the data), real clock."""
    return dt.datetime.combine(
        cache.reference_date(), clock.now(cache.meta().get("timezone")).time()
    ).replace(microsecond=0)


def problem_text(problem: actions.Problem) -> str:
    """A validation problem in the user's language (field names translated)."""
    params = {k: v for k, v in problem.params.items()}
    return t(f"actions.err.{problem.code}", field=t(f"actions.field.{problem.field}"), **params)


def error_lines(exc: Exception) -> list[str]:
    """A refused write as the lines the form shows under "not saved"."""
    if isinstance(exc, actions.InvalidAction):
        return [problem_text(p) for p in exc.problems]
    if isinstance(exc, AccessDenied):
        return [t("actions.err.denied", reason=str(exc))]
    if isinstance(exc, actions.ActionNotFound):
        return [t("actions.err.not_found")]
    return [str(exc)]


def status_label(code: str) -> str:
    return t(f"actions.status_label.{code}")


def priority_label(code: str) -> str:
    return t(f"actions.priority_label.{code}")


def origin_label(code: str) -> str:
    return t(f"actions.origin_label.{code}")


def org_labels() -> dict[str, str]:
    return label_maps()["sources"]


def error_box(errors: list[str] | None) -> None:
    """The "not saved" box listing what was wrong, when anything was."""
    if errors:
        st.error(t("actions.form.not_saved") + "\n\n" + "\n".join(f"- {md(e)}" for e in errors))


def no_edit_caption(actor: Actor) -> None:
    """Why the edit widgets are missing: read-only mode, or a role without the right."""
    st.caption(t("actions.read_only") if actor.read_only else t("actions.form.no_permission"))
