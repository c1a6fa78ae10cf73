"""Validation and normalisation of what a clerk types when registering a request.

Pure functions: no I/O, no database, no UI. Every refusal is a :class:`ValidationError` whose message is in
Simplified Chinese and names the value and the rule, so that the clerk knows what to fix.

Applicant text (names, content, addresses) is kept verbatim: only surrounding whitespace is removed. Braces,
``& < >`` and quotes are never a reason to refuse; escaping is the job of whoever renders the text.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from zwgk_tui.domain.codes import (
    APPLICANT_TYPE_LABELS,
    CHANNEL_LABELS,
    CHANNELS_NEEDING_CONFIRMATION,
    DELIVERY_METHOD_ALIASES,
    DELIVERY_METHOD_LABELS,
)

__all__ = [
    "ARG_MAX_CHARS",
    "ART29",
    "CONTENT_MAX_CHARS",
    "CREDIT_CODE_CHARSET",
    "DESCRIPTION_MIN_CHARS",
    "FIELD_LIMITS",
    "INT_MAX",
    "REGULATIONS_IN_FORCE",
    "ApplicationInput",
    "ApplicationInvalid",
    "CheckedApplication",
    "FieldLimit",
    "ValidationError",
    "check_application",
    "check_choice",
    "check_credit_code",
    "check_email",
    "check_event_date",
    "check_field",
    "check_id_number",
    "check_identity_document",
    "check_phone",
    "check_postcode",
    "check_received_date",
    "check_required",
    "check_text",
    "credit_code_check_char",
    "format_date",
    "id_check_char",
    "mask_id",
    "mask_phone",
    "parse_date",
]

# The first Regulations (2007) took effect on 1 May 2008; no request can have been received before.
REGULATIONS_IN_FORCE = date(2008, 5, 1)

CONTENT_MAX_CHARS = 5000
NAME_MAX_CHARS = 200
ADDRESS_MAX_CHARS = 300
# A description shorter than this (after removing whitespace) cannot identify a document: it is listed as a
# missing Art. 29 element (reason for a correction notice), not refused.
DESCRIPTION_MIN_CHARS = 5

ART29_RULE = "《条例》第二十九条"
ART31_RULE = "《条例》第三十一条"

T = TypeVar("T")


class ValidationError(ValueError):
    """A value the clerk must correct.

    ``message`` is Chinese; ``field`` names the input (e.g. "id_number").
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class ApplicationInvalid(ValidationError):
    """Several errors found in one application; ``errors`` keeps each one (with its field)."""

    def __init__(self, errors: list[ValidationError]):
        self.errors = list(errors)
        message = "；".join(e.message for e in self.errors)
        super().__init__(message, self.errors[0].field if self.errors else None)


# ------------------------------------------------------------------------------------------------------------
# Field limits, defined once for both engines. The forms and the registration checks use them, and the persistence
# layer checks every written value against them before any SQL runs: SQLite would store anything, PostgreSQL would
# fail with an error echoing the statement, and both must refuse the same input with the same sentence. Lengths
# are in characters, as both engines count them.

INT_MAX = 2**31 - 1  # the largest whole number a database INTEGER column holds
ARG_MAX_CHARS = 20_000  # any single value typed on the command line
FEE_AMOUNT_MAX_YUAN = 10_000_000
ITEMS_MAX = 1000


@dataclass(frozen=True)
class FieldLimit:
    label: str
    max_chars: int | None = None
    min_value: int | None = None
    max_value: int | None = None


