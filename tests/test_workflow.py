"""A case through its stages from the command line, in single-user mode and with separate users and roles."""

from __future__ import annotations


def act(cli, number, action, on, *opts, user=None, ok=True, today=None):
    return cli("case", "act", number, action, "--on", on, *opts, user=user, ok=ok, today=today)


def test_full_path_single_user(cli, tmp_path):
    cli.tmp = tmp_path
    n = cli.new_case("2025-03-03")
    cli.set_up_agency()
    act(cli, n, "decide", "2025-03-10", "--outcome", "disclosed", "--reason", "属于可以公开的信息",
        "--provision", "现以邮寄纸质复印件的方式向您提供")
    assert cli("case", "show", n, "--json").json()["stage"] == "drafting"
    act(cli, n, "submit", "2025-03-11")
    assert cli("case", "show", n, "--json").json()["stage"] == "office_review"
    act(cli, n, "approve", "2025-03-12")
    assert cli("case", "show", n, "--json").json()["stage"] == "legal_review"
    act(cli, n, "approve", "2025-03-14")
    assert cli("case", "show", n, "--json").json()["stage"] == "sign_off"
    act(cli, n, "sign", "2025-03-17")
    cli("doc", n, "reply", "-o", str(cli.tmp))
    view = act(cli, n, "deliver", "2025-03-18", "--method", "mail", "--tracking", "EA123456789CN", "--json").json()
    assert view["events"][-1]["data"]["method"] == "post"  # "mail" is the 0.1 spelling
    assert view["stage"] == "closed"
    assert view["outcome"] == "disclosed"
    assert view["concluded_on"] == "2025-03-18"
    assert [e["action"] for e in view["events"]] == [
        "register", "decide", "submit", "approve", "approve", "sign", "deliver"]
    # 3/4–3/7, 3/10–3/14, 3/17–3/18: replied on the 11th working day; office review 3/11→3/12 = 1, legal 3/12→3/14 = 2
    assert view["working_days_to_reply"] == 11
    assert view["replied_late"] is False
    assert view["office_review_days"] == 1
    assert view["legal_review_days"] == 2
    ev = view["events"][-1]
    assert ev["before"]["stage"] == "delivering" and ev["after"]["stage"] == "closed"
    assert ev["after"]["outcome"] == "disclosed"


def test_send_back_path_and_history(cli):
    n = cli.new_case("2025-03-03")
    act(cli, n, "decide", "2025-03-10", "--outcome", "withheld_process_info", "--kind-of-info", "请示报告")
    act(cli, n, "submit", "2025-03-11")
    r = act(cli, n, "return", "2025-03-12", ok=False)
    assert r.exit_code == 2 and "--comment" in r.stderr
    act(cli, n, "return", "2025-03-12", "--comment", "理由不充分，请补充第十六条依据")
    view = cli("case", "show", n, "--json").json()
    assert view["stage"] == "drafting"
    assert view["events"][-1]["comment"] == "理由不充分，请补充第十六条依据"
    act(cli, n, "decide", "2025-03-13", "--outcome", "partially_disclosed", "--provided", "项目清单",
        "--withheld", "内部请示", "--ground", "process_info", "--kind-of-info", "请示报告",
        "--provision", "现以电子邮件方式向您提供")
    act(cli, n, "submit", "2025-03-13")
    text = cli("case", "show", n).stdout
    assert "理由不充分" in text and "return" in text


def test_illegal_step_names_stage_and_allowed_steps(cli):
    n = cli.new_case("2025-03-03")
    r = act(cli, n, "sign", "2025-03-10", ok=False)
    assert r.exit_code == 2
    assert "已登记" in r.stderr and "decide" in r.stderr and "Traceback" not in r.stderr
    r = act(cli, n, "submit", "2025-03-10", ok=False)
    assert r.exit_code == 2  # submit is not allowed from registered
    act(cli, n, "decide", "2025-03-10", "--outcome", "disclosed", "--provision", "现以电子邮件方式向您提供")
    r = act(cli, n, "deliver", "2025-03-10", ok=False)
    assert r.exit_code == 2 and "办理中" in r.stderr


