"""Roles and permissions: decided in safetycore, whatever a page shows."""

import pytest

from safetycore import db
from safetycore.access import (
    AccessDenied,
    Actor,
    RoleConfig,
    RoleConfigError,
    load_role_config,
    require,
    set_role,
    table_roles,
)


def test_each_role_gets_exactly_its_permissions():
    expected = {
        "viewer": {"view"},
        "reporter": {"view", "report_observation"},
        "coordinator": {
            "view",
            "report_observation",
            "edit_actions",
            "rate_areas",
            "import_data",
            "undo_import",
        },
        "admin": {
            "view",
            "report_observation",
            "edit_actions",
            "rate_areas",
            "import_data",
            "undo_import",
            "admin",
        },
    }
    for role, allowed in expected.items():
        actor = Actor("x@kommun.se", role)
        for permission in expected["admin"]:
            assert actor.can(permission) == (permission in allowed), (role, permission)


def test_read_only_refuses_everything_but_viewing():
    screen = Actor("town hall screen", "admin", read_only=True)
    assert screen.can("view")
    with pytest.raises(AccessDenied, match="read-only"):
        require(screen, "edit_actions")


def test_a_change_needs_a_named_actor():
    with pytest.raises(AccessDenied):
        require(None, "view")
    with pytest.raises(AccessDenied):
        require(Actor("  ", "coordinator"), "edit_actions")
    with pytest.raises(ValueError):
        Actor("x", "superuser")


def test_role_file(tmp_path):
    path = tmp_path / "roles.toml"
    path.write_text(
        '[settings]\nunknown_users = "none"\nsession_timeout_minutes = 15\n'
        '[users]\n"Anna@Kommun.se" = "admin"\n'
        '[groups]\n"polis" = "viewer"\n"trygghet" = "coordinator"\n',
        encoding="utf-8",
    )
    config = load_role_config(path)
    assert config.role_for("anna@kommun.se") == "admin"
    assert config.role_for("bo@kommun.se", {"groups": ["polis", "trygghet"]}) == "coordinator"
    assert config.role_for("okand@example.com") is None
    assert config.session_timeout_minutes == 15
    assert config.role_for("anna@kommun.se", table_roles={"anna@kommun.se": "viewer"}) == "viewer"
    path.write_text('[users]\n"x@y.se" = "chief"\n', encoding="utf-8")
    with pytest.raises(RoleConfigError, match="chief"):
        load_role_config(path)
    assert RoleConfig().role_for("anyone@example.com") == "viewer"  # the default policy


def test_only_admins_set_roles(fresh_db):
    con = db.connect(str(fresh_db))
    with pytest.raises(AccessDenied):
        set_role(con, Actor("cora@kommun.se", "coordinator"), "x@kommun.se", "admin")
    set_role(con, Actor("ada@kommun.se", "admin"), " X@Kommun.se ", "reporter")
    assert table_roles(con) == {"x@kommun.se": "reporter"}
    with pytest.raises(ValueError, match="e-mail"):
        set_role(con, Actor("ada@kommun.se", "admin"), "not an address", "viewer")
    set_role(con, Actor("ada@kommun.se", "admin"), "x@kommun.se", None)
    assert table_roles(con) == {}
    con.close()