# "table.column" → limit. Column lengths in the schema equal these (a test checks it).
FIELD_LIMITS: dict[str, FieldLimit] = {
    "applicants.name": FieldLimit("申请人姓名或名称", NAME_MAX_CHARS),
    "applicants.id_number": FieldLimit("身份证明号码", 40),
    "applicants.phone": FieldLimit("联系电话", 40),
    "applicants.email": FieldLimit("电子邮箱", 120),
    "applicants.address": FieldLimit("通信地址", ADDRESS_MAX_CHARS),
    "applicants.postcode": FieldLimit("邮政编码", 20),
    "cases.content": FieldLimit("申请内容", CONTENT_MAX_CHARS),
    "cases.clarified_content": FieldLimit("补正后的申请内容", CONTENT_MAX_CHARS),
    "cases.applicant_name": FieldLimit("申请人姓名或名称", NAME_MAX_CHARS),
    "cases.applicant_id_number": FieldLimit("身份证明号码", 40),
    "cases.applicant_phone": FieldLimit("联系电话", 40),
    "cases.applicant_email": FieldLimit("电子邮箱", 120),
    "cases.applicant_address": FieldLimit("通信地址", ADDRESS_MAX_CHARS),
    "cases.applicant_postcode": FieldLimit("邮政编码", 20),
    "cases.form_requested": FieldLimit("信息的形式要求", 1000),
    "cases.decision_reason": FieldLimit("办理结果的理由", CONTENT_MAX_CHARS),
    "cases.item_count": FieldLimit("申请事项数", min_value=1, max_value=ITEMS_MAX),
    "events.comment": FieldLimit("备注", CONTENT_MAX_CHARS),
    "events.actor": FieldLimit("用户名", 80),
    "pauses.party": FieldLimit("征求意见对象", 200),
    "fee_notices.amount": FieldLimit("收费金额（元）", min_value=0, max_value=FEE_AMOUNT_MAX_YUAN),
    "fee_notices.paid_amount": FieldLimit("缴费金额（元）", min_value=0, max_value=FEE_AMOUNT_MAX_YUAN),
    "fee_notices.quantity": FieldLimit("收费数量（件或页）", min_value=0, max_value=1_000_000),
    "remedies.note": FieldLimit("复议、诉讼备注", CONTENT_MAX_CHARS),
    "users.name": FieldLimit("用户名", 80),
    "users.display_name": FieldLimit("用户显示名", 80),
    "users.login": FieldLimit("登录名", 80),
    "agencies.code": FieldLimit("机关代码", 40),
    "agencies.name": FieldLimit("机关全称", 200),
    "agencies.short_name": FieldLimit("机关简称", 100),
    "agencies.reconsideration_body": FieldLimit("行政复议机关", 200),
    "agencies.court": FieldLimit("管辖人民法院", 200),
    "agencies.address": FieldLimit("机关地址", 300),
    "agencies.postcode": FieldLimit("机关邮编", 20),
    "agencies.phone": FieldLimit("机关联系电话", 60),
    "agencies.email": FieldLimit("机关电子邮箱", 120),
    "agencies.contact": FieldLimit("联系人", 60),
    "agencies.number_format": FieldLimit("案件编号格式", 60),
    "agencies.doc_number_format": FieldLimit("文书文号格式", 100),
    "agencies.template_dir": FieldLimit("本机关模板目录", 500),
    "calendar_overrides.note": FieldLimit("日历说明", 200),
    "calendar_overrides.source": FieldLimit("日历依据", 300),
}


def check_field(key: str, value: object, limit: FieldLimit | None = None) -> None:
    """Refuse a value over its field's limit (``key`` is "table.column"; ``limit`` when not in FIELD_LIMITS)."""
    limit = limit or FIELD_LIMITS.get(key)
    if limit is None or value is None:
        return
    if isinstance(value, str):
        if limit.max_chars is not None and len(value) > limit.max_chars:
            raise ValidationError(
                f"{limit.label}共 {_int_cn(len(value))} 字，超过 {_int_cn(limit.max_chars)} 字的上限，请精简后再保存",
                key,
            )
        if "\x00" in value:
            raise ValidationError(f"{limit.label}中含有不可见的空字符（NUL），请重新粘贴或输入", key)
    elif isinstance(value, int) and not isinstance(value, bool):
        lo = -INT_MAX - 1 if limit.min_value is None else limit.min_value
        hi = INT_MAX if limit.max_value is None else limit.max_value
        if not lo <= value <= hi:
            raise ValidationError(f"{limit.label} {value} 超出范围：应为 {_int_cn(lo)} 至 {_int_cn(hi)}", key)