def test_dates_are_checked(cli):
    n = cli.new_case("2025-03-03")
    r = act(cli, n, "decide", "2025-03-02", "--outcome", "disclosed", ok=False)
    assert r.exit_code == 2 and "早于收到申请日期" in r.stderr
    r = act(cli, n, "decide", "2025-03-21", "--outcome", "disclosed", ok=False)
    assert r.exit_code == 2
    r = act(cli, n, "decide", "2025-02-30", "--outcome", "disclosed", ok=False)
    assert r.exit_code == 2 and "2月只有28天" in r.stderr
    r = act(cli, n, "decide", "2025-03-10", "--outcome", "secret", ok=False)
    assert r.exit_code == 2 and "disclosed" in r.stderr


def test_separate_users_roles_and_agencies(cli):
    cli("agency", "add", "zjj", "--name", "某县住房和城乡建设局", "--reconsideration-body", "某县人民政府",
        "--court", "某县人民法院", user="anyone")
    cli("user", "add", "admin1", "--role", "admin", user="anyone")
    cli("user", "add", "c1", "--role", "clerk", "--agency", "zjj", user="admin1")
    cli("user", "add", "o1", "--role", "office", user="admin1")
    cli("user", "add", "l1", "--role", "legal", user="admin1")
    cli("user", "add", "h1", "--role", "head", "--agency", "zjj", user="admin1")
    # an unknown user can do nothing once users exist
    r = cli("case", "list", user="stranger", ok=False)
    assert r.exit_code == 3 and "stranger" in r.stderr
    r = cli("user", "add", "x", "--role", "clerk", user="c1", ok=False)
    assert r.exit_code == 3
    r = cli("case", "new", "--applicant", "张三", "--applicant-type", "natural_person", "--channel", "in_person",
            "--received", "2025-03-03", "--content", "某文件", user="c1")
    n = r.stdout.strip()
    assert cli("case", "show", n, "--json", user="c1").json()["agency"] == "zjj"
    act(cli, n, "decide", "2025-03-10", "--outcome", "disclosed", "--provision", "当面领取", user="c1")
    act(cli, n, "submit", "2025-03-11", user="c1")
    # the clerk cannot approve a review step
    r = act(cli, n, "approve", "2025-03-12", user="c1", ok=False)
    assert r.exit_code == 3 and "office" in r.stderr
    # the legal reviewer cannot approve office review
    r = act(cli, n, "approve", "2025-03-12", user="l1", ok=False)
    assert r.exit_code == 3
    act(cli, n, "approve", "2025-03-12", user="o1")
    act(cli, n, "approve", "2025-03-13", user="l1")
    r = act(cli, n, "sign", "2025-03-14", user="c1", ok=False)
    assert r.exit_code == 3
    act(cli, n, "sign", "2025-03-14", user="h1")
    cli.deliver(n, "2025-03-17", "--method", "in_person", user="c1")
    view = cli("case", "show", n, "--json", user="o1").json()
    assert [(e["action"], e["by"]) for e in view["events"]] == [
        ("register", "c1"), ("decide", "c1"), ("submit", "c1"), ("approve", "o1"), ("approve", "l1"),
        ("sign", "h1"), ("deliver", "c1")]
    # allowed actions are filtered by role
    assert cli("case", "show", n, "--json", user="c1").json()["allowed_actions"] == [
        "remedy", "correct-date", "amend"]
    # a clerk of another agency does not see this case
    cli("agency", "add", "town", "--name", "某镇人民政府", user="admin1")
    cli("user", "add", "c2", "--role", "clerk", "--agency", "town", user="admin1")
    r = cli("case", "show", n, user="c2", ok=False)
    assert r.exit_code == 3
    assert cli("case", "list", "--json", user="c2").json() == []
    assert len(cli("case", "list", "--json", user="o1").json()) == 1


