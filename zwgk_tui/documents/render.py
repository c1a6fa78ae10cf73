"""Fill a .docx template (docxtpl) from a DocumentInput.

docxtpl's defaults are overridden (spec 05): autoescape on (so "A & B" and "<代理>" survive), StrictUndefined
(a misspelt variable is an error naming it), and every template is checked against DOCUMENTED_VARIABLES before
use. Data is passed to Jinja once as values, so "{{ 7*7 }}" typed by an applicant is printed, not evaluated.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import io
import os
import re
import tempfile
import threading
import zipfile
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError, meta

from ..domain.cn_format import _yuan_in_capitals, cn_date, cn_yuan
from ..domain.codes import (
    APPLICANT_TYPE_LONG_LABELS,
    CHANNEL_LABELS,
    DELIVERY_METHOD_LABELS,
    OUTCOME_SHORT_LABELS,
    OUTCOMES,
    outcome_family,
)
from ..domain.grounds import GROUND_OF_OUTCOME, GROUNDS, Ground
from ..domain.remedy import (
    ELECTRONIC_SERVICE,
    RemedyError,
    RemedySettings,
    effective_rule,
    online_hint,
    parse_overrides,
    remedy_subject,
    remedy_text,
    setting_hint,
)
from .kinds import (
    ARTICLE_CONSULTATION,
    ARTICLE_REFUSAL,
    ARTICLES_ALREADY_PUBLISHED,
    ARTICLES_DISCLOSED_OVER_OBJECTION,
    ARTICLES_NOT_THIS_AGENCY,
    ARTICLES_THIRD_PARTY_CONSULTED,
    CORRECTION_GROUNDS,
    DEFAULT_ARTICLES,
    DOCUMENT_KINDS,
    FEE_METHOD_LABELS,
    GROUND_NOT_THIS_AGENCY,
    KINDS,
    OUTCOME_GROUNDS,
    OUTCOMES_NEEDING_REASON,
    REGULATION,
    REVIEW_STEP_LABELS,
    SERVICE_METHOD_LABELS,
    THIRD_PARTY_VIEW_LABELS,
    DocumentKind,
    resolve_kind,
)
from .layout import DATE_STYLE, SIGNATURE_STYLE, fit_one_page
from .model import DocumentInput, SearchRecord


class DocumentError(ValueError):
    """A document cannot be produced; the message (Chinese) says why and what to do."""


# Name -> description, for agencies editing templates in Word/WPS. docs/templates.md lists the same (a test
# keeps them in sync). Dates are already written 2025年3月3日; an unset value is "" (so `{% if x %}` works).
DOCUMENTED_VARIABLES: dict[str, str] = {
    # document
    "kind": "文书种类代码（如 reply、correction_notice）",
    "title": "文书默认标题（如“政府信息公开申请答复书”）",
    "full_title": "文书标题：本机关全称＋文书名称（如“某县自然资源局政府信息公开申请答复书”），过长时在机关名称后分行",
    "draft": "是否为草稿：是/否（草稿页眉标“草稿”，不印文号）",
    "letterhead": "是否印发文机关标志（红色机关名称和红色分隔线）：是/否（机关设置 --letterhead on|off）",
    "doc_number": "本文书的文号（如“某县住建依公开〔2025〕3号”）；草稿、回执和内部表格为空",
    "issued_on": "成文日期（2025年3月3日格式）；日期未定的草稿为“　　年　月　日”",
    # agency
    "agency_name": "本机关全称（署名）",
    "agency_address": "本机关通信地址",
    "agency_postcode": "本机关邮政编码",
    "agency_phone": "本机关联系电话",
    "agency_contact": "本机关联系人",
    "agency_email": "本机关电子邮箱",
    "agency_contact_line": "附注中的联系方式：“联系人：某某；联系电话：某某”（只列已设置的项）",
    "reconsideration_body": "行政复议机关全称（机关设置）",
    "court": "管辖的人民法院全称（机关设置）",
    # applicant
    "applicant_name": "申请人姓名或者名称",
    "applicant_type": "申请人类型（如“自然人”“法人或其他组织·商业企业”）",
    "applicant_id_number": "申请人身份证件号码或者统一社会信用代码",
    "applicant_phone": "申请人联系电话",
    "applicant_email": "申请人电子邮箱",
    "applicant_address": "申请人通信地址",
    "applicant_postcode": "申请人邮政编码",
    "applicant_agent": "委托代理人",
    "you": "对申请人的称呼：自然人为“您”，法人或者其他组织为“贵单位”",
    # case
    "case_number": "登记编号",
    "received_on": "收到申请之日（第三十一条）",
    "corrected_on": "收到补正后申请之日；未补正为空",
    "channel": "申请方式（如“当面提交”“互联网”）",
    "content": "申请公开的内容（按登记原文）",
    "clarified_content": "补正后的申请内容；未补正为空（有值时答复引用补正后的内容）",
    "form_requested": "申请人要求的信息形式",
    "delivery": "获取信息的方式（如“邮寄”“电子邮件”）",
    "service_method": "本文书的送达方式（如“邮寄送达”“电子邮件送达”）；未定为空",
    "served_document_title": "送达回证：所送达文书的名称（如“某县住房和城乡建设局政府信息公开申请答复书”）",
    "served_document_number": "送达回证：所送达文书的文号",
    "served_document_date": "送达回证：所送达文书的成文日期",
    "served_by": "送达回证：送达人（登记用户的姓名）；未登记为空，由送达人手写",
    "due_date": "答复期限（法定期限届满日）",
    "drafter": "承办人",
    # decision
    "outcome": "处理结果代码（如 withheld_third_party）",
    "outcome_label": "处理结果简称（如“不予公开·第三方权益”）",
    "ground": (
        "处理结果对应的法定情形表述，接在“您申请公开的政府信息”之后；只有一项不予公开依据时含其证据"
        "（如密级和保密期限、信息类别）"
    ),
    "reason": "承办人填写的理由（以句号结尾）",
    "articles": "依据的条款；承办人未填写时按处理结果和不予公开的依据给出默认条款",
    "already_published": "予以公开的信息是否已经主动公开（第三十六条第（一）项）：是/否",
    "published_where": "已主动公开的途径（如“某县人民政府门户网站政府信息公开专栏”）",
    "published_on": "主动公开的日期；未记录为空",
    "provided_part": "部分公开时予以公开的部分",
    "withheld_part": "部分公开时不予公开的部分（旧记录的文字说明；新记录见 withheld）",
    "withheld": (
        "不予公开的各部分（列表），每项有 number（“（一）”）、part（部分）、ground（依据代码）、citation（条款）、"
        "statement（法定情形）、detail（证据：密级和保密期限、信息类别等）、evidence（证据的表述）、"
        "verdict（“不予公开”等）、sentence（含条款的完整一句）"
    ),
    "searches": "检索记录（列表），每项有 scope（范围）、terms（检索词）、by（检索人）、on（日期）、sentence（一句话）",
    "search_statement": "检索情况的完整表述（“本机关对您申请公开的政府信息进行了检索：……。”）；无检索记录为空",
    "not_this_agency": "是否不属于本机关负责公开（第三十六条第（五）项）：是/否",
    "responsible_agency": "负责公开该信息的行政机关名称（第三十六条第（五）项）",
    "responsible_contact": "负责公开该信息的行政机关联系方式",
    "responsible_unknown_reason": "负责公开的行政机关无法确定时的原因",
    "public_interest": "第三方不同意公开而决定公开时的公共利益理由（第十五条、第三十二条）",
    "earlier_reply_number": "重复申请：此前答复的文号",
    "earlier_reply_date": "重复申请：此前答复的日期",
    "earlier_case_number": "重复申请：此前申请的登记编号",
    "explanation_requested_on": "要求申请人说明理由之日（第三十五条）；未要求为空",
    "explanation_answer": "申请人说明的理由",
    "explanation_lapsed": "申请人是否逾期未说明理由：是/否",
    "explanation_days": "说明理由的期限（工作日数，自收到告知书之日起）；0为未规定",
    "provision_method": "提供信息的方式（第四十条），一个完整分句，如“现以邮寄纸质复印件的方式向您提供”",
    "remedy_clause": (
        "救济途径告知（按机关设置和处理结果生成；不需要救济告知的文书为空；以电子方式送达的，含网上申请"
        "行政复议的渠道）"
    ),
    "remedy_basis": "救济途径告知方式的依据（审核呈批单用）",
    "evidence": (
        "证据摘要：已主动公开、不予公开的依据、检索、负责机关、第三方意见、公共利益、此前答复、说明理由（每项一段）"
    ),
    # correction, extension, delay
    "correction_items": "需要补正的事项",
    "correction_reason": "补正的原因，接在“您的申请”之后（如“未提供申请人的身份证明”）；未记录欠缺内容时为“需要补正”",
    "correction_articles": (
        "补正告知依据的条款（按欠缺的内容，如“《中华人民共和国政府信息公开条例》第二十九条第二款第（一）项、第三十条”）"
    ),
    "correct_by": "补正期限的最后一日（送达日期已知时；说明理由告知书中为说明理由的期限）；未知为空",
    "correction_days": "补正期限（工作日数，自收到告知书之日起）；0为未规定",
    "extended_due": "延长后的答复期限",
    "extension_days": "延长的工作日数",
    "extension_reason": "延期理由",
    "delay_until": "第三十五条确定的延迟答复期限",
    "delay_reason": "延迟答复的理由",
    # consultation
    "consult_to": "被征求意见的第三方或者共同制作机关名称",
    "consult_you": "对第三方的称呼：单位为“贵单位”，个人为“您”",
    "consult_sent_on": "发出征求意见书之日",
    "consult_due": "提出意见的期限（送达日期已知时为第15个工作日）；未知为空",
    "consult_days": "提出意见的工作日数（15）",
    "third_party_view": "第三方的意见：“同意公开”“不同意公开”或者“未在规定期限内提出意见”",
    "third_party_opinion": "第三方意见的具体内容",
    # fee
    "fee_method": "收费方式（“按件计收”或者“按量计收”）",
    "fee_method_code": "收费方式代码（per_request 或者 per_page）",
    "fee_unit": "计费单位（“件”或者“页”）",
    "fee_quantity": "计费数量",
    "fee_amount": "收费金额（如“3,000元”）",
    "fee_amount_capitals": "收费金额大写（如“叁仟元整”）",
    "fee_breakdown": "分档计算明细（列表，每项一行文字）",
    "fee_payment_due": "缴费期限的最后一日（送达日期已知时）；未知为空",
    "fee_payment_days": "缴费期限的工作日数（20）",
    "fee_payment_route": "缴纳方式（账户、缴款码或者地点）",
    # review
    "reviews": (
        "审核记录列表，每项有 step（环节代码）、step_label（环节名称）、by（审核人）、on（日期）、opinion（意见）"
    ),
    "review_steps": (
        "按环节汇总的审核意见：office_review（政府办审核）、legal_review（法制审核）、sign_off（负责人签发），"
        "每项有 opinion、by、on；尚未审核的为空"
    ),
}

_ENV = Environment(autoescape=True, undefined=StrictUndefined)

# XML 1.0 forbids most C0 controls; docxtpl also reads \a and \f in values as paragraph/page breaks.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SENTENCE_END = "。！？"
_CLAUSE_TRAIL = "。；;，,、 \t\n"

_check_cache: dict[tuple[str, int, int], tuple[str, ...]] = {}
_bytes_cache: dict[tuple[str, int, int], bytes] = {}
_cache_lock = threading.Lock()


# --- templates -------------------------------------------------------------------------------------------


def default_template_dir() -> Path:
    """The packaged default templates: inside an installed wheel (zwgk_tui/_data/templates/docx, force-included
    by pyproject) or, from a checkout, the repository's templates/docx."""
    package_root = Path(__file__).resolve().parent.parent
    candidates = (
        package_root / "_data" / "templates" / "docx",
        package_root.parent / "templates" / "docx",
    )
    for candidate in candidates:
        if candidate.is_dir() and any(candidate.glob("*.docx")):
            return candidate
    raise DocumentError(
        "找不到默认文书模板（templates/docx）。安装包可能不完整，请重新安装；从源码运行时请先执行 "
        "python tools/build_templates.py。"
    )


