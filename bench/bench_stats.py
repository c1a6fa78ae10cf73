"""Benchmark: `stats --year` over 1,000,000 cases vs one hand-written GROUP BY over the same table (spec 08).

Run: .venv/bin/python bench/bench_stats.py [--cases 1000000] [--seed 1] [--year 2025] [--repeat 5]

The data set is `demo --cases N --seed S` with "today" fixed (default 2026-11-20, five years of cases), built
once into an SQLite file in /tmp and reused by later runs (delete it or pass --rebuild to build it again). The
build also measures the demo generator (cases per second).

Measured, each the best of --repeat runs on a warm cache:
- report: services.stats.annual_report(ctx, year) — everything `stats --year Y --format json` computes
  (table 三 with the identity check and the fault checks, table 四, fees, reply times);
- floor: SELECT applicant_type, outcome, count(*) FROM cases WHERE concluded_on BETWEEN … GROUP BY 1, 2.
Target: report ≤ 2 × floor. The indexes the report's queries are written for
(persistence.stats_queries.INDEX_DDL) are created if the migration does not have them yet, and said so;
--without-indexes measures without them.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGET = 2.0


def _best_of(fn, repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def _ensure_indexes(ctx: object, drop: bool) -> None:
    """Create the indexes the stats queries are written for, if the migration lacks them (or drop them)."""
    from sqlalchemy import text

    from zwgk_tui.persistence.stats_queries import INDEX_DDL

    with ctx.db.engine.begin() as conn:  # type: ignore[attr-defined]
        have = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'index'"))}
        for name, ddl in INDEX_DDL["sqlite"].items():
            if drop and name in have:
                conn.exec_driver_sql(f"DROP INDEX {name}")
                print(f"dropped index {name}")
            elif not drop and name not in have:
                t0 = time.perf_counter()
                conn.exec_driver_sql(ddl)
                print(f"note: index {name} is not in the migration yet; created it "
                      f"({time.perf_counter() - t0:.1f} s): {ddl}")


def _build(path: Path, cases: int, seed: int, years: int) -> None:
    from zwgk_tui.services import demo
    from zwgk_tui.services.context import ServiceContext

    tmp = path.with_name(path.name + ".building")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    ctx = ServiceContext.open(str(tmp), "bench")
    _ensure_indexes(ctx, drop=False)  # as the migration will have them: the demo pays for their upkeep
    print(f"building {cases:,} demo cases into {path} …", flush=True)
    summary = demo.generate(ctx, cases, seed, years=years,
                            progress=lambda done, total: print(f"  {done:,}/{total:,}", flush=True))
    with ctx.db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    ctx.db.dispose()
    os.replace(tmp, path)
    for suffix in ("-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    print(f"demo: {summary['cases']:,} cases, {summary['events']:,} events in {summary['seconds']:.1f} s "
          f"= {summary['cases_per_second']:,} cases/s", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--today", default="2026-11-20", help="the demo's 'today' (part of the cache key)")
    ap.add_argument("--year", type=int, default=None, help="report year (default: the year before --today)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--db", default=None, help="SQLite file (default: /tmp/zwgk-bench-stats-N-sS-TODAY.db)")
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--without-indexes", action="store_true", help="drop the stats indexes before measuring")
    args = ap.parse_args()
    os.environ["ZWGK_TODAY"] = args.today
    year = args.year or int(args.today[:4]) - 1

    path = Path(args.db or f"/tmp/zwgk-bench-stats-{args.cases}-s{args.seed}-y{args.years}-{args.today}.db")
    if args.rebuild or not path.exists():
        _build(path, args.cases, args.seed, args.years)
    else:
        print(f"using cached {path} (--rebuild to build it again)")

    from sqlalchemy import text

    from zwgk_tui.services import stats
    from zwgk_tui.services.context import ServiceContext

    ctx = ServiceContext.open(str(path), "bench")
    _ensure_indexes(ctx, drop=args.without_indexes)
    with ctx.db.engine.begin() as conn:
        n = conn.execute(text("SELECT count(*) FROM cases")).scalar_one()
    print(f"{n:,} cases; report year {year}")

    floor_sql = text(
        "SELECT applicant_type, outcome, count(*) FROM cases "
        "WHERE concluded_on BETWEEN :s AND :e GROUP BY 1, 2"
    )
    params = {"s": f"{year}-01-01", "e": f"{year}-12-31"}

    def floor() -> list:
        with ctx.db.read() as s:
            return s.execute(floor_sql, params).all()

    def report() -> dict:
        return stats.annual_report(ctx, year)

    floor()
    report()
    t_floor, rows = _best_of(floor, args.repeat)
    t_report, rep = _best_of(report, args.repeat)
    assert isinstance(rep, dict) and rep["identity_holds"]
    concluded = sum(r[2] for r in rows)  # type: ignore[union-attr]
    assert concluded == rep["table3"]["concluded_total"][-1], "floor and report disagree on concluded cases"
    ratio = t_report / t_floor
    print(f"floor  (one GROUP BY over {concluded:,} concluded cases): {t_floor * 1000:8.1f} ms")
    print(f"report (annual_report {year}, all tables and checks):   {t_report * 1000:8.1f} ms")
    print(f"ratio {ratio:.2f} (target ≤ {TARGET:.0f}) → {'OK' if ratio <= TARGET else 'OVER TARGET'}")
    t3 = rep["table3"]
    print(f"table 三 总计: 新收 {t3['new'][-1]:,} + 结转 {t3['carried_in'][-1]:,} = 办结 {t3['concluded_total'][-1]:,}"
          f" + 结转下年 {t3['carried_out'][-1]:,}")
    ctx.db.dispose()
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
