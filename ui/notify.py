"""The Administration page's section on e-mail: contacts (kept and imported, every change
logged) and the weekly digest's schedule. The work is in safetycore/contacts.py and
safetycore/notify.py; this is the Streamlit side only."""

from __future__ import annotations

import datetime as dt
import os

import streamlit as st

from safetycore import clock, contacts, mail, notify
from safetycore.access import AccessDenied, Actor
from safetycore.actions import owner_orgs
from safetycore.taxonomy import source_label
from ui import cache, data
from ui.i18n import current_language, t


def contact_error(exc: contacts.ContactError) -> str:
    text = t(f"notify.error.{exc.code}", **exc.params)
    return text if not text.startswith("notify.error.") else str(exc)


FLASH_KEY = "_notify_flash"


def _done(success: str, warnings: list[str] | None = None) -> None:
    """Say what was saved after the rerun that shows it in the list above the forms."""
    st.session_state[FLASH_KEY] = (success, warnings or [])
    st.rerun()


def show_flash() -> None:
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(flash[0], icon=":material/check_circle:")
        for warning in flash[1]:
            st.warning(warning)


def contacts_section(actor: Actor) -> None:
    """Contacts per organisation and area group: the list, add, remove, import, the log; then
    the weekly digest's schedule."""
    lang = current_language()
    st.subheader(t("notify.contacts_title"))
    show_flash()
    st.caption(t("notify.contacts_help"))
    frame = cache.query("contacts_list")
    groups = cache.query("area_groups")
    group_names = dict(zip(groups["id"], groups["name"], strict=True))
    orgs = owner_orgs(data.con())
    if frame.empty:
        st.caption(t("notify.contacts_empty"))
    else:
        shown = frame.assign(
            organisation=frame["organisation"].map(lambda o: source_label(o, lang) if o else "–"),
            area_group=frame["area_group"].fillna("–"),
            language=frame["language"].map(lambda code: t(f"notify.language_{code}")),
        )[["email", "organisation", "area_group", "language", "added_by", "added_at"]]
        st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            column_config={
                "email": t("admin.email"),
                "organisation": t("notify.organisation"),
                "area_group": t("word.area_group"),
                "language": t("notify.language"),
                "added_by": t("notify.added_by"),
                "added_at": t("notify.added_at"),
            },
        )

    with st.form("contact_add", clear_on_submit=True):
        st.markdown(f"**{t('notify.add_title')}**")
        left, middle, right, last = st.columns([3, 2, 2, 1])
        email = left.text_input(t("admin.email"), max_chars=contacts.EMAIL_MAX, key="contact_email")
        org = middle.selectbox(
            t("notify.organisation"),
            ["", *orgs],
            key="contact_org",
            format_func=lambda o: source_label(o, lang) if o else t("notify.none"),
        )
        group = right.selectbox(
            t("word.area_group"),
            ["", *group_names],
            key="contact_group",
            format_func=lambda g: group_names.get(g) or t("notify.none"),
        )
        language = last.selectbox(
            t("notify.language"),
            contacts.LANGUAGES,
            key="contact_lang",
            format_func=lambda code: t(f"notify.language_{code}"),
        )
        st.caption(t("notify.add_help"))
        if st.form_submit_button(t("notify.add"), type="primary"):
            try:
                stored = contacts.add_contact(
                    data.con(), actor, email, organisation=org, area_group=group, language=language
                )
                _done(t("notify.added", email=stored))
            except contacts.ContactError as exc:
                st.error(contact_error(exc))
            except AccessDenied as exc:
                st.error(str(exc))

    if not frame.empty:
        rows = list(
            frame[["email", "organisation", "area_group_id"]].itertuples(index=False, name=None)
        )

        def describe(row) -> str:
            email, org, group = row
            parts = [source_label(org, lang) if org else "", group_names.get(group, "")]
            what = ", ".join(p for p in parts if p) or t("notify.personal")
            return f"{email} ({what})"

        with st.form("contact_remove"):
            st.markdown(f"**{t('notify.remove_title')}**")
            chosen = st.selectbox(
                t("notify.contact"), rows, format_func=describe, key="contact_remove_row"
            )
            if st.form_submit_button(t("notify.remove")) and chosen is not None:
                try:
                    contacts.remove_contact(
                        data.con(), actor, chosen[0], organisation=chosen[1], area_group=chosen[2]
                    )
                    _done(t("notify.removed", email=chosen[0]))
                except contacts.ContactError as exc:
                    st.error(contact_error(exc))
                except AccessDenied as exc:
                    st.error(str(exc))

    with st.form("contact_import", clear_on_submit=True):
        st.markdown(f"**{t('notify.import_title')}**")
        st.caption(t("notify.import_help"))
        upload = st.file_uploader(
            t("notify.import_file"), type=["csv", "txt"], key="contact_import_file"
        )
        if st.form_submit_button(t("notify.import_run")) and upload is not None:
            try:
                outcome = contacts.import_contacts(data.con(), actor, upload.getvalue())
                _done(
                    t(
                        "notify.import_done",
                        read=outcome.read,
                        added=outcome.added,
                        unchanged=outcome.unchanged,
                        refused=len(outcome.refused),
                    ),
                    [
                        t(
                            "notify.import_refused",
                            row=r.row,
                            reason=t(f"notify.error.{r.code}", **r.params),
                        )
                        for r in outcome.refused
                    ],
                )
            except contacts.ContactError as exc:
                st.error(contact_error(exc))
            except AccessDenied as exc:
                st.error(str(exc))

    log = cache.query("contacts_log")
    st.markdown(f"**{t('notify.log_title')}**")
    if log.empty:
        st.caption(t("notify.log_empty"))
    else:
        log = log.assign(change=log["change"].map(lambda c: t(f"notify.change_{c}")))
        st.dataframe(
            log,
            hide_index=True,
            width="stretch",
            column_config={
                "changed_at": t("admin.edit.changed_at"),
                "changed_by": t("admin.edit.changed_by"),
                "change": t("notify.change"),
                "email": t("admin.email"),
                "organisation": t("notify.organisation"),
                "area_group_id": t("word.area_group"),
                "detail": t("notify.detail"),
            },
        )
    digest_section(actor)


