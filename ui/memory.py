"""Process tuning, in one place: memory handed back to the system and long-lived objects
kept out of the garbage collector's way. Both measured with ``python -m benchmarks.load``
(docs/benchmarks.md).

**Free memory back to the system.**
Streamlit runs each session's script on a thread of its own, and glibc's allocator serves
those threads from several heaps. What they free stays in the heaps as free pages between
pages still in use, and the system goes on counting it against the server: after twenty
viewers had gone, glibc held some 47 MB free inside its heaps. ``malloc_trim`` gives whole
free pages back (there, 341 → 320 MB). A background thread calls it every ten seconds: a few
milliseconds, without the interpreter lock, and next to nothing when little was freed.
Not glibc (or not Linux): nothing to do.

**Long-lived objects frozen.** Streamlit runs a full garbage collection after every script
run; ``freeze_after_first_run`` moves what a page's first run left alive out of its reach.
"""

from __future__ import annotations

import ctypes
import gc
import threading
import time

TRIM_EVERY_S = 10.0

_lock = threading.Lock()
_thread: threading.Thread | None = None


def _find_malloc_trim():
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_malloc_trim = _find_malloc_trim()  # looked up once: the starter below runs on every rerun


def return_free_memory() -> bool:
    """Give the allocator's free pages back to the system now; False where that is not possible."""
    if _malloc_trim is None:
        return False
    _malloc_trim(0)
    return True


def keep_returning_free_memory(every_s: float = TRIM_EVERY_S) -> threading.Thread | None:
    """Start (once per process) the thread that returns free memory every ``every_s`` seconds."""
    global _thread
    if _thread is not None or _malloc_trim is None:
        return _thread
    with _lock:
        if _thread is None:
            _thread = threading.Thread(
                target=_trim_forever, args=(every_s,), name="return-free-memory", daemon=True
            )
            _thread.start()
    return _thread


def _trim_forever(every_s: float) -> None:
    while True:
        time.sleep(every_s)
        return_free_memory()


_frozen_pages: set[str] = set()
_freeze_lock = threading.Lock()


def freeze_after_first_run(page_name: str) -> None:
    """After a page's first run in this process, hide every object alive then (modules and
    classes the page imported, the connection, warm caches) from the garbage collector.

    Streamlit runs a full collection after every script run. Without this, each one walks
    about 150,000 long-lived objects: over 100 ms, holding the interpreter lock against every
    other session. Objects made later (each run's own) are still collected as before. At most
    once per page, so whatever was alive at those moments stays bounded.
    """
    with _freeze_lock:
        if page_name in _frozen_pages:
            return
        _frozen_pages.add(page_name)
        gc.collect()
        gc.freeze()
