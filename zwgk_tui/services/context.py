"""What every use case needs: the database, the acting user, today's date and the working-day calendar."""

from __future__ import annotations

import getpass
import os
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import cache

from sqlalchemy.orm import Session

from zwgk_tui.domain.calendar import CalendarOverride, WorkCalendar, package_table, table_key
from zwgk_tui.domain.codes import ROLE_LABELS
from zwgk_tui.persistence import calendar_tables, chain, repo, security
from zwgk_tui.persistence.database import Database, ErrorMap, open_database
from zwgk_tui.persistence.models import Agency, Case, User
from zwgk_tui.services.errors import InvalidInput, NotPermitted

CHINA_TZ = timezone(timedelta(hours=8))
ACTOR_TTL_SECONDS = 5.0
ALL_ROLES = frozenset(ROLE_LABELS)
DEFAULT_AGENCY_CODE = "default"


def today_in_china() -> date:
    """Today in Beijing time; ZWGK_TODAY (YYYY-MM-DD) fixes it for tests and for entering back-dated work."""
    fixed = os.environ.get("ZWGK_TODAY")
    if fixed:
        try:
            return date.fromisoformat(fixed)
        except ValueError as exc:
            raise InvalidInput(f"环境变量 ZWGK_TODAY=“{fixed}”不是有效日期（应为 YYYY-MM-DD）") from exc
    return datetime.now(CHINA_TZ).date()


def now_in_china() -> datetime:
    return datetime.now(CHINA_TZ).replace(microsecond=0)