def test_reviewer_cannot_approve_own_submission(cli):
    cli("user", "add", "boss", "--role", "admin", "clerk", "office", "legal", "head", user="x")
    n = cli("case", "new", "--applicant", "张三", "--applicant-type", "natural_person", "--channel", "in_person",
            "--received", "2025-03-03", "--content", "某文件", user="boss").stdout.strip()
    act(cli, n, "decide", "2025-03-10", "--outcome", "disclosed", "--provision", "当面领取", user="boss")
    act(cli, n, "submit", "2025-03-11", user="boss")
    r = act(cli, n, "approve", "2025-03-12", user="boss", ok=False)
    assert r.exit_code == 3 and "自己提交" in r.stderr
    cli("agency", "set", "default", "--separate-reviewers", "off", user="boss")
    act(cli, n, "approve", "2025-03-12", user="boss")


def test_review_steps_can_be_switched_off(cli):
    cli("init")
    cli("agency", "set", "default", "--office-review", "off", "--legal-review", "off")
    n = cli.new_case("2025-03-03")
    act(cli, n, "decide", "2025-03-10", "--outcome", "unavailable_not_held",
        "--searched", "本局档案室|老旧小区改造 清单|李四|2025-03-07")
    assert act(cli, n, "submit", "2025-03-11", "--json").json()["stage"] == "sign_off"


def test_extension_rules(cli):
    cli("user", "add", "admin1", "--role", "admin", "clerk", user="x")
    cli("user", "add", "head1", "--role", "head", user="admin1")
    n = cli.new_case("2025-03-03", today="2025-03-20", user="admin1")
    base = ["--reason", "需要调取历史档案"]
    r = cli("case", "act", n, "extend", "--on", "2025-03-20", "--days", "21", "--approved-by", "head1", *base,
            user="admin1", ok=False)
    assert r.exit_code == 2 and "20" in r.stderr
    r = cli("case", "act", n, "extend", "--on", "2025-03-20", "--days", "10", "--approved-by", "admin1", *base,
            user="admin1", ok=False)
    assert r.exit_code == 3 and "负责人" in r.stderr
    view = cli("case", "act", n, "extend", "--on", "2025-03-20", "--days", "20", "--approved-by", "head1", *base,
               "--json", user="admin1").json()
    # 40th working day after 2025-03-03: 清明 4/4 not counted, the make-up Sunday 4/27 counted
    assert view["due_date"] == "2025-04-28"
    assert view["events"][-1]["data"]["approved_by"] == "head1"
    r = cli("case", "act", n, "extend", "--on", "2025-03-20", "--days", "5", "--approved-by", "head1", *base,
            user="admin1", ok=False)
    assert r.exit_code == 2 and "只能延长一次" in r.stderr


def test_extension_after_the_due_date_is_refused(cli):
    n = cli.new_case("2025-02-10", today="2025-03-20")  # due 2025-03-10
    r = cli("case", "act", n, "extend", "--on", "2025-03-11", "--days", "10", "--approved-by", "某主任",
            "--reason", "x", ok=False)
    assert r.exit_code == 2 and "2025-03-10" in r.stderr


def test_correction_flow_restarts_the_clock(cli):
    n = cli.new_case("2025-03-03")
    act(cli, n, "request-correction", "2025-03-05", "--items", "请明确项目名称", "--correct-by", "2025-03-19")
    view = cli("case", "show", n, "--json").json()
    assert view["stage"] == "correction_requested"
    assert view["due_date"] is None and view["deadline"]["correction_pending"] is True
    r = act(cli, n, "request-correction", "2025-03-06", "--items", "x", "--correct-by", "2025-03-19", ok=False)
    assert r.exit_code == 2
    view = act(cli, n, "correction-received", "2025-03-14", "--json").json()
    assert view["stage"] == "drafting"
    assert view["due_date"] == "2025-04-14"  # 20 working days after 2025-03-14 (清明 4/4 not counted)


def test_correction_lapse_closes_the_case(cli):
    n = cli.new_case("2025-03-03")
    act(cli, n, "request-correction", "2025-03-05", "--items", "请明确项目名称", "--correct-by", "2025-03-12")
    r = act(cli, n, "correction-lapsed", "2025-03-13", ok=False)
    assert r.exit_code == 2 and "送达日期" in r.stderr  # the period runs from the applicant's receipt
    act(cli, n, "served", "2025-03-06", "--what", "correction")
    r = act(cli, n, "correction-lapsed", "2025-03-12", ok=False)
    assert r.exit_code == 2 and "2025-03-12" in r.stderr
    view = act(cli, n, "correction-lapsed", "2025-03-13", "--json").json()
    assert view["stage"] == "closed" and view["outcome"] == "other_no_correction"
    assert view["concluded_on"] == "2025-03-13"


