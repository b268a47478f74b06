"""Fetching the police's events for the municipality, within the rules of their API.

``fetch_polisen(con, actor)`` asks the police's open events API (polisen.se/api/events) for
the database's municipality (``?locationname=``) and imports the answer through the usual
import path (``safetycore.ingest.import_file``, format ``polisen``), so a fetch gives the same
counts as importing the same JSON by hand, and what was imported before is a duplicate.

The API's rules (polisen.se, "Regler för användning av polisens öppna data och API:er"):
every call names the application in its User-Agent (we add a contact, ``SAFETY_CONTACT``), at
least 10 seconds between calls, at most 60 calls an hour and 1,440 a day, 429 means too many
calls, and a 404 is permanent: that address is not asked again. The calls made, the back-off
after a 429, 5xx or unreachable server (``Retry-After`` honoured) and the addresses that
answered 404 are remembered in the database's ``meta`` table (key ``fetch.polisen``), so the
limits hold across runs and between the command line and the dashboard's scheduled fetch.
A call that may not be made now raises ``MustWait`` with the time it may.
"""

from __future__ import annotations

import email.utils
import json
import os
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from safetycore import clock, db
from safetycore.access import Actor
from safetycore.errors import UsageError

DEFAULT_URL = "https://polisen.se/api/events"
APP_NAME = "Trygghetslaget"
APP_VERSION = "1.0"
CONTACT_ENV = "SAFETY_CONTACT"
INTERVAL_ENV = "SAFETY_POLISEN_MIN_INTERVAL"
URL_ENV = "SAFETY_POLISEN_URL"
STATE_KEY = "fetch.polisen"

MIN_INTERVAL = 10.0  # seconds between calls, the API's rule
HOURLY_LIMIT = 60
DAILY_LIMIT = 1440
FIRST_BACKOFF = 60.0  # seconds after the first 429/5xx without Retry-After; doubles, capped
MAX_BACKOFF = 3600.0
TIMEOUT = 30.0
MAX_BYTES = 20 * 1024 * 1024  # the API answers at most 500 events, well under 1 MB

_LOCK = threading.Lock()  # one fetch at a time in a process (scheduled run and a click)


class MustWait(Exception):  # noqa: N818 - a state, not a failure
    """The call may not be made now; ``retry_at`` (epoch seconds) says when it may."""

    def __init__(self, message: str, retry_at: float, now: float, code: str = "interval"):
        super().__init__(message)
        self.code = code  # interval | hourly | daily | backoff (after 429, 5xx, no answer)
        self.retry_at = retry_at
        self.wait_seconds = max(0.0, retry_at - now)


@dataclass
class FetchResult:
    url: str
    status: int
    seconds: float
    outcome: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        out = dict(self.outcome)
        out.update(
            {
                "status": "ok",
                "http_status": self.status,
                "url": self.url,
                "seconds": round(self.seconds, 3),
            }
        )
        return out


def empty_outcome() -> dict:
    """The import fields of a fetch that imported nothing (no events, or it had to wait)."""
    return {
        "batch_id": None,
        "read": 0,
        "imported": 0,
        "duplicates": 0,
        "rejected": 0,
        "skipped": 0,
        "source": "police",
        "format": "polisen",
        "file": None,
        "reasons": {},
    }


def _is_loopback(url: str) -> bool:
    host = (urllib.parse.urlsplit(url).hostname or "").lower()
    return host in ("127.0.0.1", "localhost", "::1")


def min_interval(url: str) -> float:
    """Seconds between calls: ``SAFETY_POLISEN_MIN_INTERVAL`` (default 10). Below 10 only
    against a server on this machine (tests); the police's API always gets at least 10."""
    text = os.environ.get(INTERVAL_ENV, "").strip()
    try:
        value = float(text) if text else MIN_INTERVAL
    except ValueError as exc:
        raise UsageError(f"{INTERVAL_ENV}={text!r} is not a number of seconds.") from exc
    value = max(0.0, value)
    return value if _is_loopback(url) else max(value, MIN_INTERVAL)


def user_agent(municipality: str) -> str:
    contact = os.environ.get(CONTACT_ENV, "").strip()
    who = f"{municipality} kommun" if municipality else "municipal safety dashboard"
    parts = [who] + ([contact] if contact else [])
    return f"{APP_NAME}/{APP_VERSION} ({'; '.join(parts)})"


