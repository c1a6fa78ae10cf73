"""What the clerk reads in the terminal application, in the words of its own screens, forms and keys.

The services' messages name command-line flags and commands ("请先记录送达：zwgk-tui case act 2025-0003 served
--on 日期 --what correction"): that wording is part of the command line's contract and stays as it is. The TUI
translates it where a message crosses into a screen: a command becomes the screen and key that do the same
("在案件画面按 a 办理「记录送达日期」，填写「对方收到之日」，「送达的文书」选“补正告知书”"), a flag becomes the
label of the field that carries it, a step code becomes the step's name.

`tui_words` is the one function for that; the step form passes its own step, whose labels come first.
"""

from __future__ import annotations

import re
from functools import cache

from zwgk_tui.domain.step_options import ON_LABELS, STEP_OPTIONS, Opt, option_specs
from zwgk_tui.domain.workflow import STEPS

# Whole phrases that have a plainer equivalent on the screens (checked before anything else).
_PHRASES: tuple[tuple[str, str], ...] = (
    ("请加 --draft 生成草稿", "请在“出具方式”中选择“草稿”"),
    ("或用 --draft 生成草稿", "或在“出具方式”中选择“草稿”"),
    ("确需覆盖请加 --force，或换一个文件名", "确需覆盖请确认覆盖，或换一个文件名"),
    ("请加 --republish --reason 理由", "请在统计画面按 p 更正发布并写明理由"),
    ("去掉 --republish 即可发布", "在统计画面按 p 即可发布"),
)

# Labels of flags that mean different things in different steps, or that belong to commands other than a step.
_GENERAL_FLAGS: dict[str, str] = {
    "--on": "日期",
    "--reason": "理由",
    "--items": "事项",
    "--amount": "金额（元）",
    "--content": "申请内容",
    "--method": "方式",
    "--served": "送达日期",
    "--lapsed": "期满",
    "--kind": "类型",
    "--comment": "意见",
    "--force": "覆盖已有文件",
    "--draft": "草稿",
    "--republish": "更正发布",
    "--year": "年度",
    "--agency": "机关",
    "--format": "格式",
    "--reveal": "显示个人信息",
    "--open": "在办",
    "--closed": "已办结",
    "--due-within": "到期工作日数",
    "--days": "工作日数",
    "--min": "最少申请人数",
    "--where": "公开位置",
    "--note": "依据",
    "--file": "文件",
    "--carried": "结转数字",
    "--login": "登录名",
    "--role": "角色",
    "--user": "用户",
    "--map": "列名映射文件",
    "--sheet": "工作表",
    "--cases": "案件数",
    "--years": "年数",
    "--into-new": "新演示库",
    "--db": "数据库",
    "--password-file": "密码文件",
    "--week": "周",
    "--mine": "只看本人",
    "--current": "今天的数据",
    "--received": "收到日期",
    "--all": "全部",
}

# Values written after a flag only to show where a value goes ("--on 日期"): the label says it already.
_PLACEHOLDERS = frozenset({
    "N", "K", "D", "R", "Y", "CODE", "…", "...", "日期", "理由", "内容", "编号", "结果", "事项", "负责人", "文号",
    "成文日期", "对方收到之日", "期满次日或之后", "案件编号", "此前的案件编号", "类型", "机关代码", "代码",
    "申请/起诉日期", "审结日期", "缴纳方式", "机关全称", "简称", "复议机关", "人民法院", "复议机关全称",
    "人民法院全称", "正确姓名", "名称", "文件", "网址", "途径", "角色", "姓名", "页数", "期限", "编号…",
})

_STOP = "，。；：（）、“”！？,;"
_FLAG = r"--[a-z][a-z-]*"
_FLAG_RE = re.compile(_FLAG)
_CJK = "\u3400-\u9fff"

CASE_ACT = "在案件画面按 a 办理"
SETTINGS = "机关设置（Ctrl+P → 机关设置）"
ADMIN = "（管理员在命令行办理）"


def _q(label: str) -> str:
    return f"「{label}」"


def step_label(action: str) -> str:
    return STEPS[action].label if action in STEPS else action


@cache
def _step_specs() -> dict[str, dict[str, Opt]]:
    return {action: {spec.flag: spec for _, spec in option_specs(cls)} for action, cls in STEP_OPTIONS.items()}


@cache
def agency_flag_labels() -> dict[str, str]:
    """`agency set` flags → the names of the agency settings form's fields."""
    from zwgk_tui.services.admin import AGENCY_SETTINGS

    out = {}
    for key, spec in AGENCY_SETTINGS.items():
        # The form shows the full label; a message needs only its name (before any explanation in brackets).
        out["--" + key.replace("_", "-")] = re.split(r"[（(]", str(spec[1]), maxsplit=1)[0]
    return out


