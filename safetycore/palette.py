"""The product's colours: one home for every colour a chart, map, report or e-mail shows.

Two colours carry meaning everywhere: red for incidents and for "up" (more than usual, a
task late), blue for quality-of-life offences and for "down". The rest are for ratings, the
effect view's zones, the yearly report's years and the map's categories.
"""

from __future__ import annotations

RED = "#c0392b"  # incidents, up, a rating of 1
BLUE = "#2471a3"  # quality-of-life offences, down
ORANGE = "#e67e22"
GREY = "#7f8c8d"
LIGHT_BLUE = "#2980b9"
GREEN = "#27ae60"
OLIVE = "#7d8c2a"
SILVER = "#95a5a6"
PALE = "#bbbbbb"  # no value
MAP_GROUND = "#eeeeea"  # area fills under a report's map
MAP_EDGE = "#555555"

KIND = {"incident": RED, "qol": BLUE}
UP, DOWN = RED, BLUE
# The meeting's rating of a week, 1 (bad) to 5 (good): as printed, and as Streamlit's named
# badge colours for the same steps on the page.
RATING = {1: RED, 2: ORANGE, 3: GREY, 4: LIGHT_BLUE, 5: GREEN}
RATING_BADGE = {1: "red", 2: "orange", 3: "gray", 4: "blue", 5: "green"}
ZONES = (RED, BLUE, OLIVE)  # the effect view: the target, its surroundings, the comparison
YEARS = (RED, BLUE, SILVER)  # the yearly report: this year first, then the years before


def rgb(colour: str) -> list[int]:
    """A ``#rrggbb`` colour as [r, g, b] (deck.gl's colours)."""
    return [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