def test_fee_notice_proposes_the_amount_from_the_months_requests(cli):
    # 35 requests by one applicant in March: the 35th is billed in the 31–40 band (200元); an item count of 5
    # on the 35th case means requests 35–39 → 5 × 200 = 1,000元
    for day in range(1, 35):
        cli("case", "new", "--applicant", "王五", "--applicant-type", "natural_person", "--channel", "online",
            "--received", f"2025-03-{(day % 19) + 1:02d}", "--content", f"信息{day}", "--id-number",
            "11010519491231002X", today="2025-03-20")
    n = cli("case", "new", "--applicant", "王五", "--applicant-type", "natural_person", "--channel", "online",
            "--received", "2025-03-20", "--content", "信息35", "--id-number", "11010519491231002X", "--items", "5",
            today="2025-03-20").stdout.strip()
    view = act(cli, n, "fee-notice", "2025-03-20", "--method", "per_request", "--json").json()
    assert view["stage"] == "awaiting_fee"
    assert view["fees"][0]["amount"] == 1000
    # the applicant's 20 working days run from its receipt of the notice: unknown until service is recorded
    assert view["fees"][0]["payment_due"] is None
    view = act(cli, n, "served", "2025-03-20", "--what", "fee-notice", "--json").json()
    assert view["fees"][0]["payment_due"] == "2025-04-18"  # 20th working day after 3/20 (4/4 清明)
    assert view["deadline"]["fee_payment_due"] == "2025-04-18"
    assert view["due_date"] is None and view["deadline"]["paused"] is True
    # the receipt was a day later: the stored last day of payment moves with it, not only the deadline
    served_id = view["events"][-1]["id"]
    view = act(cli, n, "correct-date", "2025-03-21", "--event", str(served_id), "--reason", "回执日期录错", "--json",
               today="2025-03-25").json()
    assert view["fees"][0]["served_on"] == "2025-03-21"
    assert view["fees"][0]["payment_due"] == "2025-04-21"  # 20th working day after 3/21 (4/4 清明)
    assert view["deadline"]["fee_payment_due"] == "2025-04-21"


def test_a_corrected_date_of_service_is_never_before_the_letter(cli):
    n = cli.new_case("2025-03-03")
    act(cli, n, "fee-notice", "2025-03-05", "--method", "per_page", "--pages", "250")
    view = act(cli, n, "served", "2025-03-07", "--what", "fee-notice", "--json").json()
    served_id = view["events"][-1]["id"]
    r = act(cli, n, "correct-date", "2025-03-04", "--event", str(served_id), "--reason", "回执日期录错", ok=False)
    assert r.exit_code == 2
    assert "送达日期 2025-03-04 早于收费通知书发出日期 2025-03-05" in r.stderr
    assert cli("case", "show", n, "--json").json()["fees"][0]["served_on"] == "2025-03-07"  # nothing written


def test_fee_per_page_and_payment(cli):
    n = cli.new_case("2025-03-03")
    view = act(cli, n, "fee-notice", "2025-03-05", "--method", "per_page", "--pages", "250", "--json").json()
    assert view["fees"][0]["amount"] == 4700
    view = act(cli, n, "fee-paid", "2025-03-12", "--json").json()
    assert view["stage"] == "drafting"
    # 2 counted days (3/4, 3/5), 3/6–3/12 not counted, then 18 more from 3/13 → 2025-04-08 (4/4 清明)
    assert view["due_date"] == "2025-04-08"
    assert view["fees"][0]["paid_amount"] == 4700


def test_fee_lapse(cli):
    n = cli.new_case("2025-02-03", today="2025-03-20")
    act(cli, n, "fee-notice", "2025-02-05", "--method", "per_page", "--pages", "31", "--served", "2025-02-05")
    # payment due: 20th working day after 2/5, counting the make-up Saturday 2/8 → 2025-03-04
    r = act(cli, n, "fee-lapsed", "2025-03-04", ok=False)
    assert r.exit_code == 2 and "2025-03-04" in r.stderr
    view = act(cli, n, "fee-lapsed", "2025-03-05", "--json").json()
    assert view["outcome"] == "other_fee_unpaid"


