"""Issue 10: a record the agency can defend — documents issued only when signed and dated by their step, voided
when the decision changes; delivery needs the reply; decisions complete at decide; steps in order; amendments as
events; one applicant is one person; the other side's periods run from its receipt. On SQLite and PostgreSQL.

Every expected date below is counted by hand on the official 2025 calendar (清明 4/4–4/6; 4/27 a make-up Sunday).
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest


def act(cli, number, action, on, *opts, ok=True, today=None, user=None):
    return cli("case", "act", number, action, "--on", on, *opts, ok=ok, today=today, user=user)


def text_of(path: str | Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def signed_case(cli, outcome_opts=("--outcome", "withheld_process_info", "--kind-of-info", "请示报告"),
                received="2025-03-03") -> str:
    """Registered 3/3, decided 3/10, submitted 3/11, office 3/12, legal 3/13, signed 3/14 (a Friday)."""
    n = cli.new_case(received)
    act(cli, n, "decide", "2025-03-10", *outcome_opts)
    act(cli, n, "submit", "2025-03-11")
    act(cli, n, "approve", "2025-03-12")
    act(cli, n, "approve", "2025-03-13")
    act(cli, n, "sign", "2025-03-14")
    return n


# ---------------------------------------------------------------------------------------------------------------
# Drafts and issued documents


def test_reply_is_issued_only_once_signed_and_carries_the_sign_off_date(cli, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    cli.set_up_agency()
    n = cli.new_case("2025-03-03")
    act(cli, n, "decide", "2025-03-10", "--outcome", "withheld_process_info", "--kind-of-info", "请示报告")
    r = cli("doc", n, "reply", "-o", str(tmp_path), ok=False)
    assert r.exit_code == 2 and "办理中" in r.stderr and "--draft" in r.stderr
    assert list(tmp_path.iterdir()) == []
    # A draft works at any stage: no number, not recorded, and it says so.
    draft = Path(cli("doc", n, "reply", "--draft", "-o", str(tmp_path)).stdout.strip())
    assert draft.exists() and "草稿" in draft.name
    assert "依公开〔" not in text_of(draft)
    assert cli("case", "show", n, "--json").json()["documents"] == []
    for step, on in (("submit", "2025-03-11"), ("approve", "2025-03-12"), ("approve", "2025-03-13"),
                     ("sign", "2025-03-14")):
        act(cli, n, step, on)
    # The sign-off was on 3/14; the file is made on 3/20 ("today"): the letter is dated 2025年3月14日.
    r = cli("doc", n, "reply", "--on", "2025-03-13", "-o", str(tmp_path), ok=False)
    assert r.exit_code == 2 and "早于签发日期 2025-03-14" in r.stderr
    r = cli("doc", n, "reply", "--on", "2025-03-21", "-o", str(tmp_path), ok=False)
    assert r.exit_code == 2 and "晚于今天" in r.stderr
    path = Path(cli("doc", n, "reply", "-o", str(tmp_path / "r.docx")).stdout.strip())
    xml = text_of(path)
    assert "2025年3月14日" in xml and "2025年3月20日" not in xml
    assert "某县住建依公开〔2025〕1号" in xml
    docs = cli("case", "show", n, "--json").json()["documents"]
    assert [(d["kind"], d["number"], d["issued_on"], d["status"]) for d in docs] == [
        ("reply_withheld", "某县住建依公开〔2025〕1号", "2025-03-14", "issued")]
    assert docs[0]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_later_date_may_be_given_but_the_reprint_keeps_it(cli, tmp_path):
    cli.set_up_agency()
    n = signed_case(cli)
    cli("doc", n, "reply", "--on", "2025-03-17", "-o", str(tmp_path / "a.docx"))
    assert "2025年3月17日" in text_of(tmp_path / "a.docx")
    r = cli("doc", n, "reply", "--on", "2025-03-18", "-o", str(tmp_path / "b.docx"), ok=False)
    assert r.exit_code == 2 and "2025-03-17" in r.stderr
    cli("doc", n, "reply", "-o", str(tmp_path / "c.docx"))
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "c.docx").read_bytes()
    # delivery cannot precede the letter's own date
    r = act(cli, n, "deliver", "2025-03-14", "--method", "in_person", ok=False)
    assert r.exit_code == 2 and "早于答复书成文日期 2025-03-17" in r.stderr


def test_decision_changed_after_issue_voids_the_reply_and_the_new_one_carries_the_new_decision(cli, tmp_path):
    cli.set_up_agency()
    n = signed_case(cli)
    old = Path(cli("doc", n, "reply", "-o", str(tmp_path / "old.docx")).stdout.strip())
    assert "第十六条" in text_of(old)
    # Found wrong before it went out: sent back from 待送达 (issue 10), which voids the issued reply.
    act(cli, n, "return", "2025-03-17", "--comment", "该请示已作出批复，应予公开")
    view = cli("case", "show", n, "--json").json()
    assert view["stage"] == "drafting"
    assert [(d["number"], d["status"]) for d in view["documents"]] == [("某县住建依公开〔2025〕1号", "void")]
    assert view["documents"][0]["void_reason"] == "退回修改：该请示已作出批复，应予公开"
    assert view["documents"][0]["voided_on"] == "2025-03-17"
    # Until the new decision is signed, no reply can be issued — and no reprint of the void one either.
    r = cli("doc", n, "reply", "-o", str(tmp_path / "x.docx"), ok=False)
    assert r.exit_code == 2 and not (tmp_path / "x.docx").exists()
    act(cli, n, "decide", "2025-03-17", "--outcome", "disclosed", "--provision", "现以电子邮件方式向您提供")
    for step, on in (("submit", "2025-03-17"), ("approve", "2025-03-18"), ("approve", "2025-03-18"),
                     ("sign", "2025-03-19")):
        act(cli, n, step, on)
    new = Path(cli("doc", n, "reply", "-o", str(tmp_path / "new.docx")).stdout.strip())
    xml = text_of(new)
    assert "某县住建依公开〔2025〕2号" in xml and "2025年3月19日" in xml
    assert "第三十六条第（二）项" in xml and "第十六条" not in xml
    view = cli("case", "show", n, "--json").json()
    assert [(d["kind"], d["number"], d["issued_on"], d["status"]) for d in view["documents"]] == [
        ("reply_withheld", "某县住建依公开〔2025〕1号", "2025-03-14", "void"),
        ("reply_disclosed", "某县住建依公开〔2025〕2号", "2025-03-19", "issued"),
    ]
    text = cli("case", "show", n).stdout
    assert "作废（退回修改：该请示已作出批复，应予公开）" in text
    view = act(cli, n, "deliver", "2025-03-20", "--method", "email", "--json").json()
    assert view["events"][-1]["data"]["reply_number"] == "某县住建依公开〔2025〕2号"


def test_reopen_voids_the_delivered_reply(cli, tmp_path):
    cli.set_up_agency()
    n = signed_case(cli)
    cli("doc", n, "reply", "-o", str(tmp_path))
    act(cli, n, "deliver", "2025-03-17", "--method", "in_person")
    view = act(cli, n, "reopen", "2025-03-19", "--reason", "复议决定责令重新答复", "--json").json()
    assert view["documents"][0]["status"] == "void"
    assert view["documents"][0]["void_reason"] == "案件重新打开：复议决定责令重新答复"


def test_delivery_needs_the_reply_of_the_current_decision(cli):
    n = signed_case(cli)
    r = act(cli, n, "deliver", "2025-03-17", "--method", "in_person", ok=False)
    assert r.exit_code == 2 and f"zwgk-tui doc {n} reply" in r.stderr and "--reply-number" in r.stderr
    assert cli("case", "show", n, "--json").json()["stage"] == "delivering"
    # A reply made outside the tool: its number and date are recorded; the date cannot precede the sign-off.
    r = act(cli, n, "deliver", "2025-03-17", "--method", "in_person", "--reply-number", "某答〔2025〕7号",
            "--reply-date", "2025-03-13", ok=False)
    assert r.exit_code == 2 and "2025-03-14" in r.stderr
    view = act(cli, n, "deliver", "2025-03-17", "--method", "in_person", "--reply-number", "某答〔2025〕7号",
               "--reply-date", "2025-03-14", "--json").json()
    assert view["stage"] == "closed"
    assert [(d["number"], d["issued_on"], d["status"], d["origin"]) for d in view["documents"]] == [
        ("某答〔2025〕7号", "2025-03-14", "issued", "external")]


def test_an_external_reply_number_is_complete_and_not_already_used(cli, tmp_path):
    cli.set_up_agency()
    first = signed_case(cli)
    cli("doc", first, "reply", "-o", str(tmp_path))  # 某县住建依公开〔2025〕1号
    act(cli, first, "deliver", "2025-03-17", "--method", "in_person")
    n = signed_case(cli)
    r = act(cli, n, "deliver", "2025-03-17", "--method", "in_person", "--reply-number", "某答〔2025〕7号", ok=False)
    assert r.exit_code == 2 and "缺少 --reply-date" in r.stderr
    r = act(cli, n, "deliver", "2025-03-17", "--method", "in_person", "--reply-number", "某县住建依公开〔2025〕1号",
            "--reply-date", "2025-03-14", ok=False)
    assert r.exit_code == 2 and f"已用于案件 {first}" in r.stderr
    assert cli("case", "show", n, "--json").json()["stage"] == "delivering"


def test_the_tools_own_numbering_skips_a_number_taken_by_hand(cli, tmp_path):
    # A reply made outside the tool was numbered by hand in the agency's own format, with the number the tool
    # would give next: the tool's next reply takes the number after it, never the same 文号 twice.
    cli.set_up_agency()
    first = signed_case(cli)
    act(cli, first, "deliver", "2025-03-17", "--method", "in_person", "--reply-number", "某县住建依公开〔2025〕1号",
        "--reply-date", "2025-03-14")
    n = signed_case(cli)
    r = cli("doc", n, "reply", "-o", str(tmp_path), "--json")
    assert r.json()["doc_number"] == "某县住建依公开〔2025〕2号"


def test_post_needs_a_tracking_number_and_a_courier_is_warned_about(cli):
    n = signed_case(cli)
    base = ("--reply-number", "某答〔2025〕7号", "--reply-date", "2025-03-14")
    r = act(cli, n, "deliver", "2025-03-17", "--method", "post", *base, ok=False)
    assert r.exit_code == 2 and "--tracking" in r.stderr and "交邮" in r.stderr
    r = act(cli, n, "deliver", "2025-03-17", "--method", "courier", *base)
    assert "非邮政企业" in r.stderr


def test_notices_rest_on_their_step_and_carry_its_date(cli, tmp_path):
    cli.set_up_agency()
    n = cli.new_case("2025-03-03")
    r = cli("doc", n, "correction_notice", "-o", str(tmp_path), ok=False)
    assert r.exit_code == 2 and "request-correction" in r.stderr
    # The notice was sent late (3/13 > 3/12, the 7th working day); the file made on 3/20 still says 3/13.
    r = act(cli, n, "request-correction", "2025-03-13", "--items", "请明确项目名称", "--correct-days", "10")
    assert "第7个工作日" in r.stderr
    path = Path(cli("doc", n, "correction_notice", "-o", str(tmp_path / "c.docx")).stdout.strip())
    xml = text_of(path)
    assert "2025年3月13日" in xml and "2025年3月20日" not in xml
    docs = cli("case", "show", n, "--json").json()["documents"]
    assert [(d["kind"], d["issued_on"]) for d in docs] == [("correction_notice", "2025-03-13")]
    r = cli("doc", n, "correction_notice", "--on", "2025-03-19", "-o", str(tmp_path), ok=False)
    assert r.exit_code == 2


def test_receipt_is_dated_the_receipt_day_and_takes_no_reply_number(cli, tmp_path):
    cli.set_up_agency()
    n = cli.new_case("2025-03-03")
    path = Path(cli("doc", n, "receipt", "-o", str(tmp_path / "receipt.docx")).stdout.strip())
    assert "2025年3月3日" in text_of(path)
    docs = cli("case", "show", n, "--json").json()["documents"]
    assert [(d["kind"], d["number"], d["issued_on"]) for d in docs] == [("receipt", "", "2025-03-03")]
    # the first reply of the year is still 1号
    act(cli, n, "decide", "2025-03-10", "--outcome", "withheld_process_info", "--kind-of-info", "请示报告")
    for step in ("submit", "approve", "approve", "sign"):
        act(cli, n, step, "2025-03-11")
    assert "某县住建依公开〔2025〕1号" in cli("doc", n, "reply", "-o", str(tmp_path), "--json").stdout


def test_no_letter_goes_out_in_the_name_of_a_placeholder_agency(cli, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    n = cli.new_case("2025-03-03")
    r = cli("doc", n, "receipt", "-o", str(tmp_path), ok=False)
    assert r.exit_code == 2 and "本机关" in r.stderr and "agency set default --name" in r.stderr
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------------------------------
# Complete at decide, steps in order


@pytest.mark.parametrize(("opts", "fragment"), [
    (("--outcome", "partially_disclosed", "--provision", "当面领取"), "--provided"),
    (("--outcome", "partially_disclosed", "--provided", "清单", "--withheld", "a", "--withheld", "b",
      "--ground", "process_info", "--kind-of-info", "请示报告", "--provision", "当面领取"), "--ground"),
    (("--outcome", "disclosed"), "--provision"),
    (("--outcome", "withheld_state_secret"), "--secret-marking"),
    (("--outcome", "withheld_process_info", "--ground", "internal_affairs", "--kind-of-info", "x"), "与办理结果相同"),
    (("--outcome", "unavailable_not_held"), "--searched"),
    (("--outcome", "not_processed_excessive"), "explanation-request"),
    (("--outcome", "unavailable_unclear"), "request-correction"),
])
def test_an_incomplete_decision_is_refused_at_decide(cli, opts, fragment):
    n = cli.new_case("2025-03-03")
    r = act(cli, n, "decide", "2025-03-10", *opts, ok=False)
    assert r.exit_code == 2 and fragment in r.stderr and "尚不完整" in r.stderr
    assert cli("case", "show", n, "--json").json()["proposed_outcome"] is None


def test_a_repeat_request_needs_an_earlier_reply_in_force_checked_again_at_submit(cli):
    first = signed_case(cli)
    act(cli, first, "deliver", "2025-03-17", "--method", "in_person", "--reply-number", "某答〔2025〕7号",
        "--reply-date", "2025-03-14")
    again = cli.new_case("2025-03-18")  # same applicant: same name, no ID, no phone → not provably the same
    r = act(cli, again, "decide", "2025-03-19", "--outcome", "not_processed_duplicate", "--earlier", first, ok=False)
    assert r.exit_code == 2 and "不是同一人" in r.stderr
    same = cli.new_case("2025-03-18", "张三", "2024年老旧小区改造项目清单")
    cli("case", "amend", first, "--on", "2025-03-18", "--reason", "补录电话", "--phone", "13812345678")
    cli("case", "amend", same, "--on", "2025-03-18", "--reason", "补录电话", "--phone", "13812345678")
    act(cli, same, "decide", "2025-03-19", "--outcome", "not_processed_duplicate", "--earlier", first)
    act(cli, first, "reopen", "2025-03-19", "--reason", "复议纠正", user="clerk1")
    r = act(cli, same, "submit", "2025-03-19", ok=False)
    assert r.exit_code == 2 and "--earlier" in r.stderr and "不能提交审核" in r.stderr


def test_steps_cannot_run_backwards_and_a_rest_day_is_pointed_out(cli):
    n = cli.new_case("2025-03-03")
    act(cli, n, "decide", "2025-03-12", "--outcome", "disclosed", "--provision", "当面领取")
    r = act(cli, n, "submit", "2025-03-11", ok=False)
    assert r.exit_code == 2 and "2025-03-11" in r.stderr and "拟定办理结果" in r.stderr and "2025-03-12" in r.stderr
    act(cli, n, "submit", "2025-03-13")
    r = act(cli, n, "approve", "2025-03-10", ok=False)
    assert r.exit_code == 2 and "提交审核" in r.stderr
    r = act(cli, n, "approve", "2025-03-15")  # a Saturday
    assert "2025-03-15为休息日" in r.stderr
    # correct-date and remedy are not held to the order; the round restarts at a reopen
    view = cli("case", "show", n, "--json").json()
    assert [e["action"] for e in view["events"]] == ["register", "decide", "submit", "approve"]


# ---------------------------------------------------------------------------------------------------------------
# Amendments, applicants


def test_amendment_is_an_event_and_later_letters_use_it(cli, tmp_path):
    cli.set_up_agency()
    n = cli.new_case("2025-03-03", "张山", "2024年老旧小区改造项目清单", "--phone", "13812345678")
    r = cli("case", "amend", n, "--on", "2025-03-05", "--reason", "姓名登记错误", "--id-number",
            "110105194912310021", ok=False)
    assert r.exit_code == 2 and "校验" in r.stderr  # the check digit applies to amendments too
    view = cli("case", "amend", n, "--on", "2025-03-05", "--reason", "姓名登记错误", "--applicant", "张三",
               "--id-number", "11010519491231002X", "--json").json()
    assert view["applicant"]["name"] == "张三"
    assert view["applicant"]["id_number"] != "11010519491231002X"  # masked
    ev = view["events"][-1]
    assert ev["action"] == "amend" and ev["data"]["reason"] == "姓名登记错误"
    assert ev["data"]["changes"]["applicant"] == {"from": "张山", "to": "张三"}
    assert "身份证明（《条例》第二十九条第二款第一项）" not in view["missing_elements"]
    revealed = cli("case", "show", n, "--json", "--reveal").json()
    assert revealed["events"][-1]["data"]["changes"]["id_number"]["to"] == "11010519491231002X"
    assert [e["action"] for e in revealed["events"]] == ["register", "amend"]  # history kept, not edited
    assert revealed["events"][0]["data"] == {"channel": "in_person", "missing_elements": revealed["events"][0]["data"]
                                             ["missing_elements"]}
    path = cli("doc", n, "receipt", "-o", str(tmp_path / "r.docx")).stdout.strip()
    assert "张三" in text_of(path) and "张山" not in text_of(path)
    r = cli("case", "amend", n, "--on", "2025-03-05", "--reason", "x", "--applicant", "张三", ok=False)
    assert r.exit_code == 2 and "没有要更正的内容" in r.stderr


def test_clarified_request_after_correction_is_kept(cli):
    n = cli.new_case("2025-03-03", "张三", "关于那个项目的文件")
    act(cli, n, "request-correction", "2025-03-05", "--items", "请明确项目名称", "--correct-days", "10")
    view = act(cli, n, "correction-received", "2025-03-12", "--content", "某小区2024年老旧小区改造项目清单",
               "--json").json()
    assert view["content"] == "关于那个项目的文件"
    assert view["clarified_content"] == "某小区2024年老旧小区改造项目清单"
    assert "补正后的申请内容：某小区2024年老旧小区改造项目清单" in cli("case", "show", n).stdout


def test_two_applicants_with_the_same_name_are_kept_apart(cli):
    first = cli.new_case("2025-03-03", "张三", "甲文件", "--id-number", "11010519491231002X", "--phone",
                         "13812345678", "--address", "某县城关镇1号")
    second = cli.new_case("2025-03-04", "张三", "乙文件", "--phone", "13900001111", "--address", "某县东乡2号")
    a = cli("case", "show", first, "--json", "--reveal").json()["applicant"]
    b = cli("case", "show", second, "--json", "--reveal").json()["applicant"]
    assert (a["phone"], a["address"], a["id_number"]) == ("13812345678", "某县城关镇1号", "11010519491231002X")
    assert (b["phone"], b["address"], b["id_number"]) == ("13900001111", "某县东乡2号", "")
    # the same ID number is the same person; a later registration's contact details go on its own case only
    third = cli.new_case("2025-03-05", "张三", "丙文件", "--id-number", "11010519491231002X", "--phone",
                         "13700002222")
    assert cli("case", "show", first, "--json", "--reveal").json()["applicant"]["phone"] == "13812345678"
    assert cli("case", "show", third, "--json", "--reveal").json()["applicant"]["phone"] == "13700002222"
    r = cli("case", "new", "--applicant", "张三", "--applicant-type", "natural_person", "--channel", "in_person",
            "--received", "2025-03-06", "--content", "甲文件", "--id-number", "11010519491231002X")
    assert first in r.stderr and "not_processed_duplicate" in r.stderr


# ---------------------------------------------------------------------------------------------------------------
# The other side's periods run from its receipt


def test_a_consultation_served_by_post_lapses_fifteen_working_days_after_service(cli):
    cli.today = "2025-04-10"
    n = cli.new_case("2025-03-03")
    act(cli, n, "consult", "2025-03-10", "--to", "某置业有限公司")
    # counted from sending (0.1) the period would have ended 3/31; nothing is known until the receipt comes back
    r = act(cli, n, "consult-answered", "2025-04-01", "--lapsed", ok=False)
    assert r.exit_code == 2 and "送达日期" in r.stderr and "served" in r.stderr
    act(cli, n, "served", "2025-03-17", "--what", "consult")
    view = cli("case", "show", n, "--json").json()
    # 3/18 … 4/3 are days 1–13, 4/4–4/6 清明, 4/7 day 14, 4/8 day 15
    assert view["deadline"]["consultation_due"] == "2025-04-08"
    assert view["pauses"][0]["served_on"] == "2025-03-17"
    r = act(cli, n, "consult-answered", "2025-04-08", "--lapsed", ok=False)
    assert r.exit_code == 2 and "2025-04-08 届满" in r.stderr
    view = act(cli, n, "consult-answered", "2025-04-09", "--lapsed", "--json").json()
    assert view["stage"] == "drafting" and view["events"][-1]["data"]["view"] == "none"


def test_service_date_given_with_the_step(cli):
    cli.today = "2025-05-20"
    n = cli.new_case("2025-03-03")
    view = act(cli, n, "fee-notice", "2025-03-05", "--method", "per_page", "--pages", "40", "--served", "2025-03-07",
               "--json").json()
    # 20 working days from 3/7: 3/10 … 4/3 are 1–19, 4/7 is the 20th
    assert view["fees"][0]["payment_due"] == "2025-04-07" and view["fees"][0]["served_on"] == "2025-03-07"
    r = act(cli, n, "fee-lapsed", "2025-04-07", ok=False)
    assert r.exit_code == 2 and "2025-04-07" in r.stderr
    assert act(cli, n, "fee-lapsed", "2025-04-08", "--json").json()["outcome"] == "other_fee_unpaid"
    r = act(cli, cli.new_case("2025-03-03"), "consult", "2025-03-10", "--to", "某公司", "--served", "2025-03-09",
            ok=False)
    assert r.exit_code == 2 and "早于" in r.stderr


def test_correction_period_from_service(cli):
    cli.today = "2025-05-20"
    n = cli.new_case("2025-03-03")
    act(cli, n, "request-correction", "2025-03-05", "--items", "请明确项目名称", "--correct-days", "5")
    r = act(cli, n, "correction-lapsed", "2025-04-30", ok=False)
    assert r.exit_code == 2 and "送达日期" in r.stderr
    act(cli, n, "served", "2025-03-10", "--what", "correction")
    r = act(cli, n, "correction-lapsed", "2025-03-17", ok=False)  # 5th working day after 3/10
    assert r.exit_code == 2 and "2025-03-17 届满" in r.stderr
    assert act(cli, n, "correction-lapsed", "2025-03-18", "--json").json()["outcome"] == "other_no_correction"


def test_an_option_meant_for_another_step_is_refused(cli):
    n = cli.new_case("2025-03-03")
    r = act(cli, n, "submit", "2025-03-10", "--until", "2025-06-30", ok=False)
    assert r.exit_code == 2 and "--until" in r.stderr and "submit" in r.stderr


# ---------------------------------------------------------------------------------------------------------------
# Service receipt and the case file (issue 11)


def test_service_receipt_names_the_reply_in_force(cli, tmp_path):
    cli.set_up_agency()
    n = signed_case(cli)
    r = cli("doc", n, "service_receipt", "-o", str(tmp_path / "x.docx"), ok=False)
    assert r.exit_code == 2 and f"zwgk-tui doc {n} reply" in r.stderr
    cli("doc", n, "reply", "-o", str(tmp_path / "reply.docx"))
    path = cli("doc", n, "service_receipt", "-o", str(tmp_path / "sr.docx")).stdout.strip()
    xml = text_of(path)
    assert "送达回证" in xml and "某县住建依公开〔2025〕1号" in xml and "2025年3月14日" in xml
    docs = cli("case", "show", n, "--json").json()["documents"]
    assert [(d["kind"], d["number"]) for d in docs] == [("reply_withheld", "某县住建依公开〔2025〕1号"),
                                                         ("service_receipt", "")]
    act(cli, n, "deliver", "2025-03-17", "--method", "in_person")
    r = cli("doc", n, "service_receipt", "-o", str(tmp_path / "again.docx"))
    assert (tmp_path / "again.docx").read_bytes() == Path(path).read_bytes()  # a reprint


def test_case_file_holds_the_index_the_issued_files_and_a_manifest(cli, tmp_path):
    import json
    import os

    cli.set_up_agency()
    n = signed_case(cli)
    cli("doc", n, "reply", "-o", str(tmp_path / "old.docx"))
    act(cli, n, "return", "2025-03-17", "--comment", "理由需补充")
    act(cli, n, "decide", "2025-03-17", "--outcome", "unavailable_not_held", "--searched",
        "本局档案室及OA系统|老旧小区改造 清单|李四|2025-03-17")
    for step in ("submit", "approve", "approve", "sign"):
        act(cli, n, step, "2025-03-18")
    new = Path(cli("doc", n, "reply", "-o", str(tmp_path / "new.docx")).stdout.strip())
    act(cli, n, "deliver", "2025-03-19", "--method", "post", "--tracking", "EA123456789CN")
    target = tmp_path / "case.zip"
    assert cli("dossier", n, "-o", str(target)).stdout.strip() == str(target)
    assert os.stat(target).st_mode & 0o777 == 0o600
    with zipfile.ZipFile(target) as z:
        names = z.namelist()
        manifest = json.loads(z.read(f"{n}/manifest.json"))
        index = z.read(f"{n}/目录.docx")
        stored = [d for d in cli("case", "show", n, "--json").json()["documents"] if d["status"] == "issued"]
        issued = z.read(f"{n}/{stored[0]['file_name']}")
    assert f"{n}/目录.docx" in names
    assert any(name.startswith(f"{n}/作废/") for name in names)  # the void reply is kept, apart
    assert issued == new.read_bytes()
    for entry in manifest["files"]:
        with zipfile.ZipFile(target) as z:
            assert hashlib.sha256(z.read(f"{n}/{entry['name']}")).hexdigest() == entry["sha256"]
    (tmp_path / "index.docx").write_bytes(index)
    xml = text_of(tmp_path / "index.docx")
    view = cli("case", "show", n, "--json").json()
    for d in view["documents"]:
        assert d["number"] in xml and d["sha256"] in xml
    assert "作废：退回修改：理由需补充" in xml
    assert "老旧小区改造 清单" in xml and "本局档案室及OA系统" in xml  # the search behind 不存在
    assert "EA123456789CN" in xml and "交邮" in xml  # the service record
    assert "clerk1" in xml  # who did each step
    other = tmp_path / "other.zip"
    other.write_bytes(b"not a case file")
    r = cli("dossier", n, "-o", str(other), ok=False)
    assert r.exit_code == 2 and "--force" in r.stderr and other.read_bytes() == b"not a case file"
    if "://" not in cli.url:  # SQLite: never onto the database itself
        r = cli("dossier", n, "-o", cli.url, "--force", ok=False)
        assert r.exit_code == 2


def test_a_letter_prints_the_last_day_only_once_service_is_known(cli, tmp_path):
    cli.set_up_agency()
    n = cli.new_case("2025-03-03")
    act(cli, n, "consult", "2025-03-10", "--to", "某置业有限公司")
    first = text_of(cli("doc", n, "third_party_consultation", "-o", str(tmp_path / "a.docx")).stdout.strip())
    assert "自收到本征求意见书之日起15个工作日内" in first and "2025年3月31日" not in first
    act(cli, n, "served", "2025-03-17", "--what", "consult")
    # the letter already issued is frozen; a draft shows what the record now knows (4/8: see the lapse test)
    draft = text_of(cli("doc", n, "third_party_consultation", "--draft", "-o", str(tmp_path / "b.docx")).stdout.strip())
    assert "2025年4月8日" in draft