def china_time(moment: datetime) -> datetime:
    """Timestamps are stored as Beijing time; SQLite gives them back without a zone, PostgreSQL in UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=CHINA_TZ)
    return moment.astimezone(CHINA_TZ)


def default_user_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "local"


def os_login() -> str:
    """The operating-system account running this process: from the kernel, not from an environment variable
    (getpass reads $USER first, which anyone can set)."""
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError, AttributeError, OSError):
        return default_user_name()


@dataclass
class Actor:
    name: str
    roles: frozenset[str]
    agency_id: int | None  # None = sees every agency (government office, admin, single-user mode)
    registered: bool  # False in single-user mode (no users defined)
    # Who really acts: the PostgreSQL login, or on SQLite the user of the operating-system login. Differs from
    # `name` when an administrator (or the database owner) acts for a user; the history records both.
    recorded_by: str = ""

    def sees_all(self) -> bool:
        return self.agency_id is None or bool(self.roles & {"office", "admin"})

    @property
    def on_behalf(self) -> bool:
        return bool(self.recorded_by) and self.recorded_by != self.name


def _service_errors() -> ErrorMap:
    return ErrorMap(invalid=InvalidInput, not_permitted=NotPermitted)


@dataclass
class ServiceContext:
    db: Database
    user_name: str
    _calendar: WorkCalendar | None = field(default=None, repr=False)
    # The identity asked for with --user / ZWGK_USER (None: "myself").
    claimed: str | None = None

    def __post_init__(self) -> None:
        if self.db.errors is None:
            self.db.errors = _service_errors()
        if self.claimed is None and self.user_name and self.user_name not in (os_login(), self.db.engine.url.username):
            self.claimed = self.user_name
    _actor_seen: tuple[float, str, Actor] | None = field(default=None, repr=False)

    @classmethod
    def open(cls, db_url: str | None = None, user: str | None = None) -> ServiceContext:
        claimed = (user or os.environ.get("ZWGK_USER") or "").strip() or None
        db = open_database(db_url)
        # Shown in the TUI's title until the first action confirms it: on PostgreSQL the login of the URL.
        me = os_login() if db.is_sqlite else (db.engine.url.username or os_login())
        return cls(db=db, user_name=claimed or me, claimed=claimed)

    def today(self) -> date:
        return today_in_china()

    # -- calendar -------------------------------------------------------------------------------------------
    def calendar(self, session: Session | None = None) -> WorkCalendar:
        if self._calendar is None:
            if session is None:
                with self.db.read() as s:
                    self._calendar = load_calendar(s, self.db)
            else:
                self._calendar = load_calendar(session, self.db)
        return self._calendar

    def invalidate_calendar(self) -> None:
        self._calendar = None

    # -- who is acting ----------------------------------------------------------------------------------------
    def actor(self, session: Session) -> Actor:
        """Who acts: on PostgreSQL the session's database login; on SQLite the user mapped to the operating-system
        login. --user / ZWGK_USER may name only oneself — or anyone, for an administrator (SQLite) or the database
        owner (PostgreSQL), and then the history records who really acted."""
        actor = self._pg_actor(session) if not self.db.is_sqlite else self._sqlite_actor(session)
        self.db.recorded_by = actor.recorded_by
        session.info[chain.RECORDED_BY] = actor.recorded_by
        return actor

    def _sqlite_actor(self, session: Session) -> Actor:
        login = os_login()
        if not repo.any_users(session):
            # Before any user is registered the login has every role; a name given with --user is only a claim,
            # so the history also records the operating-system login that made it.
            return Actor(self.user_name, ALL_ROLES, None, registered=False,
                         recorded_by=login if self.claimed else self.user_name)
        if not repo.any_user_logins(session):
            # A register from before logins were mapped: names are still claims until an admin maps logins.
            user = self._registered(session, self.user_name)
            return Actor(user.name, _roles(user), user.agency_id, registered=True, recorded_by=user.name)
        me = repo.user_by_login(session, login)
        if me is None or not me.active:
            raise NotPermitted(
                f"本机登录名“{login}”没有对应的登记用户（或该用户已停用）：请管理员执行 "
                f"zwgk-tui user add 姓名 --role 角色 --login {login}"
            )
        target = me
        if self.claimed and self.claimed != me.name:
            other = self._registered(session, self.claimed)
            if "admin" not in _roles(me):
                raise NotPermitted(
                    f"本机登录名“{login}”对应用户“{me.name}”，不能以“{self.claimed}”的身份操作：只有管理员可以代他人"
                    "操作（去掉 --user / ZWGK_USER 即以本人身份操作）"
                )
            target = other
        return Actor(target.name, _roles(target), target.agency_id, registered=True, recorded_by=me.name)

    def _pg_actor(self, session: Session) -> Actor:
        who = security.pg_session(session.connection())
        if who.privileged:
            # The owner (or a superuser) can rewrite everything anyway: it may act for any registered user, and
            # the server records its own login next to that user's name.
            if not repo.any_users(session):
                return Actor(self.claimed or who.login, ALL_ROLES, None, registered=False, recorded_by=who.login)
            if self.claimed and self.claimed != who.login:
                other = self._registered(session, self.claimed)
                return Actor(other.name, _roles(other), other.agency_id, registered=True, recorded_by=who.login)
            own = repo.user_by_name(session, who.login)
            if own is not None and own.active:
                return Actor(own.name, _roles(own), own.agency_id, registered=True, recorded_by=who.login)
            return Actor(who.login, frozenset({"admin"}), None, registered=True, recorded_by=who.login)
        if self.claimed and self.claimed != who.login:
            raise NotPermitted(
                f"在 PostgreSQL 上，操作用户就是数据库登录名“{who.login}”：不能以“{self.claimed}”的身份操作"
                "（去掉 --user / ZWGK_USER，或用该用户本人的登录连接数据库）"
            )
        user = repo.user_by_name(session, who.login)
        if user is None or not user.active:
            raise NotPermitted(f"数据库登录“{who.login}”未登记为本系统用户（或已停用）：请管理员执行 zwgk-tui user add")
        # Roles are the server's group memberships: a login cannot grant itself one by editing a table.
        return Actor(user.name, who.roles, user.agency_id, registered=True, recorded_by=who.login)

    def _registered(self, session: Session, name: str) -> User:
        user = repo.user_by_name(session, name)
        if user is None or not user.active:
            raise NotPermitted(
                f"用户“{name}”未登记或已停用：本数据库已设置用户，请用 --user 指定已登记的用户，"
                "或由管理员执行 zwgk-tui user add"
            )
        return user

    def cached_actor(self, session: Session) -> Actor:
        """actor(), remembered for ACTOR_TTL_SECONDS: the register asks on every filter, page and count. Only for
        reading; writes call actor() and so always check the current user and roles."""
        now = time.monotonic()
        seen = self._actor_seen
        if seen is not None and seen[1] == self.user_name and now - seen[0] < ACTOR_TTL_SECONDS:
            return seen[2]
        actor = self.actor(session)
        self._actor_seen = (now, self.user_name, actor)
        return actor

    def require_role(self, actor: Actor, roles: frozenset[str] | set[str], what: str) -> None:
        if not (actor.roles & set(roles)):
            need = "、".join(f"{r}（{ROLE_LABELS[r]}）" for r in sorted(roles))
            have = "、".join(sorted(actor.roles)) or "无"
            raise NotPermitted(f"用户“{actor.name}”无权{what}：需要角色 {need}，现有角色：{have}")

    def require_case_access(self, actor: Actor, case: Case) -> None:
        if not actor.sees_all() and case.agency_id != actor.agency_id:
            raise NotPermitted(f"用户“{actor.name}”只能办理本机关的案件，案件 {case.number} 属于 {case.agency.name}")


def _roles(user: User) -> frozenset[str]:
    return frozenset(r.role for r in user.roles)


@cache
def installed_holidays_version() -> str:
    """The installed `holidays` version without importing the package: from the name of the dist-info directory
    that pip writes next to it (a file-system lookup), else from its metadata (which parses a large file)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("holidays")
    if spec is None or spec.origin is None:
        return "unknown"
    found = list(Path(spec.origin).parent.parent.glob("holidays-*.dist-info"))
    if len(found) == 1:
        return found[0].name.removeprefix("holidays-").removesuffix(".dist-info")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("holidays")
    except PackageNotFoundError:
        return "unknown"


