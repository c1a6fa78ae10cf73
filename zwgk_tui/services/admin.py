"""Agencies, their settings, users and roles, and database-level chores (init, backup)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.exc import DBAPIError

from zwgk_tui.domain.codes import ROLE_LABELS
from zwgk_tui.domain.remedy import (
    AGENCY_KINDS,
    FEE_NOTICE_REMEDIES,
    RemedyError,
    body_warnings,
    check_body,
    check_fee_notice_remedy,
    check_kind,
    format_overrides,
    override_warnings,
    parse_overrides,
)
from zwgk_tui.persistence import database, repo, security
from zwgk_tui.persistence.database import current_revision
from zwgk_tui.persistence.models import Agency, User, UserRole
from zwgk_tui.services import context
from zwgk_tui.services.context import DEFAULT_AGENCY_CODE, ServiceContext, ensure_default_agency, now_in_china
from zwgk_tui.services.errors import InvalidInput, NotPermitted

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
    # Letters and remedies (spec 09): checked in _check_letter_setting, warnings from agency_warnings.
    "kind": (str, "机关类型（决定复议机关：行政复议法第二十四条、第二十七条、第二十八条）"),
    "letterhead": (bool, "文书印发文机关标志（红头）"),
    "reconsideration_online": (str, "网上申请行政复议的渠道（电子送达时必须告知）"),
    "second_reconsideration_body": (str, "第二个行政复议机关（仅司法行政部门：上一级司法行政部门）"),
    "fee_notice_remedy": (str, "收费通知书的救济告知"),
    "remedy_overrides": (str, "救济告知规则调整（结果代码=告知方式，分号分隔）"),
}

# Settings with a fixed set of values: code -> Chinese label (for choosers; `agency set` accepts the codes).
AGENCY_SETTING_CHOICES: dict[str, dict[str, str]] = {
    "kind": AGENCY_KINDS,
    "fee_notice_remedy": FEE_NOTICE_REMEDIES,
}


def init(ctx: ServiceContext, agency_name: str | None = None) -> dict[str, Any]:
    """Create or upgrade the schema (done on opening), restore protective triggers that were dropped or disabled,
    refresh the server's role set-up (PostgreSQL: owner only), and make sure an agency exists."""
    with ctx.db.write() as s:
        conn = s.connection()
        if not ctx.db.is_sqlite and not security.pg_session(conn).privileged:
            raise NotPermitted("init 须由数据库所有者（建表、迁移用的账号）执行；普通登录无需也不能执行")
        restored = security.install(conn)
        agency = ensure_default_agency(s, agency_name)
        if agency_name and agency.code == "default" and agency.name == "本机关":
            agency.name = agency_name
        ctx.calendar(s)  # builds and stores the working-day table now, so no later command has to
        return {"url": ctx.db.engine.url.render_as_string(hide_password=True), "revision": current_revision(ctx.db),
                "agency": agency.code, "agency_name": agency.name, "restored_triggers": restored}


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
        agency = Agency(code=code, name=name.strip(), short_name="", created_at=now_in_china(), kind="department",
                        letterhead=True, reconsideration_online="", second_reconsideration_body="",
                        fee_notice_remedy="none", remedy_overrides="")
        _apply_settings(agency, settings)
        s.add(agency)
        s.flush()
        return {**agency_dict(agency), "warnings": agency_warnings(agency)}


def show_agency(ctx: ServiceContext, code: str | None) -> dict[str, Any]:
    """Read-only (no write lock): before the first agency exists, the default one is shown as it will be made."""
    with ctx.db.read() as s:
        ctx.actor(s)
        agencies = repo.agencies(s)
        if code:
            agency = repo.agency_by_code(s, code)
            if agency is None and not (code == DEFAULT_AGENCY_CODE and not agencies):
                raise InvalidInput(f"机关代码“{code}”不存在")
        else:
            agency = agencies[0] if agencies else None
        if agency is None:
            agency = _default_agency_preview()
        return {**agency_dict(agency), "warnings": agency_warnings(agency)}


def _default_agency_preview() -> Agency:
    # Column defaults apply only on INSERT: spell them out for an agency that is never added to a session.
    preview = Agency(code=DEFAULT_AGENCY_CODE, name="本机关", short_name="", created_at=now_in_china())
    for column in Agency.__table__.columns:
        if getattr(preview, column.key) is None and column.default is not None and column.default.is_scalar:
            setattr(preview, column.key, column.default.arg)
    return preview


def list_agencies(ctx: ServiceContext) -> list[dict[str, Any]]:
    with ctx.db.read() as s:
        ctx.actor(s)
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
        touched = {k for k, v in settings.items() if v is not None}
        return {**agency_dict(agency), "warnings": agency_warnings(agency, touched)}


_BODY_SETTINGS = frozenset({"name", "kind", "reconsideration_body", "second_reconsideration_body"})