@cache
def flag_labels() -> dict[str, str]:
    """Every flag a service message may name → the words of the form or screen that carries it."""
    out: dict[str, str] = {}
    seen: dict[str, set[str]] = {}
    for specs in _step_specs().values():
        for flag, spec in specs.items():
            seen.setdefault(flag, set()).add(spec.label)
    for flag, labels in seen.items():
        if len(labels) == 1:
            out[flag] = next(iter(labels))
    for flag, label in agency_flag_labels().items():
        out.setdefault(flag, label)
    out.update(_GENERAL_FLAGS)
    return out


def _spec(flag: str, step: str | None) -> Opt | None:
    specs = _step_specs()
    if step and flag in specs.get(step, {}):
        return specs[step][flag]
    return None


def _label(flag: str, step: str | None) -> str | None:
    if flag == "--on" and step:
        return ON_LABELS.get(step, "日期")
    spec = _spec(flag, step)
    return spec.label if spec else flag_labels().get(flag)


def _choice_label(flag: str, value: str, step: str | None) -> str | None:
    """The label of a choice code written after a flag ("--what correction" → 补正告知书)."""
    spec = _spec(flag, step)
    candidates = [spec] if spec else [s[flag] for s in _step_specs().values() if flag in s]
    for c in candidates:
        if value in c.choices:
            return c.choices[value]
    return None


# -- commands -----------------------------------------------------------------------------------------------------

def _tokens(text: str, start: int) -> tuple[list[str], int]:
    """The space-separated tokens of a command from `start` up to the punctuation or prose that ends it, and where
    it ended. A token belongs to the command when it is a command-line word (ASCII), a flag, the value right after
    a flag, or a placeholder."""
    out: list[str] = []
    pos = start
    after_flag = False
    while pos < len(text):
        begin = pos
        while begin < len(text) and text[begin] in " \t":
            begin += 1
        end = begin
        while end < len(text) and text[end] not in " \t" and text[end] not in _STOP:
            end += 1
        token = text[begin:end]
        if not token:
            break
        is_flag = bool(_FLAG_RE.fullmatch(token))
        ascii_word = bool(re.fullmatch(r"[A-Za-z0-9_./|=#,\-]+", token))
        if not (is_flag or ascii_word or after_flag or token in _PLACEHOLDERS or token.endswith("…")):
            break
        out.append(token)
        after_flag = is_flag
        pos = end
        if end < len(text) and text[end] in _STOP:
            break
    return out, pos


def _flag_values(tokens: list[str]) -> list[tuple[str, str]]:
    """(flag, value) pairs of a command's tokens; "" for a flag without a value."""
    pairs: list[tuple[str, str]] = []
    for t in tokens:
        if _FLAG_RE.fullmatch(t):
            pairs.append((t, ""))
        elif pairs and not pairs[-1][1]:
            pairs[-1] = (pairs[-1][0], t)
    return pairs


def _fields(step: str, pairs: list[tuple[str, str]]) -> list[str]:
    """What the clerk fills in on the step's form for these flags: "填写「A」「B」", "勾选「C」", "「D」选“E”"."""
    fill: list[str] = []
    other: list[str] = []
    for flag, value in pairs:
        label = _label(flag, step)
        if not label:
            continue
        spec = _spec(flag, step)
        choice = _choice_label(flag, value, step) if value else None
        if spec is not None and spec.kind == "bool":
            other.append(f"勾选{_q(label)}")
        elif choice:
            other.append(f"{_q(label)}选“{choice}”")
        else:
            fill.append(_q(label))
    return ([f"填写{''.join(fill)}"] if fill else []) + other


def _case_act(tokens: list[str]) -> str:
    """case act NUMBER STEP flags… (a fragment may lack the number: "case act … decide")."""
    action = next((t for t in tokens if t in STEPS), "")
    if not action:
        return CASE_ACT + "相应步骤"
    fields = _fields(action, _flag_values(tokens[tokens.index(action) + 1:]))
    return CASE_ACT + _q(step_label(action)) + "".join(f"，{f}" for f in fields)


def _agency_set(tokens: list[str]) -> str:
    labels = agency_flag_labels()
    names = [labels[f] for f, _ in _flag_values(tokens) if f in labels]
    return f"在{SETTINGS}中填写{''.join(_q(n) for n in names)}" if names else f"在{SETTINGS}中设置"


