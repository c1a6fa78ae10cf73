"""Information processing fee (信息处理费), 《政府信息公开信息处理费管理办法》 (国办函〔2020〕109号).

Both methods are marginal (超额累进, "……的部分"); for one request the agency picks one of them, never both.

- per request (按件), per applicant per calendar month: 1–10 free; 11–30 100元 each; from the 31st,
  bands of 10, each band 100元 dearer per request (31–40 200元, 41–50 300元, …);
- per page (按量), per request: 1–30 free; 31–100 10元/页; 101–200 20元/页; from 201 40元/页.

Pure functions: counting an applicant's requests in a month is the caller's job; this module gets the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "FEE_METHOD_LABELS",
    "MAX_UNITS",
    "FeeBand",
    "FeeError",
    "FeeQuote",
    "format_yuan",
    "per_page_quote",
    "per_request_quote",
    "quote",
    "split_items",
    "yuan_in_capitals",
]

FEE_METHOD_LABELS: dict[str, str] = {
    "per_request": "按件计收",
    "per_page": "按量计收",
}

_UNIT = {"per_request": "件", "per_page": "页"}

# Guard against typing slips (an extra zero or two): no single quote covers more units than this.
MAX_UNITS = 100_000

# Per page (按量): (first, last, rate), last None = open-ended.
PAGE_BANDS: tuple[tuple[int, int | None, int], ...] = (
    (1, 30, 0),
    (31, 100, 10),
    (101, 200, 20),
    (201, None, 40),
)


class FeeError(ValueError):
    """Invalid fee input; the message is Chinese and names the value."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def format_yuan(amount: int) -> str:
    """3000 -> "3,000元"."""
    _require_int(amount, "金额")
    return f"{amount:,}元"


@dataclass(frozen=True)
class FeeBand:
    """One band of the tariff as it applies to a quote.

    ``first``/``last`` are the band's bounds in the tariff (``last`` None: "from ``first`` on");
    ``count`` units of this quote fall in it, numbered ``from_unit``..``to_unit``; ``rate`` 元 per unit.
    """

    first: int
    last: int | None
    rate: int
    count: int
    amount: int
    from_unit: int = 0
    to_unit: int = 0
    unit: str = "件"

    def range_text(self) -> str:
        if self.last is None:
            return f"第{self.first}{self.unit}起"
        if self.first == self.last:
            return f"第{self.first}{self.unit}"
        return f"第{self.first}–{self.last}{self.unit}"

    def line(self) -> str:
        """E.g. "第11–30件：20件 × 100元 = 2,000元".

        A partly used band names the units billed: "第31–40件（即第31–35件）：5件 × 200元 = 1,000元".
        """
        head = self.range_text()
        whole = self.from_unit == self.first and self.to_unit == self.last
        if self.from_unit and self.to_unit and not whole:
            if self.from_unit == self.to_unit:
                head += f"（即第{self.from_unit}{self.unit}）"
            else:
                head += f"（即第{self.from_unit}–{self.to_unit}{self.unit}）"
        if self.rate == 0:
            return f"{head}：{self.count}{self.unit}，免费"
        return f"{head}：{self.count}{self.unit} × {format_yuan(self.rate)} = {format_yuan(self.amount)}"


@dataclass(frozen=True)
class FeeQuote:
    method: str  # "per_request" | "per_page"
    quantity: int  # requests or pages billed
    bands: list[FeeBand]  # only bands with count > 0
    total: int  # 元 (whole yuan)
    first_unit: int = 1  # number of the first unit billed (per request: earlier_in_month + 1)

    @property
    def unit(self) -> str:
        return _UNIT[self.method]

    @property
    def method_label(self) -> str:
        return FEE_METHOD_LABELS[self.method]

    @property
    def last_unit(self) -> int:
        return self.first_unit + self.quantity - 1

    def breakdown(self) -> list[str]:
        """One Chinese line per band, e.g. "第11–30件：20件 × 100元 = 2,000元" (total: ``summary``)."""
        return [band.line() for band in self.bands]

    def summary(self) -> str:
        """E.g. "按件计收：本月第1–35件，共35件，应收3,000元（叁仟元整）"."""
        u = self.unit
        if self.method == "per_request":
            if self.quantity == 1:
                scope = f"本月第{self.first_unit}{u}"
            else:
                scope = f"本月第{self.first_unit}–{self.last_unit}{u}，共{self.quantity}{u}"
        else:
            scope = f"共{self.quantity}{u}"
        if self.total == 0:
            return f"{self.method_label}：{scope}，在免费范围内，不收费"
        amount = f"{format_yuan(self.total)}（{yuan_in_capitals(self.total)}）"
        return f"{self.method_label}：{scope}，应收{amount}"


