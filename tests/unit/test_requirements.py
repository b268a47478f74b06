"""A production install (requirements.txt alone) has everything Streamlit's st.login needs."""

import importlib
import importlib.metadata as md

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

# What Streamlit's login imports at run time: authlib for OpenID Connect, and Authlib's
# Starlette client, which talks to the identity provider through httpx.
LOGIN_MODULES = ("authlib", "authlib.jose", "authlib.integrations.starlette_client", "httpx")


def listed_requirements(path=ROOT / "requirements.txt") -> list[Requirement]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            out.append(Requirement(line))
    return out


def _applies(req: Requirement, extras: set[str]) -> bool:
    if req.marker is None:
        return True
    env = default_environment()
    return any(req.marker.evaluate({**env, "extra": e}) for e in (extras or {""}))


def installed_closure(reqs: list[Requirement]) -> set[str]:
    """Every distribution that installing ``reqs`` brings in (as installed here)."""
    seen: set[str] = set()
    todo = [(r.name, set(r.extras)) for r in reqs]
    while todo:
        name, extras = todo.pop()
        key = canonicalize_name(name)
        if key in seen and not extras:
            continue
        seen.add(key)
        for text in md.requires(name) or []:
            dep = Requirement(text)
            if _applies(dep, extras):
                todo.append((dep.name, set(dep.extras)))
    return seen


def test_login_imports_resolve_from_requirements_txt_alone():
    reqs = listed_requirements()
    closure = installed_closure(reqs)
    # Everything Streamlit declares for its auth extra is installed by requirements.txt.
    auth_extra = [
        Requirement(t)
        for t in md.requires("streamlit")
        if Requirement(t).marker
        and Requirement(t).marker.evaluate({"extra": "auth"})
        and not Requirement(t).marker.evaluate({"extra": ""})
    ]
    assert {canonicalize_name(r.name) for r in auth_extra} >= {"authlib", "httpx"}
    missing = sorted(
        canonicalize_name(r.name) for r in auth_extra if canonicalize_name(r.name) not in closure
    )
    assert not missing, f"requirements.txt does not install {missing}, which st.login needs"
    # Each module login imports comes from a distribution that requirements.txt installs.
    providers = md.packages_distributions()
    for module in LOGIN_MODULES:
        top = module.split(".")[0]
        dists = {canonicalize_name(d) for d in providers.get(top, [])}
        assert dists & closure, (
            f"{module} is provided by {dists or 'nothing'}, not by requirements.txt"
        )
        importlib.import_module(module)
    # And the pins agree with what Streamlit asks for.
    pinned = {canonicalize_name(r.name): r for r in reqs}
    for need in auth_extra:
        if canonicalize_name(need.name) in pinned:
            version = next(iter(pinned[canonicalize_name(need.name)].specifier)).version
            assert need.specifier.contains(version), (need, version)