# ------------------------------------------------------------------------------------------------------------
# Text helpers


def _nfkc(text: str) -> str:
    """Full-width digits, letters and punctuation to ASCII (１２３ -> 123, ／ -> /, ＠ -> @)."""
    return unicodedata.normalize("NFKC", text)


def _no_spaces(text: str) -> str:
    return "".join(text.split())


def format_date(d: date) -> str:
    return d.isoformat()


def _int_cn(n: int) -> str:
    """Integer with thousands separators, as used in messages: 5,000."""
    return f"{n:,}"


def check_required(
    value: str | None, field_label: str, rule: str | None = None, field: str | None = None
) -> str:
    """Strip surrounding whitespace; refuse an empty value. ``rule`` is cited in the message."""
    text = "" if value is None else str(value).strip()
    if not text:
        suffix = f"（{rule}）" if rule else ""
        raise ValidationError(f"{field_label}不能为空{suffix}", field)
    _refuse_nul(text, field_label, field)
    return text


def check_text(
    value: str | None,
    field_label: str,
    max_chars: int,
    *,
    required: bool = False,
    rule: str | None = None,
    field: str | None = None,
) -> str | None:
    """Free text kept verbatim except surrounding whitespace; ``None`` when empty and not required."""
    if required:
        text = check_required(value, field_label, rule, field)
    else:
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        _refuse_nul(text, field_label, field)
    if len(text) > max_chars:
        raise ValidationError(
            f"{field_label}共 {_int_cn(len(text))} 字，超过 {_int_cn(max_chars)} 字的上限，请精简后再登记",
            field,
        )
    return text


def _refuse_nul(text: str, field_label: str, field: str | None) -> None:
    # The only character refused in free text: NUL cannot be stored (PostgreSQL rejects it in text columns)
    # and never comes from a keyboard, only from a broken copy-and-paste.
    if "\x00" in text:
        raise ValidationError(f"{field_label}中含有不可见的空字符（NUL），请重新粘贴或输入", field)


def check_choice(
    value: str | None, allowed: Mapping[str, str], field_label: str, field: str | None = None,
    aliases: Mapping[str, str] | None = None,
) -> str:
    """A code from one of the tables in codes.py. The label itself (e.g. "自然人") is accepted too, and an alias
    (another spelling the contract also uses, e.g. `post` for `mail`)."""
    text = "" if value is None else _nfkc(str(value)).strip()
    if aliases and text.lower() in aliases:
        text = aliases[text.lower()]
    if text in allowed:
        return text
    if text.lower() in allowed:
        return text.lower()
    by_label = [code for code, label in allowed.items() if label == text]
    if len(by_label) == 1:
        return by_label[0]
    options = "、".join(f"{code}（{label}）" for code, label in allowed.items())
    if not text:
        raise ValidationError(f"{field_label}不能为空，可选：{options}", field)
    raise ValidationError(f"{field_label}“{text}”无效，可选：{options}", field)


# ------------------------------------------------------------------------------------------------------------
# Dates

_DATE_SEPARATED = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$", re.ASCII)
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$", re.ASCII)
_DATE_CHINESE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$", re.ASCII)


def _date_problem(year: int, month: int, day: int) -> str | None:
    """Why (year, month, day) is not a date, in Chinese; ``None`` when it is one."""
    if not 1 <= year <= 9999:
        return f"年份 {year:04d} 不存在"
    if not 1 <= month <= 12:
        return f"月份 {month} 不存在，应为1–12"
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        if day == 0:
            return "日不能为0"
        if month == 2 and day == 29:
            return f"{year}年不是闰年，2月只有28天"
        return f"{year}年{month}月只有{last}天"
    return None