def _kind_entry(kind: str, outcome: str | None) -> DocumentKind:
    if kind.startswith("reply_") and kind in KINDS:
        # A reply template named directly (as the service stores it) must match the decision.
        expected = f"reply_{outcome_family(outcome)}" if outcome in OUTCOMES else None
        if outcome is None:
            kind = "reply"  # reported below as a reply without a decision
        elif expected != kind:
            raise DocumentError(
                f"答复模板 {kind} 与处理结果“{OUTCOME_SHORT_LABELS.get(outcome, outcome)}”不符，"
                f"应使用 {expected or '（未知的处理结果）'}。"
            )
    try:
        return resolve_kind(kind, outcome)
    except KeyError:
        raise DocumentError(f"未知的文书种类：{kind}。可用的种类：{'、'.join(DOCUMENT_KINDS)}") from None
    except ValueError:
        if outcome is None:
            raise DocumentError(
                "该申请尚未作出处理决定，不能生成答复书。请先记录处理结果（decide）。"
            ) from None
        raise DocumentError(f"未知的处理结果代码：{outcome}") from None


def template_path(kind: str, outcome: str | None, override_dir: Path | None = None) -> Path:
    """The template for a kind: the agency's override folder first (same file names), else the default."""
    entry = _kind_entry(kind, outcome)
    if override_dir is not None:
        override_dir = Path(override_dir)
        if not override_dir.is_dir():
            raise DocumentError(f"本机关的模板目录不存在：{override_dir}。请检查机关设置中的模板目录。")
        candidate = override_dir / entry.template
        if candidate.is_file():
            return candidate
    path = default_template_dir() / entry.template
    if not path.is_file():
        raise DocumentError(f"找不到默认模板文件：{path}")
    return path


