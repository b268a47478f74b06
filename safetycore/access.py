"""Who may do what. Enforced here, in the domain library, not only by hiding buttons.

Every write function in safetycore takes an ``Actor`` and calls ``require`` before it
touches the database, so a page that forgot to hide a button still cannot write.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from safetycore import queries

ROLES = ("viewer", "reporter", "coordinator", "admin")

# permission -> roles that have it
PERMISSIONS: dict[str, frozenset[str]] = {
    "view": frozenset(ROLES),
    "report_observation": frozenset({"reporter", "coordinator", "admin"}),
    "edit_actions": frozenset({"coordinator", "admin"}),
    "rate_areas": frozenset({"coordinator", "admin"}),
    "write_yearly": frozenset({"coordinator", "admin"}),  # the yearly picture's own texts
    "import_data": frozenset({"coordinator", "admin"}),
    "undo_import": frozenset({"coordinator", "admin"}),
    "admin": frozenset({"admin"}),
}
# Roles that may see sensitive categories unless configured otherwise (see sensitive_roles()).
DEFAULT_SENSITIVE_ROLES = frozenset({"coordinator", "admin"})


class AccessDenied(PermissionError):
    """The actor's role does not allow this; the message says which permission is missing."""


@dataclass(frozen=True)
class Actor:
    identity: str  # e-mail when login is configured, else the name given in the session
    role: str = "coordinator"
    read_only: bool = False  # SAFETY_READONLY=1: a public shared screen
    # Login is configured but nobody is logged in (or the session has expired): no rights at
    # all, not even to view. Pages are not drawn for such a session; this is the backstop.
    signed_out: bool = False

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"Unknown role {self.role!r}; use one of {', '.join(ROLES)}.")

    def can(self, permission: str) -> bool:
        if permission not in PERMISSIONS:
            raise KeyError(f"Unknown permission {permission!r}")
        if self.signed_out:
            return False
        if self.read_only and permission != "view":
            return False
        return self.role in PERMISSIONS[permission]

    @property
    def sees_sensitive(self) -> bool:
        return not self.signed_out and self.role in sensitive_roles()


def signed_out_actor() -> Actor:
    """The actor of a session that must log in (again): may do and see nothing."""
    return Actor(identity="", role="viewer", read_only=True, signed_out=True)


def require(actor: Actor | None, permission: str) -> Actor:
    """Raise AccessDenied unless the actor may do ``permission``; returns the actor."""
    if actor is None or not actor.identity.strip():
        raise AccessDenied("Every change needs a named user; give your name or log in.")
    if not actor.can(permission):
        if actor.read_only:
            raise AccessDenied(
                "The dashboard is read-only (SAFETY_READONLY=1); nothing can be changed."
            )
        raise AccessDenied(
            f"The role {actor.role!r} of {actor.identity} may not {permission.replace('_', ' ')}."
        )
    return actor


def read_only_mode() -> bool:
    return os.environ.get("SAFETY_READONLY", "").strip().lower() in ("1", "true", "yes")


def sensitive_roles() -> frozenset[str]:
    """Roles allowed to see sensitive categories: ``SAFETY_SENSITIVE_ROLES`` (comma list)."""
    configured = os.environ.get("SAFETY_SENSITIVE_ROLES")
    if configured is None:
        return DEFAULT_SENSITIVE_ROLES
    return frozenset(r.strip() for r in configured.split(",") if r.strip() in ROLES)


# The actor for command-line use: the local operator, who owns the database file anyway.
def command_line_actor() -> Actor:
    user = os.environ.get("USER") or os.environ.get("USERNAME") or "command line"
    return Actor(identity=user, role="admin", read_only=False)


# --- Roles for logged-in users -------------------------------------------------------------

ROLES_FILE_ENV = "SAFETY_ROLES_FILE"


