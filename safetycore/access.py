"""Who may do what. Enforced here, in the domain library, not only by hiding buttons.

Every write function in safetycore takes an ``Actor`` and calls ``require`` before it
touches the database, so a page that forgot to hide a button still cannot write.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

ROLES = ("viewer", "reporter", "coordinator", "admin")

# permission -> roles that have it
PERMISSIONS: dict[str, frozenset[str]] = {
    "view": frozenset(ROLES),
    "report_observation": frozenset({"reporter", "coordinator", "admin"}),
    "edit_actions": frozenset({"coordinator", "admin"}),
    "rate_areas": frozenset({"coordinator", "admin"}),
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

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"Unknown role {self.role!r}; use one of {', '.join(ROLES)}.")

    def can(self, permission: str) -> bool:
        if permission not in PERMISSIONS:
            raise KeyError(f"Unknown permission {permission!r}")
        if self.read_only and permission != "view":
            return False
        return self.role in PERMISSIONS[permission]

    @property
    def sees_sensitive(self) -> bool:
        return self.role in sensitive_roles()


def require(actor: Actor | None, permission: str) -> Actor:
    """Raise AccessDenied unless the actor may do ``permission``; returns the actor."""
    if actor is None or not actor.identity.strip():
        raise AccessDenied("Every change needs a named user; give your name or log in.")
    if not actor.can(permission):
        if actor.read_only:
            raise AccessDenied("The dashboard is read-only (SAFETY_READONLY=1); nothing can be changed.")
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
