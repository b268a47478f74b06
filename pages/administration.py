"""Admin: who has which role, the area configuration, and the settings in force."""

import streamlit as st

from safetycore.access import ROLES, AccessDenied, load_role_config, sensitive_roles, set_role
from ui import data, entry
from ui.auth import current_actor, login_configured
from ui.i18n import t

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
st.caption(t("admin.roles_help", unknown=config.unknown_users or "–",
             claim=config.group_claim, minutes=config.session_timeout_minutes))
st.dataframe(data.query("admin_user_roles"), hide_index=True, width="stretch",
             column_config={"email": t("admin.email"), "role": t("admin.role"),
                            "set_by": t("admin.set_by"), "set_at": t("admin.set_at")})

with st.form("set_role", clear_on_submit=True):
    left, right = st.columns([3, 2])
    email = left.text_input(t("admin.email"), max_chars=200, key="role_email")
    role = right.selectbox(t("admin.role"), [*ROLES, None], key="role_select",
                           format_func=lambda r: t(f"auth.role_{r}") if r else t("admin.remove"))
    if st.form_submit_button(t("admin.save"), type="primary"):
        try:
            set_role(data.con(), actor, email, role)
            st.success(t("admin.saved", email=email.strip().lower()))
        except (ValueError, AccessDenied) as exc:
            st.error(str(exc))

st.subheader(t("admin.areas"))
st.caption(t("admin.areas_help"))
st.dataframe(data.query("admin_areas"), hide_index=True, width="stretch",
             column_config={"area_group": t("word.area_group"), "area": t("word.area"),
                            "group_population": t("admin.group_population"),
                            "population": t("word.population"), "area_id": "id"})

st.subheader(t("admin.settings"))
st.table({
    t("admin.setting"): [t("admin.setting_login"), t("admin.setting_sensitive"),
                         t("admin.setting_db")],
    t("admin.value"): [t("admin.yes") if login_configured() else t("admin.no"),
                       ", ".join(t(f"auth.role_{r}") for r in sorted(sensitive_roles())),
                       data.db_path().rsplit("/", 1)[-1]],
})