def test_consultation_answer_without_consultation_is_refused(cli):
    n = cli.new_case("2025-03-03")
    act(cli, n, "decide", "2025-03-04", "--outcome", "disclosed", "--provision", "当面领取")
    r = act(cli, n, "consult-answered", "2025-03-10", "--view", "agree", ok=False)
    assert r.exit_code == 2


def test_withdraw_remedy_reopen(cli):
    n = cli.new_case("2025-03-03")
    view = act(cli, n, "withdraw", "2025-03-05", "--json").json()
    assert view["outcome"] == "other_other" and view["concluded_on"] == "2025-03-05"
    act(cli, n, "remedy", "2025-03-10", "--kind", "reconsideration", "--result", "pending")
    view = act(cli, n, "remedy", "2025-03-18", "--kind", "reconsideration", "--result", "upheld", "--json").json()
    assert view["remedies"] == [{"kind": "reconsideration", "filed_on": "2025-03-10", "result": "upheld",
                                 "decided_on": "2025-03-18"}]
    r = act(cli, n, "reopen", "2025-03-19", ok=False)
    assert r.exit_code == 2 and "--reason" in r.stderr
    view = act(cli, n, "reopen", "2025-03-19", "--reason", "撤回系误登", "--json").json()
    assert view["stage"] == "drafting" and view["outcome"] is None and view["concluded_on"] is None


def test_reopen_is_admin_only_once_users_exist(cli):
    cli("user", "add", "a", "--role", "admin", user="x")
    cli("user", "add", "c", "--role", "clerk", user="a")
    n = cli("case", "new", "--applicant", "张三", "--applicant-type", "natural_person", "--channel", "in_person",
            "--received", "2025-03-03", "--content", "某文件", user="c").stdout.strip()
    act(cli, n, "withdraw", "2025-03-05", user="c")
    r = act(cli, n, "reopen", "2025-03-06", "--reason", "误操作", user="c", ok=False)
    assert r.exit_code == 3
    act(cli, n, "reopen", "2025-03-06", "--reason", "误操作", user="a")


def test_wrong_legal_date_is_corrected_by_an_event_not_by_editing(cli):
    cli.today = "2025-03-25"
    n = cli.new_case("2025-03-03")
    act(cli, n, "consult", "2025-03-11", "--to", "某公司")  # should have been 3/10
    act(cli, n, "consult-answered", "2025-03-24", "--view", "agree")
    view = cli("case", "show", n, "--json").json()
    assert view["due_date"] == "2025-04-14"
    consult_id = view["events"][1]["id"]
    view = act(cli, n, "correct-date", "2025-03-10", "--event", str(consult_id), "--reason", "录入错误",
               "--json").json()
    assert view["due_date"] == "2025-04-15"  # the spec's scenario
    assert view["events"][1]["recorded_on"] == "2025-03-11"  # history kept
    assert view["events"][1]["on"] == "2025-03-10"
    assert view["events"][-1]["action"] == "correct-date"


def test_delay_sets_the_due_date(cli):
    n = cli.new_case("2025-03-03")
    r = act(cli, n, "delay", "2025-03-10", "--until", "2025-06-30", "--reason", "申请数量巨大", ok=False)
    assert r.exit_code == 2 and "explanation-request" in r.stderr  # Art. 35: the applicant is asked first
    act(cli, n, "explanation-request", "2025-03-05", "--items", "请说明申请用途", "--answer-days", "5")
    act(cli, n, "explanation-answered", "2025-03-07", "--answer", "用于课题研究")
    view = act(cli, n, "delay", "2025-03-10", "--until", "2025-06-30", "--reason", "申请数量巨大", "--json").json()
    assert view["due_date"] == "2025-06-30"


def test_text_show_of_a_closed_case(cli):
    n = cli.new_case("2025-03-03")
    act(cli, n, "withdraw", "2025-03-05")
    text = cli("case", "show", n).stdout
    assert "已按期办结" in text and "已办结" in text
