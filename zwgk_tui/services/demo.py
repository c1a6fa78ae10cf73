"""Realistic synthetic data: `zwgk-tui demo --cases N --seed S`.

Five agencies of a county (the county government, three departments, a township) with their reconsideration
bodies and courts; applicants of all six types in plausible proportions; cases received over several years up
to today that went through the real stage machine (domain.workflow) step by step: corrections (received or
lapsed), consultations (answered or lapsed), fee notices (paid or lapsed), extensions, Art. 35 delays, office and
legal review with occasional returns, sign-off, delivery, withdrawals, and reconsideration / litigation
afterwards. A step whose date would fall after today is not taken, so the newest cases are open in every stage,
some paused; a few stalled cases are overdue. Every outcome of the 21 appears.

Each case gets the events that explain its state (so `case show` replays them to the same deadline), the pause,
fee-notice and remedy rows the steps create, and its clock summary computed by the clock itself
(compute_deadline, explain=False). Case numbers are gapless per agency and year, continuing case_counters.

Deterministic: random.Random(seed) drives every choice, and the only other input is ctx.today(); event
timestamps are derived from the legal dates. Rows go in by batches of 20,000 cases, one transaction each (a batch
is whole: its cases, events, side rows and counters commit together): on SQLite one Core-compiled INSERT stepped
with executemany over tuples, on PostgreSQL COPY FROM STDIN.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from sqlalchemy.orm import Session

from zwgk_tui.domain.calendar import WorkCalendar
from zwgk_tui.domain.clock import ClockEvent, compute_deadline, rules_for
from zwgk_tui.domain.codes import CHANNELS_NEEDING_CONFIRMATION, OUTCOME_CODES
from zwgk_tui.domain.fees import per_page_quote, per_request_quote
from zwgk_tui.domain.validation import credit_code_check_char, id_check_char
from zwgk_tui.domain.workflow import ReviewSettings, target_stage
from zwgk_tui.persistence import repo
from zwgk_tui.persistence.bulk import bulk_insert, reserve_ids
from zwgk_tui.persistence.models import (
    Agency,
    CaseCounter,
)
from zwgk_tui.services.context import CHINA_TZ, ServiceContext, now_in_china
from zwgk_tui.services.errors import InvalidInput

MAX_CASES = 5_000_000
BATCH = 20_000

# ---------------------------------------------------------------------------------------------------------------
# The county

AGENCIES: list[dict[str, Any]] = [
    {"code": "xzf", "name": "青山县人民政府", "short_name": "青政", "reconsideration_body": "江北市人民政府",
     "court": "江北市中级人民法院", "office_review": False, "weight": 18, "topics": "gov"},
    {"code": "zrzyj", "name": "青山县自然资源局", "short_name": "青自然资", "reconsideration_body": "青山县人民政府",
     "court": "青山县人民法院", "weight": 30, "topics": "land"},
    {"code": "zjj", "name": "青山县住房和城乡建设局", "short_name": "青住建", "reconsideration_body": "青山县人民政府",
     "court": "青山县人民法院", "weight": 26, "topics": "housing"},
    {"code": "scjgj", "name": "青山县市场监督管理局", "short_name": "青市监", "reconsideration_body": "青山县人民政府",
     "court": "青山县人民法院", "weight": 10, "topics": "market"},
    {"code": "lhz", "name": "青山县柳河镇人民政府", "short_name": "柳河镇", "reconsideration_body": "青山县人民政府",
     "court": "青山县人民法院", "weight": 16, "topics": "town"},
]

APPLICANT_TYPE_WEIGHTS = {"natural_person": 850, "business": 60, "research": 10, "nonprofit": 15,
                          "legal_service": 45, "other_org": 20}
CHANNEL_WEIGHTS = {"online": 45, "mail_registered": 30, "in_person": 15, "mail_ordinary": 7, "fax": 3}
DELIVERY_WEIGHTS = {"mail": 50, "email": 25, "in_person": 15, "online": 10}
FORMS = ("纸质", "电子文档", "纸质或电子文档均可")

# Decided outcomes (lapses and withdrawals come from their own paths).
DECISION_WEIGHTS: dict[str, float] = {
    "disclosed": 38, "partially_disclosed": 9,
    "withheld_state_secret": 0.3, "withheld_law_prohibited": 0.5, "withheld_security_stability": 0.3,
    "withheld_third_party": 2, "withheld_internal_affairs": 1.5, "withheld_process_info": 3,
    "withheld_enforcement_file": 1, "withheld_inquiry_matter": 1.5,
    "unavailable_not_held": 22, "unavailable_needs_creation": 4, "unavailable_unclear": 0.6,
    "not_processed_petition": 4, "not_processed_duplicate": 3, "not_processed_publication": 0.5,
    "not_processed_excessive": 0.8, "not_processed_confirm_reissue": 1, "other_other": 1.2,
}
ADVERSE = frozenset(o for o in OUTCOME_CODES if o != "disclosed")

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
            "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红文辉玉海燕宇浩晨阳欣怡俊杨帆婷雪梅林松振东"
VILLAGES = ("东风村", "红旗村", "李家庄村", "石桥村", "新华村", "柳林村", "王湾村", "前进村", "河西村", "双庙村")
ESTATES = ("幸福小区", "滨河花园", "锦绣家园", "电厂宿舍", "供销社家属院", "城南新村", "阳光嘉苑")
PROJECTS = ("城南片区棚户区改造项目", "工业园区三期项目", "县道X012改扩建工程", "滨河公园项目", "柳河镇污水处理厂项目",
            "高铁站片区综合开发项目", "老城区雨污分流工程")
FIRMS = ("恒达", "鑫源", "宏图", "金诚", "华润", "永安", "联众", "博远", "正信", "德润")
TRADES = ("建材", "商贸", "物流", "食品", "房地产开发", "建筑工程", "农业科技")
SUBJECTS = ("城乡规划", "土地经济", "环境科学", "公共管理", "法学")

TOPICS: dict[str, tuple[str, ...]] = {
    "gov": ("{y}年县政府常务会议纪要中关于{p}的内容", "{p}房屋征收决定及补偿方案", "关于{p}立项的批复",
            "{y}年县政府重大行政决策目录", "{v}划入{p}征收范围的依据"),
    "land": ("{v}集体土地征收批复文件", "{p}建设用地批准书", "{v}征地补偿安置方案及公告", "{p}用地预审意见",
             "{y}年{v}土地利用总体规划图", "{p}国有建设用地使用权出让合同"),
    "housing": ("{e}老旧小区改造项目清单及资金使用情况", "{p}建设工程规划许可证", "{e}房屋征收补偿方案",
                "{p}施工许可证及竣工验收备案材料", "{y}年保障性住房分配名单", "{e}违法建设认定材料"),
    "market": ("对{f}作出的行政处罚决定书", "{y}年食品安全监督抽检结果", "{f}营业执照登记信息",
               "{y}年“双随机”抽查结果", "投诉{f}一案的处理结果"),
    "town": ("{v}{y}年惠农补贴发放名单", "{v}违法建筑拆除决定", "{v}土地承包经营权确权登记资料",
             "{v}{y}年村级财务公开资料", "{p}涉及{v}的拆迁补偿标准"),
}
THIRD_PARTIES = ("相关权利人", "项目建设单位", "被处罚企业", "相邻权利人")
OTHER_AGENCIES = ("青山县财政局", "青山县发展和改革委员会", "江北市自然资源和规划局", "青山县人力资源和社会保障局")
RETURN_OPINIONS = ("答复依据引用不准确，请核对条款后修改", "请补充说明不予公开的具体理由", "救济途径告知不完整，请修改",
                   "请核实是否已主动公开并注明获取方式")


@dataclass
class _Agency:
    id: int
    code: str
    name: str
    number_format: str
    settings: ReviewSettings
    fee_pauses: bool
    due_soon: int
    topics: tuple[str, ...]
    clerks: tuple[str, ...]


# ---------------------------------------------------------------------------------------------------------------
# Rows: lightweight tables (no per-value bind processing); values are adapted once per dialect.


class _Values:
    """Dates and timestamps as the dialect stores them: SQLite gets SQLAlchemy's own text forms."""

    def __init__(self, sqlite: bool):
        self.sqlite = sqlite
        self._ts: dict[tuple[int, int], Any] = {}

    def d(self, value: date | None) -> Any:
        if value is None or not self.sqlite:
            return value
        return value.isoformat()

    def ts(self, day: date, minutes: int) -> Any:
        """A timestamp on the legal date (working hours from 09:00), so records read as made that day."""
        key = (day.toordinal(), minutes)
        value = self._ts.get(key)
        if value is None:
            hh, mm = divmod(9 * 60 + minutes, 60)
            if self.sqlite:
                value = f"{day.isoformat()} {hh:02d}:{mm:02d}:00.000000"
            else:
                value = datetime(day.year, day.month, day.day, hh, mm, tzinfo=CHINA_TZ)
            if len(self._ts) < 2_000_000:
                self._ts[key] = value
        return value


