"""Every cached thing of the dashboard, behind one door: pages and ui sections take cached
results from this module only (``tests/test_cache_facade.py`` fails on any other way in).

The façade adds what a key must hold itself: the database's ``data_version`` (read once per
script run, ``ui.data.data_version``) and its path for everything read from the database, and
the viewer's language where the result is written in it. Callers pass only what their
function takes. Every entry, its key and its sharing rule (V: the data version, P: the
database path, L: the viewer's language, all three added here):

=================  =================================  ================  ===============  =============
function           caches                             keyed on          kept             cleared
=================  =================================  ================  ===============  =============
``query``          a query's frame                    name, filter,     shared; each     write; 1,024
                   (``safetycore/queries/*.sql``)     params + V P      call a shallow
                                                                        copy
``keyed_query``    ``query``'s entry with its key     as ``query``      as ``query``     as ``query``
                   (``Keyed``)
``derived``        ``fn(query, *args, **kwargs)``:    ``fn``, args +    shared: read     write; 128
                   a page's view                      V P, and L when   it, never
                                                      ``fn`` takes      change it
                                                      ``lang``
``keyed_derived``  ``derived``'s entry with its key   as ``derived``    as ``derived``   as ``derived``
                   for ``Keyed`` frames of a view
``memo``           ``fn(*args, **kwargs)``, pure,     ``fn``, the       a copy per call  256
                   over small frames                  args' content
``meta``           the meta table (``is_demo`` and    V P               a copy per call  write; 64
                   ``reference_date`` read it)
``chart_spec``     a chart builder's Vega-Lite dict   builder, args'    a copy per call  256
                   in L's number and date locale      content + L
``chart``          draws ``chart_spec`` (or says      as chart_spec
                   there is no data)
``deck``           a Deck builder's map, serialised   builder, args'    shared           256
                   (``PreparedDeck``)                 content + L
=================  =================================  ================  ===============  =============

"Shared" is one object per server (``st.cache_resource``), "a copy per call" is
``st.cache_data``. "Write" means a write anywhere raises V, so the next run looks up new
keys; the number is how many entries are kept (the least recently used go first). A frame
passed as ``Keyed`` is hashed by its key, not its content. A ``derived`` view written in the
viewer's language takes a ``lang`` parameter and the façade passes it (a caller that passes
``lang`` itself gets a ``TypeError``); chart specs and decks always key on L, as their texts
and number formats are in it. ``memo`` needs no V: its inputs are the data.

``clear_cached_results()`` forgets all of them (cold runs in benchmarks, tests that open
another database in one process). Outside this table are ``ui.data.connection``, the one
DuckDB connection per server and path (``cache_resource``, never cleared), the data version
itself, remembered in the session for one script run, and ``ui.jobs``'s start of the
server's jobs, once per process (a ``cache_resource`` as a guard, not a result).

Why shared and why copied: frames and decks are kept once per server (``cache_resource``), not
unpickled into a copy per call (``cache_data``): a copy per session was kept alive by each open
browser tab with its last run (the area boundaries alone are a megabyte), and the unpickling
cost every rerun. Under pandas' copy-on-write a change to a shallow copy copies the changed
data and never reaches the shared frame. Chart specs stay ``cache_data`` because Streamlit
moves the data out of the spec it is handed, so each call needs its own.

Why ``Keyed``: a cache that takes a frame as an argument hashes its content on every call. A
frame that comes from ``keyed_query`` or from a view (``keyed_derived``) already has a key that
names it; ``Keyed(frame, key)`` makes ``chart_spec`` and ``deck`` hash that key instead (the
area boundaries are a megabyte of GeoJSON text to hash otherwise), and hands the builder the
frame.

Writes are not cached and do not come through here: they take the connection itself,
``ui.data.con()``, and the domain's write functions open ``db.transaction`` on it (which
raises V, so every entry keyed on it is new on the next run). The few reads that must not be
cached take it too: a job's state as the scheduler writes it (``ui/jobs.py``, ``ui/notify.py``),
an action read back before it is edited, the role table at login. ``ui.data`` (the connection
and V) imports no other ``ui`` module; this one builds on it, and pages build on this one.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd
import streamlit as st
from pydeck.bindings.json_tools import default_serialize

from safetycore import clock, formats, queries
from safetycore.filters import Filter
from ui.data import connection, data_version, db_path
from ui.i18n import current_language, t

# Finished specs are small (the largest, the Karta map, a few MB); this bounds the memory.
MAX_SPECS = 256
LANG = "lang"  # the parameter through which a derived view receives the viewer's language


def qualified_name(fn) -> str:
    """A function's module and name: what the caches of computed results are keyed on (the
    function itself is not hashed)."""
    return f"{fn.__module__}.{fn.__qualname__}"


# --- Query results ---------------------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=1024)
def _cached_query(
    name: str, flt: Filter | None, version: int, extra: tuple, path: str
) -> pd.DataFrame:
    params = {k: list(v) if isinstance(v, tuple) else v for k, v in extra}
    return queries.run(connection(path), name, flt, **params)


@dataclass(frozen=True)
class Keyed:
    """A frame with the key it was cached under: ``chart_spec`` and ``deck`` hash the key
    instead of the content (see the module's docstring)."""

    frame: pd.DataFrame
    key: tuple


def keyed_query(name: str, flt: Filter | None = None, **extra) -> Keyed:
    """The cached result of a query with the key it is cached under (see Keyed); pages that
    only read the frame use ``query``."""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in extra.items()))
    key = (name, flt, data_version(), frozen, db_path())
    return Keyed(_cached_query(*key).copy(deep=False), key)


