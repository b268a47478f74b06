"""The server gives memory that its sessions' threads freed back to the system."""

import sys
import threading

import pytest

from ui import memory

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")


def resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


def test_memory_freed_by_session_threads_goes_back_to_the_system():
    survivors = []

    def a_session():  # many mid-sized objects, one in forty still alive when it ends
        objects = [bytes(1500) for _ in range(40_000)]
        survivors.extend(objects[::40])

    before = resident_mb()
    threads = [threading.Thread(target=a_session) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    held = resident_mb()
    assert held - before > 100  # the freed pages are still counted against the process
    assert memory.return_free_memory()
    assert resident_mb() - before < 0.3 * (held - before)
    assert len(survivors) == 4_000


def test_one_background_thread_per_process():
    first = memory.keep_returning_free_memory(every_s=3600)
    assert first is not None and first.is_alive() and first.daemon
    assert memory.keep_returning_free_memory() is first
