"""The server gives memory that its sessions' threads freed back to the system."""

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from ui import memory

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")


# Run in a fresh interpreter: in a test worker, earlier tests leave free space in the heaps
# for these objects to reuse, and a server trimmer started by an AppTest may trim midway.
SCENARIO = """
import json, threading
from ui import memory

def resident_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20

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
trimmed = memory.return_free_memory()
print(json.dumps({"before": before, "held": held, "after": resident_mb(), "trimmed": trimmed,
                  "survivors": len(survivors)}))
"""


def test_memory_freed_by_session_threads_goes_back_to_the_system():
    result = subprocess.run(
        [sys.executable, "-c", SCENARIO],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    mb = json.loads(result.stdout.strip().splitlines()[-1])
    assert mb["survivors"] == 4_000
    assert mb["held"] - mb["before"] > 100  # the freed pages are still counted against it
    assert mb["trimmed"]
    assert mb["after"] - mb["before"] < 0.3 * (mb["held"] - mb["before"])


def test_one_background_thread_per_process():
    first = memory.keep_returning_free_memory(every_s=3600)
    assert first is not None and first.is_alive() and first.daemon
    assert memory.keep_returning_free_memory() is first
