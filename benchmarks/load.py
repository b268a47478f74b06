"""Concurrent sessions against one real server: ``python -m benchmarks.load``.

Starts the dashboard on a free loopback port over a demo database, opens N browser sessions
(Playwright, Debian's chromium) that each click through the pages a number of times, and
reports the rerun times (click until the run has finished), errors, and the server's memory
before, at its peak and after the sessions have closed. Exit code 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from benchmarks.__main__ import build_demo

ROOT = Path(__file__).resolve().parent.parent
PAGE_LINKS = ["Karta", "Trender", "Åtgärder", "Data", "Lägesbild"]
DONE_JS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-testid="stSkeleton"]');
}"""


def rss_mb(proc: psutil.Process) -> float:
    total = proc.memory_info().rss
    for child in proc.children(recursive=True):
        try:
            total += child.memory_info().rss
        except psutil.Error:
            pass
    return total / 2**20


async def session(browser, base: str, rounds: int, timings: list, errors: list,
                  delay: float = 0.0) -> None:
    await asyncio.sleep(delay)  # people arrive over a few seconds, not in the same instant
    context = await browser.new_context(viewport={"width": 1920, "height": 1080})
    page = await context.new_page()
    try:
        await page.goto(base, timeout=180_000, wait_until="domcontentloaded")
        await page.wait_for_function(DONE_JS, timeout=120_000)
        for _ in range(rounds):
            for link in PAGE_LINKS:
                started = time.perf_counter()
                await page.get_by_role("link", name=link).click()
                await page.wait_for_timeout(50)  # let the rerun start
                await page.wait_for_function(DONE_JS, timeout=120_000)
                timings.append(time.perf_counter() - started)
                if await page.locator('[data-testid="stException"]').count():
                    errors.append(f"exception on {link}")
    except Exception as exc:  # noqa: BLE001 (a failed session is counted, not fatal)
        errors.append(repr(exc)[:300])
    finally:
        await context.close()


async def drive(base: str, sessions: int, rounds: int) -> tuple[list, list]:
    from playwright.async_api import async_playwright

    from tests.browser.conftest import CHROMIUM_ARGS

    timings: list[float] = []
    errors: list[str] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        await asyncio.gather(*(session(browser, base, rounds, timings, errors, delay=1.5 * i)
                               for i in range(sessions)))
        await browser.close()
    return timings, errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2, help="times each session visits every page")
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--p95-target", type=float, default=2.0)
    args = parser.parse_args(argv)

    from tests.browser.conftest import free_port, start_server

    db_file, _ = build_demo(args.incidents)
    work = Path(tempfile.mkdtemp(prefix="load-"))
    copy = work / "load.duckdb"
    shutil.copyfile(db_file, copy)
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    port = free_port()
    server = start_server(copy, port)
    proc = psutil.Process(server.pid)
    base = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(drive(base, 1, 1))  # warm the server once: caches, imports
        start_mb = rss_mb(proc)
        peak = [start_mb]
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                peak[0] = max(peak[0], rss_mb(proc))
                time.sleep(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.perf_counter()
        timings, errors = asyncio.run(drive(base, args.sessions, args.rounds))
        wall = time.perf_counter() - started
        stop.set()
        sampler.join()
        time.sleep(5)  # let the server drop the closed sessions
        end_mb = rss_mb(proc)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    ordered = sorted(timings)
    p95 = ordered[int(0.95 * (len(ordered) - 1))] if ordered else float("nan")
    result = {
        "sessions": args.sessions, "incidents": args.incidents, "clicks": len(timings),
        "errors": len(errors), "error_samples": errors[:5], "wall_s": round(wall, 1),
        "median_rerun_s": round(statistics.median(timings), 3) if timings else None,
        "p95_rerun_s": round(p95, 3), "server_start_mb": round(start_mb),
        "server_peak_mb": round(peak[0]), "server_end_mb": round(end_mb),
        "memory_back_within_15pct": end_mb <= 1.15 * start_mb,
    }
    print(json.dumps(result, indent=2))
    passed = (not errors and p95 <= args.p95_target and result["memory_back_within_15pct"]
              and len(timings) == args.sessions * args.rounds * len(PAGE_LINKS))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