def _file_key(path: Path) -> tuple[str, int, int]:
    try:
        st = path.stat()
    except OSError as exc:
        raise DocumentError(f"无法读取模板文件：{path}（{exc.strerror}）") from None
    return (str(path.resolve()), st.st_mtime_ns, st.st_size)


def _template_source(path: Path) -> str:
    """The Jinja source docxtpl renders from a template (body, headers, footers), one paragraph per line."""
    tpl = DocxTemplate(path)
    tpl.init_docx()
    parts = [tpl.get_xml()]
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        parts.extend(tpl.get_part_xml(part) for _, part in tpl.get_headers_footers(uri))
    return "".join(re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(xml)) for xml in parts)


def _syntax_problem(source: str, exc: TemplateSyntaxError) -> str:
    """A syntax error for people: what is wrong and the visible text of the paragraph where it is (or, for
    an unclosed block, the last paragraph that opens it)."""
    message = exc.message or ""
    lines = source.splitlines()
    line = ""
    unclosed = re.search(r"innermost block that needs to be closed is '(\w+)'", message)
    if unclosed:
        name = unclosed.group(1)
        message = f"“{{% {name} %}}”没有对应的“{{% end{name} %}}”"
        opening = re.compile(r"{%-?\s*(?:p\s+|tr\s+|tc\s+|r\s+)?" + name + r"\b")
        line = next((candidate for candidate in reversed(lines) if opening.search(candidate)), "")
    elif exc.lineno and 0 < exc.lineno <= len(lines):
        line = lines[exc.lineno - 1]
    where = re.sub(r"<[^>]+>", "", line).strip()[:80]
    return f"模板语法错误：{message}" + (f"（出错段落：“{where}”）" if where else "")


def check_template(path: Path) -> list[str]:
    """Problems with a template (empty list when fine): Jinja syntax errors and variables that are not in
    DOCUMENTED_VARIABLES. Cached per file path, modification time and size."""
    path = Path(path)
    key = _file_key(path)
    with _cache_lock:
        cached = _check_cache.get(key)
    if cached is not None:
        return list(cached)
    problems: list[str] = []
    variables: set[str] = set()
    try:
        source = _template_source(path)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        problems.append("不是有效的 Word 文档（.docx）")
    else:
        # Same analysis as docxtpl's get_undeclared_template_variables, on source that keeps line numbers.
        try:
            variables = meta.find_undeclared_variables(_ENV.parse(source))
        except TemplateSyntaxError as exc:
            problems.append(_syntax_problem(source, exc))
    for name in sorted(variables - DOCUMENTED_VARIABLES.keys()):
        guess = difflib.get_close_matches(name, DOCUMENTED_VARIABLES, n=1)
        hint = f"（是否应为 {guess[0]}？）" if guess else ""
        problems.append(f"未登记的变量：{name}{hint}")
    with _cache_lock:
        _remember(_check_cache, key, tuple(problems))
    return problems


def _remember(cache: dict[tuple[str, int, int], Any], key: tuple[str, int, int], value: Any) -> None:
    """Cache ``value`` for this version of the file, dropping older versions of the same file."""
    for stale in [k for k in cache if k[0] == key[0] and k != key]:
        del cache[stale]
    cache[key] = value


def _template_bytes(path: Path) -> bytes:
    key = _file_key(path)
    with _cache_lock:
        blob = _bytes_cache.get(key)
    if blob is None:
        blob = path.read_bytes()
        with _cache_lock:
            _remember(_bytes_cache, key, blob)
    return blob


# --- context ---------------------------------------------------------------------------------------------


def _text(value: str) -> str:
    """Free text as data: characters XML cannot carry removed; each line of a multi-line text becomes a
    paragraph of its own with the template paragraph's formatting (docxtpl's "\a"), so a list of correction
    items keeps its indents instead of becoming line breaks."""
    value = _CONTROL_CHARS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [line.strip() for line in value.split("\n")]
    return "\a".join(line for line in lines if line)


def _inline(value: str) -> str:
    """Free text that must stay inside its sentence (a title, a list item): lines joined, no paragraph breaks."""
    return _text(value).replace("\a", "，")


def _clause(value: str) -> str:
    """Text that the template continues after (…，{{ x }}。): trailing punctuation removed."""
    return _text(value).rstrip(_CLAUSE_TRAIL)


def _sentence(value: str) -> str:
    """Text the template places as whole sentences: ends with a full stop."""
    trimmed = _text(value).rstrip("，,、；;. ")
    if not trimmed:
        return ""
    if trimmed[-1] in _SENTENCE_END:
        return trimmed
    if trimmed[-1] in '”）)"' and len(trimmed) > 1 and trimmed[-2] in _SENTENCE_END:
        return trimmed
    return trimmed + "。"