def agency_warnings(agency: Agency, touched: set[str] | None = None) -> list[str]:
    """What in the agency's settings does not fit spec 09 (warnings, never refusals). ``touched``: only the
    warnings about the settings just changed (None = all, for add and show)."""
    warnings: list[str] = []
    if touched is None or touched & _BODY_SETTINGS:
        warnings += body_warnings(agency.kind, agency.name, agency.reconsideration_body,
                                  agency.second_reconsideration_body)
    if touched is None or "remedy_overrides" in touched:
        try:
            warnings += override_warnings(parse_overrides(agency.remedy_overrides))
        except RemedyError as exc:  # a value stored before it was checked
            warnings.append(str(exc))
    return warnings


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
            value = _check_letter_setting(key, value)
        setattr(agency, key, value)
    if agency.second_reconsideration_body and agency.kind != "justice_bureau":
        raise InvalidInput(
            f"第二个行政复议机关（{agency.second_reconsideration_body}）只适用于履行行政复议机构职责的司法行政部门"
            "（行政复议法第二十八条）：请同时设置 --kind justice_bureau，"
            "或者用 --second-reconsideration-body \"\" 清除。"
        )


def _check_letter_setting(key: str, value: str) -> str:
    """The letter and remedy settings: refused (exit 2) when no lawful letter could be written with them."""
    try:
        if key == "kind":
            return check_kind(value)
        if key == "fee_notice_remedy":
            return check_fee_notice_remedy(value)
        if key == "remedy_overrides":
            return format_overrides(parse_overrides(value))
        if key in ("reconsideration_body", "second_reconsideration_body") and value:
            return check_body(value)
    except RemedyError as exc:
        raise InvalidInput(str(exc)) from exc
    return value


def _check_format(value: str, label: str, **sample: Any) -> None:
    try:
        value.format(**sample)
    except (KeyError, IndexError, ValueError) as exc:
        raise InvalidInput(f"{label}“{value}”无效：可用占位符 {', '.join('{' + k + '}' for k in sample)}") from exc


USER_NAME_RE = re.compile(r"^[^\x00-\x1f\x7f]{1,63}$")


def _check_user_name(name: str, what: str = "用户名") -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput(f"{what}不能为空")
    if not USER_NAME_RE.match(name) or len(name.encode("utf-8")) > 63 or '"' in name:
        raise InvalidInput(f"{what}“{name}”无效：不超过63个字节（约21个汉字），不含控制字符和双引号")
    return name


