"""The Administration page's sections: who has which role, the area configuration and its
editor (areas, groups, a new group, populations from a file, the log of changes), and the
settings in force. Each takes the page's view (``safetycore.admin_view.AdminView``) and small
values, and lays it out; the e-mail section is ``ui/notify.py``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from safetycore import admin_view, area_admin
from safetycore.access import ROLES, AccessDenied, Actor, RoleConfig, sensitive_roles, set_role
from safetycore.admin_view import AdminView, population_text, tidy_name
from ui import cache, data
from ui.i18n import t
from ui.text import md

ROLE_FORM = "set_role"
ROLE_EMAIL_KEY = "role_email"
ROLE_SELECT_KEY = "role_select"
AREA_KEY = "admin_area"  # the area being edited
GROUP_KEY = "admin_group"  # the area group being edited
NEW_GROUP_FORM = "admin_new_group"
NEW_GROUP_NAME_KEY = "admin_new_group_name"
NEW_GROUP_POP_KEY = "admin_new_group_pop"
POPULATION_FORM = "admin_population_csv"
POPULATION_FILE_KEY = "admin_population_file"


def area_key(field: str, area_id: str) -> str:
    """An area's form (``field`` "form") and its fields, keyed per area: another area's
    values never carry over."""
    return f"admin_area_{field}_{area_id}"


def group_key(field: str, group_id: str) -> str:
    """The same for an area group."""
    return f"admin_group_{field}_{group_id}"


def _role_label(role: str | None) -> str:
    return t(f"auth.role_{role}") if role else t("admin.remove")


def roles(view: AdminView, actor: Actor, config: RoleConfig, *, login: bool) -> None:
    """The roles given, how unknown users and the login are configured, and the role form."""
    st.subheader(t("admin.roles"))
    if not login:
        st.info(t("admin.no_login"))
    st.caption(
        t(
            "admin.roles_help",
            unknown=config.unknown_users or "–",
            claim=config.group_claim,
            minutes=config.session_timeout_minutes,
        )
    )
    st.dataframe(
        view.roles,
        hide_index=True,
        width="stretch",
        column_config={
            "email": t("admin.email"),
            "role": t("admin.role"),
            "set_by": t("admin.set_by"),
            "set_at": t("admin.set_at"),
        },
    )
    with st.form(ROLE_FORM, clear_on_submit=True):
        left, right = st.columns([3, 2])
        email = left.text_input(t("admin.email"), max_chars=200, key=ROLE_EMAIL_KEY)
        role = right.selectbox(
            t("admin.role"), [*ROLES, None], key=ROLE_SELECT_KEY, format_func=_role_label
        )
        if st.form_submit_button(t("admin.save"), type="primary"):
            try:
                set_role(data.con(), actor, email, role)
                st.success(t("admin.saved", email=email.strip().lower()))
            except (ValueError, AccessDenied) as exc:
                st.error(md(str(exc)))


def areas(view: AdminView) -> None:
    """The area configuration as it stands: groups, areas and populations."""
    st.subheader(t("admin.areas"))
    st.caption(t("admin.areas_help"))
    st.dataframe(
        view.areas,
        hide_index=True,
        width="stretch",
        column_config={
            "area_group": t("word.area_group"),
            "area": t("word.area"),
            "group_population": t("admin.group_population"),
            "population": t("word.population"),
            "area_id": "id",
        },
    )


def area_editor(view: AdminView, actor: Actor) -> None:
    """Assign areas to groups, rename areas and groups, create groups, set populations; then
    the log, read after the forms so that a change saved now is in it."""
    if not view.editable:
        return
    st.caption(t("admin.edit.replace_help"))
    _area_form(view, actor)
    _group_form(view, actor)
    _new_group_form(actor)
    _population_form(actor)
    _log(cache.derived(admin_view.area_log))


def _area_form(view: AdminView, actor: Actor) -> None:
    by_id = view.area_edit
    st.markdown(f"**{t('admin.edit.area_title')}**")
    area_id = st.selectbox(
        t("admin.edit.area"),
        list(by_id.index),
        key=AREA_KEY,
        format_func=lambda a: f"{by_id.at[a, 'area']} ({by_id.at[a, 'area_group']})",
    )
    row = by_id.loc[area_id]
    with st.form(area_key("form", area_id)):
        left, right = st.columns(2)
        name = left.text_input(
            t("admin.edit.name"),
            value=row["area"],
            max_chars=100,
            key=area_key("name", area_id),
        )
        group_ids = list(view.group_names)
        group = right.selectbox(
            t("admin.edit.group"),
            group_ids,
            index=group_ids.index(row["area_group_id"]),
            format_func=view.group_names.get,
            key=area_key("group", area_id),
        )
        pop = left.text_input(
            t("admin.edit.population"),
            value=population_text(row["population"]),
            key=area_key("pop", area_id),
        )
        aliases = right.text_input(
            t("admin.edit.aliases"),
            value=row["aliases"],
            help=t("admin.edit.aliases_help"),
            key=area_key("aliases", area_id),
        )
        if st.form_submit_button(t("admin.edit.save_area"), type="primary"):
            try:
                area_admin.update_area(
                    data.con(),
                    actor,
                    area_id,
                    name=name,
                    group_id=group,
                    population=pop,
                    aliases=aliases,
                )
                st.success(t("admin.edit.area_saved", name=md(tidy_name(name))))
            except (area_admin.AreaAdminError, AccessDenied) as exc:
                st.error(md(str(exc)))


def _group_form(view: AdminView, actor: Actor) -> None:
    st.markdown(f"**{t('admin.edit.group_title')}**")
    group_id = st.selectbox(
        t("admin.edit.group"),
        list(view.group_names),
        key=GROUP_KEY,
        format_func=view.group_names.get,
    )
    grow = view.groups.loc[group_id]
    with st.form(group_key("form", group_id)):
        left, right = st.columns(2)
        gname = left.text_input(
            t("admin.edit.name"),
            value=grow["name"],
            max_chars=100,
            key=group_key("name", group_id),
        )
        gpop = right.text_input(
            t("admin.edit.population"),
            value=population_text(grow["population"]),
            key=group_key("pop", group_id),
        )
        if st.form_submit_button(t("admin.edit.save_group"), type="primary"):
            try:
                area_admin.update_group(data.con(), actor, group_id, name=gname, population=gpop)
                st.success(t("admin.edit.group_saved", name=md(tidy_name(gname))))
            except (area_admin.AreaAdminError, AccessDenied) as exc:
                st.error(md(str(exc)))


def _new_group_form(actor: Actor) -> None:
    with st.form(NEW_GROUP_FORM, clear_on_submit=True):
        st.markdown(f"**{t('admin.edit.new_title')}**")
        left, right = st.columns(2)
        new_name = left.text_input(t("admin.edit.name"), max_chars=100, key=NEW_GROUP_NAME_KEY)
        new_pop = right.text_input(t("admin.edit.population"), key=NEW_GROUP_POP_KEY)
        if st.form_submit_button(t("admin.edit.create")):
            try:
                area_admin.create_group(data.con(), actor, new_name, new_pop)
                st.success(t("admin.edit.created", name=md(tidy_name(new_name))))
            except (area_admin.AreaAdminError, AccessDenied) as exc:
                st.error(md(str(exc)))


def _population_form(actor: Actor) -> None:
    with st.form(POPULATION_FORM, clear_on_submit=True):
        st.markdown(f"**{t('admin.edit.csv_title')}**")
        st.caption(t("admin.edit.csv_help"))
        upload = st.file_uploader(
            t("admin.edit.csv_file"), type=["csv", "txt"], key=POPULATION_FILE_KEY
        )
        if st.form_submit_button(t("admin.edit.csv_run")) and upload is not None:
            try:
                changed = area_admin.import_populations(data.con(), actor, upload.getvalue())
                st.success(t("admin.edit.csv_done", n=changed))
            except (area_admin.AreaAdminError, AccessDenied) as exc:
                st.error(md(str(exc)))


def _log(log: pd.DataFrame) -> None:
    st.markdown(f"**{t('admin.edit.log_title')}**")
    if log.empty:
        st.caption(t("admin.edit.log_empty"))
        return
    st.dataframe(
        log,
        hide_index=True,
        width="stretch",
        column_config={
            "changed_at": t("admin.edit.changed_at"),
            "changed_by": t("admin.edit.changed_by"),
            "entity": t("admin.edit.what"),
            "entity_id": "id",
            "field": t("admin.edit.field"),
            "old_value": t("admin.edit.old"),
            "new_value": t("admin.edit.new"),
        },
    )


def settings(*, login: bool) -> None:
    """The settings in force: the login, the roles that see sensitive categories, the file."""
    st.subheader(t("admin.settings"))
    st.table(
        {
            t("admin.setting"): [
                t("admin.setting_login"),
                t("admin.setting_sensitive"),
                t("admin.setting_db"),
            ],
            t("admin.value"): [
                t("admin.yes") if login else t("admin.no"),
                ", ".join(t(f"auth.role_{r}") for r in sorted(sensitive_roles())),
                data.db_path().rsplit("/", 1)[-1],
            ],
        }
    )
