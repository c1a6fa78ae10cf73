"""Parse a State Council holiday notice (《国务院办公厅关于XXXX年部分节假日安排的通知》).

The notices have kept one shape since 2008, one numbered item per holiday:

    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。

Older ones write 星期日 for 周日, "1月1日放假，与周末连休", "4月5日放假，4月6日（星期一）补休", and put explicit
years on 元旦 dates that fall in December ("2018年12月30日至2019年1月1日"). Only the clauses that say 放假, 补休
or 上班 produce days: other sentences that mention a date ("鼓励……安排职工在除夕（2月9日）休息") are kept aside
for the clerk, because an encouraged rest day is officially a working day.

The weekday written next to a date is checked against the calendar: it catches a wrong year before the
agency's calendar is changed by it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from zwgk_tui.domain.calendar import CalendarOverride, weekday_name

MAKEUP_NOTE = "调休上班"

_CN_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_ITEM_RE = re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*、\s*(.*)$")
_HEAD_RE = re.compile(r"^([^:\d]{1,30}?)\s*:\s*(.*)$")
# A date as notices write it; the parenthetical may hold 农历 dates and the weekday.
_DATE_RE = re.compile(
    r"(?:(?P<y>\d{4})\s*年\s*)?(?:(?P<m>\d{1,2})\s*月\s*)?(?P<d>\d{1,2})\s*日\s*(?:\((?P<paren>[^)]*)\))?"
)
_RANGE_SEP_RE = re.compile(r"至|到|-|~|—|–")
_WEEKDAY_RE = re.compile(r"(?:周|星期|礼拜)\s*([一二三四五六日天])")
_COUNT_RE = re.compile(r"(?:共|放假)\s*(\d{1,2})\s*天")
_TITLE_YEAR_RE = re.compile(r"(\d{4})\s*年\s*(?:部分)?节假日")
_PREAMBLE_YEAR_RE = re.compile(r"将\s*(\d{4})\s*年")
# A one-paragraph paste: a numbered heading ("二、春节：") after "。" or a space starts a new item.
_ITEM_BREAK_RE = re.compile(r"(?<=[。\s])(?=[一二三四五六七八九十]{1,3}\s*、\s*[^\d:。]{1,30}:)")


@dataclass(frozen=True)
class NoticeHoliday:
    name: str
    start: date
    end: date


class NoticeParseError(ValueError):
    """The notice text could not be read; the message (Chinese) names the line."""


@dataclass(frozen=True)
class ParsedNotice:
    title: str
    year: int
    holidays: list[NoticeHoliday]
    days_off: list[date]  # every day in the announced ranges (and 补休 days)
    workdays: list[date]  # make-up working days (上班)
    ignored: list[str] = field(default_factory=list)  # sentences with dates that set no day (shown, not used)
    # Which holiday each day off belongs to (补休 days lie outside the announced range).
    day_names: dict[date, str] = field(default_factory=dict, repr=False, compare=False)

    def overrides(self) -> list[CalendarOverride]:
        by_day = dict(self.day_names)
        for h in self.holidays:
            for d in _days(h.start, h.end):
                by_day.setdefault(d, h.name)
        out = [CalendarOverride(d, False, by_day.get(d, ""), self.title) for d in self.days_off]
        out += [CalendarOverride(d, True, MAKEUP_NOTE, self.title) for d in self.workdays]
        return sorted(out, key=lambda o: o.day)

    def describe(self) -> list[str]:
        """Lines for the confirmation screen (Chinese)."""
        lines = [f"{self.title}（{self.year}年）"]
        for h in self.holidays:
            n = (h.end - h.start).days + 1
            if n == 1:
                lines.append(f"{h.name}：{_fmt(h.start)} 放假，共1天")
            else:
                lines.append(f"{h.name}：{_fmt(h.start)} 至 {_fmt(h.end)} 放假，共{n}天")
        extra = sorted(set(self.days_off) - {d for h in self.holidays for d in _days(h.start, h.end)})
        for d in extra:
            lines.append(f"补休：{_fmt(d)}")
        if self.workdays:
            lines.append("调休上班：" + "、".join(_fmt(d) for d in self.workdays))
        for s in self.ignored:
            lines.append(f"未作为放假或上班处理：{s}")
        return lines


def _fmt(d: date) -> str:
    return f"{d.isoformat()}（{weekday_name(d)}）"


def _days(a: date, b: date) -> list[date]:
    return [a + timedelta(days=i) for i in range((b - a).days + 1)]


def _normalize(text: str) -> str:
    # NFKC folds full-width digits and punctuation (（），：１) to ASCII; "、" and "。" are left alone.
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u3000", " ").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("；", ";").replace("．", ".")
    return text


@dataclass
class _Item:
    line_no: int
    text: str  # normalized, heading included
    original: str


def _items_and_other_lines(text: str) -> tuple[list[_Item], list[str]]:
    items: list[_Item] = []
    other: list[str] = []
    raw_lines = text.split("\n")
    current: _Item | None = None
    for no, raw in enumerate(raw_lines, start=1):
        norm = _normalize(raw).strip()
        if not norm:
            current = None if current is None or current.text.endswith("。") else current
            continue
        for piece in _ITEM_BREAK_RE.split(norm):
            piece = piece.strip()
            if _ITEM_RE.match(piece):
                current = _Item(no, piece, raw.strip())
                items.append(current)
            elif current is not None and not current.text.endswith("。"):
                # A hard-wrapped line (copied from a PDF) continues the item above.
                current.text += piece
                current.original += raw.strip()
            else:
                current = None
                other.append(piece)
    return items, other


def _year_from(lines: list[str]) -> int | None:
    for line in lines:
        m = _TITLE_YEAR_RE.search(line)
        if m:
            return int(m.group(1))
    for line in lines:
        m = _PREAMBLE_YEAR_RE.search(line)
        if m:
            return int(m.group(1))
    return None


def _title_from(lines: list[str], year: int) -> str:
    for line in lines:
        if "节假日" in line and "通知" in line:
            return line.strip().strip("《》")
    return f"{year}年部分节假日安排"


@dataclass
class _Tok:
    y: int | None
    m: int | None
    d: int
    weekday: int | None
    text: str


class _LineError(Exception):
    pass


def _tokens(expr: str) -> tuple[list[_Tok], list[str]]:
    """Dates in an expression and the separators between them."""
    toks: list[_Tok] = []
    seps: list[str] = []
    pos = 0
    for m in _DATE_RE.finditer(expr):
        if toks:
            seps.append(expr[pos : m.start()])
        wd = None
        if m.group("paren"):
            w = _WEEKDAY_RE.search(m.group("paren"))
            if w:
                wd = _CN_WEEKDAY[w.group(1)]
        toks.append(
            _Tok(
                int(m.group("y")) if m.group("y") else None,
                int(m.group("m")) if m.group("m") else None,
                int(m.group("d")),
                wd,
                m.group(0).strip(),
            )
        )
        pos = m.end()
    return toks, seps


def _resolve(toks: list[_Tok], year: int, new_year_item: bool) -> list[date]:
    out: list[date] = []
    explicit_year: int | None = None
    prev: tuple[int, int] | None = None
    month: int | None = None
    for t in toks:
        if t.m is not None:
            month = t.m
        if month is None:
            raise _LineError(f"“{t.text}”没有写月份")
        if t.y is not None:
            y = explicit_year = t.y
        elif explicit_year is not None:
            # "2018年12月30日至2019年1月1日" style: later dates follow the last written year.
            y = explicit_year + (1 if prev is not None and (month, t.d) < prev else 0)
        elif new_year_item and month == 12:
            # 元旦 days in December belong to the year before the notice's year.
            y = year - 1
        else:
            y = year
        try:
            d = date(y, month, t.d)
        except ValueError:
            raise _LineError(f"“{t.text}”不是有效日期（{y}年{month}月{t.d}日）") from None
        out.append(d)
        prev = (month, t.d)
        explicit_year = d.year if explicit_year is not None else None
    return out


def _parse_dates(expr: str, year: int, new_year_item: bool) -> tuple[list[date], bool]:
    """Dates of one clause; returns (dates, is_range)."""
    toks, seps = _tokens(expr)
    if not toks:
        raise _LineError(f"“{expr.strip()}”中没有找到日期（应写作“1月1日”）")
    is_range = len(toks) == 2 and bool(_RANGE_SEP_RE.search(seps[0]))
    if len(toks) > 2 and any(_RANGE_SEP_RE.search(s) for s in seps):
        raise _LineError(f"“{expr.strip()}”中的日期范围无法识别")
    dates = _resolve(toks, year, new_year_item)
    if is_range and dates[1] < dates[0] and toks[0].y is None and toks[1].y is None:
        # "12月30日至1月1日" without years: the range crosses New Year.
        dates[0] = dates[0].replace(year=dates[0].year - 1)
    for t, d in zip(toks, dates, strict=True):
        if t.weekday is not None and t.weekday != d.weekday():
            raise _LineError(
                f"“{t.text}”标注为{'周' + '一二三四五六日'[t.weekday]}，但 {d.isoformat()} 是{weekday_name(d)}，"
                "请核对通知的年份和日期"
            )
    if is_range:
        a, b = dates
        if b < a:
            raise _LineError(f"“{expr.strip()}”的结束日期早于开始日期")
        if (b - a).days > 31:
            raise _LineError(f"“{expr.strip()}”的放假范围超过31天，请核对")
        return _days(a, b), True
    return dates, False


def _parse_item(item: _Item, year: int) -> tuple[NoticeHoliday, list[date], list[date], list[str]]:
    m = _ITEM_RE.match(item.text)
    assert m is not None
    body = m.group(2)
    head = _HEAD_RE.match(body)
    if head:
        name, rest = head.group(1).strip(), head.group(2)
    else:
        # No colon: take the words before the first date as the holiday's name.
        name = re.split(r"\d", body, maxsplit=1)[0].strip(" :,")
        rest = body[len(name) :]
    if not name:
        raise _LineError("没有找到节日名称（应写作“一、元旦：……”）")
    new_year_item = "元旦" in name
    off: list[date] = []
    work: list[date] = []
    ignored: list[str] = []
    main_range: list[date] | None = None
    for sentence in re.split(r"[。;]", rest):
        if not sentence.strip():
            continue
        clauses = [c for c in re.split(r",(?![^(]*\))", sentence) if c.strip()]
        used_sentence = False
        for clause in clauses:
            c = clause.strip()
            if "放假" in c and _DATE_RE.search(c.partition("放假")[0]):
                dates, _ = _parse_dates(c.partition("放假")[0], year, new_year_item)
                if main_range is not None:
                    raise _LineError("一个节日写了两段放假日期")
                main_range = dates
                off.extend(dates)
                count = _COUNT_RE.search(c)
                if count and int(count.group(1)) != len(dates):
                    raise _LineError(f"写明放假{count.group(1)}天，但日期范围是{len(dates)}天")
                used_sentence = True
            elif "补休" in c and _DATE_RE.search(c):
                dates, _ = _parse_dates(c.partition("补休")[0], year, new_year_item)
                off.extend(dates)
                used_sentence = True
            elif "上班" in c and _DATE_RE.search(c):
                dates, _ = _parse_dates(c.partition("上班")[0], year, new_year_item)
                work.extend(dates)
                used_sentence = True
            elif (cm := _COUNT_RE.search(c)) and c.lstrip().startswith("共"):
                total = int(cm.group(1))
                if main_range is not None and total != len(main_range):
                    raise _LineError(f"写明共{total}天，但放假日期范围是{len(main_range)}天")
                used_sentence = True
        if not used_sentence and _DATE_RE.search(sentence):
            ignored.append(f"{name}：{sentence.strip()}")
    if main_range is None:
        raise _LineError("没有找到放假日期（应写作“1月1日至3日放假”）")
    return NoticeHoliday(name, main_range[0], main_range[-1]), off, work, ignored


def parse_notice(text: str, year: int | None = None) -> ParsedNotice:
    """Parse a State Council holiday notice into days off and make-up working days.

    The year comes from the title ("……关于2027年部分节假日安排的通知") or, failing that, from `year`; if both
    are present they must agree. Raises NoticeParseError (Chinese, naming the line) for anything unreadable.
    """
    if not text or not text.strip():
        raise NoticeParseError("通知内容为空。请粘贴《国务院办公厅关于XXXX年部分节假日安排的通知》的全文。")
    items, other = _items_and_other_lines(text)
    found = _year_from(other)
    if found is not None and year is not None and found != year:
        raise NoticeParseError(f"通知标题中的年份是{found}年，与指定的年份{year}年不一致。")
    y = found if found is not None else year
    if y is None:
        raise NoticeParseError("未能从通知标题中识别年份（如“关于2027年部分节假日安排的通知”），请指定年份。")
    if not items:
        raise NoticeParseError(
            "未在通知中找到放假安排。每个节日应单独成行，如“一、元旦：1月1日至3日放假调休，共3天。”"
        )
    holidays: list[NoticeHoliday] = []
    off: dict[date, int] = {}
    names: dict[date, str] = {}
    work: dict[date, int] = {}
    ignored: list[str] = []
    for item in items:
        try:
            h, item_off, item_work, item_ignored = _parse_item(item, y)
        except _LineError as e:
            raise NoticeParseError(f"第{item.line_no}行无法识别：“{item.original}”——{e}。") from None
        for d in item_off:
            if d in off:
                raise NoticeParseError(
                    f"第{item.line_no}行：{d.isoformat()} 已在第{off[d]}行列为放假日，同一天不能重复放假。"
                )
            off[d] = item.line_no
            names[d] = h.name
        for d in item_work:
            work.setdefault(d, item.line_no)
        holidays.append(h)
        ignored.extend(item_ignored)
    both = sorted(set(off) & set(work))
    if both:
        d = both[0]
        raise NoticeParseError(
            f"第{work[d]}行：{d.isoformat()} 同时被列为放假日（第{off[d]}行）和上班日，请核对通知。"
        )
    for d, line_no in work.items():
        if abs(d.year - y) > 1:
            raise NoticeParseError(f"第{line_no}行：上班日 {d.isoformat()} 不在{y}年前后，请核对年份。")
    return ParsedNotice(
        title=_title_from(other, y),
        year=y,
        holidays=holidays,
        days_off=sorted(off),
        workdays=sorted(work),
        ignored=ignored,
        day_names=names,
    )
