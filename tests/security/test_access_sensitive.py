"""Sensitive categories follow the viewer: a role that may not see them gets no count, label or
option of them on the Åtgärder page (boards, inventory, follow-up, effect, forms, filters), and
the effect view refuses a small circle around a point for sensitive targets."""

from __future__ import annotations

import datetime as dt

import pytest

from safetycore import actions, db, disclosure
from safetycore.access import Actor
from tests.conftest import DEMO_END, run_app
from tests.security.sent import sent_text

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "trygghet",
    "client_secret": "s",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
ROLES = """
[settings]
unknown_users = "none"
[users]
"vera@kommun.se" = "viewer"
"cora@kommun.se" = "coordinator"
"""
SENSITIVE_LABELS = ("Våld i nära relation", "Sexualbrott", "Violence in close relationships")
COORDINATOR = Actor("Kim Samordnare", role="coordinator")
PROBE = "Uppföljning på Storgatan 5"  # a point with a 100 m circle, sensitive target
ONLY_SENSITIVE = "Samverkan kring våldsutsatta"


@pytest.fixture()
def as_user(fresh_db, tmp_path, monkeypatch):
    from ui import cache

    roles = tmp_path / "roles.toml"
    roles.write_text(ROLES, encoding="utf-8")
    monkeypatch.setenv("SAFETY_DB", str(fresh_db))
    monkeypatch.setenv("SAFETY_ROLES_FILE", str(roles))
    con = db.connect(str(fresh_db))
    now = dt.datetime.combine(DEMO_END, dt.time(12))
    start = DEMO_END - dt.timedelta(days=120)
    ids = {}
    try:
        ids[PROBE] = actions.create_action(
            con,
            COORDINATOR,
            actions.ActionDraft(
                title=PROBE,
                area_group_id="norrtalje-stad",
                area_id="centrum",
                owner_org="police",
                target_categories=("domestic_violence", "assault"),
                start_date=start,
                lat=59.7577,
                lon=18.7035,
                radius_m=100,
            ),
            now=now,
        )
        ids[ONLY_SENSITIVE] = actions.create_action(
            con,
            COORDINATOR,
            actions.ActionDraft(
                title=ONLY_SENSITIVE,
                area_group_id="norrtalje-stad",
                area_id="centrum",
                owner_org="social_services",
                target_categories=("domestic_violence",),
                start_date=start,
            ),
            now=now,
        )
    finally:
        con.close()
    cache.clear_cached_results()

    def make(email: str, page: str = "pages/atgarder.py"):
        return run_app(
            page,
            secrets={"auth": AUTH},
            user={"is_logged_in": True, "email": email, "email_verified": True},
        )

    yield make, ids
    cache.clear_cached_results()


def effect_of(at, action_id: int):
    at.selectbox(key="effect_action").select(action_id).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_viewer_gets_no_sensitive_label_anywhere_on_the_actions_page(as_user):
    make, ids = as_user
    viewer = make("vera@kommun.se")
    sent = sent_text(viewer)
    assert PROBE in sent and ONLY_SENSITIVE in sent  # the actions themselves are listed
    assert not [label for label in SENSITIVE_LABELS if label in sent]
    assert "domestic_violence" not in sent  # not as a code either
    # The follow-up details of the action and its effect view.
    viewer.selectbox(key="follow_action").select(ids[PROBE]).run()
    effect_of(viewer, ids[PROBE])
    sent = sent_text(viewer)
    assert not [label for label in SENSITIVE_LABELS if label in sent]
    # The same page for a coordinator names the sensitive target (the control).
    assert "Våld i nära relation" in sent_text(make("cora@kommun.se"))


def test_a_viewer_gets_no_effect_counts_of_a_sensitive_target(as_user):
    make, ids = as_user
    viewer = effect_of(make("vera@kommun.se"), ids[ONLY_SENSITIVE])
    assert "inte visas för dig" in viewer.info[-1].value
    assert not [m for m in viewer.metric if "Målområde" in m.label]  # no before → after
    # The coordinator gets the counts of the same action over its whole area.
    coordinator = effect_of(make("cora@kommun.se"), ids[ONLY_SENSITIVE])
    assert [m for m in coordinator.metric if "Målområde" in m.label]
    assert "inte visas för dig" not in " ".join(i.value for i in coordinator.info)


def test_a_small_circle_around_a_point_counts_no_sensitive_event(as_user):
    make, ids = as_user
    at = effect_of(make("cora@kommun.se"), ids[PROBE])
    note = " ".join(c.value for c in at.caption)
    assert "minst 1\u202f000 m" in note or "minst 1 000 m" in note, note
    # Only the assaults are counted: the caption lists the counted categories.
    assert "Misshandel" in note and "Våld i nära relation" not in note


def test_effect_scope_rules():
    sensitive = {"domestic_violence"}
    viewer = disclosure.effect_scope(
        ["domestic_violence", "assault"], sensitive=sensitive, sees_sensitive=False
    )
    assert viewer.categories == ("assault",) and not viewer.include_sensitive
    assert disclosure.effect_scope(
        ["domestic_violence"], sensitive=sensitive, sees_sensitive=False
    ).refused
    probe = disclosure.effect_scope(
        ["domestic_violence"], sensitive=sensitive, sees_sensitive=True, radius_m=10, has_point=True
    )
    assert probe.refused and probe.reason == "radius"
    wide = disclosure.effect_scope(
        ["domestic_violence"],
        sensitive=sensitive,
        sees_sensitive=True,
        radius_m=1500,
        has_point=True,
    )
    assert wide.include_sensitive and wide.categories == ("domestic_violence",)
    area = disclosure.effect_scope(["domestic_violence"], sensitive=sensitive, sees_sensitive=True)
    assert area.include_sensitive