def _label(code: str, labels: dict[str, str]) -> str:
    return labels.get(code, _text(code))


def _review_context(data: DocumentInput) -> tuple[list[dict[str, str]], dict[str, dict[str, str]]]:
    reviews = [
        {
            "step": r.step,
            "step_label": REVIEW_STEP_LABELS.get(r.step, _text(r.step)),
            "by": _text(r.by),
            "on": cn_date(r.on),
            "opinion": _text(r.opinion),
        }
        for r in sorted(data.reviews, key=lambda r: r.on)
    ]
    steps: dict[str, dict[str, str]] = {}
    for step in REVIEW_STEP_LABELS:
        entries = [r for r in reviews if r["step"] == step]
        if not entries:
            steps[step] = {"opinion": "", "by": "", "on": ""}
        elif len(entries) == 1:
            steps[step] = {k: entries[0][k] for k in ("opinion", "by", "on")}
        else:
            # A step passed more than once (returned, then approved): keep the whole trail, latest signer.
            trail = "\n".join(f"{e['opinion']}（{e['by']}，{e['on']}）" for e in entries)
            steps[step] = {"opinion": trail, "by": entries[-1]["by"], "on": entries[-1]["on"]}
    return reviews, steps


def _contact_line(data: DocumentInput) -> str:
    a = data.agency
    # The 附注 under the date stays short (GB/T 9704 7.3.6); letters that expect a written answer print the
    # address in their text.
    parts = [("联系人", a.contact), ("联系电话", a.phone)]
    return "；".join(f"{label}：{_text(value)}" for label, value in parts if _text(value))


def _published(data: DocumentInput) -> bool:
    return bool(data.already_published or data.published_where.strip())


def _provision_method(data: DocumentInput) -> str:
    if data.provision_method.strip():
        return _clause(data.provision_method)
    if data.outcome == "disclosed" and data.published_where.strip():
        # 36(一): the applicant is told where it was published; the delivery chosen at registration is moot.
        return ""
    delivery = _label(data.delivery, DELIVERY_METHOD_LABELS) if data.delivery else ""
    form = _clause(data.form_requested)
    if not delivery:
        return ""
    you = _you(data.applicant.type)
    if form:
        return f"现按照{you}申请时选择的{delivery}方式，以{form}形式向{you}提供该政府信息"
    return f"现按照{you}申请时选择的{delivery}方式向{you}提供该政府信息"


# --- addressing ------------------------------------------------------------------------------------------

# Words a name of an organisation ends with; a third party named otherwise is addressed as a person.
_ORGANISATION_ENDINGS = (
    "公司", "集团", "企业", "厂", "店", "行", "社", "所", "院", "校", "会", "中心", "站", "局", "委", "办",
    "处", "队", "部", "组", "馆", "场", "园", "室", "台", "团", "协会", "基金", "银行", "政府", "单位",
)


def _you(applicant_type: str) -> str:
    """How the letter addresses the applicant: "您" for a natural person, "贵单位" for an organisation."""
    return "贵单位" if applicant_type and applicant_type != "natural_person" else "您"


def _third_party_you(name: str, party_type: str = "") -> str:
    """The third party as the clerk recorded it (consult --to-type); the name's ending only when not recorded."""
    if party_type:
        return "您" if party_type == "natural_person" else "贵单位"
    name = name.strip().rstrip("）)")
    return "贵单位" if name.endswith(_ORGANISATION_ENDINGS) else "您"


def _correction_reason(data: DocumentInput) -> str:
    you = _you(data.applicant.type)
    reasons = [CORRECTION_GROUNDS[c][0].format(you=you) for c in dict.fromkeys(data.correction_missing)
               if c in CORRECTION_GROUNDS]
    return "，".join(reasons) if reasons else "需要补正"


def _correction_articles(data: DocumentInput) -> str:
    articles = [CORRECTION_GROUNDS[c][1] for c in data.correction_missing if c in CORRECTION_GROUNDS]
    return REGULATION + "、".join(dict.fromkeys([*articles, "第三十条"]))


