"""Admin: who has which role, the area configuration (groups, names, populations, aliases,
each change logged), and the settings in force."""

import pandas as pd
import streamlit as st

from safetycore import area_admin
from safetycore.access import ROLES, AccessDenied, load_role_config, sensitive_roles, set_role
from ui import data, entry
from ui import notify as notify_ui
from ui.auth import current_actor, login_configured
from ui.i18n import t
from ui.text import md

entry.ensure()  # the first run after a server start: see ui/entry.py

st.title(t("admin.title"))
actor = current_actor()
if actor is None or not actor.can("admin"):
    st.error(t("auth.not_allowed"))
    st.stop()

config = load_role_config()
st.subheader(t("admin.roles"))
if not login_configured():
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
    data.query("admin_user_roles"),
    hide_index=True,
    width="stretch",
    column_config={
        "email": t("admin.email"),
        "role": t("admin.role"),
        "set_by": t("admin.set_by"),
        "set_at": t("admin.set_at"),
    },
)

with st.form("set_role", clear_on_submit=True):
    left, right = st.columns([3, 2])
    email = left.text_input(t("admin.email"), max_chars=200, key="role_email")
    role = right.selectbox(
        t("admin.role"),
        [*ROLES, None],
        key="role_select",
        format_func=lambda r: t(f"auth.role_{r}") if r else t("admin.remove"),
    )
    if st.form_submit_button(t("admin.save"), type="primary"):
        try:
            set_role(data.con(), actor, email, role)
            st.success(t("admin.saved", email=email.strip().lower()))
        except (ValueError, AccessDenied) as exc:
            st.error(md(str(exc)))

st.subheader(t("admin.areas"))
st.caption(t("admin.areas_help"))
st.dataframe(
    data.query("admin_areas"),
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


def _edit_areas() -> None:
    """Assign areas to groups, rename areas and groups, create groups, set populations."""
    areas = data.query("admin_area_edit")
    groups = data.query("area_groups")
    group_names = dict(zip(groups["id"], groups["name"], strict=True))
    if areas.empty:
        return
    st.caption(t("admin.edit.replace_help"))
    by_id = areas.set_index("area_id")

    st.markdown(f"**{t('admin.edit.area_title')}**")
    area_id = st.selectbox(
        t("admin.edit.area"),
        list(by_id.index),
        key="admin_area",
        format_func=lambda a: f"{by_id.at[a, 'area']} ({by_id.at[a, 'area_group']})",
    )
    row = by_id.loc[area_id]
    with st.form(f"admin_area_form_{area_id}"):
        left, right = st.columns(2)
        name = left.text_input(
            t("admin.edit.name"), value=row["area"], max_chars=100, key=f"admin_area_name_{area_id}"
        )
        group_ids = list(group_names)
        group = right.selectbox(
            t("admin.edit.group"),
            group_ids,
            index=group_ids.index(row["area_group_id"]),
            format_func=group_names.get,
            key=f"admin_area_group_{area_id}",
        )
        pop = left.text_input(
            t("admin.edit.population"),
            value="" if pd.isna(row["population"]) else str(int(row["population"])),
            key=f"admin_area_pop_{area_id}",
        )
        aliases = right.text_input(
            t("admin.edit.aliases"),
            value=row["aliases"],
            help=t("admin.edit.aliases_help"),
            key=f"admin_area_aliases_{area_id}",
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
                st.success(t("admin.edit.area_saved", name=md(" ".join(name.split()))))
            except (area_admin.AreaAdminError, AccessDenied) as exc:
                st.error(md(str(exc)))

    st.markdown(f"**{t('admin.edit.group_title')}**")
    group_id = st.selectbox(
        t("admin.edit.group"), list(group_names), key="admin_group", format_func=group_names.get
    )
    grow = groups.set_index("id").loc[group_id]
    with st.form(f"admin_group_form_{group_id}"):
        left, right = st.columns(2)
        gname = left.text_input(
            t("admin.edit.name"),
            value=grow["name"],
            max_chars=100,
            key=f"admin_group_name_{group_id}",
        )
        gpop = right.text_input(
            t("admin.edit.population"),
            value="" if pd.isna(grow["population"]) else str(int(grow["population"])),
            key=f"admin_group_pop_{group_id}",
        )
        if st.form_submit_button(t("admin.edit.save_group"), type="primary"):
            try:
                area_admin.update_group(data.con(), actor, group_id, name=gname, population=gpop)
                st.success(t("admin.edit.group_saved", name=md(" ".join(gname.split()))))
            except (area_admin.AreaAdminError, AccessDenied) as exc:
                st.error(md(str(exc)))

    with st.form("admin_new_group", clear_on_submit=True):
        st.markdown(f"**{t('admin.edit.new_title')}**")
        left, right = st.columns(2)
        new_name = left.text_input(t("admin.edit.name"), max_chars=100, key="admin_new_group_name")
        new_pop = right.text_input(t("admin.edit.population"), key="admin_new_group_pop")
        if st.form_submit_button(t("admin.edit.create")):
            try:
                area_admin.create_group(data.con(), actor, new_name, new_pop)
                st.success(t("admin.edit.created", name=md(" ".join(new_name.split()))))
            except (area_admin.AreaAdminError, AccessDenied) as exc:
                st.error(md(str(exc)))

    with st.form("admin_population_csv", clear_on_submit=True):
        st.markdown(f"**{t('admin.edit.csv_title')}**")
        st.caption(t("admin.edit.csv_help"))
        upload = st.file_uploader(
            t("admin.edit.csv_file"), type=["csv", "txt"], key="admin_population_file"
        )
        if st.form_submit_button(t("admin.edit.csv_run")) and upload is not None:
            try:
                changed = area_admin.import_populations(data.con(), actor, upload.getvalue())
                st.success(t("admin.edit.csv_done", n=changed))
            except (area_admin.AreaAdminError, AccessDenied) as exc:
                st.error(md(str(exc)))

    st.markdown(f"**{t('admin.edit.log_title')}**")
    log = data.query("admin_area_log")
    if log.empty:
        st.caption(t("admin.edit.log_empty"))
    else:
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


_edit_areas()
notify_ui.contacts_section(actor)  # e-mail contacts and the digest's schedule (ui/notify.py)

st.subheader(t("admin.settings"))
st.table(
    {
        t("admin.setting"): [
            t("admin.setting_login"),
            t("admin.setting_sensitive"),
            t("admin.setting_db"),
        ],
        t("admin.value"): [
            t("admin.yes") if login_configured() else t("admin.no"),
            ", ".join(t(f"auth.role_{r}") for r in sorted(sensitive_roles())),
            data.db_path().rsplit("/", 1)[-1],
        ],
    }
)
