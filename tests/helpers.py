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