def add_user(ctx: ServiceContext, name: str, roles: list[str], agency_code: str | None = None,
             display_name: str = "", *, login: str | None = None, password: str | None = None) -> dict[str, Any]:
    """Register a user. PostgreSQL: with a password, also the database login (member of its roles' groups).
    SQLite: `login` is the operating-system login acting as this user (default: the user's name; the first user —
    an admin — is the login setting the register up)."""
    name = _check_user_name(name)
    bad = [r for r in roles if r not in ROLE_LABELS]
    if bad or not roles:
        raise InvalidInput(
            f"角色“{'、'.join(bad) or '（未指定）'}”无效，可选："
            + "、".join(f"{k}（{v}）" for k, v in ROLE_LABELS.items())
        )
    roles = list(dict.fromkeys(roles))
    with ctx.db.write() as s:
        first = not repo.any_users(s)
        if not first:
            # Once users exist, only an admin manages them; the first user is created freely (set-up).
            ctx.require_role(ctx.actor(s), {"admin"}, "添加用户")
        elif "admin" not in roles:
            raise InvalidInput(
                "第一个登记的用户须包含 admin 角色：登记用户后，只有登记的用户才能操作，"
                "否则将无人能管理用户。请写 --role admin（可同时有其他角色），"
                f"如：zwgk-tui user add {name} --role admin clerk"
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
        mapped = None
        if ctx.db.is_sqlite:
            mapped = _sqlite_login(s, name, login, first)
        elif login:
            raise InvalidInput("--login 只用于 SQLite（对应本机登录名）；PostgreSQL 上用户名就是数据库登录名")
        user = User(name=name, display_name=display_name or name, agency_id=agency_id, login=mapped,
                    created_at=now_in_china())
        user.roles = [UserRole(role=r) for r in roles]
        s.add(user)
        s.flush()
        created = False
        if not ctx.db.is_sqlite and password:
            _pg_call(lambda: security.add_login(s.connection(), name, password, roles), name)
            created = True
        return {**user_dict(user), "login_created": created, "database": "sqlite" if ctx.db.is_sqlite else "postgresql"}


def _sqlite_login(s: Any, name: str, login: str | None, first: bool) -> str:
    mine = context.os_login()
    login = (login or "").strip() or (mine if first else name)
    _check_user_name(login, "登录名")
    if first and login != mine:
        raise InvalidInput(
            f"第一个用户（管理员）须对应您本人的登录名“{mine}”，否则登记后您将无法再操作：去掉 --login，"
            f"或用登录名 {login} 登录本机后再执行"
        )
    holder = repo.user_by_login(s, login)
    if holder is not None:
        raise InvalidInput(f"登录名“{login}”已对应用户“{holder.name}”：一个登录名只能对应一个用户")
    return login


def _pg_call(fn: Any, name: str) -> None:
    try:
        fn()
    except DBAPIError as exc:
        state = getattr(exc.orig, "sqlstate", None)
        if state == "42710":
            raise InvalidInput(
                f"数据库中已有名为“{name}”的登录角色：为安全起见不会接管已有角色。请换一个用户名，或由数据库管理员"
                "按 README 把该角色加入本系统的组角色"
            ) from None
        if state == "42501" or "permission denied" in str(exc.orig):
            raise NotPermitted(
                "数据库拒绝建立登录：须由管理员登录（或数据库所有者）执行，且所有者账号需有 CREATEROLE 权限"
            ) from None
        raise


def set_password(ctx: ServiceContext, name: str, password: str) -> dict[str, Any]:
    """PostgreSQL: set a login's password (creating the login for a user registered without one). An admin for
    anyone of this register, a user for themselves."""
    if ctx.db.is_sqlite:
        raise InvalidInput("SQLite 没有数据库登录和密码：本机的登录名就是身份（见 zwgk-tui user add --login）")
    if not password:
        raise InvalidInput("密码不能为空")
    with ctx.db.write() as s:
        actor = ctx.actor(s)
        user = repo.user_by_name(s, name)
        if user is None:
            raise InvalidInput(f"用户“{name}”未登记")
        conn = s.connection()
        if actor.name == name and not security.pg_session(conn).privileged:
            verifier = security.scram_verifier(conn, name, password)
            if not re.fullmatch(r"SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+", verifier):
                raise InvalidInput("密码无法加密")
            conn.exec_driver_sql(f"ALTER ROLE CURRENT_USER PASSWORD '{verifier}'")
            return {"name": name, "created": False}
        ctx.require_role(actor, {"admin"}, "设置他人的密码")
        if security.login_exists(conn, name):
            _pg_call(lambda: security.set_password(conn, name, password), name)
            return {"name": name, "created": False}
        _pg_call(lambda: security.add_login(conn, name, password, sorted(r.role for r in user.roles)), name)
        return {"name": name, "created": True}


def set_login(ctx: ServiceContext, name: str, login: str) -> dict[str, Any]:
    """SQLite: map an operating-system login to a registered user (admin only)."""
    if not ctx.db.is_sqlite:
        raise InvalidInput("--login 只用于 SQLite；PostgreSQL 上用户名就是数据库登录名")
    login = _check_user_name(login, "登录名")
    with ctx.db.write() as s:
        ctx.require_role(ctx.actor(s), {"admin"}, "设置登录名")
        user = repo.user_by_name(s, name)
        if user is None:
            raise InvalidInput(f"用户“{name}”未登记")
        holder = repo.user_by_login(s, login)
        if holder is not None and holder.id != user.id:
            raise InvalidInput(f"登录名“{login}”已对应用户“{holder.name}”")
        user.login = login
        return user_dict(user)


def user_dict(u: User) -> dict[str, Any]:
    return {"name": u.name, "roles": sorted(r.role for r in u.roles), "agency": u.agency.code if u.agency else None,
            "active": u.active, "login": u.login}


def list_users(ctx: ServiceContext) -> list[dict[str, Any]]:
    with ctx.db.read() as s:
        ctx.actor(s)
        return [user_dict(u) for u in repo.users(s)]


@dataclass
class BackupResult:
    path: str
    method: str
    problems: list[str] = field(default_factory=list)  # what `verify` found before copying


def default_backup_name(ctx: ServiceContext) -> str:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return f"zwgk-backup-{stamp}." + ("db" if ctx.db.is_sqlite else "dump")


def backup(ctx: ServiceContext, output: str | None, *, force: bool = False) -> BackupResult:
    """A consistent copy of the database while others may be writing, after checking the history (`verify`).

    A register that fails the check is still copied — the copy is evidence of its state — and the problems are
    returned so the command can fail loudly."""
    from zwgk_tui.services import outputs, verify

    report = verify.run(ctx)  # also: only registered users get here
    out = outputs.output_path(ctx, output, default_backup_name(ctx), force=force, sqlite_ok=ctx.db.is_sqlite)
    try:
        method = database.backup_to(ctx.db, out)
    except database.BackupError as exc:
        raise InvalidInput(str(exc)) from exc
    problems = [f"{p.case}：{p.message}" if p.case else p.message for p in report.problems]
    return BackupResult(str(out), method, problems)
