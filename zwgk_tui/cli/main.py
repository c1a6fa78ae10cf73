"""`zwgk-tui` command line. Thin: parse, call a service, print. Never imports Textual (the TUI is loaded only
when no command is given)."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from zwgk_tui.cli.output import err, out, print_case, print_case_list, print_json
from zwgk_tui.services.errors import ServiceError

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    help="政府信息公开申请办理工具。不带命令运行时打开终端界面。",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
case_app = typer.Typer(help="登记、查看、办理案件", no_args_is_help=True)
agency_app = typer.Typer(help="机关及其设置", no_args_is_help=True)
user_app = typer.Typer(help="用户和角色", no_args_is_help=True)
calendar_app = typer.Typer(help="工作日日历（含调休）", no_args_is_help=True)
template_app = typer.Typer(help="文书模板", no_args_is_help=True)
app.add_typer(case_app, name="case")
app.add_typer(agency_app, name="agency")
app.add_typer(user_app, name="user")
app.add_typer(calendar_app, name="calendar")
app.add_typer(template_app, name="template")


class _State:
    db: str | None = None
    user: str | None = None
    _ctx: Any = None

    def ctx(self) -> Any:
        if self._ctx is None:
            from zwgk_tui.services.context import ServiceContext

            self._ctx = ServiceContext.open(self.db, self.user)
        return self._ctx

    def close(self) -> None:
        if self._ctx is not None:
            self._ctx.db.dispose()
            self._ctx = None


state = _State()


def handled(fn: F) -> F:
    """Service errors become a Chinese message on stderr and their exit code; never a traceback for bad input."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from zwgk_tui.persistence.database import DatabaseUrlError

        try:
            return fn(*args, **kwargs)
        except ServiceError as exc:
            err.print(f"错误：{exc.message}", markup=False)
            if exc.detail.get("case") and kwargs.get("as_json"):
                print_json(exc.detail["case"])
            raise typer.Exit(exc.exit_code) from None
        except DatabaseUrlError as exc:
            err.print(f"错误：{exc}", markup=False)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            err.print("已中断，未保存的操作已撤销")
            raise typer.Exit(130) from None
        except Exception as exc:  # noqa: BLE001 - classify database faults for people
            from sqlalchemy.exc import OperationalError

            if isinstance(exc, OperationalError):
                msg = str(exc.orig) if exc.orig else str(exc)
                if "locked" in msg or "busy" in msg:
                    err.print("错误：数据库正被其他用户长时间占用（已等待30秒），本次操作未保存，请稍后重试")
                    raise typer.Exit(4) from None
                err.print(f"错误：无法访问数据库：{msg}", markup=False)
                raise typer.Exit(1) from None
            raise

    return wrapper  # type: ignore[return-value]


@app.callback(invoke_without_command=True)
def main(
    ctx: typer.Context,
    db: str | None = typer.Option(None, "--db", envvar="ZWGK_DB", help="数据库：文件路径（SQLite）或 SQLAlchemy URL"),
    user: str | None = typer.Option(None, "--user", envvar="ZWGK_USER", help="操作用户（默认为登录名）"),
) -> None:
    state.db = db
    state.user = user
    state._ctx = None
    ctx.call_on_close(state.close)
    if ctx.invoked_subcommand is None:
        _run_tui()


@handled
def _run_tui() -> None:
    from zwgk_tui.tui.app import run_app

    run_app(state.ctx())


# ---------------------------------------------------------------------------------------------------------------


@app.command()
@handled
def init(agency: str | None = typer.Option(None, "--agency", help="本机关全称（首次建库时）")) -> None:
    """建立或升级数据库（可重复执行）。"""
    from zwgk_tui.services import admin

    info = admin.init(state.ctx(), agency)
    out.print(f"数据库已就绪：{info['url']}（版本 {info['revision']}）", markup=False)
    out.print(f"机关：{info['agency_name']}（{info['agency']}）", markup=False)