def request_url(base: str, municipality: str) -> str:
    """``base`` with the municipality as ``locationname``, unless ``base`` has its own query."""
    if urllib.parse.urlsplit(base).query:
        return base
    return f"{base}?{urllib.parse.urlencode({'locationname': municipality})}"


# --- Remembered state -------------------------------------------------------------------------


def load_state(con) -> dict:
    cur = con.cursor()
    try:
        text = db.meta_get(cur, STATE_KEY)
    finally:
        cur.close()
    try:
        state = json.loads(text) if text else {}
    except json.JSONDecodeError:
        state = {}
    state.setdefault("calls", [])
    state.setdefault("not_before", 0.0)
    state.setdefault("failures", 0)
    state.setdefault("gone", [])
    return state


def save_state(con, state: dict, now: float) -> None:
    """Store the state (calls older than a day dropped). Outside any transaction and without
    bumping the data version: it is bookkeeping, not data the pages show from their caches."""
    state["calls"] = [c for c in state["calls"] if now - c < 86400][-DAILY_LIMIT:]
    cur = con.cursor()
    try:
        db.meta_set(cur, STATE_KEY, json.dumps(state, ensure_ascii=False))
    finally:
        cur.close()


def check_allowed(state: dict, now: float, interval: float) -> None:
    """Raise MustWait if a call now would break a rule or a back-off."""
    calls = sorted(c for c in state["calls"] if now - c < 86400)
    if state["not_before"] > now:
        raise MustWait(
            f"backing off after {state.get('last_error') or 'an error'}",
            state["not_before"],
            now,
            "backoff",
        )
    if calls and now - calls[-1] < interval:
        raise MustWait(
            f"at least {interval:g} s must pass between calls",
            calls[-1] + interval,
            now,
            "interval",
        )
    hour = [c for c in calls if now - c < 3600]
    if len(hour) >= HOURLY_LIMIT:
        raise MustWait(
            f"at most {HOURLY_LIMIT} calls an hour", hour[-HOURLY_LIMIT] + 3600, now, "hourly"
        )
    if len(calls) >= DAILY_LIMIT:
        raise MustWait(
            f"at most {DAILY_LIMIT} calls a day", calls[-DAILY_LIMIT] + 86400, now, "daily"
        )


