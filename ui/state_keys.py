"""The session-state keys that more than one place reads or writes: one name each, so a
reader (and ``tests/test_session_keys.py``) can find every use of a key from its constant.

Keys a single section module keeps to itself are constants in that module. The values are
also the widgets' keys, and those bound to the address (``bind="query-params"``) are the
names of the URL's parameters too: ``?groups=rimbo``.
"""

LANGUAGE = "lang"  # the sidebar's language picker (?lang=)
AREA_GROUPS = "groups"  # the sidebar's area groups (?groups=)
AREAS = "areas"  # the sidebar's areas (?areas=)
FILTER = "_filter"  # the Filter dashboard.py computed for this run
ROLE_ERROR = "_role_error"  # why the role file could not be read, shown to an admin
WEEK = "week"  # Lägesbild's week picker (?week=)
SITUATION_TAB = "situation_tab"  # Lägesbild's open area-group tab
MEETING_TOGGLE = "_meeting_toggle"  # Lägesbild's meeting-mode switch
