"""Streamlit glue shared by the pages: connection, cached queries, filters, labels."""

import altair as alt

# Altair validates every chart object against the Vega-Lite schema as it is built ("debug
# mode"); on a page with a dozen charts that is most of a rerun. The chart functions are
# validated in the unit tests (tests/unit/test_charts_maps.py), so the running app skips it.
alt.utils.schemapi.disable_debug_mode()
# Chart specs are made with to_dict() (see ui/cache.py) and drawn under Streamlit's theme:
# Altair's own default theme would only add a fixed 300 px view size to each of them.
alt.theme.enable("none")

# on_change for a form field whose value is read only when the form is saved: changing it does
# not rerun the page. A rerun is a round trip (slow on a phone) that redraws the page (maps and
# boards on the shared screen), and one landing while the next list is open closes that list
# and loses the click. The value travels with the next rerun, at the latest the save. Fields
# that change what the page shows keep the default, "rerun".
ONLY_ON_SAVE = "ignore"