def query(name: str, flt: Filter | None = None, **extra) -> pd.DataFrame:
    """Run ``safetycore/queries/<name>.sql`` for the filter, cached until the next write.

    Extra parameters must be hashable scalars or tuples (lists are converted).
    """
    return keyed_query(name, flt, **extra).frame


# --- Computed results ------------------------------------------------------------------------


@cache
def _takes_language(fn: Callable) -> bool:
    try:
        return LANG in inspect.signature(fn).parameters
    except (TypeError, ValueError):  # a builtin without a signature
        return False


def _with_language(fn: Callable, kwargs: dict) -> dict:
    """``kwargs`` with the viewer's language for a function that takes ``lang``."""
    if not _takes_language(fn):
        return kwargs
    if LANG in kwargs:
        raise TypeError(f"{qualified_name(fn)}: the cache passes the viewer's language itself")
    return {**kwargs, LANG: current_language()}


@st.cache_resource(show_spinner=False, max_entries=128)
def _derived(name: str, args: tuple, kwargs: dict, version: int, path: str, _fn) -> object:
    return _fn(query, *args, **kwargs)


def derived(fn, *args, **kwargs):
    """``fn(query, *args, **kwargs)``, cached until the next write.

    For pure computations over cached queries (e.g. the week's situation with its flags and
    standouts): a rerun that shows the same week again skips the computation too. A view
    written in the viewer's language takes a ``lang`` parameter, and the cache passes it (and
    keys on it); callers never do. The result is shared between sessions: read it, never
    change it in place.
    """
    return keyed_derived(fn, *args, **kwargs)[0]


def keyed_derived(fn, *args, **kwargs) -> tuple[Any, tuple]:
    """``derived(fn, *args, **kwargs)`` and the key it is cached under: for a cache built on
    that result (a finished map, a chart) to hash its frames through ``Keyed`` instead of their
    content."""
    kwargs = _with_language(fn, kwargs)
    key = (qualified_name(fn), args, kwargs, data_version(), db_path())
    return _derived(*key, fn), key


@st.cache_data(show_spinner=False, max_entries=256)
def _memo(name: str, args: tuple, kwargs: dict, _fn) -> object:
    return _fn(*args, **kwargs)


def memo(fn, *args, **kwargs):
    """``fn(*args, **kwargs)`` for a pure function of small frames, cached on its inputs."""
    return _memo(qualified_name(fn), args, kwargs, fn)