_JSON_CACHE: dict[Any, str] = {}


def _j(obj: dict[str, Any], key: Any = None) -> str:
    """json for an event column; the frequent small objects are cached by `key`."""
    if key is None:
        return json.dumps(obj)
    s = _JSON_CACHE.get(key)
    if s is None:
        s = _JSON_CACHE[key] = json.dumps(obj)
    return s


# ---------------------------------------------------------------------------------------------------------------
# One case


class _Plan:
    __slots__ = (
        "consult",
        "consult_lapsed",
        "correction",
        "delay",
        "extend",
        "fee",
        "hold",
        "outcome",
        "return_legal",
        "return_office",
        "slow",
        "stuck",
        "withdraw",
    )

    def __init__(self) -> None:
        self.outcome: str | None = None
        self.correction: str | None = None  # "received" | "lapse"
        self.withdraw = False
        self.consult: str | None = None  # "third_party" | "agency"
        self.consult_lapsed = False
        self.fee: str | None = None  # "paid" | "lapse"
        self.extend = False
        self.delay = False
        self.slow = False
        self.return_office = False
        self.return_legal = False
        self.stuck: str | None = None  # stop after this action
        self.hold = False  # keep the first pause (or correction) open


def _draw_plan(rng: random.Random, outcomes: list[str], cum: list[float]) -> _Plan:
    p = _Plan()
    x = rng.random()
    if x < 0.05:
        p.correction = "received"
    elif x < 0.072:
        p.correction = "lapse"
    p.withdraw = rng.random() < 0.025
    if rng.random() < 0.06:
        p.consult = "third_party" if rng.random() < 0.8 else "agency"
        p.consult_lapsed = rng.random() < 0.1
    x = rng.random()
    if x < 0.005:
        p.fee = "paid"
    elif x < 0.008:
        p.fee = "lapse"
    p.extend = rng.random() < 0.07
    p.delay = rng.random() < 0.003
    p.slow = rng.random() < 0.04
    p.return_office = rng.random() < 0.04
    p.return_legal = rng.random() < 0.03
    if rng.random() < 0.002:
        p.stuck = rng.choice(("register", "decide", "submit"))
    p.outcome = rng.choices(outcomes, cum_weights=cum)[0]
    if p.outcome == "unavailable_unclear" and p.correction is None:
        p.correction = "received"
    return p


