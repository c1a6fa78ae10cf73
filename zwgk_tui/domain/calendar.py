"""The Chinese working-day calendar (工作日), with local overrides.

Source of truth: the `holidays` package (China, zh_CN, its defaults: observed days, PUBLIC category only).
Its days off are the dict entries and its make-up working days (调休上班日) live in `weekend_workdays`;
`HolidayBase.is_working_day` combines both, so it is the only question we ask it. Weekends alone are
wrong on several days a year (spec 02).

The package is asked once over a fixed range (PackageTable; the services layer stores it in the database, so
a process normally never imports `holidays`); every calendar then works on a sorted list of working-day
ordinals and a prefix count, so "the n-th working day after d" is two list lookups and "how many
working days between" is two list lookups. Agency overrides (e.g. an imported State Council notice) win over
the package. This module does no I/O: tables come in and go out as plain data.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, cached_property
from itertools import accumulate, compress

RANGE_START = date(2000, 1, 1)
RANGE_END = date(2045, 12, 31)
_BASE = RANGE_START.toordinal()
_LAST = RANGE_END.toordinal()

PINNED_HOLIDAYS_VERSION = "0.109"
# Last year the pinned package has from published notices; later years are guessed without any marker
# (statutory days only, no make-up days). Measured for 0.109: 2001-2026 match the official notices.
_OFFICIAL_THROUGH_BY_VERSION = {"0.109": 2026}
PACKAGE_FIRST_OFFICIAL_YEAR = 2001

WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

DAY_KINDS = ("workday", "weekend", "holiday", "makeup_workday")

# Package names that are not holiday names: the days moved by 调休 ("休息日（由 2024-02-04 调休）").
_MOVED_REST_DAY = "休息日"
# The package calls the first day of some Spring Festival holidays "农历除夕"; notices call the whole run 春节.
_LABEL_ALIASES = {"农历除夕": "春节"}


def weekday_name(d: date) -> str:
    return WEEKDAY_NAMES[d.weekday()]


@dataclass(frozen=True)
class CalendarOverride:
    """One local correction of the calendar: it wins over the package data for that day."""

    day: date
    working: bool  # True = working day (e.g. a make-up day), False = day off
    note: str = ""
    source: str = ""  # e.g. the title of the notice it came from


@dataclass(frozen=True)
class DayInfo:
    day: date
    working: bool
    kind: str  # "workday" | "weekend" | "holiday" | "makeup_workday"
    name: str | None  # holiday label ("春节"), override note, or the holiday a weekend belongs to
    overridden: bool
    detail: str | None = None  # the raw package or override text, e.g. "休息日（由 2024-02-04 调休）"
    provisional: bool = False  # the day's status is a guess (no official data for its year)


def _out_of_range(d: date) -> ValueError:
    return ValueError(
        f"日期 {d.isoformat()} 超出工作日历的范围（{RANGE_START.isoformat()} 至 {RANGE_END.isoformat()}），"
        "无法计算工作日。请核对日期。"
    )


def _label_parts(name: str) -> list[str]:
    """Holiday labels inside one package/override name, without 补假 marks and moved rest days."""
    parts: list[str] = []
    for raw in re.split(r"[;；]\s*", name):
        raw = raw.strip()
        if not raw or raw.startswith(_MOVED_REST_DAY):
            continue
        base = re.split(r"[（(]", raw, maxsplit=1)[0].strip()
        base = _LABEL_ALIASES.get(base, base)
        if base:
            parts.append(base)
    return parts


def join_labels(names: Iterable[str]) -> str | None:
    seen: list[str] = []
    for n in names:
        for part in _label_parts(n):
            if part not in seen:
                seen.append(part)
    return "、".join(seen) if seen else None


# Bump when the way the package is read changes (range, flags, names): cached tables built by older code then
# no longer match any key and are rebuilt.
TABLE_FORMAT = 1


@dataclass(frozen=True)
class PackageTable:
    """What the pinned `holidays` package says about every day in range: the expensive part of a calendar.

    Built from the package once (build_package_table, ~0.3 s with its import) and then kept by the services
    layer in the database, so processes read it instead of importing `holidays`. Plain data, so it can be
    stored and rebuilt exactly."""

    version: str
    flags: bytes  # 1 = working day, indexed by ordinal - _BASE
    names: Mapping[int, str]  # ordinal -> package name, for days off that are dict entries
    makeup: frozenset[int]  # ordinals of weekend make-up working days

    def __post_init__(self) -> None:
        if len(self.flags) != _LAST - _BASE + 1:
            raise ValueError(f"工作日表长度 {len(self.flags)} 与日历范围不符")

    @cached_property
    def derived(self) -> _Derived:
        return _derive(self.flags)


@dataclass(frozen=True)
class _Derived:
    ords: list[int]  # sorted ordinals of working days
    upto: list[int]  # upto[o - _BASE] = number of working days with ordinal <= o (= bisect_right(ords, o))
    dates: list[date]  # the working days as date objects, parallel to ords (saves fromordinal per lookup)


def _derive(flags: bytes | bytearray) -> _Derived:
    ords = list(compress(range(_BASE, _LAST + 1), flags))
    return _Derived(ords, list(accumulate(flags)), list(map(date.fromordinal, ords)))


def build_package_table() -> PackageTable:
    """Ask the `holidays` package about every day in range (imported here only: it costs ~0.3 s)."""
    import holidays
    from holidays.version import __version__ as holidays_version

    h = holidays.country_holidays("CN", years=range(RANGE_START.year, RANGE_END.year + 1), language="zh_CN")
    n = _LAST - _BASE + 1
    flags = bytearray(n)
    fromordinal = date.fromordinal
    is_working = h.is_working_day
    for i in range(n):
        if is_working(fromordinal(_BASE + i)):
            flags[i] = 1
    names = {d.toordinal(): str(name) for d, name in h.items() if RANGE_START <= d <= RANGE_END}
    makeup = frozenset(
        d.toordinal() for d in h.weekend_workdays if RANGE_START <= d <= RANGE_END and d.weekday() >= 5
    )
    return PackageTable(str(holidays_version), bytes(flags), names, makeup)


@cache
def package_table() -> PackageTable:
    """build_package_table(), once per process."""
    return build_package_table()


def merge_overrides(package: PackageTable, overrides: Iterable[CalendarOverride]) -> bytes:
    """The working-day flags with the overrides applied (an override wins over the package)."""
    flags = bytearray(package.flags)
    for o in overrides:
        if not (RANGE_START <= o.day <= RANGE_END):
            raise _out_of_range(o.day)
        flags[o.day.toordinal() - _BASE] = 1 if o.working else 0
    return bytes(flags)


def table_key(package_version: str, overrides: Iterable[CalendarOverride], official_years: Iterable[int]) -> str:
    """What a finished table depends on: package version, every override's day and status, the official years,
    the range and TABLE_FORMAT. Two calendars with the same key have the same working days."""
    ov = {o.day: o.working for o in overrides}  # the last one of a day wins, as in WorkCalendar
    text = "|".join([
        f"format={TABLE_FORMAT}", f"holidays={package_version}", f"range={RANGE_START}..{RANGE_END}",
        "overrides=" + ",".join(f"{d.isoformat()}:{int(w)}" for d, w in sorted(ov.items())),
        "years=" + ",".join(str(y) for y in sorted(set(official_years))),
    ])
    return hashlib.sha256(text.encode()).hexdigest()


class WorkCalendar:
    """Working days from the pinned `holidays` data plus local overrides (override wins)."""

    def __init__(
        self,
        overrides: Iterable[CalendarOverride] = (),
        official_years: Iterable[int] = (),
        *,
        package: PackageTable | None = None,
        merged: bytes | None = None,
    ) -> None:
        """`package`: the package's table (built here from `holidays` when not given). `merged`: the flags with
        exactly these overrides applied, as cached under table_key(); computed here when not given."""
        pkg = package if package is not None else package_table()
        self._pkg = pkg
        ov: dict[int, CalendarOverride] = {}
        for o in overrides:
            if not (RANGE_START <= o.day <= RANGE_END):
                raise _out_of_range(o.day)
            ov[o.day.toordinal()] = o  # a later override of the same day wins, like a later notice
        self._overrides = ov
        # _ords, _upto, _wdates and _first_guessed_ordinal are read directly by the clock's hot path.
        if merged is None and ov:
            merged = merge_overrides(pkg, ov.values())
        if merged is not None and merged != pkg.flags:
            if len(merged) != len(pkg.flags):
                raise ValueError(f"工作日表长度 {len(merged)} 与日历范围不符")
            self._flags: bytes = merged
            d = _derive(merged)
        else:
            self._flags = pkg.flags
            d = pkg.derived
        self._ords: list[int] = d.ords
        self._upto: list[int] = d.upto
        self._wdates: list[date] = d.dates
        self.package_version = pkg.version
        # The version is pinned exactly; an unknown one keeps the 0.109 figure (erring towards "provisional").
        self.package_last_official_year = _OFFICIAL_THROUGH_BY_VERSION.get(pkg.version, 2026)
        self.official_years = frozenset(official_years)
        # A year only counts as official if every year before it is too: a deadline in 2028 counted
        # through a guessed 2027 is still a guess.
        last = self.package_last_official_year
        while last + 1 in self.official_years:
            last += 1
        self.last_official_year = last
        # Ordinal comparison instead of .year in the clock's hot path.
        self._first_guessed_ordinal = date(last + 1, 1, 1).toordinal()
        self.source = f"holidays {pkg.version} · China (zh_CN)"

    # -- basic questions ------------------------------------------------------------------------

    @property
    def package(self) -> PackageTable:
        return self._pkg

    @property
    def flags(self) -> bytes:
        """The finished table (package plus overrides), one byte per day from RANGE_START: what is cached."""
        return self._flags

    @property
    def overrides(self) -> tuple[CalendarOverride, ...]:
        return tuple(self._overrides[k] for k in sorted(self._overrides))

    @property
    def working_ordinals(self) -> list[int]:
        """Sorted ordinals of all working days in range (shared, do not mutate)."""
        return self._ords

    @property
    def working_upto(self) -> list[int]:
        """upto[o - RANGE_START.toordinal()] = working days on or before ordinal o (shared, do not mutate).

        The same number as bisect_right(working_ordinals, o), as one list index: the clock's hot path.
        """
        return self._upto

    def _check(self, d: date) -> int:
        o = d.toordinal()
        if o < _BASE or o > _LAST:
            raise _out_of_range(d)
        return o

    def is_working_day(self, d: date) -> bool:
        return self._flags[self._check(d) - _BASE] == 1

    def is_provisional(self, d: date) -> bool:
        """True if the day's status is a guess: after the last official year (or before official data)."""
        return d.year > self.last_official_year or d.year < PACKAGE_FIRST_OFFICIAL_YEAR

    def nth_working_day_after(self, d: date, n: int) -> date:
        """The n-th working day counting from the day after `d` (期间开始的当日不计入)."""
        if n < 1:
            raise ValueError(f"工作日数必须至少为 1，收到 {n}。")
        idx = self._upto[self._check(d) - _BASE] + n - 1
        if idx >= len(self._ords):
            raise ValueError(
                f"自 {d.isoformat()} 起第 {n} 个工作日超出工作日历的范围（至 {RANGE_END.isoformat()}）。"
            )
        return self._wdates[idx]

    def working_days_between(self, start: date, end: date) -> int:
        """Number of working days w with start < w <= end (0 if end <= start)."""
        s = self._check(start)
        e = self._check(end)
        if e <= s:
            return 0
        return self._upto[e - _BASE] - self._upto[s - _BASE]

    def days_from(self, start: date) -> Callable[[date], int]:
        """f(d): working days in (start, d] if d is later, minus those in (d, start] if d is earlier (so 0 for
        start itself): the register's "days left" for every row, by two prefix-count lookups each."""
        upto = self._upto
        before = upto[self._check(start) - _BASE]
        n = len(upto)

        def signed(d: date) -> int:
            i = d.toordinal() - _BASE
            if not 0 <= i < n:
                raise _out_of_range(d)
            return upto[i] - before

        return signed

    def next_working_day(self, d: date) -> date:
        return self.nth_working_day_after(d, 1)

    # -- descriptions ---------------------------------------------------------------------------

    def _own_names(self, o: int) -> str | None:
        """The name a single non-working day carries by itself (package entry or override note)."""
        ov = self._overrides.get(o)
        if ov is not None:
            if ov.working:
                return None
            return ov.note or self._pkg.names.get(o)
        return self._pkg.names.get(o)

    def _run_label(self, o: int) -> str | None:
        """Label of the holiday run a non-working day belongs to (weekends next to 清明 etc.)."""
        flags = self._flags
        lo = o
        while lo - 1 >= _BASE and flags[lo - 1 - _BASE] == 0 and o - lo < 20:
            lo -= 1
        hi = o
        while hi + 1 <= _LAST and flags[hi + 1 - _BASE] == 0 and hi - o < 20:
            hi += 1
        names = [n for k in range(lo, hi + 1) if (n := self._own_names(k))]
        return join_labels(names)

    def day_info(self, d: date) -> DayInfo:
        o = self._check(d)
        prov = self.is_provisional(d)
        working = self._flags[o - _BASE] == 1
        weekend = d.weekday() >= 5
        ov = self._overrides.get(o)
        if working:
            kind = "makeup_workday" if weekend else "workday"
            if ov is not None:
                name = ov.note or ("调休上班" if weekend else None)
                return DayInfo(d, True, kind, name, True, ov.note or None, provisional=prov)
            name = "调休上班" if o in self._pkg.makeup else None
            return DayInfo(d, True, kind, name, False, None, provisional=prov)
        own = self._own_names(o)
        if ov is not None:
            kind = "holiday" if (ov.note or not weekend) else "weekend"
            # The clerk's (or the notice's) own words, as entered.
            return DayInfo(d, False, kind, ov.note or None, True, ov.note or None, provisional=prov)
        if own is not None:
            return DayInfo(d, False, "holiday", self._run_label(o), False, own, provisional=prov)
        kind = "weekend" if weekend else "holiday"
        return DayInfo(d, False, kind, self._run_label(o), False, None, provisional=prov)

    def month_grid(self, year: int, month: int) -> list[list[DayInfo | None]]:
        """Weeks Monday..Sunday covering the month; None for cells outside it."""
        first = date(year, month, 1)
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        weeks: list[list[DayInfo | None]] = []
        week: list[DayInfo | None] = [None] * first.weekday()
        d = first
        while d < nxt:
            week.append(self.day_info(d))
            if len(week) == 7:
                weeks.append(week)
                week = []
            d += timedelta(days=1)
        if week:
            weeks.append(week + [None] * (7 - len(week)))
        return weeks

    def changes_against(
        self, other: WorkCalendar, start: date, end: date
    ) -> list[tuple[date, DayInfo, DayInfo]]:
        """Days in [start, end] whose working status differs (self = old, other = new)."""
        s = self._check(start) - _BASE
        e = self._check(end) - _BASE
        a, b = self._flags, other._flags
        if a is b:
            return []
        out = []
        for i in range(s, e + 1):
            if a[i] != b[i]:
                d = date.fromordinal(_BASE + i)
                out.append((d, self.day_info(d), other.day_info(d)))
        return out

    def with_overrides(
        self, overrides: Iterable[CalendarOverride], official_years: Iterable[int] = ()
    ) -> WorkCalendar:
        """A new calendar with more overrides (they win over this one's) and more official years."""
        return WorkCalendar(
            [*self.overrides, *overrides], official_years=[*self.official_years, *official_years],
            package=self._pkg,
        )

    def __repr__(self) -> str:
        return (
            f"WorkCalendar({self.source}, {len(self._overrides)} overrides, "
            f"official through {self.last_official_year})"
        )


@cache
def default_calendar() -> WorkCalendar:
    """The package calendar without overrides (cached: built once per process)."""
    return WorkCalendar()
