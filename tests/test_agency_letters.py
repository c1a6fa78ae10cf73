"""Agency settings for letters and remedies (issue 11, spec 09): kind, letterhead, online channel, second body,
fee-notice clause, rule overrides — warnings for bodies that do not fit, refusals where no lawful letter could
be written. Both engines."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from zwgk_tui.documents import render_document
from zwgk_tui.persistence.models import Agency
from zwgk_tui.services.doc_agency import agency_info

BASE = ["agency", "set", "default", "--name", "某县自然资源局", "--reconsideration-body", "某县人民政府",
        "--court", "某县人民法院"]


def test_a_department_naming_a_city_bureau_is_warned_not_refused(cli):
    r = cli("agency", "set", "default", "--name", "某县自然资源局", "--reconsideration-body", "某市自然资源局")
    assert r.exit_code == 0
    assert "注意：行政复议机关“某市自然资源局”不是人民政府" in r.stderr
    assert "《中华人民共和国行政复议法》第二十四条第一款第（一）项" in r.stderr
    assert cli("agency", "show", "default", "--json").json()["reconsideration_body"] == "某市自然资源局"
    # the warning stays visible in `agency show` until fixed
    assert "注意：行政复议机关“某市自然资源局”不是人民政府" in cli("agency", "show", "default").stderr
    r = cli("agency", "set", "default", "--reconsideration-body", "某县人民政府")
    assert "注意" not in r.stderr


def test_obsolete_wording_is_refused(cli):
    r = cli("agency", "set", "default", "--reconsideration-body", "上级主管部门或者本级人民政府", ok=False)
    assert r.exit_code == 2
    assert "不是一个具体机关" in r.stderr and "--second-reconsideration-body" in r.stderr
    assert "Traceback" not in r.stderr
    assert cli("agency", "show", "default", "--json").json()["reconsideration_body"] == ""


def test_second_body_only_for_a_justice_bureau(cli):
    cli(*BASE)
    r = cli("agency", "set", "default", "--second-reconsideration-body", "某市司法局", ok=False)
    assert r.exit_code == 2 and "--kind justice_bureau" in r.stderr
    assert cli("agency", "show", "default", "--json").json()["second_reconsideration_body"] == ""
    r = cli("agency", "set", "default", "--name", "某县司法局", "--kind", "justice_bureau",
            "--second-reconsideration-body", "某市司法局")
    assert "注意" not in r.stderr
    shown = cli("agency", "show", "default", "--json").json()
    assert (shown["kind"], shown["second_reconsideration_body"]) == ("justice_bureau", "某市司法局")
    # the kind cannot change away while the second body is set
    r = cli("agency", "set", "default", "--kind", "department", ok=False)
    assert r.exit_code == 2 and '--second-reconsideration-body ""' in r.stderr
    cli("agency", "set", "default", "--kind", "department", "--second-reconsideration-body", "")


def test_bad_kind_and_fee_remedy_are_refused_with_the_choices(cli):
    r = cli("agency", "set", "default", "--kind", "bureau", ok=False)
    assert r.exit_code == 2 and "justice_bureau" in r.stderr and "“bureau”" in r.stderr
    r = cli("agency", "set", "default", "--fee-notice-remedy", "general", ok=False)
    assert r.exit_code == 2 and "第十条第（三）项" in r.stderr
    cli("agency", "set", "default", "--fee-notice-remedy", "reconsideration")
    assert cli("agency", "show", "default", "--json").json()["fee_notice_remedy"] == "reconsideration"


def test_rule_overrides_are_checked_normalised_and_warned(cli):
    r = cli("agency", "set", "default", "--remedy-overrides", "not_processed_duplicate = general；other_other=none")
    assert "注意：救济告知规则：not_processed_duplicate 改为“可以复议，也可以诉讼”" in r.stderr
    shown = cli("agency", "show", "default", "--json").json()
    assert shown["remedy_overrides"] == "not_processed_duplicate=general; other_other=none"
    r = cli("agency", "set", "default", "--remedy-overrides", "fee_notice=general", ok=False)
    assert r.exit_code == 2 and "--fee-notice-remedy" in r.stderr
    cli("agency", "set", "default", "--remedy-overrides", "")
    assert cli("agency", "show", "default", "--json").json()["remedy_overrides"] == ""


def test_letterhead_and_online_channel(cli):
    cli("agency", "set", "default", "--letterhead", "off", "--reconsideration-online", "https://fy.example.gov.cn")
    shown = cli("agency", "show", "default", "--json").json()
    assert shown["letterhead"] is False and shown["reconsideration_online"] == "https://fy.example.gov.cn"
    text = cli("agency", "show", "default").stdout
    assert "文书印发文机关标志（红头）（letterhead）：否" in text
    assert "机关类型" in text and "department（县级以上地方人民政府工作部门）" in text
    r = cli("agency", "set", "default", "--letterhead", "maybe", ok=False)
    assert r.exit_code == 2 and "--letterhead" in r.stderr


def test_agency_add_takes_the_letter_settings(cli):
    cli("user", "add", "admin1", "--role", "admin")
    r = cli("agency", "add", "sfj", "--name", "某县司法局", "--reconsideration-body", "某县人民政府",
            "--court", "某县人民法院", "--kind", "justice_bureau", "--letterhead", "off", user="admin1")
    assert "已添加机关：某县司法局（sfj）" in r.stdout
    assert "--second-reconsideration-body" in r.stderr  # Art. 28: the second body may be named
    shown = cli("agency", "show", "sfj", "--json", user="admin1").json()
    assert (shown["kind"], shown["letterhead"], shown["fee_notice_remedy"]) == ("justice_bureau", False, "none")


def test_agency_info_maps_every_setting_a_letter_needs(cli, db_url):
    cli(*BASE, "--kind", "justice_bureau", "--second-reconsideration-body", "某市司法局", "--letterhead", "off",
        "--reconsideration-online", "某县人民政府行政复议网上平台", "--fee-notice-remedy", "reconsideration",
        "--remedy-overrides", "other_other=none", "--short-name", "某自然资源", "--phone", "0527-1")
    from zwgk_tui.persistence.database import open_database

    db = open_database(db_url)
    try:
        with db.read() as s:
            agency = s.scalars(sa.select(Agency).where(Agency.code == "default")).one()
            info = agency_info(agency)
    finally:
        db.dispose()
    assert info.code == "default" and info.name == "某县自然资源局" and info.short_name == "某自然资源"
    assert (info.kind, info.letterhead) == ("justice_bureau", False)
    assert info.second_reconsideration_body == "某市司法局"
    assert info.reconsideration_online == "某县人民政府行政复议网上平台"
    assert (info.fee_notice_remedy, info.remedy_overrides) == ("reconsideration", "other_other=none")
    assert (info.reconsideration_body, info.court, info.phone) == ("某县人民政府", "某县人民法院", "0527-1")


def test_migration_gives_existing_agencies_the_defaults(db_url):
    """A database at 0003 with an agency upgrades: the new settings take the defaults, letters still render."""
    from alembic import command

    from zwgk_tui.persistence.database import _alembic_config, open_database

    db = open_database(db_url, migrate=False)
    try:
        cfg = _alembic_config(db)
        command.upgrade(cfg, "0003")
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO agencies (code, name, short_name, reconsideration_body, court, address, postcode,"
                    " phone, email, contact, office_review, legal_review, separate_reviewers, due_soon_days,"
                    " fee_pauses_clock, number_format, doc_number_format, fee_payment_route, created_at) VALUES"
                    " ('old', '某县财政局', '', '某县人民政府', '某县人民法院', '', '', '', '', '', :t, :t, :t, 5,"
                    " :t, '{year}-{seq:04d}', '{short}依公开〔{year}〕{seq}号', '', :now)"
                ),
                {"t": True, "now": datetime(2025, 1, 1, tzinfo=UTC)},
            )
        command.upgrade(cfg, "head")
        with db.read() as s:
            agency = s.scalars(sa.select(Agency).where(Agency.code == "old")).one()
            assert (agency.kind, agency.letterhead, agency.fee_notice_remedy) == ("department", True, "none")
            assert (agency.reconsideration_online, agency.second_reconsideration_body, agency.remedy_overrides) == (
                "",
                "",
                "",
            )
            info = agency_info(agency)
        command.downgrade(cfg, "0003")
        command.upgrade(cfg, "head")
    finally:
        db.dispose()
    assert info.letterhead is True
    from test_documents import flat, make

    assert "某县财政局政府信息公开申请接收回执" in flat(render_document(make("receipt", agency=info)))
