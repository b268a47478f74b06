"""What the dashboard's scheduler sends by e-mail on each tick: the weekly digest when it is
due, the task reminders and the händelser's notices not yet sent. Kept apart so that the
digest (notify) and the händelser (events), which uses the digest's message parts, do not
import each other."""

from __future__ import annotations

import datetime as dt

from safetycore import events, mail, notify


def run_jobs(con, now: dt.datetime | None = None) -> dict:
    """What the dashboard's scheduler does on each tick: nothing without mail settings; else
    the weekly digest when due and the reminders not yet sent."""
    if not mail.configured():
        return {}
    done: dict = {}
    digest = notify.run_scheduled(con, now)
    if digest is not None:
        done["digest"] = digest
    reminders = notify.send_reminders(con, now=now)
    if reminders.sent or reminders.refused or reminders.error:
        done["reminders"] = reminders
    notices = events.send_notices(con, now=now)
    if notices.sent or notices.refused or notices.error:
        done["events"] = notices
    return done