def _doc(tokens: list[str]) -> str:
    from zwgk_tui.documents.kinds import KINDS

    kind = tokens[1] if len(tokens) > 1 else ""
    title = "答复书" if kind == "reply" else (KINDS[kind].title if kind in KINDS else "")
    return "在案件画面按 d 生成" + (_q(title) if title else "文书")


def _stats(tokens: list[str]) -> str:
    year = next((v for f, v in _flag_values(tokens) if f == "--year" and v.isdigit()), "")
    where = f"在统计画面（Ctrl+P → 统计）选择 {year} 年度" if year else "在统计画面（Ctrl+P → 统计）"
    if "publish" in tokens:
        return where + ("，按 p 更正发布并写明理由" if "--republish" in tokens else "，按 p 发布")
    return where


def _command(words: list[str]) -> str:
    """A command (its words after "zwgk-tui") as the screen and key that do the same."""
    first = words[0] if words else ""
    second = words[1] if len(words) > 1 else ""
    if first == "case" and second == "act":
        return _case_act(words[2:])
    if first == "case" and second == "amend":
        return CASE_ACT + _q(step_label("amend"))
    if first == "case" and second == "show":
        return "在登记簿中打开该案件"
    if first in ("case", "register"):
        return "在登记簿中"
    if first == "agency" and second == "set":
        return _agency_set(words[2:])
    if first == "agency":
        return "「添加机关」" + ADMIN
    if first == "doc":
        return _doc(words[1:])
    if first == "stats":
        return _stats(words[1:])
    if first == "intake" and second == "import":
        return "「导入网上申请」" + ADMIN
    if first == "intake":
        return "网上申请收件箱（Ctrl+P → 网上申请）"
    if first == "calendar":
        return "在日历画面（Ctrl+P → 日历）按 i 导入通知"
    if first == "verify":
        return "「校验记录」（Ctrl+P → 校验记录）"
    if first == "proactive":
        return "在多人申请画面（Ctrl+P → 多人申请）记录主动公开"
    if first == "user":
        return "「登记用户」" + ADMIN
    if first == "init":
        return "「初始化数据库」" + ADMIN
    if first == "demo":
        return "「另建演示库」" + ADMIN
    return "相应功能（按 ? 查看帮助）"


_STEP_CODES = sorted(STEPS, key=len, reverse=True)
_STEP_ALT = "|".join(re.escape(c) for c in _STEP_CODES)
# A command starts with "zwgk-tui <word>", "case act ", "register export", or a step code followed by a flag or "…".
_COMMAND_START = re.compile(
    r"zwgk-tui[ \t]+(?=[a-z])|(?<![A-Za-z-])(?=case act[ \t])|(?<![A-Za-z-])(?=register export\b)"
    rf"|(?<![A-Za-z-])(?=(?:{_STEP_ALT})[ \t]+(?:--[a-z]|…))"
)
# A verb before a command that the translated words already carry ("请先执行 zwgk-tui …" → "请先在案件画面…").
_VERB_BEFORE = re.compile(r"(?:执行|用)[ \t]*$")


def _commands(text: str) -> str:
    out: list[str] = []
    pos = 0
    while True:
        m = _COMMAND_START.search(text, pos)
        if m is None:
            out.append(text[pos:])
            return "".join(out)
        tokens, end = _tokens(text, m.end())
        if not tokens:
            out.append(text[pos:m.end()])
            pos = m.end()
            continue
        if m.group(0).startswith("zwgk-tui") or tokens[0] in ("case", "register"):
            words = _command(tokens)
        else:  # a step with its options: "decide --outcome CODE", "consult-answered --lapsed"
            fields = _fields(tokens[0], _flag_values(tokens[1:]))
            words = _q(step_label(tokens[0])) + ("中" + "，".join(fields) if fields else "")
        before = text[pos:m.start()].rstrip(" \t")
        if words.startswith("在"):
            before = _VERB_BEFORE.sub("", before)
        elif words.startswith("「") and "中" in words and _VERB_BEFORE.search(before):
            before = _VERB_BEFORE.sub("", before) + "在"
        out.append(before + words)
        pos = end
        while pos < len(text) and text[pos] in " \t":
            pos += 1


# -- flags, codes and step names ---------------------------------------------------------------------------------

