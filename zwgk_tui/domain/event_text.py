"""What an event recorded, as one line of Chinese: shared by the case screen, `case show` and the case file.

Pure: an event as the case view gives it (action, data, comment) in, text out.
"""

from __future__ import annotations

from typing import Any

from zwgk_tui.domain.codes import (
    CHANNEL_LABELS,
    DELIVERY_METHOD_LABELS,
    OUTCOME_SHORT_LABELS,
    REMEDY_KINDS,
    REMEDY_RESULTS,
    SERVED_WHAT,
    SERVICE_METHODS,
    THIRD_PARTY_VIEWS,
)
from zwgk_tui.domain.proceedings import COLUMN_LABELS
from zwgk_tui.domain.workflow import STEPS

AMEND_LABELS = {"applicant": "申请人", "id_number": "证件号", "phone": "电话", "email": "邮箱", "address": "地址",
                "postcode": "邮编", "content": "申请内容", "items": "事项数"}


def _imported_from(d: dict[str, Any]) -> str:
    """Where an imported case came from (register import): file and row, and its number there."""
    text = f"导入：{d.get('source', '')} 第 {d.get('row', '')} 行"
    if d.get("original_number"):
        text += f"（原编号 {d['original_number']}）"
    return text


def remedy_summary(d: dict[str, Any]) -> str:
    """A proceeding recorded or updated: "#3 行政复议 2025-05-06 提起，尚未审结" or its changes."""
    pid = f"#{d['proceeding']} " if d.get("proceeding") else ""
    text = f"{pid}{REMEDY_KINDS.get(d.get('kind', ''), d.get('kind', ''))}"
    changes = d.get("changes") or {}
    if changes:
        def value(v: Any) -> str:
            if v is True:
                return "是"
            if v in (None, False, ""):
                return "—"
            return str(REMEDY_RESULTS.get(v, v)) if isinstance(v, str) else str(v)

        return text + "：" + "；".join(f"{COLUMN_LABELS.get(k, k)} {value(c.get('from'))} → {value(c.get('to'))}"
                                      for k, c in changes.items())
    if d.get("updated"):
        return f"{text}：{REMEDY_RESULTS.get(d.get('result', ''), d.get('result', ''))}"
    return f"{text} {d.get('filed_on', '')} 提起，{REMEDY_RESULTS.get(d.get('result', ''), d.get('result', ''))}"


RECORD_ONLY_ACTIONS = {"register": "登记", "import": "导入"}


def event_label(action: str) -> str:
    """The Chinese name of a history entry: a step's label, or the two entries that are not steps."""
    if action in RECORD_ONLY_ACTIONS:
        return RECORD_ONLY_ACTIONS[action]
    return STEPS[action].label if action in STEPS else action


def describe_event(e: dict[str, Any], *, with_comment: bool = True) -> str:
    """One line saying what an event recorded, in Chinese (case screen, `case show`, the case file index)."""
    d = e.get("data") or {}
    parts: list[str] = []
    a = e["action"]
    if a == "register":
        parts.append(CHANNEL_LABELS.get(d.get("channel", ""), ""))
        if isinstance(d.get("import"), dict):
            parts.append(_imported_from(d["import"]))
        if isinstance(d.get("intake"), dict):
            parts.append(f"网上申请 {d['intake'].get('source', '')} 编号 {d['intake'].get('external_id', '')}"
                         + (f"，{d['arrived']} 到达" if d.get("arrived") else ""))
    elif a == "import":
        parts.append(_imported_from(d))
        if d.get("outcome"):
            parts.append(OUTCOME_SHORT_LABELS.get(d["outcome"], d["outcome"]))
    elif a == "decide" and d.get("outcome"):
        parts.append(OUTCOME_SHORT_LABELS.get(d["outcome"], d["outcome"]))
        if d.get("reason"):
            parts.append(str(d["reason"]))
    elif a == "request-correction":
        if d.get("correct_by"):
            limit = f"，{d['correct_by']} 前补正"
        elif d.get("correct_days"):
            limit = f"，送达后 {d['correct_days']} 个工作日内补正"
        else:
            limit = ""
        parts.append(f"补正事项：{d.get('items', '')}{limit}")
    elif a == "consult":
        parts.append(f"向 {d.get('to', '')} 征求意见，{d.get('answer_due', '')} 前答复")
    elif a == "consult-answered":
        parts.append("期满未答复" if d.get("lapsed") else THIRD_PARTY_VIEWS.get(d.get("view", ""), ""))
        if d.get("opinion"):
            parts.append(str(d["opinion"]))
    elif a == "fee-notice":
        parts.append(f"{d.get('amount', '')} 元，{d.get('payment_due', '')} 前缴纳")
    elif a == "fee-paid":
        parts.append(f"{d.get('amount', '')} 元")
    elif a == "extend":
        parts.append(f"延长 {d.get('days', '')} 个工作日，{d.get('approved_by', '')} 批准：{d.get('reason', '')}")
    elif a == "delay":
        parts.append(f"答复日期 {d.get('until', '')}：{d.get('reason', '')}")
    elif a == "deliver":
        if d.get("method"):
            parts.append(SERVICE_METHODS.get(d["method"], DELIVERY_METHOD_LABELS.get(d["method"], d["method"])))
        if d.get("tracking"):
            parts.append(f"邮件号码 {d['tracking']}")
        if d.get("reply_number"):
            parts.append(f"答复书 {d['reply_number']}")
        if d.get("outcome"):
            parts.append(OUTCOME_SHORT_LABELS.get(d["outcome"], d["outcome"]))
    elif a == "remedy":
        parts.append(remedy_summary(d))
    elif a == "amend":
        for key, change in (d.get("changes") or {}).items():
            parts.append(f"{AMEND_LABELS.get(key, key)}：{change.get('from')} → {change.get('to')}")
        parts.append(f"理由：{d.get('reason', '')}")
    elif a == "served":
        parts.append(f"{SERVED_WHAT.get(d.get('what', ''), '')}送达")
    elif a == "explanation-request":
        parts.append(f"说明事项：{d.get('items', '')}，{d.get('answer_days', '')}个工作日")
    elif a == "explanation-answered":
        parts.append("期满未说明" if d.get("lapsed") else f"说明：{d.get('answer', '')}")
    elif a in ("reopen", "correct-date") and d.get("reason"):
        if a == "correct-date":
            parts.append(f"记录 {d.get('event_id')}：{d.get('from')} → {d.get('to')}")
        parts.append(str(d["reason"]))
    if d.get("served") and a != "served":
        parts.append(f"送达 {d['served']}")
    if d.get("voided"):
        parts.append("作废：" + "、".join(map(str, d["voided"])))
    if with_comment and e.get("comment") and e["comment"] not in parts:
        parts.append(e["comment"])
    return "；".join(p for p in parts if p)