def _width(text: str) -> float:
    """Width in body characters: ASCII is half a character wide."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


TITLE_CHARS_PER_LINE = 20  # 2号 (22 pt) characters on the 156 mm line


def _full_title(agency_name: str, title: str) -> str:
    """Agency name + the document's name, broken into lines where the meaning allows (GB/T 9704 7.3.3):
    after the agency name, before a parenthesis; a line break is "\n" (docxtpl writes w:br)."""
    head, paren, tail = title.partition("（")
    segments = [s for s in (_inline(agency_name), head, paren + tail) if s]
    lines: list[str] = []
    for segment in segments:
        if lines and _width(lines[-1] + segment) <= TITLE_CHARS_PER_LINE:
            lines[-1] += segment
        else:
            lines.append(segment)
    return "\n".join(lines)


# --- evidence --------------------------------------------------------------------------------------------

_ITEM_NUMBERS = "一二三四五六七八九十"


def _item_number(index: int) -> str:
    return f"（{_ITEM_NUMBERS[index]}）" if index < len(_ITEM_NUMBERS) else f"（{index + 1}）"


def _ground(code: str) -> Ground:
    ground = GROUNDS.get(code)
    if ground is None:
        raise DocumentError(f"未知的不予公开依据代码：{code}。可用：{'、'.join(GROUNDS)}")
    return ground


def _withheld_parts(data: DocumentInput) -> list[dict[str, str]]:
    parts = []
    numbered = len(data.withheld) > 1 or data.outcome == "partially_disclosed"
    for index, w in enumerate(data.withheld):
        ground = _ground(w.ground)
        part = _clause(w.part)
        citation = _clause(w.citation) or ground.citation
        statement = _clause(w.statement) or ground.statement
        detail = _clause(w.detail)
        evidence = ground.detail_format.format(detail=detail) if detail else ""
        number = _item_number(index) if numbered else ""
        lead = f"{number}{part}：" if part else number
        parts.append(
            {
                "number": number,
                "part": part,
                "ground": w.ground,
                "citation": citation,
                "statement": statement,
                "detail": detail,
                "evidence": evidence,
                "verdict": ground.verdict,
                "sentence": f"{lead}{statement}{evidence}。根据{citation}的规定，{ground.verdict}。",
            }
        )
    return parts


def _search_sentence(s: SearchRecord) -> str:
    scope = _clause(s.scope)
    where = scope if scope.endswith(("中", "内", "上")) else scope + "中"
    who = f"由{_inline(s.by)}" if _inline(s.by) else ""
    terms = f"以“{_inline(s.terms)}”为检索词" if _inline(s.terms) else ""
    when = cn_date(s.on)
    return f"{when}{who}在{where}{terms}进行检索"


def _searches(data: DocumentInput) -> list[dict[str, str]]:
    return [
        {
            "scope": _clause(s.scope),
            "terms": _inline(s.terms),
            "by": _inline(s.by),
            "on": cn_date(s.on),
            "sentence": _search_sentence(s),
        }
        for s in data.searches
    ]


_CITATION = re.compile(r"^(《[^》]+》)?(.*)$")


def _join_citations(citations: list[str]) -> str:
    """"《条例》第十四条" + "《条例》第三十六条第（三）项" -> "《条例》第十四条、第三十六条第（三）项"."""
    out: list[str] = []
    law = ""
    for citation in dict.fromkeys(c for c in citations if c):
        match = _CITATION.match(citation)
        name, rest = (match.group(1) or "", match.group(2)) if match else ("", citation)
        if name and name == law:
            out.append(rest)
        else:
            out.append(citation)
            law = name or law
    return "、".join(out)


def _objected(data: DocumentInput) -> bool:
    return data.third_party_view == "disagree"


def _needs_public_interest(data: DocumentInput) -> bool:
    """Disclosure although the third party objected (Art. 15, Art. 32): the reply states the public interest,
    unless a partial disclosure withholds the third party's part on that very ground."""
    if not _objected(data):
        return False
    if data.outcome == "disclosed":
        return True
    if data.outcome == "partially_disclosed":
        return not any(w.ground == "third_party" for w in data.withheld)
    return False


# While a draft is rendered, what would refuse the document is collected here instead (issue 10: a draft works
# at any stage; the problems are the draft's warnings and the missing parts show as 【待补：…】).
_draft_problems: ContextVar[list[str] | None] = ContextVar("_draft_problems", default=None)


def _require(condition: object, message: str) -> None:
    if condition:
        return
    sink = _draft_problems.get()
    if sink is None:
        raise DocumentError(message)
    sink.append(message)


def _to_complete(what: str) -> str:
    """A visible gap in a draft."""
    return f"【待补：{what}】"


def _check_evidence(data: DocumentInput, outcome: str) -> None:
    """The evidence spec 09 asks for, where the reply would otherwise assert what the record does not show."""
    for w in data.withheld:
        ground = _ground(w.ground)
        if ground.detail_label:
            _require(
                w.detail.strip(),
                f"不予公开的依据“{w.ground}”（{ground.citation}）须写明{ground.detail_label}"
                "（decide --secret-marking 或 --kind-of-info）。",
            )
        if outcome == "partially_disclosed":
            _require(w.part.strip(), "部分公开的答复须写明每一项不予公开的部分是什么（第三十七条）。")
    for s in data.searches:
        _require(s.scope.strip(), "检索记录须写明检索范围（--searched “范围|检索词|检索人|日期”）。")
    if _needs_public_interest(data):
        _require(
            data.public_interest.strip(),
            "第三方不同意公开而决定公开的，答复须说明公共利益理由（第十五条、第三十二条；decide --public-interest）。",
        )
    if outcome == "unavailable_not_held" and (data.not_this_agency or data.responsible_agency.strip()):
        if data.responsible_agency.strip():
            _require(
                data.responsible_contact.strip(),
                "第三十六条第（五）项：能够确定负责公开的机关的，须告知其名称和联系方式（--responsible-contact）。",
            )
        else:
            _require(
                data.responsible_unknown_reason.strip(),
                "第三十六条第（五）项：须写明负责公开该信息的机关及其联系方式；无法确定的，须说明原因。",
            )
    if outcome == "not_processed_duplicate":
        _require(
            data.earlier_reply_number.strip() and data.earlier_reply_date,
            "重复申请的告知须写明此前答复的文号和日期（decide --earlier 此前的案件编号）；"
            "没有已出具的答复，不能按重复申请处理。",
        )
    if outcome == "not_processed_excessive":
        _require(
            data.explanation_requested_on,
            "不予处理（大量反复申请）须先要求申请人说明理由（第三十五条；explanation-request 步骤），"
            "本案没有记录。",
        )
        _require(
            data.explanation_answer.strip() or data.explanation_lapsed,
            "不予处理（大量反复申请）须记录申请人说明的理由，或者逾期未说明。",
        )


