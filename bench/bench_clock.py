"""Benchmark: reply-due computations with pauses vs bisects over the working-day array (spec 08).

Run: .venv/bin/python bench/bench_clock.py [--n 100000] [--seed 1] [--repeat 5]

Workload: N cases received on random days of 2019-2026, each with one closed third-party consultation (a
pause of 3-25 calendar days opened 1-15 days after receipt), evaluated on a random day up to 60 days later
with compute_deadline(..., explain=False).

Floors, for the same N cases, on the precomputed sorted array of working-day ordinals:
- "bisect lookup": one bisect per case: date -> ordinal -> bisect -> index + 19 -> date. It ignores the
  pause, so it does not compute the same answer; printed for reference.
- "bare bisect due" (the target's floor): the same reply due as compute_deadline, hand-written with bare
  bisects: receipt, pause start and pause end, the skip arithmetic, ordinal -> date. Target: <= 3x.
The bench checks that the floor and compute_deadline agree on every due date before timing them.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from bisect import bisect_right
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zwgk_tui.domain.calendar import CalendarOverride, WorkCalendar, default_calendar
from zwgk_tui.domain.clock import ClockEvent, compute_deadline

TARGET = 3.0


def _best_of(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description="reply-due computations vs bare bisects")
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=5, help="runs of each loop; the best is reported")
    args = ap.parse_args()

    cal = default_calendar()
    ords = list(cal.working_ordinals)  # the floor gets its own plain copy of the array
    rnd = random.Random(args.seed)
    lo, hi = date(2019, 1, 1).toordinal(), date(2026, 12, 31).toordinal()
    cases = []
    triples = []
    for _ in range(args.n):
        rec = date.fromordinal(rnd.randint(lo, hi))
        s = rec + timedelta(days=rnd.randint(1, 15))
        e = s + timedelta(days=rnd.randint(3, 25))
        events = (
            ClockEvent("pause_start", s, pause_kind="third_party"),
            ClockEvent("pause_end", e, pause_kind="third_party"),
        )
        today = rec + timedelta(days=rnd.randint(0, 60))
        cases.append((rec, events, today))
        triples.append((rec, s, e))
    receipts = [c[0] for c in cases]

    def floor_lookup() -> None:
        fromordinal = date.fromordinal
        for r in receipts:
            fromordinal(ords[bisect_right(ords, r.toordinal()) + 19])

    rules_2019_from = date(2019, 5, 15)

    def bare_due(rec: date, s: date, e: date) -> date:
        n = 20 if rec >= rules_2019_from else 15  # 2019 / 2008 Regulations
        r = bisect_right(ords, rec.toordinal())
        a = bisect_right(ords, s.toordinal())
        b = bisect_right(ords, e.toordinal())
        avail = a - r
        i = r + n - 1 if avail >= n else b + n - 1 - avail
        return date.fromordinal(ords[i])

    def floor_due() -> None:
        for rec, s, e in triples:
            bare_due(rec, s, e)

    def product() -> None:
        for rec, events, today in cases:
            compute_deadline(rec, events, cal, today=today, explain=False)

    for (rec, events, today), (_r, s, e) in zip(cases, triples, strict=True):
        got = compute_deadline(rec, events, cal, today=today, explain=False).due
        if got != bare_due(rec, s, e):
            print(f"MISMATCH for receipt {rec}, pause {s}..{e}: {got} vs {bare_due(rec, s, e)}")
            return 2

    t_lookup = _best_of(floor_lookup, args.repeat)
    t_floor = _best_of(floor_due, args.repeat)
    t_prod = _best_of(product, args.repeat)
    ratio = t_prod / t_floor
    n = args.n

    def row(name: str, t: float) -> str:
        return f"{name:<34}: {t * 1e3:8.1f} ms  ({t / n * 1e9:6.0f} ns/case)"

    print(f"{n:,} cases, receipts 2019-2026, one consultation pause each; best of {args.repeat}")
    print(row("bisect lookup (1 per case, no pause)", t_lookup))
    print(row("floor: bare bisect due with pause", t_floor))
    print(row("compute_deadline(explain=False)", t_prod))
    print(f"ratio vs floor: {ratio:.2f}x (target <= {TARGET:.0f}x)")
    print(f"ratio vs single lookup (reference only): {t_prod / t_lookup:.2f}x")
    # Calendar construction with an imported year of overrides (must stay well under 100 ms).
    overrides = [
        CalendarOverride(date(2027, 1, 1) + timedelta(days=i), i % 2 == 0, "测试") for i in range(60)
    ]
    t_cal = _best_of(lambda: WorkCalendar(overrides, official_years=[2027]), args.repeat)
    print(f"WorkCalendar with 60 overrides    : {t_cal * 1e3:8.1f} ms")
    ok = ratio <= TARGET
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
