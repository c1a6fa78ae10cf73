"""Proceedings as records (issues 12, 15): `remedy` creates and updates them, refuses bad dates with the rule,
keeps the 0.1 spelling where it is unambiguous, and `open_deadlines` lists what falls due for the agenda."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.conftest import EVIDENCE, Cli


def act(cli: Cli, number: str, action: str, *opts: str, today: str, ok: bool = True) -> Any:
    return cli("case", "act", number, action, *opts, today=today, ok=ok)


def replied(cli: Cli, received: str, on: str, outcome: str = "disclosed", *, agency: str | None = None,
            applicant: str = "张三") -> str:
    extra = ("--agency", agency) if agency else ()
    n = cli("case", "new", "--applicant", applicant, "--applicant-type", "natural_person", "--channel", "in_person",
            "--received", received, "--content", "某项目审批文件", *extra, today=received).stdout.strip()
    for step, opts in (("decide", ("--outcome", outcome, *EVIDENCE.get(outcome, ()))), ("submit", ()),
                       ("sign", ())):
        act(cli, n, step, "--on", on, *opts, *extra, today=on)
    cli.deliver(n, on, "--method", "in_person", *extra, today=on)
    return n


@pytest.fixture
def office(cli: Cli) -> Cli:
    cli("agency", "add", "ja", "--name", "甲县住房和城乡建设局", "--reconsideration-body", "甲县人民政府",
        "--court", "甲县人民法院", today="2025-01-02")
    cli("agency", "add", "jb", "--name", "甲县自然资源局", "--reconsideration-body", "甲县人民政府",
        "--court", "甲县人民法院", today="2025-01-02")
    for code in ("ja", "jb"):
        cli("agency", "set", code, "--office-review", "off", "--legal-review", "off", today="2025-01-02")
    return cli


def test_create_update_and_show_with_deadlines(office: Cli) -> None:
    cli = office
    n = replied(cli, "2025-08-01", "2025-08-20", agency="ja")
    r = act(cli, n, "remedy", "--agency", "ja", "--kind", "reconsideration", "--filed", "2025-09-22",
            "--copy-received", "2025-09-29", "--accepted", "2025-09-26", today="2025-09-30")
    assert "复议/诉讼 #" in r.stdout and "已登记" in r.stdout
    view = cli("case", "show", n, "--agency", "ja", "--json", today="2025-09-30").json()
    [p] = view["proceedings"]
    assert (p["kind"], p["filed_on"], p["result"]) == ("reconsideration", "2025-09-22", "pending")
    assert [(d["code"], d["due"], d["status"]) for d in p["deadlines"]] == [
        ("answer", "2025-10-20", "open"), ("decision", "2025-11-25", "open")]
    assert view["remedies"] == [{"kind": "reconsideration", "filed_on": "2025-09-22", "result": "pending",
                                 "decided_on": None}]  # the 0.1 shape stays
    # The event records the step on the date of the fact (the filing), not today.
    assert view["events"][-1]["action"] == "remedy" and view["events"][-1]["on"] == "2025-09-22"
    r = act(cli, n, "remedy", "--agency", "ja", "--proceeding", str(p["id"]), "--answered", "2025-10-17",
            today="2025-10-17")
    assert "已更新" in r.stdout
    text = cli("case", "show", n, "--agency", "ja", today="2025-10-17").stdout
    assert "提交书面答复和证据、依据：2025-10-20" in text and "已完成" in text
    assert "2025-10-01 至 10-08 国庆节" in text and "2025-10-11（周六） 调休上班日" in text
    assert "复议机关作出决定的期限：2025-11-25" in text


@pytest.mark.parametrize(
    ("opts", "message"),
    [
        (("--filed", "2025-09-22"), "--kind"),
        (("--kind", "reconsideration", "--filed", "2025-10-31"), "晚于今天"),
        (("--kind", "reconsideration", "--filed", "2025-07-01"), "早于收到申请日期"),
        (("--kind", "reconsideration", "--filed", "2025-09-22", "--copy-received", "2025-09-20"), "早于申请/起诉日期"),
        (("--kind", "reconsideration", "--filed", "2025-09-22", "--decided", "2025-10-10"), "--result"),
        (("--kind", "reconsideration", "--filed", "2025-09-22", "--result", "upheld"), "--decided"),
        (("--kind", "reconsideration", "--filed", "2025-09-22", "--disclose-order"), "--result corrected"),
        (("--kind", "litigation_direct", "--filed", "2025-09-22", "--simplified"), "只适用于行政复议"),
        (("--kind", "reconsideration", "--filed", "2025-09-22", "--reported", "2025-10-01"), "--opinion-received"),
        (("--proceeding", "99", "--result", "upheld", "--decided", "2025-10-01"), "没有编号为 99"),
        (("--kind", "appeal", "--filed", "2025-09-22"), "--kind“appeal”无效"),
        (("--kind", "reconsideration", "--filed", "2025-13-01"), "--filed"),
    ],
)
def test_bad_input_is_refused_with_the_rule_and_nothing_written(office: Cli, opts: tuple[str, ...],
                                                                message: str) -> None:
    cli = office
    n = replied(cli, "2025-08-01", "2025-08-20", agency="ja")
    r = act(cli, n, "remedy", "--agency", "ja", *opts, today="2025-10-30", ok=False)
    assert r.exit_code == 2 and message in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
    assert cli("case", "show", n, "--agency", "ja", "--json", today="2025-10-30").json()["proceedings"] == []


def test_the_01_spelling_keeps_working_where_it_is_unambiguous(office: Cli) -> None:
    cli = office
    n = replied(cli, "2025-08-01", "2025-08-20", agency="ja")
    r = act(cli, n, "remedy", "--agency", "ja", "--on", "2025-09-10", "--kind", "reconsideration", "--result",
            "pending", today="2025-09-10")
    assert "今后请写 --kind reconsideration --filed 日期" in r.stderr
    r = act(cli, n, "remedy", "--agency", "ja", "--on", "2025-11-03", "--kind", "reconsideration", "--result",
            "upheld", today="2025-11-03")
    assert "--proceeding" in r.stderr
    view = cli("case", "show", n, "--agency", "ja", "--json", today="2025-11-03").json()
    assert view["remedies"] == [{"kind": "reconsideration", "filed_on": "2025-09-10", "result": "upheld",
                                 "decided_on": "2025-11-03"}]
    # A decided one of the same kind exists: a second "--kind reconsideration" cannot be told from an update.
    r = act(cli, n, "remedy", "--agency", "ja", "--on", "2025-11-10", "--kind", "reconsideration", "--result",
            "corrected", today="2025-11-10", ok=False)
    assert r.exit_code == 2 and "--filed" in r.stderr and "--proceeding" in r.stderr
    # Without --on the new spelling dates the step by what it records.
    r = act(cli, n, "remedy", "--agency", "ja", "--kind", "reconsideration", "--filed", "2025-11-10",
            today="2025-11-12")
    assert len(cli("case", "show", n, "--agency", "ja", "--json", today="2025-11-12").json()["proceedings"]) == 2
    # Other steps still need --on, and say so.
    r = act(cli, n, "reopen", "--agency", "ja", "--reason", "复议纠正", today="2025-11-12", ok=False)
    assert r.exit_code == 2 and "缺少 --on" in r.stderr


def test_correcting_the_filing_step_moves_the_filing_date(office: Cli) -> None:
    cli = office
    n = replied(cli, "2025-08-01", "2025-08-20", agency="ja")
    act(cli, n, "remedy", "--agency", "ja", "--kind", "litigation_direct", "--filed", "2025-09-22",
        today="2025-09-30")
    event = cli("case", "show", n, "--agency", "ja", "--json", today="2025-09-30").json()["events"][-1]["id"]
    act(cli, n, "correct-date", "--agency", "ja", "--on", "2025-09-19", "--event", str(event), "--reason", "起诉状日期",
        today="2025-09-30")
    [p] = cli("case", "show", n, "--agency", "ja", "--json", today="2025-09-30").json()["proceedings"]
    assert p["filed_on"] == "2025-09-19"


def test_open_deadlines_for_the_agenda(office: Cli) -> None:
    """Four cases across two agencies; the agenda asks for what falls due by a date."""
    from zwgk_tui.persistence import repo
    from zwgk_tui.services.context import ServiceContext
    from zwgk_tui.services.proceedings import open_deadlines

    cli = office
    a = replied(cli, "2025-08-01", "2025-08-20", agency="ja", applicant="甲")
    b = replied(cli, "2025-08-04", "2025-08-22", agency="jb", applicant="乙")
    c = replied(cli, "2025-08-05", "2025-08-25", agency="ja", applicant="丙")
    d = replied(cli, "2025-08-06", "2025-08-26", agency="ja", applicant="丁")
    act(cli, a, "remedy", "--agency", "ja", "--kind", "reconsideration", "--filed", "2025-09-22", "--copy-received",
        "2025-09-29", "--accepted", "2025-09-26", today="2025-09-30")
    act(cli, b, "remedy", "--agency", "jb", "--kind", "litigation_direct", "--filed", "2025-09-10",
        "--copy-received", "2025-09-16", today="2025-09-30")
    act(cli, c, "remedy", "--agency", "ja", "--kind", "reconsideration", "--filed", "2025-08-28", "--result",
        "corrected", "--decided", "2025-09-29", "--disclose-order", today="2025-09-30")
    act(cli, d, "remedy", "--agency", "ja", "--kind", "reconsideration", "--filed", "2025-09-01", "--copy-received",
        "2025-09-03", "--answered", "2025-09-10", today="2025-09-30")  # answered: nothing open
    ctx = ServiceContext.open(cli.url, "t")
    try:
        with ctx.db.read() as s:
            ids = {x.code: x.id for x in repo.agencies(s)}
            soon = open_deadlines(ctx, s, None, date(2025, 10, 31))
            later = open_deadlines(ctx, s, None, date(2025, 12, 31))
            only_ja = open_deadlines(ctx, s, (ids["ja"],), date(2025, 12, 31))
    finally:
        ctx.db.dispose()
    assert [(x["case_number"], x["agency_code"], x["code"], x["due"]) for x in soon] == [
        (b, "jb", "defence", date(2025, 10, 9)),
        (a, "ja", "answer", date(2025, 10, 20)),
    ]
    assert [(x["case_number"], x["code"], x["due"]) for x in later] == [
        (b, "defence", date(2025, 10, 9)), (a, "answer", date(2025, 10, 20)),
        (c, "compliance", date(2025, 11, 3)), (a, "decision", date(2025, 11, 25)),
    ]
    first = later[0]
    assert set(first) >= {"case_number", "agency_code", "proceeding_id", "kind", "what", "due", "basis"}
    assert first["what"] == "提交答辩状和证据、规范性文件" and "第六十七条" in first["basis"]
    assert [x["own"] for x in later] == [True, True, True, False]
    assert [x["case_number"] for x in only_ja] == [a, c, a]


def test_a_corrected_result_changed_later_drops_its_order_to_disclose(office: Cli) -> None:
    cli = office
    n = replied(cli, "2025-08-01", "2025-08-20", agency="ja")
    act(cli, n, "remedy", "--agency", "ja", "--kind", "reconsideration", "--filed", "2025-08-28", "--result",
        "corrected", "--decided", "2025-09-29", "--disclose-order", today="2025-09-30")
    [p] = cli("case", "show", n, "--agency", "ja", "--json", today="2025-09-30").json()["proceedings"]
    assert [d["code"] for d in p["deadlines"]] == ["compliance"]
    # The result was recorded in error: the body upheld the reply. The order to disclose and its deadline go.
    r = act(cli, n, "remedy", "--agency", "ja", "--proceeding", str(p["id"]), "--result", "upheld", "--decided",
            "2025-09-29", today="2025-10-09")
    assert "已同时取消记录的责令公开" in r.stderr
    [p] = cli("case", "show", n, "--agency", "ja", "--json", today="2025-10-09").json()["proceedings"]
    assert (p["result"], p["disclose_order"], p["deadlines"]) == ("upheld", False, [])