def _check_required(data: DocumentInput, entry: DocumentKind, provision: str) -> None:
    """What a clerk must have entered before this document can lawfully go out."""
    kind = entry.code
    _require(
        data.issued_on is not None or data.draft,
        f"{entry.title}没有成文日期：正式文书须写明成文日期（草稿可以留空）。",
    )
    if kind == "correction_notice":
        _require(data.correction_items.strip(), "补正告知书须写明需要补正的事项（第三十条）。")
        _require(
            data.correct_by or data.correction_days > 0,
            "补正告知书须写明补正期限（第三十条：合理的补正期限）。",
        )
    elif kind == "extension_notice":
        _require(
            data.extended_due and data.extension_days > 0,
            "延期答复告知书须有延长的工作日数和延长后的答复期限。",
        )
    elif kind == "delay_notice":
        _require(data.delay_until, "延迟答复告知书须写明确定的答复期限（第三十五条）。")
        _require(
            data.explanation_requested_on,
            "延迟答复（第三十五条）须先要求申请人说明理由（explanation-request 步骤），本案没有记录。",
        )
    elif kind in ("third_party_consultation", "third_party_decision", "agency_consultation"):
        _require(data.consult_to.strip(), f"{entry.title}须写明被征求意见的单位或者个人。")
        if kind == "third_party_decision":
            _require(
                data.public_interest.strip() or data.reason.strip(),
                "依申请公开告知书须向第三方说明决定公开的理由（第三十二条；decide --public-interest）。",
            )
    elif kind == "fee_notice":
        _require(
            data.fee_method in FEE_METHOD_LABELS,
            f"收费方式应为按件计收或者按量计收，现为“{data.fee_method}”。",
        )
        _require(data.fee_amount > 0, "收费通知书的收费金额应大于0元。")
        _require(
            data.fee_payment_route.strip(),
            "收费通知书须写明缴纳方式（账户、缴款码或者地点）：请先设置 "
            f"zwgk-tui agency set {data.agency.code} --fee-payment-route 缴纳方式。",
        )
    elif kind.startswith("reply_"):
        outcome = data.outcome or ""
        label = OUTCOME_SHORT_LABELS.get(outcome, outcome)
        if outcome in OUTCOMES_NEEDING_REASON and not (outcome != "other_other" and data.withheld):
            # With structured grounds the reasons are the grounds and their evidence (each part printed).
            _require(data.reason.strip(), f"处理结果为“{label}”的答复须说明理由，请填写理由。")
        if outcome == "partially_disclosed":
            _require(
                data.provided_part.strip() and (data.withheld or data.withheld_part.strip()),
                "部分公开的答复须分别写明予以公开的部分和不予公开的部分（第三十七条）。",
            )
        if outcome == "disclosed" and _published(data):
            _require(
                data.published_where.strip() or provision,
                "已主动公开的信息（第三十六条第（一）项），"
                "答复须告知获取的方式和途径（decide --already-published 途径）。",
            )
        elif outcome in ("disclosed", "partially_disclosed"):
            _require(
                provision,
                "予以公开的答复须写明提供信息的方式（第四十条）或者获取的方式、途径：请填写提供方式，"
                "或者登记申请人选择的获取方式。",
            )
        _check_evidence(data, outcome)


def completeness_problems(data: DocumentInput) -> list[str]:
    """Why this document could not be issued as it stands ([] when it can): the checks document making runs,
    for callers that want them earlier (at decide, at submit). Every problem is reported, not just the first."""
    sink: list[str] = []
    token = _draft_problems.set(sink)
    try:
        build_context(data)
    except DocumentError as exc:
        sink.append(str(exc))
    finally:
        _draft_problems.reset(token)
    return list(dict.fromkeys(sink))


def _clerk_articles(value: str) -> str:
    """The clerk's citation as the templates use it ("根据{{ articles }}的规定"): no 根据/依据, no 的规定."""
    text = _clause(value)
    text = re.sub(r"^(根据|依据|依照)", "", text)
    return re.sub(r"(的)?(有关)?规定$", "", text).strip()


def _articles(data: DocumentInput, outcome: str, not_this_agency: bool) -> str:
    if data.articles.strip():
        return _clerk_articles(data.articles)
    if outcome == "disclosed" and _published(data):
        return ARTICLES_ALREADY_PUBLISHED
    if outcome == "disclosed" and _needs_public_interest(data):
        return ARTICLES_DISCLOSED_OVER_OBJECTION
    if outcome == "unavailable_not_held" and not_this_agency:
        return ARTICLES_NOT_THIS_AGENCY
    if outcome in GROUND_OF_OUTCOME and data.withheld:
        citations = [_clause(w.citation) or _ground(w.ground).citation for w in data.withheld]
        if outcome == "withheld_third_party" and data.consult_sent_on is not None:
            citations.append(ARTICLE_CONSULTATION)
        return _join_citations([*citations, ARTICLE_REFUSAL])
    if outcome == "withheld_third_party" and data.consult_sent_on is not None:
        return ARTICLES_THIRD_PARTY_CONSULTED
    return DEFAULT_ARTICLES.get(outcome, "")


def _outcome_ground(data: DocumentInput, outcome: str, not_this_agency: bool,
                    withheld: list[dict[str, str]]) -> str:
    if outcome == "unavailable_not_held" and not_this_agency:
        return GROUND_NOT_THIS_AGENCY
    if outcome in GROUND_OF_OUTCOME and len(withheld) == 1:
        # A whole refusal on one ground: the ground's statement with its evidence in one sentence.
        return withheld[0]["statement"] + withheld[0]["evidence"]
    return OUTCOME_GROUNDS.get(outcome, "")


def _remedy_settings(data: DocumentInput) -> RemedySettings:
    agency = data.agency
    return RemedySettings(
        reconsideration_body=agency.reconsideration_body,
        court=agency.court,
        # Two bodies only for a justice bureau (复议法 Art. 28); the settings refuse it for other kinds.
        second_body=agency.second_reconsideration_body if agency.kind == "justice_bureau" else "",
        online=agency.reconsideration_online,
        fee_notice_remedy=agency.fee_notice_remedy or "none",
        overrides=parse_overrides(agency.remedy_overrides),
    )


def _remedy(data: DocumentInput, entry: DocumentKind, outcome: str) -> tuple[str, str]:
    """The remedy clause and the rule's basis (for the review sheet)."""
    agency = data.agency
    internal = entry.internal
    if internal and not outcome:
        return "", ""
    is_reply = entry.code.startswith("reply_") or internal
    subject = remedy_subject("reply" if is_reply else entry.code, outcome, (w.ground for w in data.withheld))
    electronic = data.service_method in ELECTRONIC_SERVICE
    try:
        settings = _remedy_settings(data)
        rule = effective_rule(subject, settings.overrides, settings.fee_notice_remedy)
        text = remedy_text(subject, settings, document="reply" if is_reply else entry.code, electronic=electronic)
    except RemedyError as exc:
        hint = online_hint(agency.code) if "reconsideration_online" in str(exc) else setting_hint(agency.code)
        if internal:
            # The review sheet shows the reviewers what the reply will say, or why it cannot yet be issued.
            return f"（答复的救济途径尚不能生成：{exc}{hint}）", ""
        sink = _draft_problems.get()
        if sink is not None:
            sink.append(f"{agency.name}（{agency.code}）：{exc}{hint}")
            return _to_complete(f"救济途径告知（{str(exc).rstrip('。')}）"), ""
        raise DocumentError(f"{agency.name}（{agency.code}）：{exc}{hint}") from None
    return text, rule.basis


