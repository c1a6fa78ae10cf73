"""Agencies, their settings, users and roles, and database-level chores (init, backup)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zwgk_tui.domain.codes import ROLE_LABELS
from zwgk_tui.persistence import repo
from zwgk_tui.persistence import database
from zwgk_tui.persistence.database import current_revision
from zwgk_tui.persistence.models import Agency, User, UserRole
from zwgk_tui.services.context import DEFAULT_AGENCY_CODE, ServiceContext, ensure_default_agency, now_in_china
from zwgk_tui.services.errors import InvalidInput

CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")

# Settings an admin may change with `agency set`: name → (type, Chinese label).
AGENCY_SETTINGS: dict[str, tuple[type, str]] = {
    "name": (str, "机关全称"),
    "short_name": (str, "机关简称（用于文号）"),
    "reconsideration_body": (str, "行政复议机关"),
    "court": (str, "管辖人民法院"),
    "address": (str, "地址"),
    "postcode": (str, "邮编"),
    "phone": (str, "联系电话"),
    "email": (str, "电子邮箱"),
    "contact": (str, "联系人"),
    "office_review": (bool, "报政府办审核"),
    "legal_review": (bool, "法制审核"),
    "separate_reviewers": (bool, "审核人须与承办人不同"),
    "due_soon_days": (int, "临期提醒（工作日）"),
    "fee_pauses_clock": (bool, "收费期间不计入答复期限"),
    "number_format": (str, "案件编号格式"),
    "doc_number_format": (str, "文书文号格式"),
    "fee_payment_route": (str, "缴费方式说明"),
    "template_dir": (str, "本机关模板目录"),
}


def init(ctx: ServiceContext, agency_name: str | None = None) -> dict[str, Any]:
    with ctx.db.write() as s:
        agency = ensure_default_agency(s, agency_name)
        if agency_name and agency.code == "default" and agency.name == "本机关":
            agency.name = agency_name
        ctx.calendar(s)  # builds and stores the working-day table now, so no later command has to
        return {"url": ctx.db.url, "revision": current_revision(ctx.db), "agency": agency.code,
                "agency_name": agency.name}


def agency_dict(a: Agency) -> dict[str, Any]:
    return {"code": a.code, **{k: getattr(a, k) for k in AGENCY_SETTINGS}}


def add_agency(ctx: ServiceContext, code: str, name: str, **settings: Any) -> dict[str, Any]:
    code = (code or "").strip()
    if not CODE_RE.match(code):
        raise InvalidInput(f"机关代码“{code}”无效：只能用字母、数字、-、_，不超过40个字符（如 zjj、xx-town）")
    if not (name or "").strip():
        raise InvalidInput("机关全称不能为空（--name）")
    with ctx.db.write() as s:
        actor = ctx.actor(s)
        ctx.require_role(actor, {"admin"}, "添加机关")
        if repo.agency_by_code(s, code):
            raise InvalidInput(f"机关代码“{code}”已存在")
        agency = Agency(code=code, name=name.strip(), short_name="", created_at=now_in_china())
        _apply_settings(agency, settings)
        s.add(agency)
        s.flush()
        return agency_dict(agency)


def show_agency(ctx: ServiceContext, code: str | None) -> dict[str, Any]:
    with ctx.db.write() as s:
        ensure_default_agency(s)
        agency = repo.agency_by_code(s, code) if code else repo.agencies(s)[0]
        if agency is None:
            raise InvalidInput(f"机关代码“{code}”不存在" if code else "尚未建立机关，请先执行 zwgk-tui init")
        return agency_dict(agency)


def list_agencies(ctx: ServiceContext) -> list[dict[str, Any]]:
    with ctx.db.read() as s:
        return [agency_dict(a) for a in repo.agencies(s)]


def set_agency(ctx: ServiceContext, code: str, **settings: Any) -> dict[str, Any]:
    with ctx.db.write() as s:
        actor = ctx.actor(s)
        ctx.require_role(actor, {"admin"}, "修改机关设置")
        if code == DEFAULT_AGENCY_CODE:
            ensure_default_agency(s)
        agency = repo.agency_by_code(s, code)
        if agency is None:
            raise InvalidInput(f"机关代码“{code}”不存在")
        _apply_settings(agency, settings)
        return agency_dict(agency)


def _apply_settings(agency: Agency, settings: dict[str, Any]) -> None:
    for key, value in settings.items():
        if value is None:
            continue
        if key not in AGENCY_SETTINGS:
            raise InvalidInput(f"未知的机关设置“{key}”")
        kind, label = AGENCY_SETTINGS[key]
        if kind is int:
            try:
                value = int(value)
            except (TypeError, ValueError) as exc:
                raise InvalidInput(f"{label}“{value}”不是整数") from exc
            if key == "due_soon_days" and not 0 <= value <= 20:
                raise InvalidInput(f"{label} {value} 无效：应为 0 至 20 个工作日")
        if kind is str:
            value = str(value).strip()
            if key == "name" and not value:
                raise InvalidInput("机关全称不能为空")
            if key == "number_format":
                _check_format(value, label, year=2025, seq=1, code="x")
            if key == "doc_number_format":
                _check_format(value, label, year=2025, seq=1, short="某", code="x")
        setattr(agency, key, value)


def _check_format(value: str, label: str, **sample: Any) -> None:
    try:
        value.format(**sample)
    except (KeyError, IndexError, ValueError) as exc:
        raise InvalidInput(f"{label}“{value}”无效：可用占位符 {', '.join('{' + k + '}' for k in sample)}") from exc


def add_user(ctx: ServiceContext, name: str, roles: list[str], agency_code: str | None = None,
             display_name: str = "") -> dict[str, Any]:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("用户名不能为空")
    bad = [r for r in roles if r not in ROLE_LABELS]
    if bad or not roles:
        raise InvalidInput(
            f"角色“{'、'.join(bad) or '（未指定）'}”无效，可选：" + "、".join(f"{k}（{v}）" for k, v in ROLE_LABELS.items())
        )
    with ctx.db.write() as s:
        if repo.any_users(s):
            # Once users exist, only an admin manages them; the first user is created freely (set-up).
            ctx.require_role(ctx.actor(s), {"admin"}, "添加用户")
        elif "admin" not in roles:
            raise InvalidInput(
                "第一个登记的用户须包含 admin 角色：登记用户后，只有登记的用户才能操作，"
                f"否则将无人能管理用户。请写 --role admin（可同时有其他角色），如：zwgk-tui user add {name} --role admin clerk"
            )
        if repo.user_by_name(s, name):
            raise InvalidInput(f"用户“{name}”已存在")
        agency_id = None
        if agency_code:
            agency = repo.agency_by_code(s, agency_code)
            if agency is None:
                raise InvalidInput(f"机关代码“{agency_code}”不存在")
            agency_id = agency.id
        elif "clerk" in roles and not ({"office", "admin"} & set(roles)):
            agency_id = ensure_default_agency(s).id
        user = User(name=name, display_name=display_name or name, agency_id=agency_id, created_at=now_in_china())
        user.roles = [UserRole(role=r) for r in dict.fromkeys(roles)]
        s.add(user)
        s.flush()
        return user_dict(user)


def user_dict(u: User) -> dict[str, Any]:
    return {"name": u.name, "roles": sorted(r.role for r in u.roles), "agency": u.agency.code if u.agency else None,
            "active": u.active}


def list_users(ctx: ServiceContext) -> list[dict[str, Any]]:
    with ctx.db.read() as s:
        return [user_dict(u) for u in repo.users(s)]


@dataclass
class BackupResult:
    path: str
    method: str


def backup(ctx: ServiceContext, output: str) -> BackupResult:
    """A consistent copy of the database while others may be writing."""
    out = Path(output).expanduser()
    if out.exists() and out.is_dir():
        raise InvalidInput(f"输出路径“{output}”是一个目录，请给出文件名，如 backup-2025-03-03.db")
    if not out.parent.exists():
        raise InvalidInput(f"输出目录“{out.parent}”不存在")
    try:
        method = database.backup_to(ctx.db, out)
    except database.BackupError as exc:
        raise InvalidInput(str(exc)) from exc
    return BackupResult(str(out), method)