def parse_date(text: str | date, field_label: str = "日期", field: str | None = None) -> date:
    """Read a date as clerks write it.

    Accepted: 2025-03-03, 2025-3-3, 2025/3/3, 2025.3.3, 20250303, 2025年3月3日 (full-width digits and spaces
    allowed). An impossible date says why: "日期 2025-02-30 无效：2025年2月只有28天".
    """
    if isinstance(text, date):
        return text
    original = "" if text is None else str(text).strip()
    if not original:
        raise ValidationError(f"{field_label}不能为空，请写成 2025-03-03", field)
    s = _no_spaces(_nfkc(original))
    m = _DATE_SEPARATED.match(s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(3)), int(m.group(4))
    else:
        m = _DATE_COMPACT.match(s) or _DATE_CHINESE.match(s)
        if not m:
            raise ValidationError(f"无法识别的{field_label}“{original}”，请写成 2025-03-03", field)
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    problem = _date_problem(y, mo, d)
    if problem:
        raise ValidationError(f"{field_label} {y:04d}-{mo:02d}-{d:02d} 无效：{problem}", field)
    return date(y, mo, d)


def check_received_date(received: date, today: date, field: str | None = "received") -> None:
    """Art. 31 receipt date: not in the future, not before the first Regulations took effect (2008-05-01)."""
    if received > today:
        raise ValidationError(
            f"收到申请日期 {format_date(received)} 晚于今天 {format_date(today)}，不能登记将来的日期", field
        )
    if received < REGULATIONS_IN_FORCE:
        raise ValidationError(
            f"收到申请日期 {format_date(received)} 早于《政府信息公开条例》施行之日 "
            f"{format_date(REGULATIONS_IN_FORCE)}",
            field,
        )


def _parse_received(text: str | date, today: date) -> date:
    received = parse_date(text, "收到申请日期", "received")
    check_received_date(received, today)
    return received


def check_event_date(
    on: date, received: date, today: date, what: str = "该步骤", field: str | None = "on"
) -> None:
    """The legal date of a step: on or after receipt, not in the future.

    ``what`` names the step ("补正通知" -> "补正通知的日期 …"); a label already ending in 日期 is used as is.
    """
    label = what if what.endswith("日期") else f"{what}的日期"
    if on < received:
        raise ValidationError(f"{label} {format_date(on)} 早于收到申请日期 {format_date(received)}", field)
    if on > today:
        raise ValidationError(f"{label} {format_date(on)} 晚于今天 {format_date(today)}", field)


# ------------------------------------------------------------------------------------------------------------
# 居民身份证 (GB 11643-1999)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
_ID_LABEL = "身份证号码"