def _evidence_lines(data: DocumentInput, withheld: list[dict[str, str]], searches: list[dict[str, str]]) -> list[str]:
    """The evidence behind the decision, one line each, for the review sheet (spec 09: printed in the reply
    and the review sheet)."""
    lines: list[str] = []
    if data.published_where.strip():
        when = f"{cn_date(data.published_on)}" if data.published_on else ""
        lines.append(f"已主动公开：{when}{'，' if when else ''}{_clause(data.published_where)}")
    lines.extend(f"不予公开：{w['sentence']}" for w in withheld)
    lines.extend(f"检索：{s['sentence']}" for s in searches)
    if data.responsible_agency.strip():
        contact = f"（联系方式：{_clause(data.responsible_contact)}）" if data.responsible_contact.strip() else ""
        lines.append(f"负责公开的机关：{_clause(data.responsible_agency)}{contact}")
    elif data.responsible_unknown_reason.strip():
        lines.append(f"负责公开的机关无法确定：{_clause(data.responsible_unknown_reason)}")
    if data.third_party_view:
        opinion = f"（{_clause(data.third_party_opinion)}）" if data.third_party_opinion.strip() else ""
        lines.append(f"第三方意见：{_label(data.third_party_view, THIRD_PARTY_VIEW_LABELS)}{opinion}")
    if data.public_interest.strip():
        lines.append(f"公共利益理由：{_clause(data.public_interest)}")
    if data.earlier_reply_number.strip():
        case = f"（登记编号：{_inline(data.earlier_case_number)}）" if data.earlier_case_number.strip() else ""
        lines.append(f"此前答复：{_inline(data.earlier_reply_number)}，{cn_date(data.earlier_reply_date)}{case}")
    if data.explanation_requested_on:
        answer = (
            f"申请人说明：{_clause(data.explanation_answer)}"
            if data.explanation_answer.strip()
            else ("申请人逾期未说明" if data.explanation_lapsed else "尚未答复")
        )
        lines.append(f"说明理由：{cn_date(data.explanation_requested_on)}要求说明理由；{answer}")
    return [line.replace("\a", "，") for line in lines]


BLANK_DATE = "　　年　月　日"


def build_context(data: DocumentInput) -> dict[str, Any]:
    """The template variables for ``data`` — exactly the keys of DOCUMENTED_VARIABLES."""
    entry = _kind_entry(data.kind, data.outcome)
    outcome = data.outcome or ""
    if outcome and outcome not in OUTCOMES:
        raise DocumentError(f"未知的处理结果代码：{outcome}")
    not_this_agency = bool(data.not_this_agency or data.responsible_agency.strip())
    provision = _provision_method(data)
    _check_required(data, entry, provision)

    withheld = _withheld_parts(data)
    searches = _searches(data)
    search_statement = ""
    if searches:
        search_statement = (
            f"本机关对{_you(data.applicant.type)}申请公开的政府信息进行了检索："
            + "；".join(s["sentence"] for s in searches)
            + "。"
        )
    fee_label, fee_unit = FEE_METHOD_LABELS.get(data.fee_method, ("", ""))
    reviews, review_steps = _review_context(data)
    agency, applicant = data.agency, data.applicant
    remedy, remedy_basis = _remedy(data, entry, outcome)

    context: dict[str, Any] = {
        "kind": data.kind,
        "title": entry.printed_title,
        "full_title": _full_title(agency.name, entry.printed_title),
        "draft": bool(data.draft),
        "letterhead": bool(agency.letterhead),
        "doc_number": "" if data.draft else _text(data.doc_number),
        "issued_on": cn_date(data.issued_on) if data.issued_on else BLANK_DATE,
        "agency_name": _text(agency.name),
        "agency_address": _text(agency.address),
        "agency_postcode": _text(agency.postcode),
        "agency_phone": _text(agency.phone),
        "agency_contact": _text(agency.contact),
        "agency_email": _text(agency.email),
        "agency_contact_line": _contact_line(data),
        "reconsideration_body": _text(agency.reconsideration_body),
        "court": _text(agency.court),
        "applicant_name": _text(applicant.name),
        "applicant_type": _label(applicant.type, APPLICANT_TYPE_LONG_LABELS),
        "applicant_id_number": _text(applicant.id_number),
        "applicant_phone": _text(applicant.phone),
        "applicant_email": _text(applicant.email),
        "applicant_address": _text(applicant.address),
        "applicant_postcode": _text(applicant.postcode),
        "applicant_agent": _text(applicant.agent),
        "you": _you(applicant.type),
        "case_number": _text(data.case_number),
        "received_on": cn_date(data.received_on),
        "corrected_on": cn_date(data.corrected_on),
        "channel": _label(data.channel, CHANNEL_LABELS),
        "content": _text(data.content),
        "clarified_content": _text(data.clarified_content),
        "form_requested": _text(data.form_requested),
        "delivery": _label(data.delivery, DELIVERY_METHOD_LABELS) if data.delivery else "",
        "service_method": _label(data.service_method, SERVICE_METHOD_LABELS) if data.service_method else "",
        "served_document_title": _text(data.served_document_title),
        "served_document_number": _text(data.served_document_number),
        "served_document_date": cn_date(data.served_document_date),
        "served_by": _inline(data.served_by),
        "due_date": cn_date(data.due_date),
        "drafter": _text(data.drafter),
        "outcome": outcome,
        "outcome_label": OUTCOME_SHORT_LABELS.get(outcome, ""),
        "ground": _outcome_ground(data, outcome, not_this_agency, withheld),
        "reason": _sentence(data.reason),
        "articles": _articles(data, outcome, not_this_agency) if outcome else _clerk_articles(data.articles),
        "already_published": _published(data),
        "published_where": _clause(data.published_where),
        "published_on": cn_date(data.published_on),
        "provided_part": _clause(data.provided_part),
        "withheld_part": _clause(data.withheld_part),
        "withheld": withheld,
        "searches": searches,
        "search_statement": search_statement,
        "not_this_agency": not_this_agency,
        "responsible_agency": _clause(data.responsible_agency),
        "responsible_contact": _clause(data.responsible_contact),
        "responsible_unknown_reason": _clause(data.responsible_unknown_reason),
        "public_interest": _clause(data.public_interest),
        "earlier_reply_number": _inline(data.earlier_reply_number),
        "earlier_reply_date": cn_date(data.earlier_reply_date),
        "earlier_case_number": _inline(data.earlier_case_number),
        "explanation_requested_on": cn_date(data.explanation_requested_on),
        "explanation_answer": _clause(data.explanation_answer),
        "explanation_lapsed": bool(data.explanation_lapsed),
        "explanation_days": data.explanation_days,
        "provision_method": provision,
        "remedy_clause": remedy,
        "remedy_basis": remedy_basis,
        "evidence": "\a".join(_evidence_lines(data, withheld, searches)),
        "correction_items": _text(data.correction_items),
        "correction_reason": _correction_reason(data),
        "correction_articles": _correction_articles(data),
        "correct_by": cn_date(data.correct_by),
        "correction_days": data.correction_days,
        "extended_due": cn_date(data.extended_due),
        "extension_days": data.extension_days,
        "extension_reason": _clause(data.extension_reason),
        "delay_until": cn_date(data.delay_until),
        "delay_reason": _clause(data.delay_reason),
        "consult_to": _clause(data.consult_to),
        "consult_you": _third_party_you(data.consult_to, data.consult_to_type),
        "consult_sent_on": cn_date(data.consult_sent_on),
        "consult_due": cn_date(data.consult_due),
        "consult_days": data.consult_days,
        "third_party_view": _label(data.third_party_view, THIRD_PARTY_VIEW_LABELS) if data.third_party_view else "",
        "third_party_opinion": _clause(data.third_party_opinion),
        "fee_method": fee_label,
        "fee_method_code": data.fee_method if fee_label else "",
        "fee_unit": fee_unit,
        "fee_quantity": data.fee_quantity,
        "fee_amount": cn_yuan(data.fee_amount),
        "fee_amount_capitals": _yuan_in_capitals(data.fee_amount) if data.fee_amount > 0 else "",
        "fee_breakdown": [_text(line) for line in data.fee_breakdown if _text(line)],
        "fee_payment_due": cn_date(data.fee_payment_due),
        "fee_payment_days": data.fee_payment_days,
        "fee_payment_route": _clause(data.fee_payment_route) or (_to_complete("缴纳方式") if data.draft else ""),
        "reviews": reviews,
        "review_steps": review_steps,
    }
    return context


