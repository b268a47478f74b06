"""User text on screen: always as text, never as Markdown or HTML.

Titles, comments, notes, names of people, and names from the database (area groups, areas,
sources, categories) are written by users or come from imported files. Streamlit renders the
body of ``st.markdown``, ``st.caption``, ``st.subheader``, alerts, expander labels and most
labels as Markdown, so such text could show a remote image (a request to any server as soon as
the page is drawn, on the shared screen too), a link, a badge or a formula. Two helpers:

* ``md(text)``: the text as a Markdown fragment that shows exactly those characters. The
  characters that carry meaning inline are backslash-escaped (CommonMark allows that for any
  punctuation): emphasis and code, links and images (``\\[``, ``\\!``), HTML (``\\<img``),
  badges and icons (``\\:red-badge``), formulas (``\\$``) and tables; web and e-mail
  addresses get an invisible word joiner (U+2060) after ``:``, ``www`` and ``@``, since
  Streamlit links addresses found in the parsed text whatever their escapes; a heading, list
  or quote sign at the start is escaped too, and line breaks become spaces, so a text cannot
  start a block of its own.
* ``show(text)``: a text element (``st.text``), for user text on its own.
"""

from __future__ import annotations

import re

import streamlit as st

# Inline syntax: emphasis, code, links and images, HTML, entities, Streamlit's badges, colours
# and icons (":red-badge[...]", ":material/...:"), formulas, strikethrough, tables, e-mail
# addresses and the ":" of web addresses (both would become links).
_INLINE = frozenset("\\`*_[]<>!&:$~|@")
# Block syntax, which counts only at the start: headings, lists, quotes, rules.
_LEADING = frozenset("#-+=>")
_NUMBERED = re.compile(r"^(\d+)([.)])")
# Streamlit's Markdown (remark-gfm) also turns web and e-mail addresses found in the *parsed*
# text into links, escapes or not; an invisible word joiner inside each address prevents that.
JOINER = "\u2060"
_ADDRESS = re.compile(r"(?i)(:)(//)|(www)(\.)|(@)")


def md(text) -> str:
    """``text`` as a Markdown fragment that renders as exactly its characters."""
    if text is None:
        return ""
    flat = " ".join(str(text).splitlines()).strip()
    flat = _ADDRESS.sub(
        lambda m: JOINER.join(g for g in m.groups() if g) + (JOINER if m.group(5) else ""), flat
    )
    out = "".join("\\" + ch if ch in _INLINE else ch for ch in flat)
    if out[:1] in _LEADING:
        out = "\\" + out
    return _NUMBERED.sub(r"\1\\\2", out)


def show(text, container=None) -> None:
    """User text on its own line, as plain text."""
    (container or st).text("" if text is None else str(text))