def _flags(text: str, step: str | None) -> str:
    # "--where（公开位置）": the words in brackets are the field's name.
    text = re.sub(rf"({_FLAG})（([^（）]*)）", lambda m: _q(m.group(2)) if _label(m.group(1), step) else m.group(0),
                  text)

    # "确认日期（--on）", "（--answer 内容）": a flag in brackets after the words it explains goes, with its
    # placeholder; what else the brackets say stays.
    def bracketed(m: re.Match[str]) -> str:
        kept: list[str] = []
        skip_value = False
        for token in re.split(r"[ \t]+", m.group(1)):
            bare = token.rstrip("，、")
            if _FLAG_RE.fullmatch(bare) and _label(bare, step):
                skip_value = not token.endswith(("，", "、"))
                continue
            if skip_value and bare in _PLACEHOLDERS:
                skip_value = False
                continue
            skip_value = False
            kept.append(token)
        rest = " ".join(kept).strip(" ，、")
        return f"（{rest}）" if rest else ""

    text = re.sub(rf"（((?:{_FLAG})[^（）]*)）", bracketed, text)

    # "--flag value": the label; the value stays unless it is a placeholder, a choice code becomes its label.
    def bare(m: re.Match[str]) -> str:
        flag, value = m.group(1), (m.group(2) or "").strip()
        label = _label(flag, step)
        if not label:
            return m.group(0)
        if not value or value in _PLACEHOLDERS:
            return _q(label)
        codes = value.split("/")
        labels = [_choice_label(flag, c, step) for c in codes]
        if all(labels):
            return _q(label) + "选“" + "”或“".join(str(x) for x in labels) + "”"
        return _q(label) + value

    return re.sub(rf"({_FLAG})((?:[ \t]+(?!--)[^\s{_STOP}]+)?)", bare, text)


_STEP_CODE_RE = re.compile(rf"(?<![A-Za-z-])({'|'.join(re.escape(c) for c in _STEP_CODES if '-' in c)})(?![A-Za-z-])")
_LONE_STEP_RE = re.compile(rf"（({_STEP_ALT})）")


@cache
def _choice_codes() -> frozenset[str]:
    return frozenset(code for specs in _step_specs().values() for spec in specs.values() for code in spec.choices)


# "none（未提出意见）": a choice code followed by its label in brackets.
_CODE_WITH_LABEL = re.compile(rf"(?<![A-Za-z0-9_.-])([a-z]+(?:[_-][a-z]+)*)（([^（）]*[{_CJK}][^（）]*)）")
# No spaces between the screen's words and the Chinese around them.
_SPACE_BEFORE = re.compile(rf"(?<=[{_CJK}」）：；，。“”])[ \t]+(?=[「“])")
_SPACE_AFTER = re.compile(rf"(?<=」)[ \t]+(?=[{_CJK}「（，。；“”])")


_QUOTED_CODE = re.compile(r"“([a-z]+(?:_[a-z]+)*)”")


@cache
def _code_labels() -> dict[str, str]:
    from zwgk_tui.domain.codes import OUTCOME_SHORT_LABELS, STAGE_LABELS

    return {**OUTCOME_SHORT_LABELS, **STAGE_LABELS}


def tui_words(text: str, step: str | None = None) -> str:
    """`text` (a service's message) as the clerk should read it in the terminal application: commands as the
    screens and keys that do the same, flags as the labels of the fields (the open form's `step` first), step
    codes as the steps' names, a quoted stage or outcome code (阶段为“office_review”) as its name."""
    if "“" in text:
        text = _QUOTED_CODE.sub(lambda m: f"“{_code_labels().get(m.group(1), m.group(1))}”", text)
    if "--" not in text and "zwgk-tui" not in text and "case act" not in text and not _STEP_CODE_RE.search(text) \
            and not _LONE_STEP_RE.search(text):
        return text
    for phrase, plain in _PHRASES:
        text = text.replace(phrase, plain)
    text = re.sub(r"（终端界面：[^）]*）", "", text)
    text = _commands(text)
    text = _flags(text, step)
    # "（correction-lapsed）": the step the clerk records, and where.
    text = _LONE_STEP_RE.sub(lambda m: f"（{CASE_ACT}{_q(step_label(m.group(1)))}）", text)
    text = _STEP_CODE_RE.sub(lambda m: _q(step_label(m.group(1))), text)
    text = _CODE_WITH_LABEL.sub(lambda m: f"“{m.group(2)}”" if m.group(1) in _choice_codes() else m.group(0), text)
    text = re.sub(r"“([^“”]+)”（\1）", r"“\1”", text)  # "选“同意公开”（同意公开）"
    text = _SPACE_BEFORE.sub("", text)
    return _SPACE_AFTER.sub("", text)


def names_command(text: str) -> bool:
    """Whether `text` still names a command-line flag, command or step code (what `tui_words` removes)."""
    return bool(_FLAG_RE.search(text) or re.search(r"zwgk-tui[ \t]+[a-z]", text) or _STEP_CODE_RE.search(text)
                or re.search(r"\bcase act\b", text))