def _force_outcome(p: _Plan, outcome: str) -> None:
    p.stuck = None
    p.hold = False
    p.withdraw = False
    p.correction = p.fee = None
    if outcome == "other_no_correction":
        p.correction = "lapse"
    elif outcome == "other_fee_unpaid":
        p.fee = "lapse"
    elif outcome == "other_other":
        p.withdraw = True
    else:
        p.outcome = outcome
        if outcome == "unavailable_unclear":
            p.correction = "received"


class _Sim:
    """Walks one case through the stage machine, recording events; stops at the first step after today."""

    __slots__ = (
        "cal",
        "clock",
        "events",
        "halted",
        "legal_days",
        "office_days",
        "settings",
        "stage",
        "stage_since",
        "today",
    )

    def __init__(self, cal: WorkCalendar, today: date, settings: ReviewSettings, received: date):
        self.cal = cal
        self.today = today
        self.settings = settings
        self.stage = "registered"
        self.stage_since = received
        self.office_days = 0
        self.legal_days = 0
        # action, on, actor, data, before, after, comment
        self.events: list[tuple[str, date, str, str, str, str, str]] = []
        self.clock: list[ClockEvent] = []
        self.halted = False

    _targets: ClassVar[dict[tuple[str, str, ReviewSettings], str]] = {}

    def step(self, action: str, on: date, actor: str, data: str = "{}", comment: str = "") -> bool:
        if self.halted or on > self.today:
            self.halted = True
            return False
        key = (self.stage, action, self.settings)
        new = self._targets.get(key)
        if new is None:
            # The real stage machine decides (and refuses an impossible path); cached per stage and action.
            new = self._targets[key] = target_stage(self.stage, action, self.settings)
        if new != self.stage:
            if on > self.stage_since:
                spent = self.cal.working_days_between(self.stage_since, on)
                if self.stage == "office_review":
                    self.office_days += spent
                elif self.stage == "legal_review":
                    self.legal_days += spent
            self.stage_since = on
        self.events.append((action, on, actor, data, self.stage, new, comment))
        self.stage = new
        return True


# ---------------------------------------------------------------------------------------------------------------


