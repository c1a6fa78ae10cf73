"""The register (台账) as a table: its columns, how clerks' own spreadsheets name them, and how the words and
dates written in their cells are read back into codes.

Pure: cells in (strings, numbers, dates as spreadsheet readers give them), values or a Chinese reason out. The
service layer reads files and writes the database; the words a table may use are data here, one table each, so an
agency's own vocabulary is added in one place (or in a mapping file, see README "导入台账").
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from zwgk_tui.domain import validation as v
from zwgk_tui.domain.codes import (
    APPLICANT_TYPE_LABELS,
    APPLICANT_TYPE_LONG_LABELS,
    CHANNEL_LABELS,
    DELIVERY_METHOD_LABELS,
    OUTCOME_SHORT_LABELS,
    OUTCOMES,
    REMEDY_KINDS,
    REMEDY_RESULTS,
    STAGE_LABELS,
)


class CellError(ValueError):
    """A cell that cannot be read; the message names the value and the rule (for the row report)."""


# ---------------------------------------------------------------------------------------------------------------
# Columns


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # the export's header, also recognised on import
    width: int  # xlsx column width in characters (a CJK character counts about 2)
    kind: str = "text"  # text | date | int


# The export's columns in order. The first fifteen are the register a government office asks for; the rest carry
# what the annual report also counts (review time, fees), so export → import keeps `stats` the same.
EXPORT_COLUMNS: tuple[Column, ...] = (
    Column("number", "编号", 12),
    Column("agency", "机关", 20),
    Column("received", "收到日期", 12, "date"),
    Column("applicant", "申请人", 16),
    Column("applicant_type", "申请人类型", 12),
    Column("channel", "渠道", 14),
    Column("content", "申请内容", 44),
    Column("handler", "承办人", 10),
    Column("stage", "阶段", 10),
    Column("due", "答复期限", 12, "date"),
    Column("concluded", "办结日期", 12, "date"),
    Column("outcome", "办理结果", 22),
    Column("doc_number", "答复文号", 24),
    Column("reply_days", "答复用时（工作日）", 10, "int"),
    Column("late", "是否逾期", 8),
    Column("remedies", "复议/诉讼", 36),
    Column("office_days", "政府办审核用时（工作日）", 10, "int"),
    Column("legal_days", "法制审核用时（工作日）", 10, "int"),
    Column("fees", "收费", 30),
    Column("form", "形式要求", 12),
    Column("delivery", "获取方式", 10),
    Column("items", "申请事项数", 8, "int"),
    # A reopened case (re-reply after 复议/诉讼 correction): the conclusion table 三 counts (its first) and the
    # rounds after it, so an import restores both and no year's report moves (issue 12).
    Column("first_concluded", "首次办结日期", 12, "date"),
    Column("first_outcome", "首次办理结果", 22),
    Column("rounds", "重新答复", 44),
)
# Personal data: exported only with --reveal (spec 03 "The record").
PERSONAL_COLUMNS: tuple[Column, ...] = (
    Column("id_number", "身份证明", 22),
    Column("phone", "联系电话", 16),
    Column("email", "电子邮箱", 22),
    Column("address", "通信地址", 30),
    Column("postcode", "邮政编码", 8),
)
ALL_COLUMNS: dict[str, Column] = {c.field: c for c in (*EXPORT_COLUMNS, *PERSONAL_COLUMNS)}

# Fields an import understands, with the words clerks' own registers use for them (the export's header first).
# Compared after `header_key` (no spaces or punctuation, full-width folded), so "申请人姓名（名称）" and
# "申请人姓名(名称)" are one header.
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "number": ("编号", "案件编号", "登记编号", "受理编号", "申请编号", "登记号", "受理号", "受理单号", "案号"),
    "agency": ("机关", "机关名称", "受理机关", "办理机关", "承办机关"),
    "received": ("收到日期", "收到时间", "受理日期", "受理时间", "登记日期", "登记时间", "申请日期", "申请时间",
                 "收件日期", "收到申请日期", "收到申请时间", "来件日期", "接收日期", "接收时间"),
    "applicant": ("申请人", "申请人姓名", "申请人名称", "申请人姓名（名称）", "申请人姓名或名称", "姓名或名称",
                  "姓名/名称", "申请人姓名/名称", "申请单位", "姓名"),
    "applicant_type": ("申请人类型", "申请人类别", "申请主体类型", "申请人身份", "主体类型"),
    "channel": ("渠道", "申请渠道", "申请方式", "提交方式", "申请途径", "受理方式", "来源", "收件方式",
                "申请来源"),
    "content": ("申请内容", "所需信息", "申请公开内容", "申请公开的内容", "所需政府信息", "申请公开的政府信息",
                "所需信息内容描述", "所需政府信息的内容描述", "申请信息内容", "申请公开信息", "申请事项",
                "所需政府信息的名称、文号或者便于行政机关查询的其他特征性描述", "信息内容", "申请公开事项"),
    "handler": ("承办人", "经办人", "承办人员", "办理人", "经办人员", "责任人"),
    "stage": ("阶段", "办理阶段", "办理状态", "状态", "办理进度"),
    "due": ("答复期限", "答复截止日期", "办理期限", "法定答复期限", "到期日期", "截止日期"),
    "concluded": ("办结日期", "答复日期", "办结时间", "答复时间", "送达日期", "答复送达日期", "答复书送达日期",
                  "办结日"),
    "outcome": ("办理结果", "答复类型", "处理结果", "答复结果", "答复情况", "处理情况", "办理情况", "答复意见",
                "答复内容类型", "处理类型"),
    "doc_number": ("答复文号", "答复书文号", "文号", "告知书文号", "答复书编号"),
    "reply_days": ("答复用时（工作日）", "答复用时", "办理用时", "用时（工作日）", "办理用时（工作日）",
                   "办理工作日"),
    "late": ("是否逾期", "是否超期", "逾期", "是否按期", "超期"),
    "remedies": ("复议/诉讼", "复议诉讼", "复议诉讼情况", "行政复议/诉讼", "行政复议行政诉讼",
                 "是否复议诉讼", "复议、诉讼", "行政复议、行政诉讼情况"),
    "office_days": ("政府办审核用时（工作日）", "政府办审核用时"),
    "legal_days": ("法制审核用时（工作日）", "法制审核用时"),
    "fees": ("收费", "收费情况", "信息处理费"),
    "form": ("形式要求", "信息的形式要求", "所需信息的形式要求", "提供形式", "载体形式"),
    "delivery": ("获取方式", "获取信息方式", "获取信息的方式", "获取方式途径", "提供方式"),
    "items": ("申请事项数", "事项数", "申请件数"),
    "first_concluded": ("首次办结日期", "首次答复日期", "原办结日期", "原答复日期"),
    "first_outcome": ("首次办理结果", "首次答复类型", "原办理结果", "原答复类型"),
    "rounds": ("重新答复", "重新答复情况", "重新办理", "重新办理情况"),
    "id_number": ("身份证明", "证件号码", "身份证号", "身份证号码", "统一社会信用代码", "证件号",
                  "身份证明号码", "证件号码（统一社会信用代码）"),
    "phone": ("联系电话", "电话", "手机", "手机号码"),
    "email": ("电子邮箱", "邮箱", "电子邮件", "电子邮件地址"),
    "address": ("通信地址", "地址", "联系地址", "通讯地址"),
    "postcode": ("邮政编码", "邮编"),
}
FIELD_LABELS: dict[str, str] = {f: names[0] for f, names in HEADER_SYNONYMS.items()}
IGNORE = "ignore"  # a mapping file may name a column "ignore"

_PUNCT = re.compile(r"[\s\u3000（）()【】\[\]<>《》:：,，、.。;；·\-—_*＊#'\"“”‘’]+")


def header_key(text: Any) -> str:
    """A header as compared: NFKC, no spaces, brackets or punctuation ("申请人姓名（名称）" = "申请人姓名名称")."""
    if text is None:
        return ""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", str(text))).lower()


_SYNONYM_INDEX: dict[str, str] = {header_key(name): f for f, names in HEADER_SYNONYMS.items() for name in names}


def field_for_header(text: Any, mapping: Mapping[str, str] | None = None) -> str | None:
    """The field a header names (a mapping file first, then the synonyms), or None."""
    key = header_key(text)
    if not key:
        return None
    if mapping:
        for name, target in mapping.items():
            if header_key(name) == key:
                return target
    return _SYNONYM_INDEX.get(key)


def field_from_mapping_value(value: str) -> str | None:
    """A mapping file's right-hand side: a field name (received), a header of ours (收到日期) or ignore."""
    text = str(value).strip()
    if text == IGNORE or text in HEADER_SYNONYMS:
        return text
    return _SYNONYM_INDEX.get(header_key(text))


