"""Validation of what a clerk types at registration (spec 01 Art. 29/31, spec 03 "The record")."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zwgk_tui.domain.codes import APPLICANT_TYPE_LABELS, CHANNEL_LABELS
from zwgk_tui.domain.validation import (
    CREDIT_CODE_CHARSET,
    ApplicationInput,
    ApplicationInvalid,
    ValidationError,
    check_application,
    check_choice,
    check_credit_code,
    check_email,
    check_event_date,
    check_id_number,
    check_identity_document,
    check_phone,
    check_received_date,
    check_required,
    credit_code_check_char,
    id_check_char,
    mask_id,
    mask_phone,
    parse_date,
)

TODAY = date(2026, 11, 21)

# Valid 居民身份证 numbers; check characters worked out by hand with the GB 11643 weights, e.g. for the first:
# 3·7+4·9+0·10+1·5+0·8+4·4+1·2+9·1+8·6+5·3+0·7+6·9+1·10+3·5+4·8+0·4+1·2 = 265, 265 mod 11 = 1 -> "0".
VALID_IDS = [
    "340104198506134010",
    "11010519491231002X",
    "44030520000229007X",  # born on 29 February 2000 (a leap year)
    "320502197808150025",
    "340102199003071232",
]


# --- dates --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2025-03-03",
        "2025-3-3",
        "2025/3/3",
        "2025.3.3",
        "20250303",
        "2025年3月3日",
        "2025年03月03日",
        " 2025-03-03 ",
        "２０２５－０３－０３",
        "２０２５年３月３日",
        "2025 年 3 月 3 日",
    ],
)
def test_parse_date_accepts_what_clerks_write(text):
    assert parse_date(text) == date(2025, 3, 3)


def test_parse_date_february_30():
    with pytest.raises(ValidationError) as err:
        parse_date("2025-02-30")
    assert err.value.message == "日期 2025-02-30 无效：2025年2月只有28天"


def test_parse_date_2023_02_29_not_a_leap_year():
    with pytest.raises(ValidationError) as err:
        parse_date("2023年2月29日", "收到申请日期")
    assert err.value.message == "收到申请日期 2023-02-29 无效：2023年不是闰年，2月只有28天"


def test_parse_date_2024_02_29_is_valid():
    assert parse_date("2024-02-29") == date(2024, 2, 29)


def test_parse_date_april_31_and_month_13():
    with pytest.raises(ValidationError, match="日期 2025-04-31 无效：2025年4月只有30天"):
        parse_date("2025/4/31")
    with pytest.raises(ValidationError, match="日期 2025-13-01 无效：月份 13 不存在，应为1–12"):
        parse_date("20251301")


@pytest.mark.parametrize("text", ["abc", "2025-3/3", "3/3/2025", "25-3-3", "2025年3月"])
def test_parse_date_garbage(text):
    with pytest.raises(ValidationError) as err:
        parse_date(text)
    assert err.value.message == f"无法识别的日期“{text}”，请写成 2025-03-03"


def test_parse_date_empty_names_the_field():
    with pytest.raises(ValidationError, match="收到申请日期不能为空"):
        parse_date("  ", "收到申请日期")


def test_received_date_in_the_future():
    with pytest.raises(ValidationError) as err:
        check_received_date(date(2026, 12, 1), TODAY)
    assert err.value.message.startswith("收到申请日期 2026-12-01 晚于今天 2026-11-21")
    assert err.value.field == "received"


def test_received_date_today_and_past_are_fine():
    check_received_date(TODAY, TODAY)
    check_received_date(date(2008, 5, 1), TODAY)


def test_received_date_before_the_regulations():
    with pytest.raises(ValidationError) as err:
        check_received_date(date(2008, 4, 30), TODAY)
    assert err.value.message == "收到申请日期 2008-04-30 早于《政府信息公开条例》施行之日 2008-05-01"


def test_event_before_receipt():
    with pytest.raises(ValidationError) as err:
        check_event_date(date(2025, 3, 1), date(2025, 3, 3), TODAY, "补正通知")
    assert err.value.message == "补正通知的日期 2025-03-01 早于收到申请日期 2025-03-03"


def test_event_in_the_future_and_on_receipt_day():
    with pytest.raises(ValidationError, match="该步骤的日期 2026-11-22 晚于今天 2026-11-21"):
        check_event_date(date(2026, 11, 22), date(2025, 3, 3), TODAY)
    check_event_date(date(2025, 3, 3), date(2025, 3, 3), TODAY)


def test_event_label_ending_in_date_is_not_doubled():
    with pytest.raises(ValidationError) as err:
        check_event_date(date(2025, 3, 1), date(2025, 3, 3), TODAY, "更正后的日期")
    assert err.value.message == "更正后的日期 2025-03-01 早于收到申请日期 2025-03-03"


# --- 居民身份证 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", VALID_IDS)
def test_valid_id_numbers(number):
    assert check_id_number(number, today=TODAY) == number


def test_id_lower_case_x_spaces_and_full_width_are_normalised():
    assert check_id_number(" 110105 19491231 002x ", today=TODAY) == "11010519491231002X"
    assert check_id_number("１１０１０５１９４９１２３１００２Ｘ", today=TODAY) == "11010519491231002X"


def test_id_wrong_check_digit_names_position_18_and_expected_char():
    with pytest.raises(ValidationError) as err:
        check_id_number("11010519491231002Y", today=TODAY)
    assert err.value.message == "身份证号码 11010519491231002Y 第18位校验码应为 X，实际为 Y"
    assert err.value.field == "id_number"


def test_id_x_where_a_digit_is_expected():
    with pytest.raises(ValidationError, match="第18位校验码应为 0，实际为 X"):
        check_id_number("34010419850613401X", today=TODAY)


def test_id_digit_where_x_is_expected():
    with pytest.raises(ValidationError, match="第18位校验码应为 X，实际为 0"):
        check_id_number("110105194912310020", today=TODAY)


def test_id_letter_inside_the_first_17():
    with pytest.raises(ValidationError, match="第5位“X”无效：前17位只能是数字"):
        check_id_number("1101X519491231002X", today=TODAY)


def test_id_bad_birth_date():
    with pytest.raises(ValidationError) as err:
        check_id_number("110105194913310023", today=TODAY)
    assert "第7–14位出生日期 19491331 无效" in err.value.message


def test_id_birth_on_29_february_of_a_common_year():
    with pytest.raises(ValidationError, match="第7–14位出生日期 20010229 无效：2001年不是闰年"):
        check_id_number("440305200102290071", today=TODAY)


def test_id_birth_in_the_future():
    with pytest.raises(ValidationError, match="第7–14位出生日期 20270101 无效：晚于今天 2026-11-21"):
        check_id_number("110105202701010011", today=TODAY)


def test_id_region_code_starting_with_zero():
    with pytest.raises(ValidationError, match="第1–6位地区码 010105 无效：首位应为1–9"):
        check_id_number("01010519491231002X", today=TODAY)


@pytest.mark.parametrize(("number", "length"), [("1101051949123100", 16), ("11010519491231002X1", 19)])
def test_id_wrong_length(number, length):
    with pytest.raises(ValidationError, match=f"应为18位，实际为{length}位"):
        check_id_number(number, today=TODAY)


def test_id_15_digit_old_number_is_refused_with_reason():
    with pytest.raises(ValidationError) as err:
        check_id_number("110105491231002", today=TODAY)
    assert "15位的旧号码" in err.value.message
    assert "请填写18位号码" in err.value.message


def test_id_empty():
    with pytest.raises(ValidationError, match="身份证号码不能为空"):
        check_id_number("   ")


# --- 统一社会信用代码 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # the commonly cited example
        "91110000600037341L",  # check characters below computed with the GB 32100 weights
        "91310000717866186P",
        "12100000400000478K",
    ],
)
def test_valid_credit_codes(code):
    assert check_credit_code(code) == code


def test_credit_code_normalised_to_upper_case():
    assert check_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"


def test_credit_code_wrong_check_char():
    with pytest.raises(ValidationError) as err:
        check_credit_code("91350100M000100Y44")
    assert err.value.message == "统一社会信用代码 91350100M000100Y44 第18位校验码应为 3，实际为 4"


@pytest.mark.parametrize(
    ("code", "position", "char"),
    [
        ("9135I100M000100Y43", 5, "I"),
        ("91350100MO00100Y43", 10, "O"),
        ("91350100M000100Z43", 16, "Z"),
        ("S1350100M000100Y43", 1, "S"),
        ("91350100M000100Y4V", 18, "V"),
    ],
)
def test_credit_code_forbidden_letters_name_the_position(code, position, char):
    with pytest.raises(ValidationError) as err:
        check_credit_code(code)
    assert f"第{position}位“{char}”无效" in err.value.message
    assert "不使用字母 I、O、Z、S、V" in err.value.message


def test_credit_code_letter_o_hints_digit_zero():
    with pytest.raises(ValidationError, match="是否应为数字 0"):
        check_credit_code("91350100MO00100Y43")


def test_credit_code_punctuation_and_length():
    with pytest.raises(ValidationError, match="第9位“-”无效"):
        check_credit_code("91350100-000100Y43")
    with pytest.raises(ValidationError, match="应为18位，实际为17位"):
        check_credit_code("91350100M000100Y4")


def test_identity_document_by_applicant_type():
    person = check_identity_document("natural_person", "11010519491231002x", today=TODAY)
    assert person == "11010519491231002X"
    assert check_identity_document("business", "91350100m000100y43") == "91350100M000100Y43"
    with pytest.raises(ValidationError, match="统一社会信用代码"):
        check_identity_document("research", "11010519491231002X")
    with pytest.raises(ValidationError, match="身份证号码"):
        check_identity_document("natural_person", "91350100M000100Y43", today=TODAY)


# --- phone, e-mail ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("0551-12345678", "0551-12345678"),
        ("055112345678", "0551-12345678"),
        ("(0551) 6512 3456", "0551-65123456"),
        ("010-87654321", "010-87654321"),
        ("021 8765 4321", "021-87654321"),
        ("0551-8765432", "0551-8765432"),
        ("0551-12345678-123", "0551-12345678-123"),
        ("010-87654321转8008", "010-87654321-8008"),
        ("+86 10 87654321", "010-87654321"),
    ],
)
def test_valid_phones(raw, normal):
    assert check_phone(raw) == normal


@pytest.mark.parametrize(
    "raw",
    [
        "12345678",
        "1381234567",
        "138123456789",
        "12812345678",
        "051-12345678",
        "0551-123456",
        "电话13812345678",
    ],
)
def test_invalid_phones(raw):
    with pytest.raises(ValidationError) as err:
        check_phone(raw)
    assert err.value.message == (
        f"联系电话“{raw}”格式不正确：手机号应为11位（1开头），固定电话应带区号，如 0551-12345678"
    )
    assert err.value.field == "phone"


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("zhang.san@example.com", "zhang.san@example.com"),
        (" 12345@QQ.COM ", "12345@qq.com"),
        ("li_si+gk@mail.gov.cn", "li_si+gk@mail.gov.cn"),
        ("wang＠163.com", "wang@163.com"),
    ],
)
def test_valid_emails(raw, normal):
    assert check_email(raw) == normal


@pytest.mark.parametrize(
    "raw", ["zhangsan", "zhang@", "@example.com", "a@b", "a..b@example.com", "a b@c.com"]
)
def test_invalid_emails(raw):
    with pytest.raises(ValidationError, match=f"电子邮箱“{raw}”格式不正确：应形如 name@example.com"):
        check_email(raw)


# --- choices and required text ------------------------------------------------------------------------------


def test_check_choice_accepts_code_and_label():
    assert check_choice("business", APPLICANT_TYPE_LABELS, "申请人类型") == "business"
    assert check_choice(" Business ", APPLICANT_TYPE_LABELS, "申请人类型") == "business"
    assert check_choice("自然人", APPLICANT_TYPE_LABELS, "申请人类型") == "natural_person"


def test_check_choice_lists_allowed_codes_with_labels():
    with pytest.raises(ValidationError) as err:
        check_choice("xx", APPLICANT_TYPE_LABELS, "申请人类型")
    assert err.value.message.startswith(
        "申请人类型“xx”无效，可选：natural_person（自然人）、business（商业企业）、"
    )
    assert "other_org（其他）" in err.value.message


def test_check_choice_channel():
    with pytest.raises(ValidationError, match="fax（传真）"):
        check_choice("email", CHANNEL_LABELS, "申请方式")


def test_check_required():
    assert check_required("  张三 ", "申请人姓名或名称") == "张三"
    with pytest.raises(ValidationError) as err:
        check_required("\u3000 ", "申请人姓名或名称", rule="《条例》第二十九条")
    assert err.value.message == "申请人姓名或名称不能为空（《条例》第二十九条）"
    with pytest.raises(ValidationError, match="申请人姓名或名称不能为空"):
        check_required(None, "申请人姓名或名称")


# --- masks --------------------------------------------------------------------------------------------------


def test_mask_id():
    assert mask_id("110105194912310023") == "110105********0023"
    assert mask_id("11010519491231002X") == "110105********002X"
    assert mask_id("") == ""
    assert mask_id("12345") == "*****"


def test_mask_phone():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0551-12345678") == "0551-****5678"
    assert mask_phone("010-87654321-8008") == "010-****4321-8008"
    assert mask_phone("") == ""
    assert "12345" not in mask_phone("not a phone 12345678")


# --- the application as a whole -----------------------------------------------------------------------------


def _app(**overrides) -> ApplicationInput:
    base = dict(
        applicant_name="张三",
        applicant_type="natural_person",
        channel="in_person",
        received="2025-03-03",
        content="请公开本机关2024年度财政预算执行情况报告",
        id_number="11010519491231002x",
        phone="138 1234 5678",
        email=None,
        address="合肥市蜀山区长江西路1号",
        delivery="mail",
    )
    base.update(overrides)
    return ApplicationInput(**base)


def test_complete_application_is_normalised():
    result = check_application(_app(), TODAY)
    a = result.application
    assert a.received == date(2025, 3, 3)
    assert a.id_number == "11010519491231002X"
    assert a.phone == "13812345678"
    assert a.email is None
    assert a.delivery == "mail"
    assert result.missing_elements == []
    assert result.complete


def test_text_with_braces_and_markup_is_kept_verbatim():
    content = '  关于{{ 项目 }}的批复 & <附件> "全文"，以及{% if %}和\'引号\'  '
    name = '  张三 & <李四> {{name}} "有限公司"  '
    result = check_application(_app(content=content, applicant_name=name), TODAY)
    assert result.application.content == content.strip()
    assert result.application.applicant_name == name.strip()


def test_missing_art29_elements_are_listed_not_errors():
    result = check_application(
        _app(id_number=None, phone="", address="  ", email=None, delivery=None, content="请公开"), TODAY
    )
    assert result.missing_codes == ["identity", "contact", "description", "form"]
    assert result.missing_elements == [
        "身份证明（居民身份证号码）",
        "联系方式（联系电话、电子邮箱或通信地址，至少一项）",
        "所需政府信息的名称、文号或便于行政机关查询的其他特征性描述",
        "获取信息的方式、途径（形式要求）",
    ]
    assert not result.complete
    assert result.application.address is None


def test_organisation_missing_identity_names_the_credit_code():
    result = check_application(_app(applicant_type="business", id_number=None), TODAY)
    assert result.missing_elements == ["身份证明（统一社会信用代码）"]


def test_one_contact_is_enough():
    result = check_application(_app(phone=None, address=None, email="a@example.com", delivery="email"), TODAY)
    assert result.missing_elements == []


def test_mail_delivery_without_address_is_missing():
    result = check_application(_app(address=None), TODAY)
    assert result.missing_codes == ["mail_address"]


def test_missing_name_is_an_error():
    with pytest.raises(ValidationError) as err:
        check_application(_app(applicant_name="  "), TODAY)
    assert "申请人姓名或名称不能为空（《条例》第二十九条）" in err.value.message
    assert err.value.field == "applicant_name"


def test_empty_content_is_an_error():
    with pytest.raises(ValidationError, match="申请内容不能为空"):
        check_application(_app(content=" \n "), TODAY)


def test_content_over_5000_characters_is_refused():
    check_application(_app(content="字" * 5000), TODAY)
    with pytest.raises(ValidationError, match="申请内容共 5,001 字，超过 5,000 字的上限"):
        check_application(_app(content="字" * 5001), TODAY)


def test_all_errors_are_reported_together():
    with pytest.raises(ApplicationInvalid) as err:
        check_application(
            _app(
                applicant_type="person",
                channel="wechat",
                received="2025-02-30",
                id_number="11010519491231002Y",
            ),
            TODAY,
        )
    fields = [e.field for e in err.value.errors]
    assert fields == ["applicant_type", "channel", "received"]  # id not checked without a valid type
    assert "申请人类型“person”无效" in err.value.message
    assert "申请方式“wechat”无效" in err.value.message
    assert "收到申请日期 2025-02-30 无效：2025年2月只有28天" in err.value.message


def test_wrong_check_digit_is_an_error():
    with pytest.raises(ValidationError, match="第18位校验码应为 X，实际为 Y"):
        check_application(_app(id_number="11010519491231002Y"), TODAY)


def test_bad_phone_and_email_are_errors():
    with pytest.raises(ApplicationInvalid) as err:
        check_application(_app(phone="12345", email="nobody"), TODAY)
    assert [e.field for e in err.value.errors] == ["phone", "email"]


def test_future_receipt_is_an_error():
    with pytest.raises(ValidationError, match="收到申请日期 2026-12-01 晚于今天 2026-11-21"):
        check_application(_app(received="2026-12-01"), TODAY)


def test_online_receipt_is_the_confirmation_day():
    ok = check_application(_app(channel="online", confirmed_on="2025/3/3"), TODAY)
    assert ok.application.confirmed_on == date(2025, 3, 3)
    assert ok.warnings == []
    with pytest.raises(ValidationError, match="收到申请日期应为确认之日（《条例》第三十一条）"):
        check_application(_app(channel="online", confirmed_on="2025-03-05"), TODAY)


def test_ordinary_letter_without_confirmation_warns():
    result = check_application(_app(channel="mail_ordinary"), TODAY)
    assert result.warnings == ["以平常信函方式提交的申请，应记录与申请人确认的日期（《条例》第三十一条）"]


def test_confirmation_before_receipt_for_in_person_is_an_error():
    with pytest.raises(ValidationError, match="确认的日期 2025-03-01 早于收到申请日期 2025-03-03"):
        check_application(_app(confirmed_on="2025-03-01"), TODAY)


def test_received_as_date_object_and_label_codes():
    result = check_application(_app(received=date(2025, 3, 3), applicant_type="自然人", channel="传真",
                                     confirmed_on=date(2025, 3, 3)), TODAY)
    assert result.application.applicant_type == "natural_person"
    assert result.application.channel == "fax"


# --- properties ---------------------------------------------------------------------------------------------

_bodies = st.builds(
    lambda region, born, seq: f"{region}{born:%Y%m%d}{seq:03d}",
    st.integers(110000, 999999),
    st.dates(date(1900, 1, 1), TODAY),
    st.integers(0, 999),
)


@given(_bodies)
def test_any_valid_body_with_its_check_char_is_valid(body):
    number = body + id_check_char(body)
    assert check_id_number(number, today=TODAY) == number


@given(_bodies, st.integers(0, 17), st.sampled_from("0123456789X"))
def test_changing_any_one_id_char_is_invalid(body, pos, new_char):
    number = body + id_check_char(body)
    if number[pos] == new_char or (pos < 17 and new_char == "X"):
        new_char = str((int(number[pos]) + 1) % 10) if number[pos] != "X" else "0"
    changed = number[:pos] + new_char + number[pos + 1 :]
    assert changed != number
    with pytest.raises(ValidationError):
        check_id_number(changed, today=TODAY)


_code_bodies = st.text(alphabet=CREDIT_CODE_CHARSET, min_size=17, max_size=17)


@given(_code_bodies)
def test_any_credit_code_body_with_its_check_char_is_valid(body):
    code = body + credit_code_check_char(body)
    assert check_credit_code(code) == code


@given(_code_bodies, st.integers(0, 17), st.sampled_from(CREDIT_CODE_CHARSET + "IOZSV"))
def test_changing_any_one_credit_code_char_is_invalid(body, pos, new_char):
    code = body + credit_code_check_char(body)
    if code[pos] == new_char:
        new_char = CREDIT_CODE_CHARSET[(CREDIT_CODE_CHARSET.index(new_char) + 1) % 31]
    changed = code[:pos] + new_char + code[pos + 1 :]
    with pytest.raises(ValidationError):
        check_credit_code(changed)