# --- The meta table --------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=64)
def _meta(version: int, path: str) -> dict[str, str]:
    cur = connection(path).cursor()
    try:
        return dict(queries.execute(cur, "data_meta").fetchall())
    finally:
        cur.close()


def meta() -> dict[str, str]:
    return _meta(data_version(), db_path())


def is_demo() -> bool:
    return meta().get("demo") == "true"


def reference_date() -> dt.date:
    """'Today' for period presets: the demo's last day for demo data, else the real date."""
    return clock.reference_day(meta())


# --- Charts and maps -------------------------------------------------------------------------
# Building an Altair chart or a pydeck Deck and turning it into JSON costs more than the
# cached queries behind it (a Lägesbild rerun builds a dozen). The chart and map functions in
# ``safetycore`` are pure functions of small aggregate frames, so their finished specs are
# cached on those inputs: a rerun that shows the same figures again only looks them up.
#
#     st.vega_lite_chart(cache.chart_spec(charts.seasonality, frame, ...), width="stretch")
#     st.pydeck_chart(cache.deck(week_charts.group_deck, boundaries, group_id, cells), height=300)

# Keyed frames are hashed by their cache key, not their content.
HASH_FUNCS: dict[str | type, Callable[[Any], Any]] = {Keyed: lambda keyed: repr(keyed.key)}


def _call(build: Callable, args: tuple, kwargs: dict):
    def unwrap(value):
        return value.frame if isinstance(value, Keyed) else value

    return build(*(unwrap(a) for a in args), **{k: unwrap(v) for k, v in kwargs.items()})


@st.cache_data(show_spinner=False, max_entries=MAX_SPECS, hash_funcs=HASH_FUNCS)
def _chart_spec(name: str, args: tuple, kwargs: dict, lang: str, _build: Callable) -> dict:
    # Validation against the Vega-Lite schema is for the unit tests (test_charts_maps.py);
    # here it would cost more than the rest of the rerun.
    spec = _call(_build, args, kwargs).to_dict(validate=False)
    return formats.with_vega_locale(spec, lang)  # 1 234,5 and Swedish months


def chart_spec(build: Callable, *args, **kwargs) -> dict:
    """``build(*args, **kwargs).to_dict()`` for an Altair chart builder in the viewer's
    number and date locale, cached on its inputs (frames passed as ``Keyed`` by their key).

    Hand the result to ``st.vega_lite_chart``; each call returns a fresh copy, which
    Streamlit may change as it moves the data out of the spec.
    """
    return _chart_spec(qualified_name(build), args, kwargs, current_language(), build)


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


@st.cache_resource(show_spinner=False, max_entries=MAX_SPECS, hash_funcs=HASH_FUNCS)
def _deck(name: str, args: tuple, kwargs: dict, lang: str, _build: Callable) -> PreparedDeck:
    built = _call(_build, args, kwargs)
    # What Deck.to_json() writes, without its indentation: the browser gets about a third less,
    # and json's C encoder (used only without indent) writes it several times faster.
    compact = json.dumps(built, sort_keys=True, default=default_serialize, separators=(",", ":"))
    return PreparedDeck(
        json=compact,
        _tooltip=getattr(built, "_tooltip", None),
        mapbox_key=getattr(built, "mapbox_key", None),
    )


def deck(build: Callable, *args, **kwargs) -> PreparedDeck:
    """``build(*args, **kwargs)`` for a pydeck Deck builder, serialised once per input and
    language (the builder may write its tooltips with ``t``)."""
    return _deck(qualified_name(build), args, kwargs, current_language(), build)


# --- Clearing --------------------------------------------------------------------------------


def clear_cached_results() -> None:
    """Forget every cached result, keeping the connection: for cold runs in benchmarks and
    for tests that open another database in the same process."""
    _cached_query.clear()
    _derived.clear()
    _deck.clear()
    st.cache_data.clear()  # _memo, _meta, _chart_spec
