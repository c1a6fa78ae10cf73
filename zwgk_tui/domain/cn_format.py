"""Chinese official-document formatting of dates, amounts and article citations.

Pure functions. GB/T 9704-2012 writes dates with Arabic numerals and no leading zeros (2025年3月3日);
statute citations use Chinese numerals (第三十六条第（三）项).
"""

from __future__ import annotations

from datetime import date

_DIGITS = "零一二三四五六七八九"
_UNITS = ("", "十", "百", "千")

_CAP_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CAP_UNITS = ("", "拾", "佰", "仟")
_CAP_SECTIONS = ("", "万", "亿", "万亿")


def cn_date(d: date | None) -> str:
    """2025-03-03 -> "2025年3月3日"; None -> ""."""
    if d is None:
        return ""
    return f"{d.year}年{d.month}月{d.day}日"


def cn_yuan(amount: int) -> str:
    """3000 -> "3,000元" (whole yuan, thousands separated as in fee notices)."""
    return f"{amount:,}元"


def cn_number(n: int) -> str:
    """Chinese numerals as used in statute citations: 1 -> 一, 10 -> 十, 36 -> 三十六, 105 -> 一百零五."""
    if n < 0:
        raise ValueError(f"不能用中文数字表示负数：{n}")
    if n == 0:
        return _DIGITS[0]
    if n >= 10000:
        raise ValueError(f"条文序号过大：{n}")
    digits = [int(c) for c in str(n)]
    out: list[str] = []
    zero_pending = False
    for pos, digit in enumerate(digits):
        unit = _UNITS[len(digits) - pos - 1]
        if digit == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out.append(_DIGITS[0])
            zero_pending = False
        out.append(_DIGITS[digit] + unit)
    text = "".join(out)
    # 10-19 are written 十, 十一 … (not 一十一) when they stand alone, as the statute does.
    if text.startswith("一十"):
        text = text[1:]
    return text


def article_cn(article: int, item: int | None = None, paragraph: int | None = None) -> str:
    """Citation of an article: article_cn(36, item=3) -> "第三十六条第（三）项";
    article_cn(16, paragraph=2) -> "第十六条第二款"."""
    text = f"第{cn_number(article)}条"
    if paragraph is not None:
        text += f"第{cn_number(paragraph)}款"
    if item is not None:
        text += f"第（{cn_number(item)}）项"
    return text


def _yuan_in_capitals(amount: int) -> str:
    """3000 -> "叁仟元整"; 0 -> "零元整". Capitals as written on fee notices and bills (whole yuan only).

    Private on purpose: the fee rules (domain/fees.py) own the public helper; documents only need this one
    rendering and must not depend on the fee module's import order.
    """
    if amount < 0:
        raise ValueError(f"金额不能为负数：{amount}")
    if amount == 0:
        return "零元整"
    sections: list[int] = []
    rest = amount
    while rest:
        sections.append(rest % 10000)
        rest //= 10000
    if len(sections) > len(_CAP_SECTIONS):
        raise ValueError(f"金额过大：{amount}")
    out = ""
    need_zero = False
    for index in range(len(sections) - 1, -1, -1):
        section = sections[index]
        if section == 0:
            need_zero = bool(out)
            continue
        if out and (need_zero or section < 1000):
            out += _CAP_DIGITS[0]
        out += _section_capitals(section) + _CAP_SECTIONS[index]
        need_zero = False
    return out + "元整"


def _section_capitals(section: int) -> str:
    digits = f"{section:04d}".lstrip("0")
    out = ""
    zero_pending = False
    for pos, ch in enumerate(digits):
        digit = int(ch)
        unit = _CAP_UNITS[len(digits) - pos - 1]
        if digit == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out += _CAP_DIGITS[0]
            zero_pending = False
        out += _CAP_DIGITS[digit] + unit
    return out
