"""Årlig lägesbild: the statutory yearly situation picture (lag 2023:196 § 4), its four parts
as tabs, the analyst's texts per part, and the document as HTML, PDF or JSON.

The view is ``safetycore.yearly_view.yearly_view``; the sections are in
``ui/yearly_sections.py``.
"""

from safetycore import yearly_view
from ui import cache, entry, meeting
from ui import yearly_sections as sections
from ui.auth import viewer_actor
from ui.i18n import current_language

entry.ensure()  # the first run after a server start: see ui/entry.py

lang = current_language()
today = cache.reference_date()
in_meeting = meeting.meeting_mode()
k = meeting.min_cell()

choices = cache.derived(yearly_view.year_choices, today)
ctl = sections.controls(
    choices, sees_sensitive=viewer_actor().sees_sensitive, in_meeting=in_meeting
)
view = cache.derived(
    yearly_view.yearly_view,
    ctl.year,
    today=today,
    internal=ctl.internal,
    min_count=k,
    municipality=cache.meta().get("municipality", ""),
)
sections.heading(ctl.head, view)
# The document is made when a button is clicked: its maker is bound with partial, for the
# reason given at ui/lagesbild_layout.py's report_popover.
sections.downloads(ctl.downloads, view, lang=lang, today=today, k=k)
sections.notes(view)
sections.glance(view)

extent, consequences, other, analysis, conclusions = sections.part_tabs()
with extent:
    sections.extent(view, in_meeting=in_meeting)
with consequences:
    sections.consequences(view, lang=lang, in_meeting=in_meeting)
with other:
    sections.other(view, in_meeting=in_meeting)
with analysis:
    sections.analysis(view, in_meeting=in_meeting)
with conclusions:
    sections.conclusions(view, in_meeting=in_meeting)