@case_app.command("new")
@handled
def case_new(
    applicant: str = typer.Option(..., "--applicant", help="申请人姓名或名称"),
    applicant_type: str = typer.Option(..., "--applicant-type", help="natural_person business research nonprofit legal_service other_org"),
    channel: str = typer.Option(..., "--channel", help="in_person mail_registered mail_ordinary online fax"),
    received: str = typer.Option(..., "--received", help="收到申请日期（《条例》第三十一条），如 2025-03-03"),
    content: str = typer.Option(..., "--content", help="申请公开的政府信息的名称、文号或特征描述"),
    agency: str | None = typer.Option(None, "--agency", help="机关代码"),
    id_number: str = typer.Option("", "--id-number", help="身份证号码或统一社会信用代码"),
    phone: str = typer.Option("", "--phone"),
    email: str = typer.Option("", "--email"),
    address: str = typer.Option("", "--address"),
    postcode: str = typer.Option("", "--postcode"),
    delivery: str = typer.Option("", "--delivery", help="获取方式：in_person mail email online fax"),
    form: str = typer.Option("", "--form", help="信息的形式要求（纸质、电子等）"),
    items: int = typer.Option(1, "--items", help="申请事项数（一事一申请）"),
    arrived: str | None = typer.Option(None, "--arrived", help="平常信函/网上/传真：到达日期（收到日期为确认之日）"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """登记一件申请，打印案件编号。"""
    from zwgk_tui.services import cases

    result = cases.register(state.ctx(), cases.NewCase(
        applicant=applicant, applicant_type=applicant_type, channel=channel, received=received, content=content,
        agency=agency, id_number=id_number, phone=phone, email=email, address=address, postcode=postcode,
        delivery=delivery, form_requested=form, item_count=items, arrived=arrived,
    ))
    if as_json:
        print_json({**result.case, "hints": result.hints})
    else:
        out.print(result.number)
        due = result.case["deadline"]["due"]
        err.print(f"已登记：{result.number}，答复期限 {due}" + ("（暂定）" if result.case["deadline"]["provisional"] else ""))
        for m in result.missing_elements:
            err.print(f"提示：缺少{m}，可在 {result.case['correction_notice_due']} 前一次性告知补正")
        for h in result.hints:
            err.print(f"提示：{h}")


@case_app.command("show")
@handled
def case_show(
    number: str = typer.Argument(..., help="案件编号"),
    agency: str | None = typer.Option(None, "--agency"),
    reveal: bool = typer.Option(False, "--reveal", help="显示完整证件号、电话、地址"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """查看一件案件：期限、推算过程和办理记录。"""
    from zwgk_tui.services import cases

    view = cases.show(state.ctx(), number, agency, reveal=reveal)
    print_json(view) if as_json else print_case(view)


@case_app.command("list")
@handled
def case_list(
    open_: bool = typer.Option(False, "--open", help="只列未办结"),
    closed: bool = typer.Option(False, "--closed", help="只列已办结"),
    overdue: bool = typer.Option(False, "--overdue", help="只列已逾期"),
    due_within: int | None = typer.Option(None, "--due-within", help="N 个工作日内到期（含已逾期）"),
    agency: str | None = typer.Option(None, "--agency"),
    stage: str | None = typer.Option(None, "--stage"),
    year: int | None = typer.Option(None, "--year", help="收到年份"),
    search: str | None = typer.Option(None, "--search", help="按编号、申请人、内容查找"),
    limit: int | None = typer.Option(None, "--limit"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """案件登记簿。"""
    from zwgk_tui.services import cases

    result = cases.list_cases(state.ctx(), open_only=open_, closed_only=closed, overdue=overdue, due_within=due_within,
                              agency=agency, stage=stage, year=year, search=search, limit=limit)
    if as_json:
        print_json(result.rows)
    else:
        print_case_list(result.rows)


@case_app.command(
    "act",
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="步骤：request-correction correction-received correction-lapsed consult consult-answered fee-notice "
    "fee-paid fee-lapsed extend delay decide submit approve return sign deliver withdraw remedy reopen correct-date",
)
@handled
def case_act(
    number: str = typer.Argument(..., help="案件编号"),
    action: str = typer.Argument(..., help="办理步骤"),
    on: str = typer.Option(..., "--on", help="该步骤的法定日期，如 2025-03-10"),
    comment: str = typer.Option("", "--comment", help="备注；退回时为退回意见"),
    agency: str | None = typer.Option(None, "--agency"),
    items: str | None = typer.Option(None, "--items", help="request-correction：需要补正的事项"),
    correct_by: str | None = typer.Option(None, "--correct-by", help="request-correction：补正期限"),
    party: str | None = typer.Option(None, "--party", help="consult：third_party 或 agency"),
    to: str | None = typer.Option(None, "--to", help="consult：征求意见对象"),
    lapsed: bool = typer.Option(False, "--lapsed", help="consult-answered：期满未答复"),
    method: str | None = typer.Option(None, "--method", help="fee-notice：per_request/per_page；deliver：送达方式"),
    amount: int | None = typer.Option(None, "--amount", help="fee-notice/fee-paid：金额（元）"),
    pages: int | None = typer.Option(None, "--pages", help="fee-notice per_page：页数"),
    days: int | None = typer.Option(None, "--days", help="extend：延长工作日数（≤20）"),
    approved_by: str | None = typer.Option(None, "--approved-by", help="extend：批准的负责人"),
    reason: str | None = typer.Option(None, "--reason", help="理由"),
    until: str | None = typer.Option(None, "--until", help="delay：第三十五条确定的答复日期"),
    outcome: str | None = typer.Option(None, "--outcome", help="decide：办理结果代码"),
    responsible_agency: str | None = typer.Option(None, "--responsible-agency", help="decide：负责公开的机关（第三十六条第五项）"),
    provision: str | None = typer.Option(None, "--provision", help="decide：提供信息的方式（第四十条）"),
    provided: str | None = typer.Option(None, "--provided", help="decide 部分公开：提供的部分"),
    withheld: str | None = typer.Option(None, "--withheld", help="decide 部分公开：不予公开的部分及理由"),
    kind: str | None = typer.Option(None, "--kind", help="remedy：reconsideration/litigation_direct/litigation_after_reconsideration"),
    result: str | None = typer.Option(None, "--result", help="remedy：upheld/corrected/other/pending"),
    event: int | None = typer.Option(None, "--event", help="correct-date：要更正的事件编号"),
    expect_version: int | None = typer.Option(None, "--expect-version", help="仅当案件仍为该版本时执行（防止覆盖他人修改）"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """办理一个步骤（--on 为法定日期）。"""
    from zwgk_tui.services import cases

    options = {
        "items": items, "correct_by": correct_by, "party": party, "to": to, "lapsed": lapsed, "method": method,
        "amount": amount, "pages": pages, "days": days, "approved_by": approved_by, "reason": reason, "until": until,
        "outcome": outcome, "responsible_agency": responsible_agency, "provision_method": provision,
        "provided_part": provided, "withheld_part": withheld, "kind": kind, "result": result,
        "event_id": event, "comment": comment,
    }
    view = cases.act(state.ctx(), number, cases.StepInput(action=action, on=on, comment=comment, options=options,
                                                          expect_version=expect_version), agency)
    if as_json:
        print_json(view)
    else:
        dl = view["deadline"]
        due = dl["due"] or ("暂停计时" if dl["paused"] else "待补正" if dl["correction_pending"] else "—")
        out.print(f"{view['number']}：{action} 已记录。阶段：{view['stage_label']}"
                  + (f"，办理结果：{view['outcome_label']}" if view["outcome"] else "")
                  + ("" if view["outcome"] else f"，答复期限：{due}" + ("（暂定）" if dl["provisional"] else "")))
        last = view["events"][-1].get("data") or {}
        if last.get("hint"):
            err.print(f"提示：{last['hint']}")
        if last.get("late"):
            err.print("注意：补正告知晚于收到申请后第7个工作日（《条例》第三十条）")
        if last.get("breakdown"):
            err.print("收费计算：" + "；".join(last["breakdown"]))


@app.command()
@handled
def deadline(
    received: str = typer.Option(..., "--received", help="收到申请日期"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """期限计算器：补正告知期限、答复期限、延长后期限。"""
    from zwgk_tui.services import calendar_service

    info = calendar_service.quick_deadline(state.ctx(), received)
    if as_json:
        print_json({k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in info.items() if k != "explanation"})
        return
    prov = "（暂定：该年度日历尚未正式公布）"
    out.print(f"收到申请：{info['received'].isoformat()}")
    out.print(f"补正告知期限（第7个工作日）：{info['correction_notice_due'].isoformat()}")
    out.print(f"答复期限（第20个工作日）：{info['reply_due'].isoformat()}" + (prov if info.get("reply_provisional", info["provisional"]) else ""))
    out.print(f"延长后期限（第40个工作日）：{info['extended_due'].isoformat()}" + (prov if info["provisional"] else ""))


@agency_app.command("add")
@handled
def agency_add(
    code: str = typer.Argument(..., help="机关代码（字母数字）"),
    name: str = typer.Option(..., "--name", help="机关全称"),
    reconsideration_body: str | None = typer.Option(None, "--reconsideration-body", help="行政复议机关"),
    court: str | None = typer.Option(None, "--court", help="管辖人民法院"),
    short_name: str | None = typer.Option(None, "--short-name", help="简称（文号用）"),
) -> None:
    """添加机关。"""
    from zwgk_tui.services import admin

    a = admin.add_agency(state.ctx(), code, name, reconsideration_body=reconsideration_body, court=court,
                         short_name=short_name)
    out.print(f"已添加机关：{a['name']}（{a['code']}）", markup=False)


def _print_agency(a: dict[str, Any]) -> None:
    from zwgk_tui.services.admin import AGENCY_SETTINGS

    out.print(f"机关代码：{a['code']}", markup=False)
    for key, (kind, label) in AGENCY_SETTINGS.items():
        value = a[key]
        if kind is bool:
            value = "是" if value else "否"
        out.print(f"{label}（{key}）：{value if value not in (None, '') else '（未设置）'}", markup=False)


@agency_app.command("show")
@handled
def agency_show(code: str | None = typer.Argument(None), as_json: bool = typer.Option(False, "--json")) -> None:
    """查看机关设置。"""
    from zwgk_tui.services import admin

    a = admin.show_agency(state.ctx(), code)
    print_json(a) if as_json else _print_agency(a)


@agency_app.command("list")
@handled
def agency_list(as_json: bool = typer.Option(False, "--json")) -> None:
    """列出机关。"""
    from zwgk_tui.services import admin

    rows = admin.list_agencies(state.ctx())
    if as_json:
        print_json(rows)
    else:
        for a in rows:
            out.print(f"{a['code']}\t{a['name']}", markup=False)


def _bool_opt(value: str | None, label: str) -> bool | None:
    if value is None:
        return None
    v = value.strip().lower()
    if v in ("on", "yes", "true", "1", "是", "开"):
        return True
    if v in ("off", "no", "false", "0", "否", "关"):
        return False
    from zwgk_tui.services.errors import InvalidInput

    raise InvalidInput(f"{label}“{value}”无效：请写 on 或 off")


@agency_app.command("set")
@handled
def agency_set(
    code: str = typer.Argument(...),
    name: str | None = typer.Option(None, "--name"),
    short_name: str | None = typer.Option(None, "--short-name"),
    reconsideration_body: str | None = typer.Option(None, "--reconsideration-body"),
    court: str | None = typer.Option(None, "--court"),
    address: str | None = typer.Option(None, "--address"),
    postcode: str | None = typer.Option(None, "--postcode"),
    phone: str | None = typer.Option(None, "--phone"),
    email: str | None = typer.Option(None, "--email"),
    contact: str | None = typer.Option(None, "--contact"),
    office_review: str | None = typer.Option(None, "--office-review", help="on/off"),
    legal_review: str | None = typer.Option(None, "--legal-review", help="on/off"),
    separate_reviewers: str | None = typer.Option(None, "--separate-reviewers", help="on/off"),
    due_soon_days: int | None = typer.Option(None, "--due-soon-days"),
    fee_pauses_clock: str | None = typer.Option(None, "--fee-pauses-clock", help="on/off"),
    number_format: str | None = typer.Option(None, "--number-format", help="如 {year}-{seq:04d}"),
    doc_number_format: str | None = typer.Option(None, "--doc-number-format", help="如 {short}依公开〔{year}〕{seq}号"),
    fee_payment_route: str | None = typer.Option(None, "--fee-payment-route"),
    template_dir: str | None = typer.Option(None, "--template-dir", help="本机关模板目录（同名文件覆盖默认模板）"),
) -> None:
    """修改机关设置。"""
    from zwgk_tui.services import admin

    a = admin.set_agency(
        state.ctx(), code, name=name, short_name=short_name, reconsideration_body=reconsideration_body, court=court,
        address=address, postcode=postcode, phone=phone, email=email, contact=contact,
        office_review=_bool_opt(office_review, "--office-review"), legal_review=_bool_opt(legal_review, "--legal-review"),
        separate_reviewers=_bool_opt(separate_reviewers, "--separate-reviewers"), due_soon_days=due_soon_days,
        fee_pauses_clock=_bool_opt(fee_pauses_clock, "--fee-pauses-clock"), number_format=number_format,
        doc_number_format=doc_number_format, fee_payment_route=fee_payment_route, template_dir=template_dir,
    )
    _print_agency(a)


@user_app.command("add")
@handled
def user_add(
    name: str = typer.Argument(...),
    more_roles: list[str] = typer.Argument(None, help="更多角色（可写在 --role 之后）"),
    role: list[str] = typer.Option([], "--role", help="clerk office legal head admin（可多个）"),
    agency: str | None = typer.Option(None, "--agency"),
) -> None:
    """添加用户：zwgk-tui user add 张三 --role clerk head --agency zjj"""
    from zwgk_tui.services import admin

    roles = [r.strip() for item in (role + (more_roles or [])) for r in item.replace("，", ",").split(",") if r.strip()]
    u = admin.add_user(state.ctx(), name, roles, agency)
    out.print(f"已添加用户：{u['name']}，角色：{'、'.join(u['roles'])}" + (f"，机关：{u['agency']}" if u["agency"] else ""), markup=False)


@user_app.command("list")
@handled
def user_list(as_json: bool = typer.Option(False, "--json")) -> None:
    """列出用户。"""
    from zwgk_tui.services import admin

    rows = admin.list_users(state.ctx())
    if as_json:
        print_json(rows)
    elif not rows:
        out.print("尚未登记用户：单人模式，本机用户拥有全部角色")
    else:
        for u in rows:
            out.print(f"{u['name']}\t{','.join(u['roles'])}\t{u['agency'] or '全部机关'}", markup=False)


@app.command()
@handled
def backup(output: str = typer.Option(..., "-o", "--output", help="备份文件路径")) -> None:
    """备份数据库（其他人写入时也能得到一致的副本）。"""
    from zwgk_tui.services import admin

    r = admin.backup(state.ctx(), output)
    out.print(f"已备份到 {r.path}", markup=False)


def _usage_message(exc: Exception) -> str:
    """Typer's (vendored click's) usage errors, said in Chinese with the parameter named."""
    from typer._click import exceptions as cx

    ctx = getattr(exc, "ctx", None)
    where = f"zwgk-tui {ctx.command_path.split(' ', 1)[1]}" if ctx and " " in ctx.command_path else "zwgk-tui"
    param = getattr(exc, "param", None)
    hint = getattr(exc, "param_hint", None)
    if param is not None and not hint:
        try:
            hint = param.get_error_hint(ctx)  # typer < 0.29 needs the context
        except TypeError:
            try:
                hint = param.get_error_hint()
            except Exception:  # noqa: BLE001 - the hint is a courtesy; the message must still be printed
                hint = getattr(param, "name", "")
        except Exception:  # noqa: BLE001 - the hint is a courtesy; the message must still be printed
            hint = getattr(param, "name", "")
    if isinstance(hint, (list, tuple)):
        hint = " / ".join(hint)
    hint = str(hint or "").replace("'", "")
    if isinstance(exc, cx.MissingParameter):
        text = f"缺少必填参数 {hint}"
    elif isinstance(exc, cx.NoSuchOption):
        text = f"没有选项 {exc.option_name}"
        if exc.possibilities:
            text += f"（是否要用 {'、'.join(sorted(exc.possibilities))}？）"
    elif isinstance(exc, cx.BadParameter):
        reason = "应为整数" if "integer" in exc.message or "valid int" in exc.message else exc.message
        text = f"参数 {hint} 的值无效：{reason}"
    else:
        message = str(getattr(exc, "message", exc)).rstrip(".")
        if message.startswith("No such command"):
            message = "没有命令 " + message.split(" ", 3)[-1].replace("'", "")
        text = f"命令用法有误：{message}"
    return f"错误：{text}。用 {where} -h 查看用法"


def run() -> None:
    """Console-script entry. Usage errors exit 2 with a Chinese message, as the contract says."""
    from typer._click import exceptions as cx

    try:
        rc = app(prog_name="zwgk-tui", standalone_mode=False)
    except cx.UsageError as exc:
        err.print(_usage_message(exc), markup=False)
        sys.exit(2)
    except typer.Abort:
        err.print("已取消")
        sys.exit(1)
    sys.exit(rc if isinstance(rc, int) else 0)


# Commands from other modules register themselves on `app` when imported.
from zwgk_tui.cli import calendar_cmds as _calendar_cmds  # noqa: E402,F401
from zwgk_tui.cli import doc_cmds as _doc_cmds  # noqa: E402,F401
from zwgk_tui.cli import stats_cmds as _stats_cmds  # noqa: E402,F401
