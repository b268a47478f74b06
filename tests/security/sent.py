"""Everything a page run sent to the browser, as text: every element's message (labels, options,
help texts, Markdown bodies, map specs with their data and tooltips) and the decoded rows of
every table and chart. What is not in here never reached the browser."""

from __future__ import annotations

import json

from google.protobuf.json_format import MessageToDict

from tests.helpers import chart_data


def elements(at):
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "DESCRIPTOR"):
            yield node, proto


def sent_text(at) -> str:
    parts = []
    for node, proto in elements(at):
        parts.append(json.dumps(MessageToDict(proto), ensure_ascii=False))
        kind = getattr(node, "type", "")
        if kind in ("dataframe", "table"):
            parts.append(node.value.to_csv(index=False))
        if kind == "vega_lite_chart":
            parts.append(chart_data(node).to_csv(index=False))
    return "\n".join(parts)


def deck_specs(at) -> list[dict]:
    return [
        json.loads(proto.json)
        for node, proto in elements(at)
        if proto.DESCRIPTOR.name == "DeckGlJsonChart"
    ]


def markdown_fields(at) -> list[str]:
    """Every string the browser renders as Markdown: element bodies (st.markdown, captions,
    headings, alerts) and labels (metrics, widgets, expanders, tabs, popovers)."""
    found: list[str] = []

    def walk(value, name: str = "") -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, key)
        elif isinstance(value, list):
            for inner in value:
                walk(inner, name)
        elif isinstance(value, str) and name in ("body", "label", "help"):
            found.append(value)

    for _, proto in elements(at):
        walk(MessageToDict(proto))
    return found
