"""Reading what a page actually sends to the browser, from AppTest elements."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa


def charts(at) -> list:
    return list(at.get("vega_lite_chart"))


def chart_data(element) -> pd.DataFrame:
    """All rows of a Vega-Lite chart's datasets, as sent to the browser."""
    frames = []
    for dataset in element.proto.datasets:
        with pa.ipc.open_stream(dataset.data.data) as reader:
            frames.append(reader.read_pandas())
    if element.proto.HasField("data") and element.proto.data.data:
        with pa.ipc.open_stream(element.proto.data.data) as reader:
            frames.append(reader.read_pandas())
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def decks(at) -> list[dict]:
    """The pydeck specs (layers with their data) that the page sends."""
    return [json.loads(element.proto.json) for element in at.get("deck_gl_json_chart")]


def deck_layer(spec: dict, layer_id: str) -> dict | None:
    for layer in spec.get("layers", []):
        if layer.get("id") == layer_id:
            return layer
    return None


def plant_spike(
    path, area_group: str, category: str | None, start: str, end: str, copies: int = 2
) -> None:
    """Make a group's events of one category (None: of every category) in [start, end)
    ``1 + copies`` times what the demo holds: a spike that stands out against every figure a
    week's page tests together."""
    from safetycore import db

    con = db.connect(str(path))
    try:
        with db.transaction(con) as cur:
            for copy in range(1, copies + 1):
                cur.execute(
                    "INSERT INTO incidents SELECT * REPLACE (id + $shift AS id, "
                    "source_ref || '-copy' || $copy AS source_ref) FROM incidents "
                    "WHERE area_group_id = $group AND coalesce(category = $category, true) "
                    "AND occurred_at >= $start AND occurred_at < $end",
                    {
                        "shift": copy * 10**15,
                        "copy": str(copy),
                        "group": area_group,
                        "category": category,
                        "start": start,
                        "end": end,
                    },
                )
    finally:
        con.close()