# An import needs these (a register without receipt dates, applicants or contents is not a register).
REQUIRED_FIELDS: tuple[str, ...] = ("received", "applicant", "content")


def match_header_row(cells: Iterable[Any], mapping: Mapping[str, str] | None = None) -> dict[int, str]:
    """Column index → field for one candidate header row; the first column wins when two name the same field."""
    out: dict[int, str] = {}
    seen: set[str] = set()
    for i, cell in enumerate(cells):
        f = field_for_header(cell, mapping)
        if f and f != IGNORE and f not in seen:
            out[i] = f
            seen.add(f)
    return out


# ---------------------------------------------------------------------------------------------------------------
# Words → codes


def word_key(text: Any) -> str:
    """A cell word as compared: NFKC, no spaces, no list numbering ("（三）" "1."), separators removed."""
    s = unicodedata.normalize("NFKC", "" if text is None else str(text)).strip()
    s = re.sub(r"\([一二三四五六七八九十]+\)", "", s)
    s = re.sub(r"^[一二三四五六七八九十]+、", "", s)
    s = re.sub(r"\d+[.、](?=\D)", "", s)
    return _PUNCT.sub("", s).lower()


def _index(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for word, code in pairs:
        out.setdefault(word_key(word), code)
    return out


# Outcome words beyond the national labels and our short labels (which are indexed automatically).
OUTCOME_SYNONYMS: dict[str, str] = {
    "公开": "disclosed",
    "同意公开": "disclosed",
    "全部公开": "disclosed",
    "予以公开": "disclosed",
    "已公开": "disclosed",
    "主动公开": "disclosed",
    "部分公开": "partially_disclosed",
    "部分予以公开": "partially_disclosed",
    "区分处理": "partially_disclosed",
    "国家秘密": "withheld_state_secret",
    "涉及国家秘密": "withheld_state_secret",
    "不予公开国家秘密": "withheld_state_secret",
    "法律行政法规禁止公开": "withheld_law_prohibited",
    "法律法规禁止公开": "withheld_law_prohibited",
    "三安全一稳定": "withheld_security_stability",
    "危及三安全一稳定": "withheld_security_stability",
    "第三方合法权益": "withheld_third_party",
    "涉及第三方合法权益": "withheld_third_party",
    "涉及商业秘密": "withheld_third_party",
    "涉及个人隐私": "withheld_third_party",
    "内部事务信息": "withheld_internal_affairs",
    "内部事务": "withheld_internal_affairs",
    "过程性信息": "withheld_process_info",
    "行政执法案卷": "withheld_enforcement_file",
    "行政执法案卷信息": "withheld_enforcement_file",
    "行政查询事项": "withheld_inquiry_matter",
    "本机关不掌握": "unavailable_not_held",
    "不掌握": "unavailable_not_held",
    "信息不存在": "unavailable_not_held",
    "政府信息不存在": "unavailable_not_held",
    "本机关不掌握相关政府信息": "unavailable_not_held",
    "非本机关掌握": "unavailable_not_held",
    "需另行制作": "unavailable_needs_creation",
    "需要另行制作": "unavailable_needs_creation",
    "没有现成信息": "unavailable_needs_creation",
    "补正后仍不明确": "unavailable_unclear",
    "申请内容不明确": "unavailable_unclear",
    "信访举报投诉": "not_processed_petition",
    "信访举报投诉类申请": "not_processed_petition",
    "重复申请": "not_processed_duplicate",
    "公开出版物": "not_processed_publication",
    "要求提供公开出版物": "not_processed_publication",
    "大量反复申请": "not_processed_excessive",
    "无正当理由大量反复申请": "not_processed_excessive",
    "确认或重新出具": "not_processed_confirm_reissue",
    "要求确认或重新出具已获取信息": "not_processed_confirm_reissue",
    "逾期不补正": "other_no_correction",
    "逾期未补正": "other_no_correction",
    "未补正": "other_no_correction",
    "逾期未缴费": "other_fee_unpaid",
    "逾期未缴纳费用": "other_fee_unpaid",
    "未缴费": "other_fee_unpaid",
    "撤回": "other_other",
    "申请人撤回": "other_other",
    "撤回申请": "other_other",
    "其他处理": "other_other",
    "其他": "other_other",
}
# Words too general for one of the 21 rows: the report needs the reason (spec 04).
AMBIGUOUS_OUTCOMES: dict[str, str] = {
    "不予公开": "年报把不予公开分为8种情形（国家秘密、法律行政法规禁止、三安全一稳定、第三方合法权益、"
                "内部事务、过程性信息、行政执法案卷、行政查询事项），请写明，如“不予公开·国家秘密”",
    "无法提供": "年报把无法提供分为3种情形（本机关不掌握、需另行制作、补正后仍不明确），"
                "请写明，如“无法提供·本机关不掌握”",
    "不予处理": "年报把不予处理分为5种情形（信访举报投诉、重复申请、公开出版物、大量反复申请、确认或重新出具），"
                "请写明，如“不予处理·重复申请”",
}


def _outcome_pairs() -> Iterable[tuple[str, str]]:
    for code in OUTCOMES:
        yield code, code
    for code, label in OUTCOME_SHORT_LABELS.items():
        yield label, code
    for code, (group, leaf) in OUTCOMES.items():
        if leaf != group:
            yield leaf, code
            yield f"{group}{leaf}", code  # 不予公开·属于国家秘密
        else:
            yield group, code
    yield from OUTCOME_SYNONYMS.items()


_OUTCOME_INDEX = _index(_outcome_pairs())
_APPLICANT_TYPE_INDEX = _index([
    *((c, c) for c in APPLICANT_TYPE_LABELS),
    *((label, c) for c, label in APPLICANT_TYPE_LABELS.items()),
    *((label, c) for c, label in APPLICANT_TYPE_LONG_LABELS.items()),
    ("个人", "natural_person"), ("公民", "natural_person"), ("自然人", "natural_person"),
    ("企业", "business"), ("公司", "business"), ("法人或其他组织商业企业", "business"),
    ("科研院所", "research"), ("高校", "research"), ("高等院校", "research"),
    ("公益组织", "nonprofit"), ("社会组织", "nonprofit"),
    ("律师事务所", "legal_service"), ("律所", "legal_service"), ("律师", "legal_service"),
    ("其他组织", "other_org"), ("法人或其他组织", "other_org"), ("其他", "other_org"),
])
_CHANNEL_INDEX = _index([
    *((c, c) for c in CHANNEL_LABELS),
    *((label, c) for c, label in CHANNEL_LABELS.items()),
    ("当面", "in_person"), ("现场", "in_person"), ("窗口", "in_person"), ("当面递交", "in_person"),
    ("现场提交", "in_person"), ("窗口受理", "in_person"),
    ("邮寄", "mail_registered"), ("挂号信", "mail_registered"), ("快递", "mail_registered"),
    ("邮政快递", "mail_registered"), ("ems", "mail_registered"), ("信函挂号", "mail_registered"),
    ("平信", "mail_ordinary"), ("信函", "mail_ordinary"), ("普通信函", "mail_ordinary"),
    ("网上", "online"), ("网络", "online"), ("在线", "online"), ("网上申请", "online"), ("政府网站", "online"),
    ("门户网站", "online"), ("在线申请", "online"), ("依申请公开系统", "online"), ("电子邮件", "online"),
    ("邮箱", "online"), ("网上受理", "online"), ("依申请公开在线办理系统", "online"),
])
_DELIVERY_INDEX = _index([
    *((c, c) for c in DELIVERY_METHOD_LABELS),
    *((label, c) for c, label in DELIVERY_METHOD_LABELS.items()),
    ("自行领取", "in_person"), ("当面", "in_person"), ("现场领取", "in_person"),
    ("邮政寄送", "mail"), ("快递", "mail"), ("邮件", "email"), ("电子邮箱", "email"), ("网上", "online"),
])
_STAGE_INDEX = _index([*((c, c) for c in STAGE_LABELS), *((label, c) for c, label in STAGE_LABELS.items()),
                       ("办结", "closed"), ("已答复", "closed"), ("完成", "closed"), ("在办", "drafting"),
                       ("办理中", "drafting"), ("未办结", "drafting")])


def _lookup(text: Any, index: Mapping[str, str], extra: Mapping[str, str] | None) -> str | None:
    key = word_key(text)
    if extra:
        for word, code in extra.items():
            if word_key(word) == key:
                return code
    return index.get(key)


def outcome_code(text: Any, extra: Mapping[str, str] | None = None) -> str:
    """One of the 21 outcome codes for a cell ("部分公开", "不予公开·国家秘密", "属于国家秘密", "disclosed")."""
    original = str(text).strip()
    code = _lookup(original, _OUTCOME_INDEX, extra)
    if code is None:
        code = _OUTCOME_INDEX.get(word_key(re.sub(r"^不予公开|^无法提供|^不予处理|^其他处理", "", original)))
        if code is not None and not _same_family(original, code):
            code = None
    if code is not None:
        if code not in OUTCOMES:
            raise CellError(f"映射文件把“{original}”对应为“{code}”，不是办理结果代码")
        return code
    hint = AMBIGUOUS_OUTCOMES.get(word_key(original))
    if hint:
        raise CellError(f"办理结果“{original}”不够具体：{hint}")
    raise CellError(
        f"无法识别的办理结果“{original}”：请用年报的21种情形之一（如 予以公开、部分公开、不予公开·国家秘密、"
        "无法提供·本机关不掌握、不予处理·重复申请、其他·逾期不补正），或在映射文件 [outcomes] 中说明"
    )


def _same_family(original: str, code: str) -> bool:
    """"不予公开·X" may only resolve to a withheld_ code (and so on), never across families."""
    families = {"不予公开": "withheld_", "无法提供": "unavailable_", "不予处理": "not_processed_", "其他处理": "other_"}
    for word, prefix in families.items():
        if unicodedata.normalize("NFKC", original).startswith(word):
            return code.startswith(prefix)
    return True


def applicant_type_code(text: Any, extra: Mapping[str, str] | None = None) -> str:
    code = _lookup(text, _APPLICANT_TYPE_INDEX, extra)
    if code is None or code not in APPLICANT_TYPE_LABELS:
        raise CellError(f"无法识别的申请人类型“{str(text).strip()}”，可用："
                        + "、".join(APPLICANT_TYPE_LABELS.values()))
    return code


def channel_code(text: Any, extra: Mapping[str, str] | None = None) -> str:
    code = _lookup(text, _CHANNEL_INDEX, extra)
    if code is None or code not in CHANNEL_LABELS:
        raise CellError(f"无法识别的申请渠道“{str(text).strip()}”，可用：" + "、".join(CHANNEL_LABELS.values()))
    return code


def delivery_code(text: Any, extra: Mapping[str, str] | None = None) -> str:
    code = _lookup(text, _DELIVERY_INDEX, extra)
    if code is None or code not in DELIVERY_METHOD_LABELS:
        raise CellError(f"无法识别的获取方式“{str(text).strip()}”，可用：" + "、".join(DELIVERY_METHOD_LABELS.values()))
    return code


def stage_code(text: Any) -> str | None:
    """The stage a cell names, or None for words we do not know (the stage is informative on import)."""
    return _STAGE_INDEX.get(word_key(text))


# Applicant type guessed from a name when the register has no type column: suffixes of organisations' names.
TYPE_BY_NAME_SUFFIX: tuple[tuple[str, str], ...] = (
    ("律师事务所", "legal_service"),
    ("法律服务所", "legal_service"),
    ("研究院", "research"), ("研究所", "research"), ("大学", "research"), ("学院", "research"),
    ("基金会", "nonprofit"), ("协会", "nonprofit"), ("促进会", "nonprofit"), ("公益", "nonprofit"),
    ("有限公司", "business"), ("有限责任公司", "business"), ("公司", "business"), ("集团", "business"),
    ("厂", "business"), ("合作社", "business"), ("商行", "business"), ("企业", "business"),
    ("委员会", "other_org"), ("中心", "other_org"), ("村民委员会", "other_org"), ("居委会", "other_org"),
)


def guess_applicant_type(name: str) -> str:
    n = name.strip()
    for suffix, code in TYPE_BY_NAME_SUFFIX:
        if n.endswith(suffix):
            return code
    return "natural_person"


# ---------------------------------------------------------------------------------------------------------------
# Cells: text, dates, numbers, yes/no


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any) -> str:
    """A cell as text for a text field (numbers without a spurious .0; dates in ISO form)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def doc_number_text(value: Any) -> str:
    """A 文号 cell as written; "无", "-", "/" … (a register's way of saying there is none) are blank."""
    text = cell_text(value)
    return "" if text in _NONE_WORDS else text


EXCEL_EPOCH = date(1899, 12, 30)  # Excel's 1900 date system, counting its phantom 1900-02-29
_SERIAL_MIN, _SERIAL_MAX = 2, 2958465  # 1900-01-01 … 9999-12-31
_TIME_TAIL = re.compile(r"[\sT]+\d{1,2}[:：]\d{1,2}([:：]\d{1,2}(\.\d+)?)?$")


def excel_serial_date(serial: float) -> date:
    if not (math.isfinite(serial) and _SERIAL_MIN <= serial < _SERIAL_MAX + 1):
        shown = f"{serial:g}" if isinstance(serial, float) else str(serial)
        raise CellError(f"数字 {shown} 不是 Excel 日期序号（日期列中的数字应在 {_SERIAL_MIN} 至 {_SERIAL_MAX} 之间）")
    return EXCEL_EPOCH + timedelta(days=int(serial))


def cell_date(value: Any, label: str) -> date:
    """A date cell as registers hold them: a date or datetime cell, an Excel serial number (a date column
    formatted as a number), or text — 2025-03-03, 2025/3/3, 2025.3.3, 2025年3月3日, 20250303, with or without
    a time of day."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise CellError(f"{label}“{value}”不是日期")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise CellError(f"{label}“{value}”不是日期")
        if 10_000_000 <= value <= 99_991_231 and float(value).is_integer():  # 20250303 typed as a number
            return _parse_text_date(str(int(value)), label)
        return excel_serial_date(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if re.fullmatch(r"\d{4,5}(\.\d+)?", text):
        return excel_serial_date(float(text))
    return _parse_text_date(_TIME_TAIL.sub("", text), label)


def _parse_text_date(text: str, label: str) -> date:
    try:
        return v.parse_date(text, label)
    except v.ValidationError as exc:
        raise CellError(exc.message) from exc


def cell_int(value: Any, label: str, *, low: int = 0, high: int = 100_000) -> int:
    if isinstance(value, bool):
        raise CellError(f"{label}“{value}”不是整数")
    if isinstance(value, float) and not math.isfinite(value):
        raise CellError(f"{label}“{value}”不是整数")
    if isinstance(value, (int, float)) and float(value).is_integer():
        n = int(value)
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        text = re.sub(r"(个)?(工作日|天|日|件|项)$", "", text).strip()
        if not re.fullmatch(r"-?\d+", text):
            raise CellError(f"{label}“{str(value).strip()}”不是整数")
        n = int(text)
    if not low <= n <= high:
        shown = str(n) if abs(n) < 10**12 else f"{n:.3g}"
        raise CellError(f"{label} {shown} 超出范围（{low}–{high}）")
    return n


_YES = {"是", "逾期", "已逾期", "超期", "y", "yes", "true", "1", "√", "✓"}
_NO = {"否", "未逾期", "按期", "未超期", "正常", "n", "no", "false", "0", "×", "无", "按时"}


def cell_yes_no(value: Any, label: str) -> bool:
    key = header_key(value)
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise CellError(f"{label}“{cell_text(value)}”应为“是”或“否”")


def mask_name(name: str, applicant_type: str) -> str:
    """A natural person's name in a masked export: the surname and one * per other character (张三 → 张*).
    Organisations' names are not personal data and stay whole."""
    if applicant_type != "natural_person" or len(name) < 2:
        return name
    return name[0] + "*" * (len(name) - 1)


# ---------------------------------------------------------------------------------------------------------------
# 复议/诉讼: the proceedings of a case in one cell, written so an import reads them back (table 四)


@dataclass(frozen=True)
class RemedyCell:
    kind: str
    filed_on: date
    result: str
    decided_on: date | None = None


REMEDY_KIND_WORDS: dict[str, str] = {
    "reconsideration": "行政复议",
    "litigation_direct": "直接起诉",
    "litigation_after_reconsideration": "复议后起诉",
}
REMEDY_RESULT_WORDS: dict[str, str] = {r: label for r, label in REMEDY_RESULTS.items()}
# Result words found in registers, most specific first (驳回诉讼请求 is counted as 维持 in table 四).
_RESULT_HINTS: tuple[tuple[str, str], ...] = (
    ("尚未审结", "pending"), ("未审结", "pending"), ("审理中", "pending"), ("待审", "pending"), ("在审", "pending"),
    ("维持", "upheld"), ("驳回", "upheld"),
    ("纠正", "corrected"), ("撤销", "corrected"), ("确认违法", "corrected"), ("责令", "corrected"),
    ("变更", "corrected"),
    ("其他", "other"), ("终止", "other"), ("撤回", "other"), ("撤诉", "other"), ("调解", "other"),
)
_DATE_IN_TEXT = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?")
_NONE_WORDS = {"无", "否", "没有", "未", "-", "—", "/"}


def format_remedies(items: Iterable[RemedyCell]) -> str:
    """行政复议 2025-05-06 结果维持 2025-07-01；复议后起诉 2025-08-01 尚未审结"""
    parts = []
    for r in items:
        text = f"{REMEDY_KIND_WORDS[r.kind]} {r.filed_on.isoformat()} {REMEDY_RESULT_WORDS[r.result]}"
        if r.decided_on is not None and r.result != "pending":
            text += f" {r.decided_on.isoformat()}"
        parts.append(text)
    return "；".join(parts)


def parse_remedies(value: Any) -> list[RemedyCell]:
    """The proceedings written in a 复议/诉讼 cell; "无", "否" or blank for none.

    Each proceeding (separated by ；or a line break): the kind (行政复议; 直接起诉 / 未经复议直接起诉; 复议后起诉;
    plain 行政诉讼 or 起诉 counts as direct, or as after reconsideration when the same cell also has a 行政复议),
    the date filed (required: table 四 counts proceedings by the year they were filed), the result (结果维持 /
    维持 / 驳回 → upheld, 纠正 / 撤销 / 确认违法 → corrected, 其他 / 终止 / 撤回 → other, none or 尚未审结 → pending)
    and, optionally, the date decided."""
    text = unicodedata.normalize("NFKC", cell_text(value)).strip()
    if not text or text in _NONE_WORDS:
        return []
    pieces = [p.strip() for p in re.split(r"[;；\n]+", text) if p.strip()]
    has_reconsideration = any("复议" in p and "复议后" not in p and "经复议" not in p and "诉" not in p for p in pieces)
    out = []
    for piece in pieces:
        if "复议后" in piece or "经复议" in piece:
            kind = "litigation_after_reconsideration"
        elif "直接起诉" in piece or "未经复议" in piece:
            kind = "litigation_direct"
        elif "诉" in piece:
            kind = "litigation_after_reconsideration" if has_reconsideration else "litigation_direct"
        elif "复议" in piece:
            kind = "reconsideration"
        else:
            raise CellError(f"复议/诉讼“{piece}”：未写明是行政复议还是行政诉讼（如“行政复议 2025-05-06 结果维持”）")
        dates = []
        for m in _DATE_IN_TEXT.finditer(piece):
            dates.append(cell_date(re.sub(r"\s", "", m.group(0)), "复议/诉讼日期"))
        if not dates:
            raise CellError(f"复议/诉讼“{piece}”缺少申请（起诉）日期：年报表四按申请日期所在年度统计")
        result = "pending"
        rest = _DATE_IN_TEXT.sub(" ", piece)
        for word, code in _RESULT_HINTS:
            if word in rest:
                result = code
                break
        decided = dates[1] if len(dates) > 1 and result != "pending" else None
        if decided is not None and decided < dates[0]:
            raise CellError(f"复议/诉讼“{piece}”：审结日期早于申请日期")
        out.append(RemedyCell(kind, dates[0], result, decided))
    return out


# ---------------------------------------------------------------------------------------------------------------
# 收费: the fee notices of a case in one cell (section 六 of the annual report)


@dataclass(frozen=True)
class FeeCell:
    method: str  # per_request | per_page
    quantity: int
    amount: int
    noticed_on: date
    paid_on: date | None = None
    paid_amount: int = 0
    lapsed: bool = False


FEE_METHOD_WORDS = {"per_request": "按件", "per_page": "按量"}
_FEE_RE = re.compile(
    r"^(?P<noticed>\S+?)\s*(?P<method>按件|按量|按页)\s*(?:[×xX*]\s*(?P<qty>\d+))?\s*(?P<amount>\d+)\s*元"
    r"\s*(?:(?P<paid>已缴)\s*(?P<paid_on>\S+?)\s*(?P<paid_amount>\d+)\s*元|(?P<lapsed>逾期未缴)|(?P<pending>待缴))?$"
)


def format_fees(items: Iterable[FeeCell]) -> str:
    """2025-03-10 按件×1 100元 已缴 2025-03-15 100元；2025-06-02 按量×120 30元 逾期未缴"""
    parts = []
    for f in items:
        text = f"{f.noticed_on.isoformat()} {FEE_METHOD_WORDS[f.method]}×{f.quantity} {f.amount}元"
        if f.paid_on is not None:
            text += f" 已缴 {f.paid_on.isoformat()} {f.paid_amount}元"
        elif f.lapsed:
            text += " 逾期未缴"
        else:
            text += " 待缴"
        parts.append(text)
    return "；".join(parts)


def parse_fees(value: Any) -> list[FeeCell]:
    text = unicodedata.normalize("NFKC", cell_text(value)).strip()
    if not text or text in _NONE_WORDS or text in ("未收费", "不收费", "0"):
        return []
    out = []
    for piece in (p.strip() for p in re.split(r"[;；\n]+", text) if p.strip()):
        m = _FEE_RE.match(piece)
        if not m:
            raise CellError(
                f"收费“{piece}”无法识别：应写成“通知日期 按件×件数 金额元 已缴 缴费日期 金额元”"
                "（或以“逾期未缴”“待缴”结尾），如“2025-03-10 按件×1 100元 已缴 2025-03-15 100元”"
            )
        noticed = cell_date(m.group("noticed"), "收费通知日期")
        paid_on = cell_date(m.group("paid_on"), "缴费日期") if m.group("paid") else None
        if paid_on is not None and paid_on < noticed:
            raise CellError(f"收费“{piece}”：缴费日期早于收费通知日期")
        out.append(FeeCell(
            method="per_page" if m.group("method") in ("按量", "按页") else "per_request",
            quantity=int(m.group("qty") or 1),
            amount=int(m.group("amount")),
            noticed_on=noticed,
            paid_on=paid_on,
            paid_amount=int(m.group("paid_amount") or 0),
            lapsed=bool(m.group("lapsed")),
        ))
    return out


# ---------------------------------------------------------------------------------------------------------------
# 重新答复: the rounds after a reopen (re-replies), so the first conclusion stays the counted one


@dataclass(frozen=True)
class RoundCell:
    reopened_on: date
    reason: str = ""
    concluded_on: date | None = None
    outcome: str | None = None
    reply_number: str = ""  # the 文号 of the reply that concluded the round ("" when none is known)


_DATE_TEXT = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
_ROUND_SPLIT = re.compile(rf"[;；\n]+(?=\s*{_DATE_TEXT}\s*重新打开)")
# A concluded round. The reason is greedy, so it ends at the last "）<date> 办结" of the round: a reason may hold
# brackets (and even those words), and whatever follows 办结 (the outcome, the reply's 文号 with its own brackets)
# is read by _OUTCOME_NUMBER_RE.
_ROUND_CONCLUDED_RE = re.compile(
    r"^(?P<reopened>\S+?)\s*重新打开\s*(?:[（(](?P<reason>.*)[）)])?"
    rf"\s*[，,]?\s*(?P<concluded>{_DATE_TEXT})\s*办结\s*(?P<rest>.+)$",
    re.DOTALL,
)
_ROUND_OPEN_RE = re.compile(r"^(?P<reopened>\S+?)\s*重新打开\s*(?:[（(](?P<reason>.*)[）)])?$", re.DOTALL)
# After 办结: the outcome, then optionally the reply's number after the word 文号 —
# 予以公开（文号：某政依复〔2025〕12号）, also 予以公开 文号：… or 予以公开，文号… typed by hand. The number runs to
# the closing bracket that ends the round, so a number may hold brackets: 予以公开（文号：某政依复（2025）12号）.
_OUTCOME_NUMBER_RE = re.compile(
    r"^(?P<outcome>.*?)\s*(?:[（(]\s*文号\s*[:：]?\s*(?P<bracketed>.*?)\s*[）)]"
    r"|[，,、]?\s*文号\s*[:：]?\s*(?P<plain>.*?))\s*$",
    re.DOTALL,
)
ROUND_FORM = ("应写成“重新打开日期 重新打开（原因） 办结日期 办结 办理结果（文号：答复书文号）”，"
              "如“2025-01-20 重新打开（复议决定责令重新答复） 2025-02-10 办结 予以公开（文号：某政依复〔2025〕12号）”；"
              "没有文号的省去“（文号：…）”，最后一轮未办结的写到“重新打开（原因）”为止")


def format_rounds(items: Iterable[RoundCell]) -> str:
    """2025-01-20 重新打开（复议决定责令重新答复） 2025-02-10 办结 予以公开（文号：某政依复〔2025〕12号）；
    2025-03-03 重新打开（诉讼判决）"""
    parts = []
    for r in items:
        text = f"{r.reopened_on.isoformat()} 重新打开"
        if r.reason:
            text += f"（{r.reason}）"
        if r.concluded_on is not None and r.outcome:
            text += f" {r.concluded_on.isoformat()} 办结 {OUTCOME_SHORT_LABELS.get(r.outcome, r.outcome)}"
            if r.reply_number:
                text += f"（文号：{r.reply_number}）"
        parts.append(text)
    return "；".join(parts)


def parse_rounds(value: Any, outcomes: Mapping[str, str] | None = None) -> list[RoundCell]:
    """The rounds written in a 重新答复 cell (see `format_rounds`); blank or "无" for none. A concluded round may
    name its reply's 文号 (cells written before the number was exported have none and still read). Every round
    but the last must be concluded, and each starts no earlier than the one before it ended."""
    text = cell_text(value).strip()  # not NFKC-folded: the reason and the number are kept as written
    if not text or text in _NONE_WORDS:
        return []
    out: list[RoundCell] = []
    for piece in (p.strip() for p in _ROUND_SPLIT.split(text) if p.strip()):
        m = _ROUND_CONCLUDED_RE.match(piece) or _ROUND_OPEN_RE.match(piece)
        if not m:
            raise CellError(f"重新答复“{piece}”无法识别：{ROUND_FORM}")
        reopened = cell_date(m.group("reopened"), "重新打开日期")
        concluded: date | None = None
        outcome: str | None = None
        number = ""
        if "concluded" in m.re.groupindex:
            concluded = cell_date(re.sub(r"\s", "", m.group("concluded")), "重新答复办结日期")
            outcome, number = _round_outcome(piece, m.group("rest"), outcomes)
        if concluded is not None and concluded < reopened:
            raise CellError(f"重新答复“{piece}”：办结日期早于重新打开日期")
        if out and (out[-1].concluded_on is None or reopened < out[-1].concluded_on):
            raise CellError(f"重新答复“{piece}”：上一轮尚未办结或晚于本轮重新打开日期")
        out.append(RoundCell(reopened, (m.group("reason") or "").strip(), concluded, outcome, number))
    return out


def _round_outcome(piece: str, rest: str, outcomes: Mapping[str, str] | None) -> tuple[str, str]:
    """The outcome and the reply's 文号 written after 办结."""
    m = _OUTCOME_NUMBER_RE.match(rest.strip())
    if m is None:
        word, number = rest.strip(), ""
    else:
        word = m.group("outcome").strip()
        number = (m.group("bracketed") if m.group("bracketed") is not None else m.group("plain") or "").strip()
        if not number:
            raise CellError(f"重新答复“{piece}”：“文号”之后没有写文号；{ROUND_FORM}")
    if not word:
        raise CellError(f"重新答复“{piece}”缺少办理结果：{ROUND_FORM}")
    try:
        return outcome_code(word, outcomes), number
    except CellError as exc:
        if m is None and re.search(r"[（(].*[）)]", word):
            # 予以公开（某政依复〔2025〕12号）: a number in brackets without the word that marks it
            raise CellError(f"重新答复“{piece}”：办理结果“{word}”无法识别；括号中的答复书文号前请写“文号：”，"
                            f"如“予以公开（文号：某政依复〔2025〕12号）”") from exc
        raise


def remedy_kind_label(kind: str) -> str:
    return REMEDY_KINDS.get(kind, kind)
