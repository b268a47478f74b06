"""Every text the e-mail, contacts and händelser parts show is in the catalogue, in Swedish and
English: a missing key would reach a user as 'notify.digest.…'."""

import re

from tests.conftest import ROOT

FILES = [
    "safetycore/notify.py",
    "safetycore/events.py",
    "ui/notify.py",
    "ui/events.py",
    "pages/handelser.py",
    "ui/events_sections.py",
]
KEY = re.compile(r"""\bt\(\s*f?["']((?:notify|events)\.[a-z0-9_.{}'\[\]]+)["']""")


def test_every_label_used_exists_in_both_languages():
    from safetycore.texts import catalogue as full_catalogue

    catalogue = full_catalogue()
    used = set()
    for name in FILES:
        used |= set(KEY.findall((ROOT / name).read_text(encoding="utf-8")))
    assert len(used) > 60
    missing = []
    for key in sorted(used):
        if "{" in key:  # an f-string: some entry must start with the fixed part
            prefix = key.split("{", 1)[0]
            if not any(k.startswith(prefix) for k in catalogue):
                missing.append(key)
            continue
        entry = catalogue.get(key)
        if entry is None or not entry.get("sv") or not entry.get("en"):
            missing.append(key)
    assert missing == []
    for key, entry in catalogue.items():
        if key.startswith(("notify.", "events.")):
            assert entry.get("sv") and entry.get("en"), key