def _require_int(value: object, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FeeError(f"{label}应为整数，实际为“{value}”")
    return value


def _require_count(value: object, label: str, minimum: int) -> int:
    n = _require_int(value, label)
    if n < minimum:
        if minimum == 0:
            raise FeeError(f"{label}不能为负数，实际为 {n}")
        raise FeeError(f"{label}至少为{minimum}，实际为 {n}")
    if n > MAX_UNITS:
        raise FeeError(f"{label} {n:,} 超过上限 {MAX_UNITS:,}，请核对")
    return n


def _request_band(n: int) -> tuple[int, int, int]:
    """The tariff band (first, last, rate) containing the n-th request of the month (n >= 1)."""
    if n <= 10:
        return 1, 10, 0
    if n <= 30:
        return 11, 30, 100
    k = (n - 31) // 10  # 0 for 31–40
    first = 31 + 10 * k
    return first, first + 9, 200 + 100 * k


def per_request_quote(earlier_in_month: int, new_requests: int = 1) -> FeeQuote:
    """Per request (按件): the new requests are numbered earlier_in_month+1 .. earlier+new_requests."""
    earlier = _require_count(earlier_in_month, "本月此前已计的申请件数", 0)
    new = _require_count(new_requests, "本次计费的申请件数", 1)
    bands: list[FeeBand] = []
    n, last_n = earlier + 1, earlier + new
    while n <= last_n:
        first, last, rate = _request_band(n)
        upto = min(last, last_n)
        count = upto - n + 1
        bands.append(FeeBand(first, last, rate, count, count * rate, n, upto, "件"))
        n = upto + 1
    return FeeQuote("per_request", new, bands, sum(b.amount for b in bands), earlier + 1)


def per_page_quote(pages: int) -> FeeQuote:
    """Per page (按量) for one request."""
    pages = _require_count(pages, "页数", 1)
    bands: list[FeeBand] = []
    for first, last, rate in PAGE_BANDS:
        if pages < first:
            break
        upto = pages if last is None else min(last, pages)
        count = upto - first + 1
        bands.append(FeeBand(first, last, rate, count, count * rate, first, upto, "页"))
    return FeeQuote("per_page", pages, bands, sum(b.amount for b in bands), 1)


def quote(method: str, quantity: int, earlier_in_month: int = 0) -> FeeQuote:
    """Dispatch on the method code; per_page ignores ``earlier_in_month`` (it is per request)."""
    if method == "per_request":
        return per_request_quote(earlier_in_month, quantity)
    if method == "per_page":
        return per_page_quote(quantity)
    options = "、".join(f"{code}（{label}）" for code, label in FEE_METHOD_LABELS.items())
    raise FeeError(f"计费方式“{method}”无效，可选：{options}；同一申请只能选其一")


def split_items(item_count: int) -> int:
    """一事一申请: a request with N separable items counts as N requests for the per-request fee."""
    return _require_count(item_count, "可分拆的事项数", 1)


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_IN_GROUP = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿")


def _group_capitals(n: int) -> str:
    """0 < n < 10000 in capitals, zeros inside the group as one 零 (1005 -> 壹仟零伍)."""
    out: list[str] = []
    zero_pending = False
    for pos in range(3, -1, -1):
        d = (n // 10**pos) % 10
        if d == 0:
            if out:
                zero_pending = True
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        out.append(_DIGITS[d] + _IN_GROUP[pos])
    return "".join(out)


def yuan_in_capitals(amount: int) -> str:
    """Whole yuan in financial capitals (人民币大写): 4700 -> 肆仟柒佰元整, 3005 -> 叁仟零伍元整, 0 -> 零元整.

    Tens are written with 壹 (10 -> 壹拾元整). A 零 is written where a group of four digits starts with zeros
    after a higher group (100500 -> 壹拾万零伍佰元整); 107000 -> 壹拾万柒仟元整.
    """
    _require_int(amount, "金额")
    if amount < 0:
        raise FeeError(f"金额不能为负数，实际为 {amount}")
    if amount >= 10**12:
        raise FeeError(f"金额 {amount:,} 超过可书写的上限（万亿元）")
    if amount == 0:
        return "零元整"
    groups: list[int] = []
    n = amount
    while n:
        groups.append(n % 10000)
        n //= 10000
    out: list[str] = []
    zero_pending = False
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            if out:
                zero_pending = True
            continue
        if out and (zero_pending or g < 1000):
            out.append("零")
        zero_pending = False
        out.append(_group_capitals(g) + _GROUPS[i])
    return "".join(out) + "元整"