class _Generator:
    def __init__(self, ctx: ServiceContext, s: Session, seed: int, years: int):
        self.ctx = ctx
        self.rng = random.Random(seed)
        self.today = ctx.today()
        self.cal = ctx.calendar(s)
        self.values = _Values(ctx.db.is_sqlite)
        self.first_day = date(self.today.year - years + 1, 1, 1)
        self.outcomes = list(DECISION_WEIGHTS)
        acc = 0.0
        self.outcome_cum = []
        for o in self.outcomes:
            acc += DECISION_WEIGHTS[o]
            self.outcome_cum.append(acc)
        self.pools: dict[str, list[tuple[int, str, str, str, str]]] = {t: [] for t in APPLICANT_TYPE_WEIGHTS}
        self.stats: Counter[str] = Counter()
        self._contents: dict[tuple[str, int], list[str]] = {}

    # -- names -------------------------------------------------------------------------------------------------
    def person(self) -> str:
        r = self.rng
        return r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2, 2))))

    def id_number(self) -> str:
        r = self.rng
        born = date(1945, 1, 1) + timedelta(days=r.randrange(21_500))
        body = f"{r.choice(('341122', '341124', '341181', '340104'))}{born:%Y%m%d}{r.randrange(1000):03d}"
        return body + id_check_char(body)

    def credit_code(self, prefix: str) -> str:
        r = self.rng
        body = prefix + "341122" + "".join(r.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
        return body + credit_code_check_char(body)

    def org(self, atype: str) -> tuple[str, str]:
        r = self.rng
        if atype == "business":
            return f"青山县{r.choice(FIRMS)}{r.choice(TRADES)}有限公司", self.credit_code("91")
        if atype == "research":
            name = r.choice((f"江北市{r.choice(SUBJECTS)}研究院", f"江北大学{r.choice(SUBJECTS)}研究中心"))
            return name, self.credit_code("12")
        if atype == "nonprofit":
            return r.choice(("江北市绿色家园环保公益服务中心", "青山县助老公益协会", "江北市公众环境研究中心",
                             "青山县扶贫济困基金会")), self.credit_code("53")
        if atype == "legal_service":
            return f"江北{r.choice(FIRMS)}律师事务所", self.credit_code("31")
        return r.choice((f"{r.choice(VILLAGES)}村民委员会", f"{r.choice(ESTATES)}业主委员会",
                         "青山县建筑业协会", "青山县个体劳动者协会")), self.credit_code("54")

    def content(self, agency: _Agency, received: date) -> str:
        """What was asked for: one of a few hundred phrasings per agency and year, drawn once each."""
        key = (agency.code, received.year)
        pool = self._contents.get(key)
        if pool is None:
            r = self.rng
            pool = self._contents[key] = [
                r.choice(agency.topics).format(
                    y=received.year - r.choice((0, 1, 1, 2)), p=r.choice(PROJECTS), v=r.choice(VILLAGES),
                    e=r.choice(ESTATES), f=f"青山县{r.choice(FIRMS)}{r.choice(TRADES)}有限公司",
                )
                for _ in range(300)
            ]
        return self.rng.choice(pool)

    # -- set-up ------------------------------------------------------------------------------------------------
    def agencies(self, s: Session) -> list[_Agency]:
        out: list[_Agency] = []
        now = now_in_china()
        for spec in AGENCIES:
            a = repo.agency_by_code(s, spec["code"])
            if a is None:
                a = Agency(code=spec["code"], name=spec["name"], short_name=spec["short_name"],
                           reconsideration_body=spec["reconsideration_body"], court=spec["court"],
                           address=f"青山县城关镇人民路{len(out) * 12 + 8}号", postcode="239400",
                           phone=f"0550-{7012000 + len(out) * 111}", contact="政务公开办",
                           office_review=spec.get("office_review", True), legal_review=spec.get("legal_review", True),
                           created_at=now)
                s.add(a)
                s.flush()
            clerks = tuple(f"{spec['code']}-承办人{i}" for i in range(1, 4))
            out.append(_Agency(a.id, a.code, a.name, a.number_format,
                               ReviewSettings(office_review=a.office_review, legal_review=a.legal_review),
                               a.fee_pauses_clock, a.due_soon_days, TOPICS[spec["topics"]], clerks))
        return out

    def received_dates(self, n: int) -> list[date]:
        """n receipt days (working days, a little more each year), sorted."""
        cal, rng = self.cal, self.rng
        days = []
        d = self.first_day
        while d <= self.today:
            if cal.is_working_day(d):
                days.append(d)
            d += timedelta(days=1)
        if not days:
            raise InvalidInput("演示数据的时间范围内没有工作日")
        base = self.first_day.year
        cum, acc = [], 0.0
        for day in days:
            acc += 1.0 + 0.12 * (day.year - base)
            cum.append(acc)
        picks = rng.choices(range(len(days)), cum_weights=cum, k=n)
        picks.sort()
        return [days[i] for i in picks]


def is_demo_actor(name: str) -> bool:
    """The synthetic clerks' names (`<agency code>-承办人<n>`) of the demo agencies."""
    code, sep, rest = name.partition("-承办人")
    return bool(sep) and rest.isdigit() and code in {spec["code"] for spec in AGENCIES}


def generate(ctx: ServiceContext, cases: int, seed: int, *, years: int = 4,
             progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Add `cases` synthetic cases; returns a summary (counts, agencies, years, speed)."""
    if not 1 <= cases <= MAX_CASES:
        raise InvalidInput(f"--cases {cases} 无效：应为 1 至 {MAX_CASES:,}")
    if not 1 <= years <= 15:
        raise InvalidInput(f"--years {years} 无效：应为 1 至 15")
    t0 = time.perf_counter()
    with ctx.db.write() as s:
        actor = ctx.actor(s)
        ctx.require_role(actor, {"admin"}, "生成演示数据")
        # Synthetic cases never go into a register holding real ones (they would count in its annual report).
        existing = repo.case_count(s)
        if existing and not all(is_demo_actor(a) for a in repo.registering_actors(s)):
            raise InvalidInput(
                f"此数据库已有 {existing} 件真实案件：演示数据不能混入真实的登记簿。"
                "请另建演示库：zwgk-tui demo --into-new 演示.db"
            )
        g = _Generator(ctx, s, seed, years)
        agencies = g.agencies(s)
    received = g.received_dates(cases)
    weights = [spec["weight"] for spec in AGENCIES]
    forced = _forced_positions(g, received)
    done = 0
    for lo in range(0, cases, BATCH):
        hi = min(cases, lo + BATCH)
        plans = _draw_cases(g, lo, hi, len(agencies), weights, forced, stall_from=int(len(received) * 0.95))
        with ctx.db.write() as s:
            _write_batch(g, s, agencies, received[lo:hi], plans)
        done = hi
        if progress is not None:
            progress(done, cases)
    seconds = time.perf_counter() - t0
    st = g.stats
    by_year = Counter(d.year for d in received)
    return {
        "cases": cases,
        "seed": seed,
        "agencies": [{"code": a.code, "name": a.name} for a in agencies],
        "applicants": st["applicants"],
        "events": st["events"],
        "closed": st["closed"],
        "open": cases - st["closed"],
        "overdue": st["overdue"],
        "paused": st["paused"],
        "awaiting_correction": st["awaiting_correction"],
        "fee_notices": st["fee_notices"],
        "remedies": st["remedies"],
        "extensions": st["extensions"],
        "first_received": received[0].isoformat(),
        "last_received": received[-1].isoformat(),
        "years": [{"year": y, "received": by_year[y]} for y in sorted(by_year)],
        "seconds": round(seconds, 2),
        "cases_per_second": round(cases / seconds) if seconds > 0 else None,
    }


def _forced_positions(g: _Generator, received: list[date]) -> dict[int, list[tuple[str, str]]]:
    """A few case positions (in order of receipt) forced so that every outcome, every applicant type, stalled
    (overdue) cases, open pauses and an open correction appear even in a small data set."""
    n = len(received)
    forced: dict[int, list[tuple[str, str]]] = {}
    # Every outcome twice, spread over the older 80 % (cases that have had time to close).
    k = 2 * len(OUTCOME_CODES)
    span = max(1, int(n * 0.8))
    outcome_pos = set()
    for i in range(min(n, k)):
        pos = (i * span) // k
        forced.setdefault(pos, []).append(("outcome", OUTCOME_CODES[i % len(OUTCOME_CODES)]))
        outcome_pos.add(pos)
    types = list(APPLICANT_TYPE_WEIGHTS)
    for i, atype in enumerate(types):
        pos = (i * span) // len(types) + 1 if n > 2 * len(types) else i
        if pos < n:
            forced.setdefault(pos, []).append(("type", atype))
    if n >= 20:
        for frac, action in ((0.35, "register"), (0.55, "decide"), (0.75, "submit")):
            pos = int(n * frac)
            while pos in outcome_pos and pos + 1 < n:
                pos += 1
            forced.setdefault(pos, []).append(("stuck", action))
    recent = [i for i in range(n - 1, -1, -1)
              if timedelta(days=10) <= g.today - received[i] <= timedelta(days=40) and i not in outcome_pos]
    for j, what in enumerate(("consult", "fee", "correction", "consult", "fee")):
        if 3 * j < len(recent):
            forced.setdefault(recent[3 * j], []).append(("hold", what))
    return forced


def _draw_cases(g: _Generator, lo: int, hi: int, n_agencies: int, weights: list[int],
                forced: dict[int, list[tuple[str, str]]], stall_from: int = 0) -> list[tuple[_Plan, int, str]]:
    """(plan, agency index, applicant type) for the cases at positions lo..hi-1. Randomly stalled cases are kept
    to the newest 5 % (an office notices a case forgotten for years; a demo full of them looks wrong)."""
    rng = g.rng
    agency_idx = list(range(n_agencies))
    out: list[tuple[_Plan, int, str]] = []
    for i in range(lo, hi):
        plan = _draw_plan(rng, g.outcomes, g.outcome_cum)
        if i < stall_from:
            plan.stuck = None
        a = rng.choices(agency_idx, weights=weights)[0]
        atype = rng.choices(_TYPES, cum_weights=_TYPE_CUM)[0]
        for kind, value in forced.get(i, ()):
            if kind == "outcome":
                _force_outcome(plan, value)
            elif kind == "type":
                atype = value
            elif kind == "stuck":
                plan.stuck, plan.hold = value, False
            else:
                plan.hold, plan.stuck, plan.withdraw = True, None, False
                plan.consult = plan.fee = plan.correction = None
                if value == "consult":
                    plan.consult = "third_party"
                elif value == "fee":
                    plan.fee = "paid"
                else:
                    plan.correction = "received"
        out.append((plan, a, atype))
    return out


def _write_batch(g: _Generator, s: Session, agencies: list[_Agency], received: list[date],
                 plans: list[tuple[_Plan, int, str]]) -> None:
    V = g.values
    rng = g.rng
    n = len(received)
    sqlite = V.sqlite
    # Numbers: per (agency, year), in order of receipt.
    need: Counter[tuple[int, int]] = Counter((p[1], d.year) for p, d in zip(plans, received, strict=True))
    next_seq = {key: repo.take_seqs(s, CaseCounter, agencies[key[0]].id, key[1], k) for key, k in sorted(need.items())}
    case_ids = reserve_ids(s, "cases", n, sqlite)

    # Applicants (cases reference them): a returning applicant of the same type, or a new one.
    new_applicants: list[tuple[Any, ...]] = []
    chosen: list[tuple[int, str, str, str, str]] = []  # (id, name, id number, phone, address)
    fresh_ids: Any = None
    for _plan, _a, atype in plans:
        pool = g.pools[atype]
        if pool and rng.random() < (0.2 if atype == "natural_person" else 0.5):
            chosen.append(rng.choice(pool))
            continue
        if fresh_ids is None:
            fresh_ids = iter(reserve_ids(s, "applicants", n, sqlite))
        aid = next(fresh_ids)
        if atype == "natural_person":
            name, idn = g.person(), g.id_number()
        else:
            name, idn = g.org(atype)
        phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
        address = f"青山县{rng.choice(VILLAGES)}{rng.randrange(1, 200)}号"
        new_applicants.append((aid, name, atype, idn, phone, "", address, "239400"))
        chosen.append((aid, name, idn, phone, address))
        pool.append((aid, name, idn, phone, address))
    bulk_insert(s, "applicants", new_applicants)
    g.stats["applicants"] += len(new_applicants)

    case_rows: list[tuple[Any, ...]] = []
    event_rows: list[tuple[Any, ...]] = []
    pause_rows: list[tuple[Any, ...]] = []
    fee_rows: list[tuple[Any, ...]] = []
    remedy_rows: list[tuple[Any, ...]] = []
    for i in range(n):
        plan, ai, atype = plans[i]
        agency = agencies[ai]
        r = received[i]
        key = (ai, r.year)
        seq = next_seq[key]
        next_seq[key] = seq + 1
        aid, aname, aidn, aphone, aaddress = chosen[i]
        _one_case(g, agency, plan, case_ids[i], seq, r, aid, aname, atype, case_rows, event_rows, pause_rows,
                  fee_rows, remedy_rows, (aidn, aphone, aaddress))
    bulk_insert(s, "cases", case_rows)
    bulk_insert(s, "events", event_rows)
    bulk_insert(s, "pauses", pause_rows)
    bulk_insert(s, "fee_notices", fee_rows)
    bulk_insert(s, "remedies", remedy_rows)
    g.stats["events"] += len(event_rows)
    g.stats["fee_notices"] += len(fee_rows)
    g.stats["remedies"] += len(remedy_rows)


def _one_case(g: _Generator, agency: _Agency, plan: _Plan, case_id: int, seq: int, r: date, applicant_id: int,
              applicant_name: str, atype: str, case_rows: list[tuple[Any, ...]], event_rows: list[tuple[Any, ...]],
              pause_rows: list[tuple[Any, ...]], fee_rows: list[tuple[Any, ...]],
              remedy_rows: list[tuple[Any, ...]], particulars: tuple[str, str, str] = ("", "", "")) -> None:
    rng, cal, today, V = g.rng, g.cal, g.today, g.values
    wd = cal.nth_working_day_after
    clerk = agency.clerks[seq % len(agency.clerks)]
    head = f"{agency.code}-负责人"
    office = "政府办-审核员"
    legal = "法律顾问"
    channel = rng.choices(_CHANNELS, cum_weights=_CHANNEL_CUM)[0]
    delivery = rng.choices(_DELIVERIES, cum_weights=_DELIVERY_CUM)[0]
    sim = _Sim(cal, today, agency.settings, r)
    sim.events.append(("register", r, clerk, _j({"channel": channel, "missing_elements": []}, ("reg", channel)),
                       "", "registered", ""))
    outcome: str | None = None
    proposed: str | None = None
    concluded: date | None = None
    correction_on: date | None = None
    delay_until: date | None = None
    extension = 0
    item_count = 1
    fee_row: dict[str, Any] | None = None
    pauses: list[dict[str, Any]] = []
    submitted_by = ""
    delivered_by = ""

    def close(action: str, on: date, code: str, data: str) -> bool:
        nonlocal outcome, concluded
        if not sim.step(action, on, clerk, data):
            return False
        outcome, concluded = code, on
        sim.clock.append(ClockEvent("concluded", on))
        for p in pauses:
            if p["ended_on"] is None:
                p["ended_on"] = on
        return True

    def stop_here(action: str) -> bool:
        return plan.stuck == action

    def flow() -> None:
        nonlocal correction_on, delay_until, extension, proposed, submitted_by, delivered_by, \
            item_count, fee_row
        t = r
        if stop_here("register"):
            return
        if plan.correction:
            on = wd(r, rng.randint(1, 6))
            correct_by = on + timedelta(days=15)
            data = _j({"items": "请补充身份证明并明确所需信息的名称、文号或者便于查询的其他特征性描述",
                       "correct_by": correct_by.isoformat(), "notice_due": wd(r, 7).isoformat()})
            if not sim.step("request-correction", on, clerk, data):
                return
            correction_on = on
            sim.clock.append(ClockEvent("correction_requested", on))
            if plan.hold:
                return
            if plan.correction == "lapse":
                lapse = correct_by + timedelta(days=rng.randint(1, 10))
                while not cal.is_working_day(lapse):
                    lapse += timedelta(days=1)
                close("correction-lapsed", lapse, "other_no_correction", "{}")
                return
            got = wd(on, rng.randint(1, 8))
            if not sim.step("correction-received", got, clerk):
                return
            t = got
            sim.clock.append(ClockEvent("correction_received", got))
        if plan.withdraw and not plan.consult:
            close("withdraw", wd(t, rng.randint(1, 12)), "other_other", _j({"reason": "申请人撤回"}, "wd"))
            return
        if plan.consult:
            on = wd(t, rng.randint(1, 6) if plan.hold else rng.randint(2, 7))
            to = rng.choice(THIRD_PARTIES) if plan.consult == "third_party" else rng.choice(OTHER_AGENCIES)
            limit = wd(on, 15)
            consulted = _j({"party": plan.consult, "to": to, "answer_due": limit.isoformat()})
            if not sim.step("consult", on, clerk, consulted):
                return
            pause = {"case_id": case_id, "kind": plan.consult, "party": to, "started_on": on, "ended_on": None,
                     "lapsed": False}
            pauses.append(pause)
            sim.clock.append(ClockEvent("pause_start", on, pause_kind=plan.consult, note=to))
            if plan.hold:
                return
            if plan.withdraw:
                close("withdraw", wd(on, rng.randint(1, 10)), "other_other", _j({"reason": "申请人撤回"}, "wd"))
                return
            if plan.consult_lapsed:
                end = wd(limit, rng.randint(1, 2)) if rng.random() < 0.5 else limit
            else:
                end = wd(on, rng.randint(3, 14))
            if plan.consult_lapsed and end < limit:
                end = limit
            data = _j({"party": plan.consult, "to": to, "lapsed": plan.consult_lapsed})
            if not sim.step("consult-answered", end, clerk, data):
                return
            pause["ended_on"], pause["lapsed"] = end, plan.consult_lapsed
            sim.clock.append(ClockEvent("pause_end", end, pause_kind=plan.consult))
            t = end
        if plan.fee:
            on = wd(t, rng.randint(1, 5))
            if rng.random() < 0.7:
                method = "per_request"
                item_count = rng.randint(1, 8)
                quote = per_request_quote(rng.randint(10, 35), item_count)
            else:
                method = "per_page"
                quote = per_page_quote(rng.randint(40, 400))
            pay_by = wd(on, 20)
            data = _j({"method": method, "quantity": quote.quantity, "amount": quote.total, "proposed": quote.total,
                       "breakdown": quote.breakdown(), "payment_due": pay_by.isoformat()})
            if not sim.step("fee-notice", on, clerk, data):
                return
            fee_row = {"case_id": case_id, "agency_id": agency.id, "method": method, "quantity": quote.quantity,
                       "amount": quote.total, "noticed_on": on, "payment_due": pay_by, "paid_on": None,
                       "paid_amount": 0, "lapsed": False}
            pause = {"case_id": case_id, "kind": "fee", "party": applicant_name, "started_on": on, "ended_on": None,
                     "lapsed": False}
            pauses.append(pause)
            sim.clock.append(ClockEvent("pause_start", on, pause_kind="fee"))
            if plan.hold:
                return
            if plan.fee == "lapse":
                lapse = wd(pay_by, rng.randint(1, 3))
                if close("fee-lapsed", lapse, "other_fee_unpaid", "{}"):
                    fee_row["lapsed"] = True
                return
            paid = wd(on, rng.randint(1, 15))
            if not sim.step("fee-paid", paid, clerk, _j({"amount": quote.total})):
                return
            fee_row["paid_on"], fee_row["paid_amount"] = paid, quote.total
            pause["ended_on"] = paid
            sim.clock.append(ClockEvent("pause_end", paid, pause_kind="fee"))
            t = paid
        due: date | None = None
        if plan.extend or plan.delay:
            due = compute_deadline(r, sim.clock, cal, today=today, rules=rules_for(r),
                                   fee_pauses_clock=agency.fee_pauses, explain=False).due
        if plan.extend and due is not None:
            on = wd(t, rng.randint(1, 4))
            if on <= due:
                days = rng.choice((10, 15, 20, 20))
                data = _j({"days": days, "approved_by": head, "reason": "需要检索的档案较多，难以在期限内答复",
                           "previous_due": due.isoformat()})
                if not sim.step("extend", on, clerk, data):
                    return
                extension = days
                sim.clock.append(ClockEvent("extension", on, days=days))
                t = on
        if plan.delay and due is not None:
            on = wd(t, rng.randint(1, 3))
            until = on + timedelta(days=rng.randint(20, 45))
            while not cal.is_working_day(until):
                until += timedelta(days=1)
            data = _j({"until": until.isoformat(), "reason": "申请公开的信息数量明显超过合理范围，需要逐件检索"})
            if not sim.step("delay", on, clerk, data):
                return
            delay_until = until
            sim.clock.append(ClockEvent("delay", on, until=until))
            t = on
        decide_gap = rng.randint(12, 26) if (plan.slow or extension or delay_until) else rng.randint(2, 7)
        decide_on = wd(t, decide_gap)
        code = plan.outcome or "disclosed"
        if not sim.step("decide", decide_on, clerk, _j({"outcome": code, "reason": ""}, ("decide", code))):
            return
        proposed = code
        if stop_here("decide"):
            return
        prev = wd(decide_on, rng.randint(1, 2)) if rng.random() < 0.6 else decide_on
        returns = {"office_review": plan.return_office, "legal_review": plan.return_legal}
        while True:
            if not sim.step("submit", prev, clerk, _j({"outcome": code}, ("submit", code))):
                return
            submitted_by = clerk
            if stop_here("submit"):
                return
            returned = False
            while sim.stage in ("office_review", "legal_review"):
                reviewer = office if sim.stage == "office_review" else legal
                on = wd(prev, rng.randint(1, 3 if sim.stage == "office_review" else 4))
                if returns.get(sim.stage):
                    returns[sim.stage] = False
                    opinion = rng.choice(RETURN_OPINIONS)
                    if not sim.step("return", on, reviewer, _j({"review": sim.stage, "opinion": opinion}), opinion):
                        return
                    prev = wd(on, rng.randint(1, 3))
                    returned = True
                    break
                if not sim.step("approve", on, reviewer, _j({"review": sim.stage, "opinion": ""}, ("ok", sim.stage))):
                    return
                prev = on
            if not returned:
                break
        sign_on = wd(prev, rng.randint(1, 2)) if rng.random() < 0.7 else prev
        if not sim.step("sign", sign_on, head):
            return
        deliver_on = wd(sign_on, 1) if rng.random() < 0.6 else sign_on
        if close("deliver", deliver_on, code, _j({"method": delivery, "outcome": code}, ("dlv", delivery, code))):
            delivered_by = delivery

    flow()

    # Remedies about the reply.
    remedies: list[tuple[str, date, str, date]] = []
    if concluded is not None and outcome in ADVERSE:
        x = rng.random()
        if x < 0.04:
            filed = wd(concluded, rng.randint(5, 40))
            decided = filed + timedelta(days=rng.randint(40, 80))
            result = rng.choices(_RESULTS, weights=(60, 22, 18))[0]
            remedies.append(("reconsideration", filed, result, decided))
            if result == "upheld" and rng.random() < 0.3:
                filed2 = wd(decided, rng.randint(3, 10))
                decided2 = filed2 + timedelta(days=rng.randint(60, 180))
                remedies.append(("litigation_after_reconsideration", filed2,
                                 rng.choices(_RESULTS, weights=(70, 10, 20))[0], decided2))
        elif x < 0.052:
            filed = wd(concluded, rng.randint(10, 120))
            decided = filed + timedelta(days=rng.randint(60, 180))
            remedies.append(("litigation_direct", filed, rng.choices(_RESULTS, weights=(65, 15, 20))[0], decided))
    # A litigation after reconsideration only exists if the reconsideration was decided by today.
    kept: list[tuple[str, date, str, date | None]] = []
    for kind, filed, result, decided_on in remedies:
        if filed > today:
            break
        final: date | None = decided_on
        if decided_on > today:
            result, final = "pending", None
        kept.append((kind, filed, result, final))
        if result == "pending":
            break
    remedy_events: list[tuple[str, date, str, str, str, str, str]] = []
    for kind, filed, result, decided_at in kept:
        # The copy of the application reaches the agency a few working days after filing; the answer follows
        # within its period, except for a few recent ones still to be answered (the agenda shows them).
        copy = wd(filed, rng.randint(3, 8))
        answer_by = wd(copy, 10)
        answered = wd(copy, rng.randint(2, 9)) if decided_at is not None or answer_by < today else None
        remedy_rows.append((case_id, agency.id, kind, V.d(filed), result, V.d(decided_at), "",
                            V.d(copy if copy <= today else None),
                            V.d(answered if answered is not None and answered <= today else None)))
        remedy_events.append(("remedy", filed, clerk,
                              _j({"kind": kind, "result": "pending", "filed_on": filed.isoformat()}),
                              "closed", "closed", ""))
        if decided_at is not None:
            remedy_events.append(("remedy", decided_at, clerk, _j({"kind": kind, "result": result, "updated": True,
                                                                "filed_on": filed.isoformat()}),
                                  "closed", "closed", ""))
    if remedy_events:
        sim.events.extend(sorted(remedy_events, key=lambda e: e[1]))

    # The clock summary, as the service layer stores it.
    dl = compute_deadline(r, sim.clock, cal, today=today, rules=rules_for(r), fee_pauses_clock=agency.fee_pauses,
                          due_soon_days=agency.due_soon, explain=False)
    stage = sim.stage
    closed = stage == "closed"
    st = g.stats
    if closed:
        st["closed"] += 1
    else:
        if dl.due is not None and dl.due < today:
            st["overdue"] += 1
        if dl.paused:
            st["paused"] += 1
        if dl.correction_pending:
            st["awaiting_correction"] += 1
    if extension:
        st["extensions"] += 1

    number = agency.number_format.format(year=r.year, seq=seq, code=agency.code)
    minute0 = (case_id * 7) % 50
    last_at = None
    for k, (action, on, actor, data, before, after, comment) in enumerate(sim.events):
        at = V.ts(on, minute0 + 4 * k if k < 100 else minute0 + 400)
        last_at = at
        if action == "register":
            before_j, after_j = "{}", _j({"stage": "registered", "number": number})
        else:
            before_j = _j({"stage": before}, ("st", before))
            after_j = (f'{{"stage": "closed", "outcome": "{outcome}", "concluded_on": "{concluded.isoformat()}"}}'
                       if after == "closed" and before != "closed" and concluded is not None
                       else _j({"stage": after}, ("st", after)))
        event_rows.append((case_id, action, V.d(on), at, actor, comment, data, before_j, after_j))
    for p in pauses:
        pause_rows.append((case_id, p["kind"], p["party"], V.d(p["started_on"]), V.d(p["ended_on"]), p["lapsed"]))
    if fee_row is not None:
        f = fee_row
        fee_rows.append((case_id, agency.id, f["method"], f["quantity"], f["amount"], V.d(f["noticed_on"]),
                         V.d(f["payment_due"]), V.d(f["paid_on"]), f["paid_amount"], f["lapsed"]))

    wdays = dl.working_days_used if closed else None
    late = bool(dl.due and concluded and concluded > dl.due) if closed else None
    case_rows.append((
        case_id, agency.id, r.year, seq, number, applicant_id, applicant_name, particulars[0], particulars[1], "",
        particulars[2], "239400", atype, channel, V.d(r),
        V.d(r) if channel in CHANNELS_NEEDING_CONFIRMATION else None,
        g.content(agency, r), rng.choice(FORMS), delivery, item_count, "", dl.rules.code,
        stage, proposed, "", outcome, V.d(concluded), delivered_by, submitted_by, V.d(dl.clock_start),
        V.d(dl.due), dl.provisional, dl.paused or dl.correction_pending, dl.extension_days,
        V.d(delay_until), V.d(correction_on), wdays, late, sim.office_days, sim.legal_days, V.d(sim.stage_since),
        len(sim.events), V.ts(r, minute0), last_at,
        # Generated cases are never reopened: their first conclusion is their conclusion.
        outcome, V.d(concluded),
    ))


_CHANNELS = list(CHANNEL_WEIGHTS)
_CHANNEL_CUM = [sum(list(CHANNEL_WEIGHTS.values())[: i + 1]) for i in range(len(_CHANNELS))]
_DELIVERIES = list(DELIVERY_WEIGHTS)
_DELIVERY_CUM = [sum(list(DELIVERY_WEIGHTS.values())[: i + 1]) for i in range(len(_DELIVERIES))]
_RESULTS = ("upheld", "corrected", "other")
_TYPES = list(APPLICANT_TYPE_WEIGHTS)
_TYPE_CUM = [sum(list(APPLICANT_TYPE_WEIGHTS.values())[: i + 1]) for i in range(len(_TYPES))]