def id_check_char(body17: str) -> str:
    """The check character (0-9 or X) for the first 17 digits of a 居民身份证 number."""
    if len(body17) != 17 or not body17.isascii() or not body17.isdigit():
        raise ValueError(f"need 17 ASCII digits, got {body17!r}")
    total = sum(int(c) * w for c, w in zip(body17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def check_id_number(value: str | None, today: date | None = None, field: str | None = "id_number") -> str:
    """Validate an 18-character 居民身份证 number and return it normalised (no spaces, upper-case X).

    ``today`` bounds the birth date; it defaults to the system date (pass it for reproducible checks).
    """
    raw = "" if value is None else str(value).strip()
    v = _no_spaces(_nfkc(raw)).upper()
    if not v:
        raise ValidationError(f"{_ID_LABEL}不能为空", field)
    if len(v) == 15 and v.isascii() and v.isdigit():
        raise ValidationError(
            f"{_ID_LABEL} {v} 是15位的旧号码：第一代身份证已于2013年1月1日停止使用，请填写18位号码", field
        )
    if len(v) != 18:
        raise ValidationError(f"{_ID_LABEL} {v} 应为18位，实际为{len(v)}位", field)
    for i, c in enumerate(v[:17], start=1):
        if not ("0" <= c <= "9"):
            raise ValidationError(f"{_ID_LABEL} {v} 第{i}位“{c}”无效：前17位只能是数字", field)
    if v[0] == "0":
        raise ValidationError(f"{_ID_LABEL} {v} 第1–6位地区码 {v[:6]} 无效：首位应为1–9", field)
    birth = v[6:14]
    y, mo, d = int(birth[:4]), int(birth[4:6]), int(birth[6:8])
    problem = _date_problem(y, mo, d)
    if problem:
        raise ValidationError(f"{_ID_LABEL} {v} 第7–14位出生日期 {birth} 无效：{problem}", field)
    born = date(y, mo, d)
    if y < 1900:
        raise ValidationError(f"{_ID_LABEL} {v} 第7–14位出生日期 {birth} 无效：早于1900年", field)
    today = today or date.today()
    if born > today:
        raise ValidationError(
            f"{_ID_LABEL} {v} 第7–14位出生日期 {birth} 无效：晚于今天 {format_date(today)}", field
        )
    expected = id_check_char(v[:17])
    if v[17] != expected:
        raise ValidationError(f"{_ID_LABEL} {v} 第18位校验码应为 {expected}，实际为 {v[17]}", field)
    return v


# ------------------------------------------------------------------------------------------------------------
# 统一社会信用代码 (GB 32100-2015)

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CC_LABEL = "统一社会信用代码"


def credit_code_check_char(body17: str) -> str:
    """The 18th character of a 统一社会信用代码 for its first 17 characters."""
    if len(body17) != 17 or any(c not in CREDIT_CODE_CHARSET for c in body17):
        raise ValueError(f"need 17 characters of {CREDIT_CODE_CHARSET}, got {body17!r}")
    total = sum(CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(body17, _CC_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def check_credit_code(value: str | None, field: str | None = "id_number") -> str:
    """Validate an 18-character 统一社会信用代码 and return it normalised (upper case, no spaces)."""
    raw = "" if value is None else str(value).strip()
    v = _no_spaces(_nfkc(raw)).upper()
    if not v:
        raise ValidationError(f"{_CC_LABEL}不能为空", field)
    if len(v) != 18:
        raise ValidationError(f"{_CC_LABEL} {v} 应为18位，实际为{len(v)}位", field)
    for i, c in enumerate(v, start=1):
        if c not in CREDIT_CODE_CHARSET:
            if c in "IOZSV":
                why = "统一社会信用代码不使用字母 I、O、Z、S、V"
                if c in "IO":
                    why += f"（是否应为数字 {'1' if c == 'I' else '0'}？）"
            else:
                why = "只能是数字或大写字母（不含 I、O、Z、S、V）"
            raise ValidationError(f"{_CC_LABEL} {v} 第{i}位“{c}”无效：{why}", field)
    expected = credit_code_check_char(v[:17])
    if v[17] != expected:
        raise ValidationError(f"{_CC_LABEL} {v} 第18位校验码应为 {expected}，实际为 {v[17]}", field)
    return v


def check_identity_document(
    applicant_type: str, value: str | None, today: date | None = None, field: str | None = "id_number"
) -> str:
    """Natural persons: 居民身份证 number; every other applicant type: 统一社会信用代码."""
    kind = check_choice(applicant_type, APPLICANT_TYPE_LABELS, "申请人类型", "applicant_type")
    if kind == "natural_person":
        return check_id_number(value, today=today, field=field)
    return check_credit_code(value, field=field)


# ------------------------------------------------------------------------------------------------------------
# Contact

_PHONE_HINT = "手机号应为11位（1开头），固定电话应带区号，如 0551-12345678"
_MOBILE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)
_SERVICE = re.compile(r"^[48]00\d{7}$", re.ASCII)  # 400/800 numbers used by companies
_EXT_MARKERS = re.compile(r"(?:转|分机|ext\.?|x|#)", re.IGNORECASE)


def _area_code_length(digits: str) -> int:
    """Area codes are 010 and 02x (3 digits) or 0xxx (4 digits)."""
    return 3 if digits[1:2] in ("1", "2") else 4


def _local_ok(local: str) -> bool:
    return local.isdigit() and len(local) in (7, 8) and local[0] != "0"


def _landline(groups: list[str]) -> tuple[str, str] | None:
    """(area-local, extension) from hyphen groups that start with the area code; None if not a landline.

    '0551', '12345678' -> ('0551-12345678', ''); '0551', '12345678', '123' -> (…, '123');
    '055112345678' (no separators) -> split by the area-code rule.
    """
    first = groups[0]
    if not first.startswith("0") or first.startswith("00"):
        return None
    area_len = _area_code_length(first)
    if len(groups) == 1:
        area, local = first[:area_len], first[area_len:]
        return (f"{area}-{local}", "") if _local_ok(local) else None
    if len(first) != area_len:
        return None
    rest = groups[1:]
    if _local_ok("".join(rest)):
        return f"{first}-{''.join(rest)}", ""
    if len(rest) >= 2 and _local_ok("".join(rest[:-1])) and 1 <= len(rest[-1]) <= 6:
        return f"{first}-{''.join(rest[:-1])}", rest[-1]
    return None


def check_phone(value: str | None, field: str | None = "phone") -> str:
    """Mainland mobile (returned as 13812345678) or landline with area code (0551-12345678[-123]).

    Spaces, hyphens, brackets and a +86/0086 prefix are allowed; an extension may follow a hyphen, 转 or 分机.
    The clerk's grouping is respected: "051-12345678" is refused rather than read as 0511-2345678.
    """
    raw = "" if value is None else str(value).strip()
    if not raw:
        raise ValidationError("联系电话不能为空", field)

    def bad() -> ValidationError:
        return ValidationError(f"联系电话“{raw}”格式不正确：{_PHONE_HINT}", field)

    s = _nfkc(raw)
    s = re.sub(r"[\s()（）\-]+", "-", s).strip("-")
    international = False
    for prefix in ("+86", "0086"):
        if s.startswith(prefix):
            s, international = s[len(prefix):].lstrip("-"), True
            break

    ext = ""
    parts = _EXT_MARKERS.split(s)
    if len(parts) == 2:
        s, ext = parts[0].strip("-"), parts[1].strip("-")
        if not ext.isdigit() or not 1 <= len(ext) <= 6:
            raise bad()
    elif len(parts) > 2:
        raise bad()
    if not s or not re.fullmatch(r"[0-9]+(?:-[0-9]+)*", s):
        raise bad()
    groups = s.split("-")
    digits = "".join(groups)
    if not international and len(digits) == 13 and digits.startswith("86") and _MOBILE.match(digits[2:]):
        digits = digits[2:]  # 86 prefix written without the plus

    if _MOBILE.match(digits):
        if ext:
            raise bad()
        return digits
    if _SERVICE.match(digits) and not international:
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}" + (f"-{ext}" if ext else "")
    if international and not groups[0].startswith("0"):
        groups[0] = "0" + groups[0]  # +86 551 12345678 -> 0551 12345678
    found = _landline(groups)
    if found is None:
        raise bad()
    number, trailing_ext = found
    if trailing_ext and ext:
        raise bad()
    ext = ext or trailing_ext
    return number + (f"-{ext}" if ext else "")


_EMAIL = re.compile(
    r"^(?P<local>[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
    r"@(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})$"
)


_POSTCODE = re.compile(r"^\d{6}$")


def check_postcode(value: str | None, field: str | None = "postcode") -> str:
    """A mainland postal code: six digits (full-width digits accepted); "" when not given."""
    raw = "" if value is None else str(value).strip()
    if not raw:
        return ""
    s = _no_spaces(_nfkc(raw))
    if not _POSTCODE.match(s):
        raise ValidationError(f"邮政编码“{raw}”格式不正确：应为6位数字", field)
    return s


def check_email(value: str | None, field: str | None = "email") -> str:
    """An e-mail address; returned stripped, with the domain in lower case."""
    raw = "" if value is None else str(value).strip()
    if not raw:
        raise ValidationError("电子邮箱不能为空", field)
    s = _nfkc(raw).strip()
    m = _EMAIL.match(s)
    if not m or len(s) > 254 or len(m.group("local")) > 64:
        raise ValidationError(f"电子邮箱“{raw}”格式不正确：应形如 name@example.com", field)
    return f"{m.group('local')}@{m.group('domain').lower()}"


# ------------------------------------------------------------------------------------------------------------
# Masks (lists and exports, spec 03 "The record")


def mask_id(value: str | None) -> str:
    """110105194912310023 -> 110105********0023: keep the first 6 and the last 4 characters."""
    v = _no_spaces(value or "")
    if not v:
        return ""
    if len(v) <= 10:
        return "*" * len(v)
    return v[:6] + "*" * (len(v) - 10) + v[-4:]


def mask_phone(value: str | None) -> str:
    """13812345678 -> 138****5678; 0551-12345678 -> 0551-****5678. Never raises."""
    v = (value or "").strip()
    if not v:
        return ""
    try:
        v = check_phone(v)
    except ValidationError:
        v = _no_spaces(v)
    if _MOBILE.match(v):
        return v[:3] + "****" + v[-4:]
    parts = v.split("-")
    if len(parts) >= 2 and parts[0].startswith("0") and parts[1].isdigit() and len(parts[1]) > 4:
        local = parts[1]
        return "-".join([parts[0], "*" * (len(local) - 4) + local[-4:], *parts[2:]])
    if len(v) > 7:
        return v[:3] + "*" * (len(v) - 7) + v[-4:]
    return "*" * len(v)


# ------------------------------------------------------------------------------------------------------------
# The application as a whole (Art. 29)

# Art. 29 elements that may be missing: reasons for a correction notice (Art. 30), not errors.
ART29: dict[str, str] = {
    "identity": "身份证明",
    "contact": "联系方式（联系电话、电子邮箱或通信地址，至少一项）",
    "description": "所需政府信息的名称、文号或便于行政机关查询的其他特征性描述",
    "form": "获取信息的方式、途径（形式要求）",
    "mail_address": "通信地址（获取方式为邮寄）",
    "email_address": "电子邮箱（获取方式为电子邮件）",
}


@dataclass(frozen=True)
class ApplicationInput:
    applicant_name: str
    applicant_type: str
    channel: str
    received: date | str
    content: str
    id_number: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    delivery: str | None = None
    confirmed_on: date | str | None = None


@dataclass(frozen=True)
class CheckedApplication:
    """A normalised copy of the input (dates parsed, codes checked, empty optionals as ``None``)."""

    application: ApplicationInput
    missing_elements: list[str] = field(default_factory=list)  # Chinese, for the correction notice
    missing_codes: list[str] = field(default_factory=list)  # keys of ART29, same order
    warnings: list[str] = field(default_factory=list)  # not errors, shown to the clerk

    @property
    def complete(self) -> bool:
        return not self.missing_codes


def _blank(value: object) -> bool:
    return value is None or not str(value).strip()


def check_application(app: ApplicationInput, today: date) -> CheckedApplication:
    """Validate a whole application; raise :class:`ApplicationInvalid` listing every error found.

    Errors: empty name or content, unknown codes, bad or impossible dates, malformed identity numbers,
    phones or e-mails, text over its length limit. Not errors: missing Art. 29 elements, returned in
    ``missing_elements``. Optional values left empty become ``None`` in the normalised copy.
    """
    errors: list[ValidationError] = []

    def attempt(field_name: str, check: Callable[[], T]) -> T | None:
        try:
            return check()
        except ValidationError as e:
            e.field = e.field or field_name
            errors.append(e)
            return None

    name = attempt(
        "applicant_name",
        lambda: check_text(
            app.applicant_name, "申请人姓名或名称", NAME_MAX_CHARS, required=True, rule=ART29_RULE
        ),
    )
    applicant_type = attempt(
        "applicant_type", lambda: check_choice(app.applicant_type, APPLICANT_TYPE_LABELS, "申请人类型")
    )
    channel = attempt("channel", lambda: check_choice(app.channel, CHANNEL_LABELS, "申请方式"))
    content = attempt(
        "content",
        lambda: check_text(app.content, "申请内容", CONTENT_MAX_CHARS, required=True, rule=ART29_RULE),
    )
    address = attempt("address", lambda: check_text(app.address, "通信地址", ADDRESS_MAX_CHARS))
    received = attempt("received", lambda: _parse_received(app.received, today))
    confirmed = None
    confirmed_on = app.confirmed_on
    if confirmed_on is not None and not _blank(confirmed_on):
        confirmed = attempt("confirmed_on", lambda: parse_date(confirmed_on, "确认日期"))

    id_number = None
    if not _blank(app.id_number):
        if applicant_type is None:
            id_number = str(app.id_number).strip()  # which document it is depends on a valid applicant type
        else:
            id_number = attempt(
                "id_number", lambda: check_identity_document(applicant_type, app.id_number, today=today)
            )
    phone = None if _blank(app.phone) else attempt("phone", lambda: check_phone(app.phone))
    email = None if _blank(app.email) else attempt("email", lambda: check_email(app.email))
    delivery = None
    if not _blank(app.delivery):
        delivery = attempt(
            "delivery", lambda: check_choice(app.delivery, DELIVERY_METHOD_LABELS, "获取信息的方式",
                                             aliases=DELIVERY_METHOD_ALIASES)
        )

    # Art. 31: for ordinary letters, internet and fax the receipt day is the day of confirmation.
    warnings: list[str] = []
    if channel in CHANNELS_NEEDING_CONFIRMATION:
        label = CHANNEL_LABELS[channel]
        if _blank(app.confirmed_on):
            warnings.append(f"以{label}方式提交的申请，应记录与申请人确认的日期（{ART31_RULE}）")
        elif confirmed is not None and received is not None and confirmed != received:
            errors.append(
                ValidationError(
                    f"以{label}方式提交的申请，收到申请日期应为确认之日（{ART31_RULE}）："
                    f"确认日期为 {format_date(confirmed)}，收到申请日期却是 {format_date(received)}",
                    "confirmed_on",
                )
            )
    elif confirmed is not None and received is not None:
        attempt("confirmed_on", lambda: check_event_date(confirmed, received, today, "确认", "confirmed_on"))

    if errors:
        raise ApplicationInvalid(errors)
    # No check failed, so every required value was returned (check_text(required=True) never returns None).
    assert name is not None and applicant_type is not None and channel is not None
    assert received is not None and content is not None

    missing: list[str] = []
    if id_number is None:
        missing.append("identity")
    if phone is None and email is None and address is None:
        missing.append("contact")
    if len(_no_spaces(content or "")) < DESCRIPTION_MIN_CHARS:
        missing.append("description")
    if delivery is None:
        missing.append("form")
    elif delivery == "mail" and address is None:
        missing.append("mail_address")
    elif delivery == "email" and email is None:
        missing.append("email_address")

    def element(code: str) -> str:
        if code == "identity":
            kind = "居民身份证号码" if applicant_type == "natural_person" else "统一社会信用代码"
            return f"{ART29['identity']}（{kind}）"
        return ART29[code]

    normalised = ApplicationInput(
        applicant_name=name,
        applicant_type=applicant_type,
        channel=channel,
        received=received,
        content=content,
        id_number=id_number,
        phone=phone,
        email=email,
        address=address,
        delivery=delivery,
        confirmed_on=confirmed,
    )
    return CheckedApplication(
        application=normalised,
        missing_elements=[element(c) for c in missing],
        missing_codes=missing,
        warnings=warnings,
    )