WEEKDAYS = range(7)


def digest_section(actor: Actor) -> None:
    """The weekly digest: whether e-mail is set up, the schedule, its last run, send now."""
    st.markdown(f"**{t('notify.schedule.title')}**")
    if mail.configured():
        st.caption(
            t(
                "notify.schedule.mail_on",
                host=os.environ.get("SAFETY_SMTP_HOST", ""),
                sender=os.environ.get("SAFETY_SMTP_FROM", ""),
            )
        )
    else:
        st.warning(t("notify.schedule.mail_off"), icon=":material/mail_off:")
    cur = data.con().cursor()  # read fresh: the scheduler writes its last run uncached
    try:
        schedule = notify.digest_schedule(cur)
        now = clock.now_for(cur)
    finally:
        cur.close()
    if schedule["enabled"]:
        line = t(
            "notify.schedule.state_on",
            day=t(f"notify.weekday.{schedule['weekday']}"),
            time=schedule["time"],
        )
        upcoming = notify.next_run(schedule, now)
        if upcoming is not None:
            line += " " + t("notify.schedule.next", at=upcoming.strftime("%Y-%m-%d %H:%M"))
    else:
        line = t("notify.schedule.state_off")
    st.markdown(line)
    last = schedule.get("last")
    if last:
        st.caption(
            t(
                "notify.schedule.last",
                week=last["week"],
                at=last["at"],
                sent=last["sent"],
                skipped=last.get("skipped", 0),
                refused=last.get("refused", 0),
            )
            + (" " + t("notify.schedule.last_error") if last.get("error") else "")
        )
    if schedule.get("changed"):
        st.caption(
            t("notify.schedule.changed", at=schedule["changed"]["at"], by=schedule["changed"]["by"])
        )
    with st.form("digest_schedule"):
        cols = st.columns([2, 2, 2], vertical_alignment="bottom")
        enabled = cols[0].toggle(
            t("notify.schedule.enable"), value=schedule["enabled"], key="digest_enabled"
        )
        weekday = cols[1].selectbox(
            t("notify.schedule.weekday"),
            list(WEEKDAYS),
            index=int(schedule["weekday"]),
            key="digest_weekday",
            format_func=lambda d: t(f"notify.weekday.{d}"),
        )
        hour, minute = (int(p) for p in schedule["time"].split(":"))
        at = cols[2].time_input(
            t("notify.schedule.time"),
            value=dt.time(hour, minute),
            step=dt.timedelta(minutes=15),
            key="digest_time",
        )
        if st.form_submit_button(t("notify.schedule.save"), type="primary"):
            try:
                notify.set_digest_schedule(
                    data.con(), actor, enabled=enabled, weekday=weekday, at=at.strftime("%H:%M")
                )
                _done(t("notify.schedule.saved"))
            except (ValueError, AccessDenied) as exc:
                st.error(str(exc))
    if mail.configured():
        if st.button(t("notify.schedule.send_now"), key="digest_send_now", icon=":material/send:"):
            run = notify.send_digests(data.con(), None)
            if run.error:
                st.error(t("notify.schedule.last_error"))
            else:
                _done(
                    t(
                        "notify.schedule.sent_now",
                        week=run.week,
                        sent=len(run.sent),
                        skipped=len(run.skipped),
                        refused=len(run.refused),
                    )
                )
