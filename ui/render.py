"""Charts and maps from cached specs.

Building an Altair chart or a pydeck Deck and turning it into JSON costs more than the
cached queries behind it (a Lägesbild rerun builds a dozen). The chart and map functions in
``safetycore`` are pure functions of small aggregate frames, so their finished specs are
cached on those inputs: a rerun that shows the same figures again only looks them up.

    st.vega_lite_chart(render.chart_spec(charts.seasonality, frame, ...), width="stretch")
    st.pydeck_chart(render.deck(week_charts.group_deck, boundaries, group_id, cells), height=300)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st
from pydeck.bindings.json_tools import default_serialize

from safetycore import formats
from ui.data import Keyed, qualified_name, register_cache
from ui.i18n import current_language, t

# Finished specs are small (the largest, the Karta map, a few MB); this bounds the memory.
MAX_SPECS = 256


# Keyed frames (ui.data.keyed_query) are hashed by their cache key, not their content.
HASH_FUNCS: dict[str | type, Callable[[Any], Any]] = {Keyed: lambda keyed: repr(keyed.key)}


def _call(build: Callable, args: tuple, kwargs: dict):
    def unwrap(value):
        return value.frame if isinstance(value, Keyed) else value

    return build(*(unwrap(a) for a in args), **{k: unwrap(v) for k, v in kwargs.items()})


@st.cache_data(show_spinner=False, max_entries=MAX_SPECS, hash_funcs=HASH_FUNCS)
def _chart_spec(name: str, args: tuple, kwargs: dict, _build: Callable) -> dict:
    # Validation against the Vega-Lite schema is for the unit tests (test_charts_maps.py);
    # here it would cost more than the rest of the rerun.
    return _call(_build, args, kwargs).to_dict(validate=False)


def chart_spec(build: Callable, *args, **kwargs) -> dict:
    """``build(*args, **kwargs).to_dict()`` for an Altair chart builder, cached on its inputs
    (frames passed as ``ui.data.Keyed`` by their query's cache key).

    Hand the result to ``st.vega_lite_chart``; each call returns a fresh copy, which
    Streamlit may change as it moves the data out of the spec.
    """
    spec = _chart_spec(qualified_name(build), args, kwargs, build)
    return formats.with_vega_locale(spec, current_language())  # 1 234,5 and Swedish months


def chart(build: Callable, frame, *args, **kwargs) -> None:
    """Draw ``build(frame, ...)`` full width, or say there is nothing to show."""
    if frame.empty:
        st.info(t("word.no_data"))
    else:
        st.vega_lite_chart(chart_spec(build, frame, *args, **kwargs), width="stretch")


@dataclass(frozen=True)
class PreparedDeck:
    """A Deck already serialised: what ``st.pydeck_chart`` reads from a ``pydeck.Deck``."""

    json: str
    _tooltip: dict | bool | None = None
    mapbox_key: str | None = None
    layers = None  # nothing left for Streamlit to convert
    width = None

    def to_json(self) -> str:
        return self.json


# Shared by every session as it is (st.cache_resource): a serialised map cannot be changed,
# and a copy per call was up to a megabyte per open tab.
@st.cache_resource(show_spinner=False, max_entries=MAX_SPECS, hash_funcs=HASH_FUNCS)
def _deck(name: str, args: tuple, kwargs: dict, _build: Callable) -> PreparedDeck:
    built = _call(_build, args, kwargs)
    # What Deck.to_json() writes, without its indentation: the browser gets about a third less,
    # and json's C encoder (used only without indent) writes it several times faster.
    compact = json.dumps(built, sort_keys=True, default=default_serialize, separators=(",", ":"))
    return PreparedDeck(
        json=compact,
        _tooltip=getattr(built, "_tooltip", None),
        mapbox_key=getattr(built, "mapbox_key", None),
    )


register_cache(_deck.clear)


def deck(build: Callable, *args, **kwargs) -> PreparedDeck:
    """``build(*args, **kwargs)`` for a pydeck Deck builder, serialised once per input."""
    return _deck(qualified_name(build), args, kwargs, build)


def _css_text(text: str) -> str:
    """``text`` as a CSS string's content (quotes and backslashes escaped, no line breaks)."""
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", " ")
        .replace("<", "\\3c ")
        .replace(">", "\\3e ")
    )


def uploader_texts(label: str, mb: int, types: list[str]) -> None:
    """The upload widget's own texts from the catalogue, for the widget labelled ``label``.

    Streamlit 1.67 writes them in English whatever the app's language ("Upload", "50MB per
    file • JSON, CSV") and has no parameter for them; a style shows the catalogue's words in
    their place (the widget's behaviour is unchanged).
    """
    from ui.format import number

    box = f'[data-testid="stFileUploaderDropzone"][aria-label="{_css_text(label)}"]'
    button = f'{box} [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p'
    hint = f'{box} [data-testid="stFileUploaderDropzoneInstructions"] span'
    limit = t("upload.limit", mb=number(mb), types=", ".join(x.upper() for x in types))
    st.html(
        f"<style>{button}, {hint} {{ font-size: 0 !important; }}"
        f'{button}::after {{ content: "{_css_text(t("upload.button"))}"; font-size: 0.875rem; }}'
        f'{hint}::after {{ content: "{_css_text(limit)}"; font-size: 0.875rem; }}</style>'
    )
