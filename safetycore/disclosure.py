"""What a viewer may be shown: sensitive categories and small counts, decided in one place.

Pages never decide this themselves; they ask here and show what they get.

* **Sensitive categories** (``categories.sensitive``: violence in close relationships, sexual
  offences, and any category a municipality marks so) reach only the roles in
  ``SAFETY_SENSITIVE_ROLES`` (``Actor.sees_sensitive``), and never the shared meeting screen:
  not as counts, not as labels of an action's target categories, not as options of a filter
  or form (hidden widgets included), not in tooltips.
* **The effect of an action** counts a sensitive target category only for a role that may
  see it, and only over a zone large enough not to single out a household: an area, or a
  radius of at least ``min_sensitive_radius()`` metres. A smaller circle around a point is a
  probe of sensitive counts at an address, so it is refused for sensitive targets.
* **The meeting screen** (and the shared report) names no action aimed at a sensitive
  category by its title (it may name the matter or the people: "#12" instead), and shows no
  place-level count below k: map cells
  with fewer than k events are never queried, and a cell's incident / quality-of-life
  sub-counts are shown only when both are at least k (either one would reveal the other).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

# About four H3 cells of resolution 8 (0.74 km² each): the finest unit the meeting map ever
# shows, and then only with k events or more.
DEFAULT_SENSITIVE_RADIUS_M = 1000
SENSITIVE_RADIUS_ENV = "SAFETY_SENSITIVE_MIN_RADIUS"


def min_sensitive_radius() -> int:
    """The smallest radius (m) around a point over which sensitive events are counted."""
    try:
        value = int(os.environ.get(SENSITIVE_RADIUS_ENV, DEFAULT_SENSITIVE_RADIUS_M))
    except ValueError:
        value = DEFAULT_SENSITIVE_RADIUS_M
    return max(value, DEFAULT_SENSITIVE_RADIUS_M // 2)


def sensitive_codes(categories: pd.DataFrame | Mapping[str, bool]) -> frozenset[str]:
    """The sensitive category codes, from the ``categories`` table (code, sensitive) or a
    code -> sensitive mapping."""
    pairs: Iterable[tuple[str, bool]]
    if isinstance(categories, pd.DataFrame):
        pairs = zip(categories["code"], categories["sensitive"], strict=True)
    else:
        pairs = categories.items()
    return frozenset(str(code) for code, flag in pairs if bool(flag))


def hidden_codes(
    sensitive: Iterable[str], *, sees_sensitive: bool, meeting: bool = False
) -> frozenset[str]:
    """The category codes a viewer may not be shown (none for a role that sees sensitive
    categories, outside the meeting screen)."""
    return frozenset() if sees_sensitive and not meeting else frozenset(sensitive)


def codes_of(value) -> list[str]:
    """A stored list of category codes as a list: a missing value (NULL, NA) is no codes."""
    if value is None or isinstance(value, str):
        return [value] if value else []
    if not hasattr(value, "__len__"):
        return [] if pd.isna(value) else [str(value)]
    return [str(c) for c in value if c is not None and not (isinstance(c, float) and math.isnan(c))]


def visible_codes(value, hidden: Iterable[str]) -> list[str]:
    """The codes of ``value`` the viewer may see, in their order."""
    hidden = frozenset(hidden)
    return [c for c in codes_of(value) if c not in hidden]


def visible_options(options: Iterable[str], hidden: Iterable[str]) -> list[str]:
    """A filter's or form's category options without the hidden ones."""
    hidden = frozenset(hidden)
    return [c for c in options if c not in hidden]


@dataclass(frozen=True)
class EffectScope:
    """Which of an action's target categories its effect view may count for this viewer."""

    categories: tuple[str, ...]  # counted
    include_sensitive: bool  # whether the count may include sensitive categories
    withheld: tuple[str, ...]  # sensitive targets left out (not shown to this viewer by name)
    reason: str | None  # why they were left out: "role" | "radius" | None

    @property
    def refused(self) -> bool:
        """Nothing may be counted: every target category was withheld."""
        return not self.categories


def effect_scope(
    target_categories,
    *,
    sensitive: Iterable[str],
    sees_sensitive: bool,
    radius_m: float | None = None,
    has_point: bool = False,
) -> EffectScope:
    """What the effect view of an action may count for this viewer.

    Sensitive targets are counted only for a role that may see them, and only over an area
    or a radius of at least ``min_sensitive_radius()`` metres; otherwise they are withheld
    (with the reason), and when nothing else is targeted the evaluation is refused.
    """
    sensitive = frozenset(sensitive)
    codes = codes_of(target_categories)
    own = tuple(c for c in codes if c in sensitive)
    reason = None
    if own and not sees_sensitive:
        reason = "role"
    elif own and has_point and float(radius_m or 0) < min_sensitive_radius():
        reason = "radius"
    if reason is None:
        return EffectScope(tuple(codes), bool(own), (), None)
    return EffectScope(tuple(c for c in codes if c not in sensitive), False, own, reason)


WITHHELD = "–"  # a withheld count, as the tooltip shows it


def meeting_cells(cells: pd.DataFrame, k: int) -> pd.DataFrame:
    """Map cells for the shared screen: none below k events, and the incident / quality-of-
    life split only where both parts are at least k (else both are withheld, shown as "–",
    since the cell's total and one part would give the other away)."""
    k = max(int(k), 1)
    out = cells[cells["n"] >= k].reset_index(drop=True)
    if out.empty or not {"incidents", "qol"} <= set(out.columns):
        return out
    small = (out["incidents"] < k) | (out["qol"] < k)
    out = out.astype({"incidents": "object", "qol": "object"})
    out.loc[small, ["incidents", "qol"]] = WITHHELD
    return out


def meeting_tasks(tasks: pd.DataFrame, sensitive: Iterable[str]) -> pd.DataFrame:
    """The meeting's task list: an action aimed at a sensitive category is shown by its number
    ("#12") instead of its title, which may name the matter or the people in it."""
    sensitive = frozenset(sensitive)
    if tasks.empty or "target_categories" not in tasks.columns or not sensitive:
        return tasks
    aimed = [bool(sensitive.intersection(codes_of(v))) for v in tasks["target_categories"]]
    out = tasks.copy()
    out.loc[aimed, "title"] = [f"#{int(i)}" for i in out.loc[aimed, "id"]]
    return out
