"""`zwgk-tui` command line. Thin: parse, call a service, print. Never imports Textual (the TUI is loaded only
when no command is given)."""


import functools
import inspect
import os
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
            from zwgk_tui.cli.start import resume_collector
            from zwgk_tui.services.context import ServiceContext

            self._ctx = ServiceContext.open(self.db, self.user)
            resume_collector()
        return self._ctx

    def close(self) -> None:
        if self._ctx is not None:
            self._ctx.db.dispose()
            self._ctx = None


state = _State()


def handled(fn: F) -> F:
    """Service errors become a Chinese message on stderr and their exit code; never a traceback for bad input,
    never a statement's parameters (ID numbers, phones) in a database error."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from zwgk_tui.domain.validation import ValidationError
        from zwgk_tui.persistence.database import DatabaseUrlError

        try:
            _check_arguments(kwargs)
            return fn(*args, **kwargs)
        except ServiceError as exc:
            err.print(f"错误：{exc.message}", markup=False)
            if exc.detail.get("case") and kwargs.get("as_json"):
                print_json(exc.detail["case"])
            raise typer.Exit(exc.exit_code) from None
        except (DatabaseUrlError, ValidationError) as exc:
            err.print(f"错误：{exc}", markup=False)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            err.print("已中断，未保存的操作已撤销")
            raise typer.Exit(130) from None
        except typer.Exit:
            raise
        except Exception as exc:  # classify database and file faults for people
            from sqlalchemy.exc import DBAPIError, OperationalError

            from zwgk_tui.persistence.database import describe_db_error, server_refusal

            if isinstance(exc, OperationalError):
                msg = describe_db_error(exc)
                if "locked" in msg or "busy" in msg:
                    err.print("错误：数据库正被其他用户长时间占用（已等待30秒），本次操作未保存，请稍后重试")
                    raise typer.Exit(4) from None
                if msg.startswith("数据库登录失败"):
                    err.print(f"错误：{msg}", markup=False)
                    raise typer.Exit(3) from None
                err.print(f"错误：无法访问数据库：{msg}", markup=False)
                raise typer.Exit(1) from None
            if isinstance(exc, DBAPIError):
                refusal = server_refusal(exc)
                if refusal:
                    err.print(f"错误：{refusal}", markup=False)
                    raise typer.Exit(3) from None
                err.print(f"错误：数据库拒绝了本次操作，未保存任何内容：{describe_db_error(exc)}", markup=False)
                raise typer.Exit(1) from None
            if isinstance(exc, OSError) and exc.filename:
                err.print(f"错误：无法读写“{exc.filename}”：{exc.strerror or exc}", markup=False)
                raise typer.Exit(2) from None
            raise

    return wrapper  # type: ignore[return-value]


def _option_name(key: str) -> str:
    try:
        from typer._click.globals import get_current_context

        for param in get_current_context().command.params:
            if param.name == key:
                opts: list[str] = [o for o in getattr(param, "opts", []) if o.startswith("--")]
                return opts[0] if opts else param.human_readable_name
    except Exception:  # the name is a courtesy in a message
        return "--" + key.replace("_", "-")
    return "--" + key.replace("_", "-")


def _check_arguments(kwargs: dict[str, Any]) -> None:
    """Values no command can store, refused before anything opens: text that is not valid UTF-8 (it arrives as
    lone surrogates), NUL, absurd lengths, whole numbers beyond a database integer."""
    from zwgk_tui.domain.validation import ARG_MAX_CHARS, INT_MAX
    from zwgk_tui.services.errors import InvalidInput

    for key, value in kwargs.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            if isinstance(item, str):
                if any("\ud800" <= ch <= "\udfff" for ch in item):
                    raise InvalidInput(f"参数 {_option_name(key)} 不是有效的 UTF-8 文本（终端或文件编码有误？）")
                if "\x00" in item:
                    raise InvalidInput(f"参数 {_option_name(key)} 含有不可见的空字符（NUL）")
                if len(item) > ARG_MAX_CHARS:
                    raise InvalidInput(f"参数 {_option_name(key)} 过长（{len(item):,} 字），上限 {ARG_MAX_CHARS:,} 字")
            elif isinstance(item, int) and not isinstance(item, bool) and not -INT_MAX - 1 <= item <= INT_MAX:
                raise InvalidInput(f"参数 {_option_name(key)} 的值 {item} 超出范围：整数最大为 {INT_MAX:,}")


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
    if info["restored_triggers"]:
        err.print("注意：以下防篡改触发器缺失或被停用，已恢复：" + "、".join(info["restored_triggers"])
                  + "。请执行 zwgk-tui verify 检查办理记录是否被改动，并查明原因", markup=False)


@case_app.command("new")
@handled
def case_new(
    applicant: str = typer.Option(..., "--applicant", help="申请人姓名或名称"),
    applicant_type: str = typer.Option(..., "--applicant-type",
                                       help="natural_person business research nonprofit legal_service other_org"),
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
        err.print(f"已登记：{result.number}，答复期限 {due}"
                  + ("（暂定）" if result.case["deadline"]["provisional"] else ""))
        for line in result.correction_hints:
            err.print(f"提示：{line}", markup=False)
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


def _step_option_params() -> list[inspect.Parameter]:
    """One typer option per option field of the step table (domain/step_options.py): the flags, their help and
    which steps take them come from the table, so the command line offers exactly what the service accepts."""
    from zwgk_tui.domain.step_options import all_option_specs, option_help

    params = []
    for name, (spec, _actions) in all_option_specs().items():
        text = option_help(name)
        if spec.kind == "bool":
            default: Any = typer.Option(False, spec.flag, help=text)
            annotation: Any = bool
        elif spec.kind in ("multi", "multichoice"):
            default = typer.Option(None, spec.flag, help=text, metavar="TEXT...")
            annotation = list[str] | None
        else:
            default = typer.Option(None, spec.flag, help=text, metavar="TEXT")
            annotation = str | None
        params.append(inspect.Parameter(f"opt_{name}", inspect.Parameter.KEYWORD_ONLY, default=default,
                                        annotation=annotation))
    return params


def _print_step_result(view: dict[str, Any], action: str, as_json: bool) -> None:
    if as_json:
        print_json(view)
        return
    dl = view["deadline"]
    due = dl["due"] or ("暂停计时" if dl["paused"] else "待补正" if dl["correction_pending"] else "—")
    from zwgk_tui.domain.event_text import event_label

    recorded = view.get("recorded") or {}
    what = f"{event_label(action)}（{action}）"
    if action == "remedy" and recorded.get("proceeding"):
        from zwgk_tui.domain.codes import REMEDY_KINDS

        verb = "已登记" if recorded.get("created") else "已更新"
        what = (f"复议/诉讼 #{recorded['proceeding']}（{REMEDY_KINDS.get(recorded.get('kind', ''), '')}，"
                f"{recorded.get('result_label', '')}）{verb}，remedy")
    out.print(f"{view['number']}：{what} 已记录。阶段：{view['stage_label']}"
              + (f"，办理结果：{view['outcome_label']}" if view["outcome"] else "")
              + ("" if view["outcome"] else f"，答复期限：{due}" + ("（暂定）" if dl["provisional"] else "")),
              markup=False)
    for line in view.get("warnings") or []:
        err.print(line, markup=False)


def _case_act(**kwargs: Any) -> None:
    from zwgk_tui.services import cases

    number, action = kwargs.pop("number"), kwargs.pop("action")
    on, comment, agency = kwargs.pop("on"), kwargs.pop("comment"), kwargs.pop("agency")
    expect_version, as_json = kwargs.pop("expect_version"), kwargs.pop("as_json")
    options = {key.removeprefix("opt_"): value for key, value in kwargs.items()}
    view = cases.act(state.ctx(), number, cases.StepInput(action=action, on=on, comment=comment, options=options,
                                                          expect_version=expect_version), agency)
    _print_step_result(view, action, as_json)


def _act_signature() -> inspect.Signature:
    common = [
        inspect.Parameter("number", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                          default=typer.Argument(..., help="案件编号"), annotation=str),
        inspect.Parameter("action", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                          default=typer.Argument(..., help="办理步骤"), annotation=str),
        inspect.Parameter("on", inspect.Parameter.KEYWORD_ONLY,
                          default=typer.Option(None, "--on", help="该步骤的法定日期，如 2025-03-10"
                                                                  "（remedy 可省略：取所记录的日期）"),
                          annotation=str | None),
        inspect.Parameter("comment", inspect.Parameter.KEYWORD_ONLY,
                          default=typer.Option("", "--comment", help="备注；退回时为退回意见，审核时为审核意见"),
                          annotation=str),
        inspect.Parameter("agency", inspect.Parameter.KEYWORD_ONLY, default=typer.Option(None, "--agency"),
                          annotation=str | None),
        inspect.Parameter("expect_version", inspect.Parameter.KEYWORD_ONLY,
                          default=typer.Option(None, "--expect-version",
                                               help="仅当案件仍为该版本时执行（防止覆盖他人修改）"),
                          annotation=int | None),
        inspect.Parameter("as_json", inspect.Parameter.KEYWORD_ONLY, default=typer.Option(False, "--json"),
                          annotation=bool),
    ]
    return inspect.Signature([*common, *_step_option_params()])


_case_act.__signature__ = _act_signature()  # type: ignore[attr-defined]
_case_act.__doc__ = "办理一个步骤（--on 为法定日期）。"
case_app.command(
    "act",
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="步骤：request-correction correction-received correction-lapsed explanation-request explanation-answered "
    "consult consult-answered served fee-notice fee-paid fee-lapsed extend delay decide submit approve return sign "
    "deliver withdraw remedy reopen correct-date amend",
)(handled(_case_act))


@case_app.command("amend")
@handled
def case_amend(
    number: str = typer.Argument(..., help="案件编号"),
    on: str = typer.Option(..., "--on", help="更正日期"),
    reason: str = typer.Option(..., "--reason", help="更正理由（如：申请人姓名登记有误）"),
    applicant: str | None = typer.Option(None, "--applicant", help="申请人姓名或名称"),
    id_number: str | None = typer.Option(None, "--id-number", help="身份证号码或统一社会信用代码"),
    phone: str | None = typer.Option(None, "--phone"),
    email: str | None = typer.Option(None, "--email"),
    address: str | None = typer.Option(None, "--address"),
    postcode: str | None = typer.Option(None, "--postcode"),
    content: str | None = typer.Option(None, "--content", help="申请内容"),
    items: str | None = typer.Option(None, "--items", help="申请事项数"),
    agency: str | None = typer.Option(None, "--agency"),
    expect_version: int | None = typer.Option(None, "--expect-version"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """更正登记信息（记为一条更正记录，原记录不改动；此后出具的文书使用更正后的内容）。"""
    from zwgk_tui.services import cases

    options = {"reason": reason, "applicant": applicant, "id_number": id_number, "phone": phone, "email": email,
               "address": address, "postcode": postcode, "content": content, "items": items}
    view = cases.act(state.ctx(), number, cases.StepInput(action="amend", on=on, options=options,
                                                          expect_version=expect_version), agency)
    _print_step_result(view, "amend", as_json)


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
        print_json({k: (v.isoformat() if hasattr(v, "isoformat") else v)
                    for k, v in info.items() if k != "explanation"})
        return
    prov = "（暂定：该年度日历尚未正式公布）"
    out.print(f"收到申请：{info['received'].isoformat()}")
    out.print(f"补正告知期限（第7个工作日）：{info['correction_notice_due'].isoformat()}")
    out.print(f"答复期限（第20个工作日）：{info['reply_due'].isoformat()}"
              + (prov if info.get("reply_provisional", info["provisional"]) else ""))
    out.print(f"延长后期限（第40个工作日）：{info['extended_due'].isoformat()}" + (prov if info["provisional"] else ""))


_KIND_HELP = ("机关类型：department 政府工作部门 | government 人民政府 | vertical 垂直管理 | "
              "justice_bureau 司法行政部门 | dispatched 派出机关")
_ONLINE_HELP = ("网上申请行政复议的渠道（网址或平台名称）；"
                "以电子邮件、网上送达的文书必须告知（行政复议法第二十二条第二款）")
_SECOND_BODY_HELP = "第二个行政复议机关：仅司法行政部门（--kind justice_bureau），写上一级司法行政部门（第二十八条）"
_FEE_REMEDY_HELP = "收费通知书的救济告知：none 不告知（默认）| reconsideration 告知可申请复议（不告知诉讼）"
_OVERRIDES_HELP = ("救济告知规则调整：结果代码=告知方式（reconsideration_first/general/reconsideration_only/none），"
                   "分号分隔；\"\" 恢复默认")


@agency_app.command("add")
@handled
def agency_add(
    code: str = typer.Argument(..., help="机关代码（字母数字）"),
    name: str = typer.Option(..., "--name", help="机关全称"),
    reconsideration_body: str | None = typer.Option(None, "--reconsideration-body", help="行政复议机关"),
    court: str | None = typer.Option(None, "--court", help="管辖人民法院"),
    short_name: str | None = typer.Option(None, "--short-name", help="简称（文号用）"),
    kind: str | None = typer.Option(None, "--kind", help=_KIND_HELP),
    letterhead: str | None = typer.Option(None, "--letterhead", help="on/off：文书印发文机关标志（红头）"),
    reconsideration_online: str | None = typer.Option(None, "--reconsideration-online", help=_ONLINE_HELP),
    second_reconsideration_body: str | None = typer.Option(None, "--second-reconsideration-body",
                                                           help=_SECOND_BODY_HELP),
    fee_notice_remedy: str | None = typer.Option(None, "--fee-notice-remedy", help=_FEE_REMEDY_HELP),
    remedy_overrides: str | None = typer.Option(None, "--remedy-overrides", help=_OVERRIDES_HELP),
) -> None:
    """添加机关。"""
    from zwgk_tui.services import admin

    a = admin.add_agency(state.ctx(), code, name, reconsideration_body=reconsideration_body, court=court,
                         short_name=short_name, **_letter_settings(kind, letterhead, reconsideration_online,
                                                                   second_reconsideration_body, fee_notice_remedy,
                                                                   remedy_overrides))
    out.print(f"已添加机关：{a['name']}（{a['code']}）", markup=False)
    _print_warnings(a)


def _letter_settings(kind: str | None, letterhead: str | None, reconsideration_online: str | None,
                     second_reconsideration_body: str | None, fee_notice_remedy: str | None,
                     remedy_overrides: str | None) -> dict[str, Any]:
    return {
        "kind": kind, "letterhead": _bool_opt(letterhead, "--letterhead"),
        "reconsideration_online": reconsideration_online,
        "second_reconsideration_body": second_reconsideration_body,
        "fee_notice_remedy": fee_notice_remedy, "remedy_overrides": remedy_overrides,
    }


def _print_warnings(a: dict[str, Any]) -> None:
    for warning in a.get("warnings", []):
        err.print(f"注意：{warning}", markup=False)


def _print_agency(a: dict[str, Any]) -> None:
    from zwgk_tui.services.admin import AGENCY_SETTING_CHOICES, AGENCY_SETTINGS

    out.print(f"机关代码：{a['code']}", markup=False)
    for key, (kind, label) in AGENCY_SETTINGS.items():
        value = a[key]
        if kind is bool:
            value = "是" if value else "否"
        elif key in AGENCY_SETTING_CHOICES and value in AGENCY_SETTING_CHOICES[key]:
            value = f"{value}（{AGENCY_SETTING_CHOICES[key][value]}）"
        out.print(f"{label}（{key}）：{value if value not in (None, '') else '（未设置）'}", markup=False)
    _print_warnings(a)


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
    kind: str | None = typer.Option(None, "--kind", help=_KIND_HELP),
    letterhead: str | None = typer.Option(None, "--letterhead", help="on/off：文书印发文机关标志（红头）"),
    reconsideration_online: str | None = typer.Option(None, "--reconsideration-online", help=_ONLINE_HELP),
    second_reconsideration_body: str | None = typer.Option(None, "--second-reconsideration-body",
                                                           help=_SECOND_BODY_HELP),
    fee_notice_remedy: str | None = typer.Option(None, "--fee-notice-remedy", help=_FEE_REMEDY_HELP),
    remedy_overrides: str | None = typer.Option(None, "--remedy-overrides", help=_OVERRIDES_HELP),
) -> None:
    """修改机关设置。"""
    from zwgk_tui.services import admin

    a = admin.set_agency(
        state.ctx(), code, name=name, short_name=short_name, reconsideration_body=reconsideration_body, court=court,
        address=address, postcode=postcode, phone=phone, email=email, contact=contact,
        office_review=_bool_opt(office_review, "--office-review"),
        legal_review=_bool_opt(legal_review, "--legal-review"),
        separate_reviewers=_bool_opt(separate_reviewers, "--separate-reviewers"), due_soon_days=due_soon_days,
        fee_pauses_clock=_bool_opt(fee_pauses_clock, "--fee-pauses-clock"), number_format=number_format,
        doc_number_format=doc_number_format, fee_payment_route=fee_payment_route, template_dir=template_dir,
        **_letter_settings(kind, letterhead, reconsideration_online, second_reconsideration_body, fee_notice_remedy,
                           remedy_overrides),
    )
    _print_agency(a)


@user_app.command("add")
@handled
def user_add(
    name: str = typer.Argument(...),
    more_roles: list[str] = typer.Argument(None, help="更多角色（可写在 --role 之后）"),
    role: list[str] = typer.Option([], "--role", help="clerk office legal head admin（可多个）"),
    agency: str | None = typer.Option(None, "--agency"),
    login: str | None = typer.Option(None, "--login", help="SQLite：对应的本机登录名（默认同用户名）"),
    password_file: str | None = typer.Option(None, "--password-file",
                                             help="PostgreSQL：从文件第一行读取新登录的密码（不写则在终端询问）"),
) -> None:
    """添加用户：zwgk-tui user add 张三 --role clerk head --agency zjj"""
    from zwgk_tui.services import admin

    roles = [r.strip() for item in (role + (more_roles or [])) for r in item.replace("，", ",").split(",") if r.strip()]
    ctx = state.ctx()
    password = None if ctx.db.is_sqlite else _read_password(password_file, name)
    u = admin.add_user(ctx, name, roles, agency, login=login, password=password)
    out.print(f"已添加用户：{u['name']}，角色：{'、'.join(u['roles'])}"
              + (f"，机关：{u['agency']}" if u["agency"] else "")
              + (f"，本机登录名：{u['login']}" if u["login"] else ""), markup=False)
    if u["database"] == "postgresql":
        if u["login_created"]:
            err.print(f"已建立数据库登录“{u['name']}”：该用户用自己的登录名和密码连接数据库", markup=False)
        else:
            err.print(f"注意：未提供密码，尚未建立数据库登录。设置密码后即可登录：zwgk-tui user password {u['name']} "
                      "--password-file 文件", markup=False)


def _read_password(path: str | None, name: str) -> str | None:
    """From the first line of a file, or asked twice on a terminal; None when neither is available."""
    from zwgk_tui.services.errors import InvalidInput

    if path:
        try:
            with open(path, encoding="utf-8") as fh:
                password = fh.readline().rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"无法读取密码文件“{path}”：{getattr(exc, 'strerror', None) or exc}") from None
        if not password:
            raise InvalidInput(f"密码文件“{path}”的第一行是空的")
        return password
    if sys.stdin.isatty():
        return str(typer.prompt(f"为 {name} 设置数据库登录密码", hide_input=True, confirmation_prompt="再输入一次"))
    return None


@user_app.command("password")
@handled
def user_password(
    name: str = typer.Argument(...),
    password_file: str | None = typer.Option(None, "--password-file", help="从文件第一行读取密码"),
) -> None:
    """PostgreSQL：设置登录密码（尚无登录的用户同时建立登录）。"""
    from zwgk_tui.services import admin
    from zwgk_tui.services.errors import InvalidInput

    ctx = state.ctx()
    password = None if ctx.db.is_sqlite else _read_password(password_file, name)
    if password is None and not ctx.db.is_sqlite:
        raise InvalidInput("请用 --password-file 文件 提供密码（或在终端中运行以输入密码）")
    r = admin.set_password(ctx, name, password or "")
    out.print(f"已为“{r['name']}”" + ("建立数据库登录并设置密码" if r["created"] else "设置新密码"), markup=False)


@user_app.command("login")
@handled
def user_login(name: str = typer.Argument(...), login: str = typer.Argument(..., help="本机登录名")) -> None:
    """SQLite：把本机登录名对应到已登记的用户（管理员）。"""
    from zwgk_tui.services import admin

    u = admin.set_login(state.ctx(), name, login)
    out.print(f"本机登录名“{u['login']}”现对应用户“{u['name']}”", markup=False)


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
            out.print(f"{u['name']}\t{','.join(u['roles'])}\t{u['agency'] or '全部机关'}"
                      + (f"\t登录名 {u['login']}" if u.get("login") else ""), markup=False)


@app.command()
@handled
def backup(
    output: str | None = typer.Option(None, "-o", "--output", help="备份文件或目录（默认当前目录，文件名带时间）"),
    force: bool = typer.Option(False, "--force", help="覆盖已有的备份文件"),
) -> None:
    """先校验办理记录，再备份数据库（其他人写入时也能得到一致的副本）。"""
    from zwgk_tui.services import admin

    r = admin.backup(state.ctx(), output, force=force)
    out.print(f"已备份到 {r.path}", markup=False)
    if r.problems:
        err.print(f"警告：备份前的校验发现 {len(r.problems)} 处问题（备份已完成，保留了现状作为证据）：", markup=False)
        for p in r.problems:
            err.print(f"  {p}", markup=False)
        raise typer.Exit(1)


@app.command()
@handled
def verify(as_json: bool = typer.Option(False, "--json")) -> None:
    """校验办理记录：校验链、案件状态与记录是否一致、编号是否连续、防篡改触发器；有问题时退出码为 1。"""
    from zwgk_tui.services import verify as svc

    report = svc.run(state.ctx())
    if as_json:
        print_json(report.as_json())
    else:
        for w in report.warnings:
            err.print(f"注意：{w}", markup=False)
        if report.ok:
            out.print(f"校验完成：{report.cases} 件案件、{report.events} 条办理记录，未发现问题。", markup=False)
        else:
            out.print(f"校验发现问题：{report.cases} 件案件、{report.events} 条办理记录中，"
                      f"{len(report.broken_cases)} 件案件有问题，共 {len(report.problems)} 处：", markup=False)
            for p in report.problems:
                out.print(f"  {p.case}：{p.message}" if p.case else f"  {p.message}", markup=False)
    if not report.ok:
        raise typer.Exit(1)


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
            except Exception:  # the hint is a courtesy; the message must still be printed
                hint = getattr(param, "name", "")
        except Exception:  # the hint is a courtesy; the message must still be printed
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

    for i, arg in enumerate(sys.argv[1:], start=1):
        if any("\udc80" <= ch <= "\udcff" for ch in arg):
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            err.print(f"错误：第 {i} 个参数“{shown}”不是有效的 UTF-8 文本（终端或文件编码有误？）", markup=False)
            sys.exit(2)
    for var in ("ZWGK_DB", "ZWGK_USER", "ZWGK_TODAY"):
        if any("\udc80" <= ch <= "\udcff" for ch in os.environ.get(var, "")):
            err.print(f"错误：环境变量 {var} 不是有效的 UTF-8 文本", markup=False)
            sys.exit(2)
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
from zwgk_tui.cli import agenda_cmds as _agenda_cmds  # noqa: E402,F401
from zwgk_tui.cli import calendar_cmds as _calendar_cmds  # noqa: E402,F401
from zwgk_tui.cli import doc_cmds as _doc_cmds  # noqa: E402,F401
from zwgk_tui.cli import intake_cmds as _intake_cmds  # noqa: E402,F401
from zwgk_tui.cli import register_cmds as _register_cmds  # noqa: E402,F401
from zwgk_tui.cli import stats_cmds as _stats_cmds  # noqa: E402,F401