def _retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (seconds, or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def _wait(con, state: dict, now, by, interval, retry, why: str, said: str, code: str) -> MustWait:
    """Back off after an answer that says "later" (429, 5xx) or none at all: record the run as
    waiting, keep the state, and return the MustWait to raise (exit 4)."""
    retry_at = _back_off(state, now, interval, retry, why)
    must_wait = MustWait(f"{said}; the next call waits", retry_at, now, "backoff")
    record_run(
        state,
        con,
        now=now,
        by=by,
        status="wait",
        message=str(must_wait),
        code=code,
        retry_at=retry_at,
    )
    save_state(con, state, now)
    return must_wait


def _back_off(
    state: dict, now: float, interval: float, retry_after: float | None, why: str
) -> float:
    state["failures"] = int(state.get("failures", 0)) + 1
    delay = FIRST_BACKOFF * 2 ** (state["failures"] - 1)
    delay = min(max(delay, interval), MAX_BACKOFF)
    if retry_after is not None:
        delay = max(retry_after, interval)
    state["not_before"] = now + delay
    state["last_error"] = why
    return state["not_before"]


def record_run(
    state: dict,
    con,
    *,
    now: float,
    by: str,
    status: str,
    message: str,
    code: str = "",
    retry_at: float | None = None,
    outcome: dict | None = None,
    seconds: float | None = None,
) -> None:
    """Keep the last run's time and outcome (shown on the Data page)."""
    state["last_run"] = {
        "at": clock.now_for(con).isoformat(sep=" "),
        "epoch": now,
        "by": by,
        "status": status,
        "code": code,
        "retry_at": retry_at,
        "message": message[:500],
        "seconds": None if seconds is None else round(seconds, 3),
        **{
            k: (outcome or {}).get(k)
            for k in ("batch_id", "read", "imported", "duplicates", "rejected", "skipped")
        },
    }


# --- The fetch ------------------------------------------------------------------------------------


def fetch_polisen(
    con, actor: Actor, *, url: str | None = None, by: str = "command_line", timer=time.time
) -> FetchResult:
    """One call to the API and the import of its answer. Raises MustWait or UsageError."""
    with _LOCK:
        return _fetch(con, actor, url or os.environ.get(URL_ENV) or DEFAULT_URL, by, timer)


def _fetch(con, actor: Actor, base: str, by: str, timer) -> FetchResult:
    from safetycore.ingest import import_file

    if urllib.parse.urlsplit(base).scheme not in ("http", "https"):
        raise UsageError(f"--url must be an http(s) address, like {DEFAULT_URL}.")
    cur = con.cursor()
    try:
        municipality = db.meta_get(cur, "municipality") or ""
    finally:
        cur.close()
    if not municipality:
        raise UsageError(
            "The database names no municipality; create it with "
            "'python -m safetycore init --municipality KOMMUNKOD'."
        )
    url = request_url(base, municipality)
    interval = min_interval(url)
    started = time.perf_counter()
    now = timer()
    state = load_state(con)
    if url in state["gone"]:
        raise UsageError(
            f"{url} answered 404 (not found) before; the police ask that such an "
            "address is not asked again. Check --url."
        )
    try:
        check_allowed(state, now, interval)
    except MustWait as wait:
        record_run(
            state,
            con,
            now=now,
            by=by,
            status="wait",
            message=str(wait),
            code=wait.code,
            retry_at=wait.retry_at,
        )
        save_state(con, state, now)
        raise
    state["calls"].append(now)
    save_state(con, state, now)  # the call counts even if this process dies during it

    request = urllib.request.Request(
        url, headers={"User-Agent": user_agent(municipality), "Accept": "application/json"}
    )
    body: bytes | None = None
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - http(s) checked
            status = response.status
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        status = exc.code
        retry = _retry_after(exc.headers.get("Retry-After") if exc.headers else None, now)
        exc.close()
        if status == 429 or status >= 500:
            why = f"HTTP {status}"
            code = "http_429" if status == 429 else "http_5xx"
            raise _wait(
                con, state, now, by, interval, retry, why, f"the API answered {why}", code
            ) from None
        if status == 404:
            state["gone"] = sorted(set(state["gone"]) | {url})
            message = f"{url} answered 404 (not found): not asked again. Check --url."
        else:
            message = (
                f"{url} answered HTTP {status}. The API wants a User-Agent naming the "
                f"application and a contact: set {CONTACT_ENV}."
            )
        record_run(
            state,
            con,
            now=now,
            by=by,
            status="error",
            message=message,
            code="http_404" if status == 404 else "http_refused",
        )
        save_state(con, state, now)
        raise UsageError(message) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        why = f"no answer ({reason})"
        said = f"could not reach {url}: {reason}"
        raise _wait(con, state, now, by, interval, None, why, said, "unreachable") from None

    state["failures"] = 0
    state["not_before"] = 0.0
    state.pop("last_error", None)
    try:
        if body is None or len(body) > MAX_BYTES:
            raise UsageError(
                f"{url} answered more than {MAX_BYTES // 1_000_000} MB; "
                "that is not the police's events list."
            )
        outcome = _import_body(con, actor, body, url, now, import_file)
    except UsageError as exc:
        record_run(state, con, now=now, by=by, status="error", message=str(exc), code="bad_answer")
        save_state(con, state, now)
        raise
    seconds = time.perf_counter() - started
    message = (
        f"read {outcome['read']}, imported {outcome['imported']}, duplicates "
        f"{outcome['duplicates']}, rejected {outcome['rejected']}, skipped {outcome['skipped']}"
    )
    record_run(
        state,
        con,
        now=now,
        by=by,
        status="ok",
        message=message,
        code="ok",
        outcome=outcome,
        seconds=seconds,
    )
    save_state(con, state, now)
    return FetchResult(url=url, status=status, seconds=seconds, outcome=outcome)


def _import_body(con, actor: Actor, body: bytes, url: str, now: float, import_file) -> dict:
    try:
        events = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{url} did not answer with JSON ({exc}); nothing was imported.") from exc
    if isinstance(events, list) and not events:
        return empty_outcome()  # nothing new: no batch
    stamp = time.strftime("%Y-%m-%d %H:%M", time.gmtime(now))
    name = f"{urllib.parse.urlsplit(url).netloc}{urllib.parse.urlsplit(url).path} {stamp} UTC"
    with tempfile.TemporaryDirectory(prefix="polisen-") as tmp:
        path = Path(tmp) / "events.json"
        path.write_bytes(body)
        result = import_file(con, path, actor, fmt="polisen", file_name=name)
    return result.as_dict()