def load_calendar(session: Session, db: Database | None = None) -> WorkCalendar:
    """The calendar with the database's overrides and official years.

    The working-day table comes from calendar_tables under its key (package version + overrides + official
    years); only when no table fits is it built (from the stored package part of another key, or, on a new
    database or a new `holidays` version, from the package itself) and stored for every later process: inside
    `session` when it is a write transaction, else in a short transaction of its own on `db`."""
    rows, years = calendar_tables.overrides_and_years(session)
    overrides = [CalendarOverride(day=day, working=bool(working), note=note, source=source)
                 for day, working, note, source in rows]
    version = installed_holidays_version()
    key = table_key(version, overrides, years)
    stored = calendar_tables.find(session, key)
    if stored is not None:
        return WorkCalendar(overrides, official_years=years, package=stored.package, merged=stored.flags)
    package = calendar_tables.package_of_version(session, version)
    if package is None:
        package = package_table()
    cal = WorkCalendar(overrides, official_years=years, package=package)
    if package.version == version:  # a mismatch (metadata unlike the module) is not cached under a wrong key
        if _in_write_transaction(session):
            calendar_tables.save(session, key, package, cal.flags, now_in_china(), replace=True)
        elif db is not None:
            calendar_tables.save_quickly(db, key, package, cal.flags, now_in_china())
    return cal


def _in_write_transaction(session: Session) -> bool:
    return bool(session.get_bind().get_execution_options().get("zwgk_write"))


def ensure_default_agency(session: Session, name: str | None = None) -> Agency:
    """A single clerk needs no set-up: the first agency is created on first use."""
    existing = repo.agencies(session)
    if existing:
        return existing[0]
    agency = Agency(
        code=DEFAULT_AGENCY_CODE,
        name=name or "本机关",
        short_name="",
        created_at=now_in_china(),
    )
    session.add(agency)
    session.flush()
    return agency


def user_row(session: Session, name: str) -> User | None:
    return repo.user_by_name(session, name)
