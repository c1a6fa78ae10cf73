"""The statutory clock as a clerk sees it: the calculator, case deadlines, the explanation, calendar changes."""

from __future__ import annotations

import pytest

NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
（测试用虚构文本，不是真实通知）
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至11日（周四）放假调休，共7天。2月20日（周六）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）上班。
五、端午节：6月9日（周三）放假，共1天。
六、中秋节：9月15日（周三）放假，共1天。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
"""


@pytest.mark.parametrize(
    ("received", "d7", "d20", "d40"),
    [
        ("2024-09-20", "2024-09-30", "2024-10-23", "2024-11-20"),
        ("2024-09-27", "2024-10-12", "2024-10-30", "2024-11-27"),
        ("2025-01-20", "2025-02-05", "2025-02-21", "2025-03-21"),
        ("2025-09-26", "2025-10-13", "2025-10-30", "2025-11-27"),
        ("2026-02-06", "2026-02-24", "2026-03-12", "2026-04-10"),
        ("2026-09-25", "2026-10-12", "2026-10-29", "2026-11-26"),
    ],
)
def test_deadline_calculator_golden_dates(sqlite_cli, received, d7, d20, d40):
    out = sqlite_cli("deadline", "--received", received, "--json", today="2026-11-21").json()
    assert out == {"received": received, "correction_notice_due": d7, "reply_due": d20, "extended_due": d40,
                   "provisional": False}


def test_deadline_calculator_text_and_bad_date(sqlite_cli):
    r = sqlite_cli("deadline", "--received", "2025-03-03")
    assert "2025-03-12" in r.stdout and "2025-03-31" in r.stdout
    r = sqlite_cli("deadline", "--received", "2025-02-29", ok=False)
    assert r.exit_code == 2 and "2月只有28天" in r.stderr


def test_scenario_with_third_party_consultation_and_explanation(cli):
    n = cli.new_case("2025-03-03")
    cli("case", "act", n, "consult", "--on", "2025-03-10", "--to", "某公司")
    view = cli("case", "show", n, "--json").json()
    assert view["due_date"] is None
    assert view["deadline"]["paused"] is True
    assert view["deadline"]["working_days_used"] == 5
    assert view["deadline"]["working_days_left"] == 15
    # the third party's 15 working days run from its receipt of the letter: unknown until service is recorded
    assert view["deadline"]["consultation_due"] is None
    assert "自其收到征求意见书之日起15个工作日（尚未记录送达日期）" in cli("case", "show", n).stdout
    view = cli("case", "act", n, "served", "--on", "2025-03-10", "--what", "consult", "--json").json()
    assert view["deadline"]["consultation_due"] == "2025-03-31"
    view = cli("case", "act", n, "consult-answered", "--on", "2025-03-20", "--view", "agree", "--json").json()
    cli.today = "2025-03-25"
    cli("case", "act", n, "correct-date", "--on", "2025-03-24", "--event", str(view["events"][-1]["id"]),
        "--reason", "收到日期录错")
    text = cli("case", "show", n).stdout
    assert "2025-04-15" in text
    assert "清明" in text and "暂停" in text
    rows = cli("case", "list", "--json").json()
    assert rows[0]["due_date"] == "2025-04-15"


def test_provisional_due_date_becomes_final_after_importing_the_notice(cli, tmp_path):
    cli.today = "2026-12-16"
    n = cli.new_case("2026-12-15")
    view = cli("case", "show", n, "--json").json()
    assert view["deadline"]["provisional"] is True
    assert "暂定" in cli("case", "show", n).stdout
    assert "暂定" in cli("case", "list").stdout
    status = cli("calendar", "status", "--json").json()
    assert status["last_official_year"] == 2026
    notice = tmp_path / "2027.txt"
    notice.write_text(NOTICE_2027, encoding="utf-8")
    r = cli("calendar", "import", str(notice), ok=False)  # no terminal, no --yes: nothing applied
    assert r.exit_code == 2
    assert cli("calendar", "status", "--json").json()["last_official_year"] == 2026
    r = cli("calendar", "import", str(notice), "--yes")
    assert "2027" in r.stdout
    assert n in r.stdout  # the case whose deadline status changed is listed
    view = cli("case", "show", n, "--json").json()
    assert view["deadline"]["provisional"] is False
    # 2026-12-15 + 20 working days: 12/16–12/31 = 12, 1/1 元旦 (fake notice: 1/1–1/3 off), 1/4–1/8 = 17, 1/11–1/13
    assert view["due_date"] == "2027-01-13"
    assert cli("calendar", "status", "--json").json()["last_official_year"] == 2027


def test_calendar_set_moves_open_cases_and_lists_them(cli):
    cli("init")
    n = cli.new_case("2025-03-03")
    assert cli("case", "show", n, "--json").json()["due_date"] == "2025-03-31"
    r = cli("calendar", "set", "2025-03-14", "--day-off", "--note", "本地防汛放假（测试）")
    assert "2025-03-31 → 2025-04-01" in r.stdout
    assert cli("case", "show", n, "--json").json()["due_date"] == "2025-04-01"
    r = cli("calendar", "set", "2025-03-15", "--note", "x", ok=False)
    assert r.exit_code == 2


def test_calendar_show_marks_holidays_and_makeup_days(sqlite_cli):
    view = sqlite_cli("calendar", "show", "2026", "--json").json()
    days = {d["date"]: d for m in view["months"] for w in m["weeks"] for d in w if d}
    assert days["2026-02-14"]["kind"] == "makeup_workday"
    assert days["2026-02-16"]["kind"] == "holiday"
    assert days["2026-10-10"]["working"] is True
    assert view["provisional"] is False
    text = sqlite_cli("calendar", "show", "2026").stdout
    assert "休" in text and "班" in text
