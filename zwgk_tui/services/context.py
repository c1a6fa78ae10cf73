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
from zwgk_tui.persistence import calendar_tables, repo
from zwgk_tui.persistence.database import Database, open_database
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
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "local"


@dataclass
class Actor:
    name: str
    roles: frozenset[str]
    agency_id: int | None  # None = sees every agency (government office, admin, single-user mode)
    registered: bool  # False in single-user mode (no users defined)

    def sees_all(self) -> bool:
        return self.agency_id is None or bool(self.roles & {"office", "admin"})


@dataclass
class ServiceContext:
    db: Database
    user_name: str
    _calendar: WorkCalendar | None = field(default=None, repr=False)
    _actor_seen: tuple[float, str, Actor] | None = field(default=None, repr=False)

    @classmethod
    def open(cls, db_url: str | None = None, user: str | None = None) -> ServiceContext:
        return cls(db=open_database(db_url), user_name=user or os.environ.get("ZWGK_USER") or default_user_name())

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
        if not repo.any_users(session):
            return Actor(self.user_name, ALL_ROLES, None, registered=False)
        user = repo.user_by_name(session, self.user_name)
        if user is None or not user.active:
            raise NotPermitted(
                f"用户“{self.user_name}”未登记或已停用：本数据库已设置用户，请用 --user 指定已登记的用户，"
                "或由管理员执行 zwgk-tui user add"
            )
        return Actor(user.name, frozenset(r.role for r in user.roles), user.agency_id, registered=True)

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
