"""Streamlit glue shared by the pages: connection, cached queries, filters, labels."""

import altair as alt

# Altair validates every chart object against the Vega-Lite schema as it is built ("debug
# mode"); on a page with a dozen charts that is most of a rerun. The chart functions are
# validated in the unit tests (tests/unit/test_charts_maps.py), so the running app skips it.
alt.utils.schemapi.disable_debug_mode()
# Chart specs are made with to_dict() (see render.py) and drawn under Streamlit's theme:
# Altair's own default theme would only add a fixed 300 px view size to each of them.
alt.theme.enable("none")
