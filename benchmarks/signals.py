"""How often the signals are right, measured on the demo's known truth:
``python -m benchmarks.signals [--incidents 50000] [--timing 50000,1000000] [--out docs/benchmarks.md]``.

* the unusual-week flags on every figure the Lägesbild shows, for the last 52 whole weeks: how
  many flags a week fall outside the demo's planted changes (false flags);
* outbreaks added to the municipality's total, one week at a time: the share flagged;
* the Rimbo skatepark (the demo's emerging hotspot): the weeks from its onset (its true weekly
  mean of drawable events first reaches a fifth of its peak) to its being listed as new or
  emerging; and new or
  emerging hotspots per week that are not near a place that truly grew;
* placebo actions (no true effect; the demo's actions are elsewhere): how often the effect view
  says "clear drop", and how often its 95 % interval holds 1; also for placebos started right
  after the target's peak;
* the ``situation`` command's time in a fresh process.

The databases go to ``benchmarks/databases/`` (git-ignored) and are reused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from safetycore import db, effect, hotspots, queries, signals
from safetycore import situation as sit
from safetycore.demo import build_demo, figure_truth, planted_truth
from safetycore.filters import Filter

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "databases"
DEMO_END = dt.date(2026, 11, 20)
SEED = 7
WEEKS = 52
NEAR_M = 700  # a hotspot this close to a planted place is that place


def database(n: int) -> Path:
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"signals_{n}.duckdb"
    if not path.exists():
        build_demo(str(path), incidents=n, seed=SEED, end=DEMO_END)
    return path


def metres(lat1, lon1, lat2, lon2) -> float:
    return 6371000.0 * math.hypot(
        math.radians(lat2 - lat1), math.cos(math.radians(lat1)) * math.radians(lon2 - lon1)
    )


def runner(con):
    def run(name, flt=None, **extra):
        return queries.run(con, name, flt, **extra)

    return run


TOUCHED_SD = 1.0  # a planted change of at least this many Poisson sds of the figure moved it
CLEAR_SD = 4.0  # ... and one of this many is an unusual week the flag should find


def planted_figures(
    figures: dict, monday: dt.date
) -> tuple[dict[tuple[str | None, str], str], set[tuple[str | None, str]]]:
    """The figures a planted change moved in the week, with the direction it moved them
    ("up"/"down"), and those it moved clearly. A change counts when it is at least
    ``TOUCHED_SD`` (clearly: ``CLEAR_SD``) Poisson standard deviations of the figure's true
    mean, compared with the same weeks of earlier years (``demo.figure_truth``)."""
    at = figures["weeks"].get_loc(pd.Timestamp(monday))
    touched, clear = {}, set()
    for figure, mean in figures["mean"].items():
        moved = float(figures["planted"][figure][at])
        sd = math.sqrt(max(float(mean[at]), 1.0))
        if abs(moved) >= TOUCHED_SD * sd:
            touched[figure] = "up" if moved > 0 else "down"
        if abs(moved) >= CLEAR_SD * sd:
            clear.add(figure)
    return touched, clear


def flag_figures(con, figures: dict, weeks: list[sit.Week]) -> dict:
    run = runner(con)
    false_flags, true_flags, weeks_with_false, tested, seconds = 0, 0, 0, 0, []
    clear_seen, clear_found, total_clear, total_found = 0, 0, 0, 0
    untouched, covered = 0, 0  # figure-weeks no planted change moved, and those in their range
    detected = {0.2: 0, 0.3: 0, 0.5: 0}
    for week in weeks:
        started = time.perf_counter()
        ws = sit.week_situation(
            run, week, Filter(start=week.monday, end=week.sunday), today=DEMO_END
        )
        seconds.append(time.perf_counter() - started)
        touched, clear = planted_figures(figures, week.monday)
        false_here = 0
        family = [(None, f) for f in ws.headline] + [
            (g.id, f) for g in ws.groups for f in (*g.headline, *g.categories)
        ]
        tested += sum(1 for _, f in family if f.flag.testable)
        for group, fig in family:
            figure = (group, fig.key)
            if figure not in touched and fig.flag.testable:
                untouched += 1
                covered += fig.flag.low <= fig.flag.observed <= fig.flag.high
            if figure in clear and fig.flag.testable:
                clear_seen += 1
                clear_found += touched[figure] == fig.direction
                if figure == (None, "total"):
                    total_clear += 1
                    total_found += touched[figure] == fig.direction
            if not fig.direction:
                continue
            if touched.get(figure) == fig.direction:
                true_flags += 1
            else:
                false_here += 1
        false_flags += false_here
        weeks_with_false += bool(false_here)
        # Outbreaks on the municipality's total: the week's count raised by a share of its
        # expectation, judged with the week's other figures as the family.
        total = ws.headline[0]
        history = queries.run(
            con,
            "situation_history",
            Filter(
                start=week.monday - dt.timedelta(weeks=52 * signals.YEARS + signals.WINDOW + 1),
                end=week.monday - dt.timedelta(days=1),
            ),
        )
        series = sit.history_series(history).get((None, "total"))
        first = ws.data_start
        others = [f.flag for _, f in family[1:]]
        weights = sit.figure_weights([(g, f.key) for g, f in family])
        for share in detected:
            spiked = total.week + round(share * total.expected)
            s = signals.assess(series, week.monday, spiked, first=first)
            decided = signals.control([s, *others], weights=weights)[0]
            detected[share] += decided.direction == "high"
    n = len(weeks)
    return {
        "weeks": n,
        "figures_per_week": tested / n,
        "false_flags_per_week": false_flags / n,
        "weeks_with_a_false_flag": weeks_with_false,
        "flags_on_planted_changes": true_flags,
        "clearly_moved": clear_seen,
        "clearly_moved_flagged": clear_found / clear_seen if clear_seen else None,
        "total_clearly_moved": total_clear,
        "total_clearly_moved_flagged": total_found / total_clear if total_clear else None,
        "outbreaks_flagged": {k: v / n for k, v in detected.items()},
        "range_coverage": covered / untouched if untouched else None,
        "situation_seconds_median": float(np.median(seconds)),
    }


def hotspot_figures(con, truth: dict, weeks: list[sit.Week]) -> dict:
    run = runner(con)
    skate = next(h for h in truth["hotspots"] if h["name"] == "Rimbo skatepark")
    # Onset: the first week its true mean of drawable events reaches a fifth of its peak (and
    # at least 3), whatever the database's size.
    level = max(3.0, 0.2 * float(skate["weekly"].max()))
    onset_ts = skate["weekly"][skate["weekly"] >= level].index[0]
    onset = sit.Week.of(onset_ts.date())

    def listed(week: sit.Week) -> list:
        return hotspots.for_filter(
            run, Filter(start=week.monday, end=week.sunday), week_monday=week.monday
        )

    found_after = None
    for k in range(-4, 10):  # listed before the onset counts as no delay
        week = onset.shifted(k)
        hits = [
            h
            for h in listed(week)
            if h.status in ("new", "emerging")
            and metres(h.lat, h.lon, skate["lat"], skate["lon"]) <= NEAR_M
        ]
        if hits:
            found_after = (max(k, 0), hits[0].status, hits[0].since)
            break
    false_new, listed_new = 0, 0
    for week in weeks:
        stamp = np.datetime64(week.monday)
        growing = []
        for h in truth["hotspots"]:  # truly grown: over the window, as the status judges
            weekly = h["weekly"]
            now = float(weekly.get(stamp, 0.0))
            start = weekly[weekly.index < stamp].iloc[-hotspots.WEEKS : -hotspots.WEEKS + 4]
            if len(start) and now >= 1.5 * max(start.mean(), 0.5) and now >= 2:
                growing.append(h)
        for h in listed(week):
            if h.status not in ("new", "emerging"):
                continue
            listed_new += 1
            if not any(metres(h.lat, h.lon, g["lat"], g["lon"]) <= NEAR_M for g in growing):
                false_new += 1
                print(
                    "false new/emerging:",
                    week.label,
                    h.status,
                    h.area,
                    h.observed,
                    round(h.expected, 1),
                    file=sys.stderr,
                )
    return {
        "onset": onset.label,
        "found_after_weeks": found_after,
        "false_new_per_week": false_new / len(weeks),
        "new_or_emerging_listed": listed_new,
    }


def effect_figures(con, truth: dict, rng: np.random.Generator, count: int = 150) -> dict:
    run = runner(con)
    import json

    import shapely

    boundaries = run("area_boundaries")
    nbrs = effect.neighbours(boundaries)
    # Placebos only where nothing was planted: not in the areas of the demo's actions or of
    # its emerging and fading hotspots (there the truth is not "no change").
    changed = [
        h
        for h in truth["hotspots"]
        if h["profile"] in ("emerging", "fading")
        or any(a["hotspot"] == h["name"] for a in truth["actions"])
    ]
    candidates = [
        row.id
        for row in boundaries.itertuples(index=False)
        if not any(
            shapely.geometry.shape(json.loads(row.boundary_geojson)).contains(
                shapely.Point(h["lon"], h["lat"])
            )
            for h in changed
        )
    ]
    categories = (
        ("vandalism",),
        ("theft",),
        ("disorder",),
        ("littering",),
        ("burglary",),
        ("graffiti", "vandalism"),
    )
    start_lo = truth["start"] + dt.timedelta(weeks=60)
    start_hi = DEMO_END - dt.timedelta(weeks=14)
    span = (start_hi - start_lo).days
    results = {"random": [], "after_peak": []}
    for _ in range(count):
        area = candidates[int(rng.integers(len(candidates)))]
        cats = categories[int(rng.integers(len(categories)))]
        start = start_lo + dt.timedelta(days=int(rng.integers(span)))
        start -= dt.timedelta(days=start.weekday())
        for kind in results:
            action = {"area_id": area, "target_categories": list(cats), "lat": None, "lon": None}
            if kind == "after_peak":  # the start right after the target's busiest 4 weeks
                counts = run(
                    "weekly_by_kind",
                    Filter(
                        start=start_lo - dt.timedelta(weeks=8),
                        end=start_hi,
                        areas=(area,),
                        categories=tuple(cats),
                    ),
                )
                if counts.empty:
                    continue
                per = counts.groupby("week")["n"].sum()
                rolling = per.rolling(4).sum().dropna()
                if rolling.empty:
                    continue
                peak_end = rolling.idxmax()
                start = peak_end + dt.timedelta(days=7)
                start = start.date() if hasattr(start, "date") else start
            win = effect.window(start, 13, DEMO_END)
            params = effect.query_params(
                action, win, neighbour_ids=nbrs.get(area, ()), comparison_area=None
            )
            frame = run("actions_effect_weekly", **params)
            result = effect.summarise(frame, win, has_neighbours=False)
            if result.verdict in ("too_small", "not_started"):
                continue
            est = result.estimate
            results[kind].append(
                (result.verdict == "drop", est.low <= 1.0 <= est.high, result.after_peak)
            )
    out = {}
    for kind, rows in results.items():
        if rows:
            out[kind] = {
                "judged": len(rows),
                "clear_drop": sum(r[0] for r in rows) / len(rows),
                "coverage": sum(r[1] for r in rows) / len(rows),
                "warned_after_peak": sum(r[2] for r in rows) / len(rows),
            }
    return out


def command_seconds(path: Path, week: str = "2026-W46", repeats: int = 3) -> float:
    best = math.inf
    for _ in range(repeats):
        started = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "safetycore",
                "situation",
                "--week",
                week,
                "--db",
                str(path),
                "--json",
            ],
            cwd=ROOT,
            capture_output=True,
            timeout=600,
        )
        if done.returncode != 0:
            raise RuntimeError(done.stderr.decode())
        best = min(best, time.perf_counter() - started)
    return best


def share(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def report(n: int, flags: dict, hot: dict, eff: dict, timing: dict[int, float]) -> str:
    found = hot["found_after_weeks"]
    lines = [
        f"## Signals at {n:,} incidents (`python -m benchmarks.signals --incidents {n}`)",
        "",
        f"Demo of {n:,} incidents (seed {SEED}, ending {DEMO_END}), its generator's own "
        "expectations as the truth (`safetycore.demo.planted_truth`); the last "
        f"{flags['weeks']} whole weeks. Method: [docs/signals.md](signals.md).",
        "",
        "| measure | measured | target |",
        "|---|---|---|",
        f"| false flags per week on the Lägesbild ({flags['figures_per_week']:.0f} figures a week) "
        f"| {flags['false_flags_per_week']:.2f} ({flags['weeks_with_a_false_flag']} of "
        f"{flags['weeks']} weeks with one) | ≤ 0.2 |",
        f"| flags on the figures a planted change moved | {flags['flags_on_planted_changes']} "
        "| – |",
        f'| the week\'s count inside its 95 % range ("väntat a–b"), figures no planted change '
        f"moved | {flags['range_coverage']:.1%} | about 95 % |",
        f"| figure-weeks a planted change clearly moved (≥ 4 sd), flagged in its direction | "
        f"{share(flags['clearly_moved_flagged'])} of {flags['clearly_moved']} | – |",
        f"| ... of them the municipality's total | "
        f"{share(flags['total_clearly_moved_flagged'])} of {flags['total_clearly_moved']} | "
        "≥ 80 % |",
        *[
            f"| outbreak of +{int(k * 100)} % on the municipality's total flagged | {v:.0%} | "
            f"{'≥ 80 %' if k == 0.3 else '–'} |"
            for k, v in flags["outbreaks_flagged"].items()
        ],
        f"| Rimbo skatepark (onset {hot['onset']}) listed new/emerging | "
        + (
            f"after {found[0]} weeks ({found[1]}, since {found[2]})"
            if found
            else "not within 10 weeks"
        )
        + " | ≤ 2 weeks |",
        f"| false new/emerging hotspots per week | {hot['false_new_per_week']:.2f} "
        f"({hot['new_or_emerging_listed']} listed in {flags['weeks']} weeks) | ≤ 0.2 |",
    ]
    for kind, label in (
        ("random", "placebo actions"),
        ("after_peak", "placebo actions started after a peak"),
    ):
        if kind in eff:
            e = eff[kind]
            lines.append(
                f'| false "clear drop", {label} ({e["judged"]} judged) | '
                f"{e['clear_drop']:.1%} | ≤ 5 % |"
            )
            lines.append(
                f"| 95 % interval holds the true ratio 1, {label} | {e['coverage']:.1%} | ≥ 93 % |"
            )
            if kind == "after_peak":
                lines.append(
                    f'| ... of which warned "started right after a peak" | '
                    f"{e['warned_after_peak']:.0%} | – |"
                )
    lines.append(
        f"| week's situation computed in the process (median) | "
        f"{flags['situation_seconds_median']:.2f} s | – |"
    )
    for size, seconds in timing.items():
        lines.append(
            f"| `situation --week 2026-W46 --json`, fresh process, {size:,} incidents | "
            f"{seconds:.2f} s | ≤ 3 s |"
        )
    lines += [
        "",
        "The truth is the generator's own plan (`safetycore.demo.figure_truth`): a figure is "
        "moved by a planted change in a week when the planted places (hotspots growing or "
        "fading, actions that work) add or take away at least one Poisson standard deviation "
        "of the figure's usual count, compared with the same weeks of earlier years; a flag "
        "there counts as true only in the planted direction. Every other flag is false: the "
        "demo's seasons, holidays and slow trend recur every year, so the model should expect "
        "them. A clearly moved figure-week is one moved by four standard deviations. Outbreaks "
        "are added to the week's observed total (Noufaily et al.'s way of measuring "
        "sensitivity), judged with the week's other figures as the family. Placebo actions are "
        "random areas, categories and start dates with no planted effect; the true ratio of "
        "ratios is then 1 up to the areas' own seasons (areas holding a planted change are left "
        "out). The command reads the weekly rollup and two 12-week scans of the hotspot cells "
        "(this year's and the same weeks a year before), so it grows with the weeks and cells, "
        "not the rows.",
        "",
    ]
    return "\n".join(lines)


def write_section(path: Path, section: str) -> None:
    """Replace this size's Signals section (or the old unsized one), else append it."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    heading = re.escape(section.splitlines()[0])
    pattern = re.compile(heading + r"\n.*?(?=\n## |\Z)", re.S)
    old = re.compile(r"## Signals \(`python -m benchmarks.signals`\)\n.*?(?=\n## |\Z)", re.S)
    if not pattern.search(text) and old.search(text):
        pattern = old
    if pattern.search(text):
        text = pattern.sub(section.rstrip("\n") + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.signals")
    parser.add_argument("--incidents", type=int, default=50_000)
    parser.add_argument(
        "--timing",
        default="50000,1000000",
        help="comma list of sizes to time the situation command at",
    )
    parser.add_argument("--placebos", type=int, default=150)
    parser.add_argument("--out", help="write the section into this Markdown file")
    args = parser.parse_args(argv)
    path = database(args.incidents)
    truth = planted_truth(args.incidents, DEMO_END)
    figures = figure_truth(args.incidents, DEMO_END)
    last = sit.default_week(DEMO_END)
    weeks = [last.shifted(-i) for i in range(WEEKS - 1, -1, -1)]
    con = db.connect(str(path), read_only=True, create=False)
    try:
        flags = flag_figures(con, figures, weeks)
        print(flags, flush=True)
        hot = hotspot_figures(con, truth, weeks)
        print(hot, flush=True)
        eff = effect_figures(con, truth, np.random.default_rng(1), args.placebos)
        print(eff, flush=True)
    finally:
        con.close()
    timing = {}
    for size in [int(s) for s in args.timing.split(",") if s]:
        timing[size] = command_seconds(database(size))
        print(size, timing[size], flush=True)
    section = report(args.incidents, flags, hot, eff, timing)
    print(section)
    if args.out:
        write_section(Path(args.out), section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