# --- rendering -------------------------------------------------------------------------------------------

_UNDEFINED_NAME = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'")


def _styled_paragraphs(document: Any) -> list[tuple[Any, Any]]:
    """(paragraph, its paragraph style or None) for the body. python-docx looks a paragraph's style up by a
    linear search of the styles part on every `paragraph.style`; one table of the styles keeps rendering fast."""
    styles = {s.style_id: s for s in document.styles if s.type == WD_STYLE_TYPE.PARAGRAPH}
    default = next((s for s in styles.values() if s.element.default), None)
    out = []
    for paragraph in document.paragraphs:
        ppr = paragraph._p.pPr
        style_id = ppr.pStyle.val if ppr is not None and ppr.pStyle is not None else None
        out.append((paragraph, styles.get(style_id, default) if style_id else default))
    return out


def _centre_signature(document: Any, styled: list[tuple[Any, Any]]) -> None:
    """GB/T 9704 7.3.5.1: the agency's name is centred over the date, the date 4 characters from the right.
    Both lengths vary, so the name's right indent is set here, after filling; templates without the two
    named styles are left as they are."""
    for index in range(1, len(styled)):
        (date_para, date_style), (name_para, name_style) = styled[index], styled[index - 1]
        if date_style is None or name_style is None:
            continue
        if date_style.name != DATE_STYLE or name_style.name != SIGNATURE_STYLE:
            continue
        date_width, name_width = _width(date_para.text), _width(name_para.text)
        if not date_width or not name_width:
            return
        right_chars = 4 + (date_width - name_width) / 2
        hundredths = max(0, round(right_chars * 100))
        ind = name_para._p.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:rightChars"), str(hundredths))
        ind.set(qn("w:right"), str(round(hundredths * CHAR_TWIPS / 100)))
        return


CHAR_TWIPS = 315  # one 3号 body character with the templates' -0.25 pt spacing


def render_document(data: DocumentInput, override_dir: Path | None = None) -> bytes:
    """The filled document as .docx bytes."""
    path = template_path(data.kind, data.outcome, override_dir)
    problems = check_template(path)
    if problems:
        raise DocumentError(f"模板 {path} 不能使用：" + "；".join(problems))
    context = build_context(data)
    template = DocxTemplate(io.BytesIO(_template_bytes(path)))
    try:
        template.render(context, jinja_env=_ENV, autoescape=True)
    except UndefinedError as exc:
        match = _UNDEFINED_NAME.search(exc.message or "")
        name = next((g for g in match.groups() if g), "") if match else ""
        raise DocumentError(
            f"模板 {path.name} 使用了未定义的变量“{name or exc.message}”（拼写错误？）。"
            "可用的变量见 docs/templates.md。"
        ) from None
    except TemplateError as exc:
        raise DocumentError(f"模板 {path.name} 无法填充：{exc.message}") from None
    styled = _styled_paragraphs(template.docx)
    _centre_signature(template.docx, styled)
    fit_one_page(template.docx, _file_key(path))
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def render_draft(data: DocumentInput, override_dir: Path | None = None) -> tuple[bytes, list[str]]:
    """A draft (草稿) as .docx bytes with what would keep it from going out: missing facts and settings are
    warnings, not refusals, and the missing parts read 【待补：…】. Template errors still refuse."""
    sink: list[str] = []
    token = _draft_problems.set(sink)
    try:
        content = render_document(dataclasses.replace(data, draft=True), override_dir)
    finally:
        _draft_problems.reset(token)
    return content, list(dict.fromkeys(sink))


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` so that the file is either the old one or the complete new one."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise DocumentError(
            f"无法写入文件 {path}：{exc.strerror or exc}。请检查目录是否存在、是否有写权限。"
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise DocumentError(f"无法写入文件 {path}：{exc.strerror or exc}。") from None
    try:
        # Make the rename itself durable (POSIX); not available everywhere, and not fatal.
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