class RoleConfigError(ValueError):
    """The role file cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class RoleConfig:
    """Who gets which role. From a TOML role file; the ``user_roles`` table (set by admins on
    the Admin page) takes precedence over it for the users it names."""

    users: dict[str, str] = field(default_factory=dict)  # e-mail (lower case) -> role
    groups: dict[str, str] = field(default_factory=dict)  # identity-provider group -> role
    group_claim: str = "groups"
    unknown_users: str | None = "viewer"  # role for users nobody named, or None: no access
    session_timeout_minutes: int = 30

    def role_for(
        self, email: str, claims: dict | None = None, table_roles: dict[str, str] | None = None
    ) -> str | None:
        """The role of a logged-in user, or None when they get no access."""
        key = (email or "").strip().lower()
        if table_roles and key in table_roles:
            return table_roles[key]
        if key in self.users:
            return self.users[key]
        granted = [
            self.groups[g] for g in _claim_list(claims, self.group_claim) if g in self.groups
        ]
        if granted:  # the strongest role any of the user's groups gives
            return max(granted, key=ROLES.index)
        return self.unknown_users


def verified_email(claims: dict | None) -> str:
    """The user's e-mail address when the identity provider vouches for it, else "".

    A role is given to an e-mail address only when the token says ``email_verified`` is true:
    many providers let users type any address into their profile, and the ``email`` claim
    alone would then let anyone claim a coordinator's role. Without a verified address the
    role comes from the configured group claim (or ``unknown_users``)."""
    claims = claims or {}
    flag = claims.get("email_verified")
    if flag is True or (isinstance(flag, str) and flag.strip().lower() == "true"):
        return str(claims.get("email") or "").strip().lower()
    return ""


def _claim_list(claims: dict | None, name: str) -> list[str]:
    value = (claims or {}).get(name) or []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _checked_role(role: str, where: str) -> str:
    if role not in ROLES:
        raise RoleConfigError(f"{where}: unknown role {role!r}; use one of {', '.join(ROLES)}.")
    return role


def load_role_config(path: str | Path | None = None) -> RoleConfig:
    """Read the role file (``$SAFETY_ROLES_FILE``, else ``data/roles.toml``); defaults if none."""
    path = Path(
        path
        or os.environ.get(ROLES_FILE_ENV)
        or Path(__file__).resolve().parent.parent / "data" / "roles.toml"
    )
    if not path.exists():
        return RoleConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RoleConfigError(f"Cannot read the role file {path}: {exc}") from exc
    settings = data.get("settings", {})
    unknown = settings.get("unknown_users", "viewer")
    return RoleConfig(
        users={
            k.strip().lower(): _checked_role(v, f"{path} [users] {k}")
            for k, v in data.get("users", {}).items()
        },
        groups={
            k: _checked_role(v, f"{path} [groups] {k}") for k, v in data.get("groups", {}).items()
        },
        group_claim=settings.get("group_claim", "groups"),
        unknown_users=None
        if unknown in ("none", "", None)
        else _checked_role(unknown, f"{path} [settings] unknown_users"),
        session_timeout_minutes=int(settings.get("session_timeout_minutes", 30)),
    )


def table_roles(con) -> dict[str, str]:
    cur = con.cursor()
    try:
        return dict(queries.execute(cur, "access_user_roles").fetchall())
    finally:
        cur.close()


def set_role(con, actor: Actor, email: str, role: str | None) -> None:
    """Give ``email`` a role (or remove their entry with None). Admins only; logged."""
    from safetycore import clock, db

    require(actor, "admin")
    email = (email or "").strip().lower()
    if "@" not in email or len(email) > 200:
        raise ValueError("Give the user's e-mail address, e.g. anna.andersson@kommun.se.")
    if role is not None:
        _checked_role(role, "role")
    at = clock.now_for(con)
    with db.transaction(con) as cur:
        queries.execute(cur, "access_role_delete", email=email)
        if role is not None:
            queries.execute(
                cur, "access_role_insert", email=email, role=role, by=actor.identity, at=at
            )
