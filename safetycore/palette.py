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
NO_BADGE = "gray"
# A source's week on the Lägesbild: silent, lower than usual, as usual; a task: late, due, done.
SOURCE_BADGE = {"none": "red", "low": "orange", "ok": "gray"}
TASK_BADGE = {"overdue": "red", "due": "orange", "done": "green"}
ZONES = (RED, BLUE, OLIVE)  # the effect view: the target, its surroundings, the comparison
YEARS = (RED, BLUE, SILVER)  # the yearly report: this year first, then the years before


# A task's state on the Åtgärder board as a tag (pale, so the text on it stays readable).
STATE_TAG = {"overdue": "#e8594a", "week": "#f3a43b", "later": "#8fd19e", "nodue": "#c9cdd3"}
CLOSED_TAG = "#9bb8e0"
# Who the people involved were (the cost of problems): youths, adults, both, unknown, no record.
INVOLVED = {
    "youth": ORANGE,
    "adults": BLUE,
    "mixed": "#8e44ad",
    "unknown": SILVER,
    "not_recorded": "#d5d8dc",
}
THIS_AND_LAST_YEAR = (RED, "#bdc3c7")

# A qualitative palette of saturated colours that stay readable on the pale boundaries.
CATEGORY_RGB = [
    [31, 119, 180],
    [255, 127, 14],
    [44, 160, 44],
    [214, 39, 40],
    [148, 103, 189],
    [140, 86, 75],
    [227, 119, 194],
    [96, 96, 96],
    [188, 189, 34],
    [23, 190, 207],
    [0, 84, 147],
    [204, 85, 0],
    [0, 128, 96],
    [153, 0, 51],
    [102, 51, 153],
    [176, 122, 0],
    [204, 0, 153],
    [0, 153, 153],
    [128, 128, 0],
    [230, 70, 70],
    [70, 70, 200],
    [0, 100, 0],
]
ACTION_RGB = [255, 196, 0]  # open actions on the map: rings in a colour no category has


def rgb(colour: str) -> list[int]:
    """A ``#rrggbb`` colour as [r, g, b] (deck.gl's colours)."""
    return [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
