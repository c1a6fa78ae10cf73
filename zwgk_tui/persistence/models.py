"""The database schema (SQLAlchemy 2 typed ORM). Alembic migrations in db/ create exactly this."""

# No `from __future__ import annotations` here: SQLAlchemy would parse every `Mapped[...]` string at start-up
# (about 25 ms of every command); real annotations are read directly.

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON}


class Agency(Base):
    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(100), default="")
    reconsideration_body: Mapped[str] = mapped_column(String(200), default="")
    court: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    postcode: Mapped[str] = mapped_column(String(20), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    contact: Mapped[str] = mapped_column(String(60), default="")
    office_review: Mapped[bool] = mapped_column(Boolean, default=True)
    legal_review: Mapped[bool] = mapped_column(Boolean, default=True)
    separate_reviewers: Mapped[bool] = mapped_column(Boolean, default=True)
    due_soon_days: Mapped[int] = mapped_column(Integer, default=5)
    fee_pauses_clock: Mapped[bool] = mapped_column(Boolean, default=True)
    number_format: Mapped[str] = mapped_column(String(60), default="{year}-{seq:04d}")
    doc_number_format: Mapped[str] = mapped_column(String(100), default="{short}依公开〔{year}〕{seq}号")
    fee_payment_route: Mapped[str] = mapped_column(Text, default="")
    template_dir: Mapped[str | None] = mapped_column(String(500), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Letters and remedies (issue 11, spec 09); server defaults so that existing agencies get them on upgrade.
    kind: Mapped[str] = mapped_column(String(20), default="department", server_default="department")
    letterhead: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    reconsideration_online: Mapped[str] = mapped_column(String(300), default="", server_default="")
    second_reconsideration_body: Mapped[str] = mapped_column(String(200), default="", server_default="")
    fee_notice_remedy: Mapped[str] = mapped_column(String(20), default="none", server_default="none")
    remedy_overrides: Mapped[str] = mapped_column(Text, default="", server_default="")


class CaseCounter(Base):
    """Last case number handed out per agency and year: incremented inside the registering transaction, so a
    rolled-back registration gives its number back and numbers have no gaps."""

    __tablename__ = "case_counters"

    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class DocCounter(Base):
    __tablename__ = "doc_counters"

    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (Index("ix_users_login", "login", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(80), default="")
    # SQLite: the operating-system login that acts as this user (None = nobody's login maps here).
    login: Mapped[str | None] = mapped_column(String(80), default=None)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    roles: Mapped[list["UserRole"]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    agency: Mapped[Agency | None] = relationship(lazy="joined")


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class Applicant(Base):
    __tablename__ = "applicants"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    type: Mapped[str] = mapped_column(String(20))
    id_number: Mapped[str] = mapped_column(String(40), default="", index=True)
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    postcode: Mapped[str] = mapped_column(String(20), default="")


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("agency_id", "year", "seq", name="uq_cases_agency_year_seq"),
        Index("ix_cases_agency_received", "agency_id", "received_on"),
        Index("ix_cases_concluded", "concluded_on", "agency_id"),
        Index("ix_cases_stage_due", "stage", "due_date"),
        Index("ix_cases_applicant_received", "applicant_id", "received_on"),
        Index("ix_cases_first_concluded", "first_concluded_on", "agency_id"),
        # Also in the migrations only, like ix_cases_open_due (0003): ix_cases_content (perf_calendar_tables),
        # for case new's repeat-request hints; a hash index on PostgreSQL, whose dialect options here would make
        # every command import the PostgreSQL dialect.
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(40), index=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id"))
    # The applicant's particulars as given in this application (and amended by `amend` events): letters use these.
    # The applicants row is the person, matched only by ID number / USCC or name + phone, and is never overwritten
    # by a later registration, so one person's details cannot leak into another's case.
    applicant_name: Mapped[str] = mapped_column(String(200), default="")
    applicant_id_number: Mapped[str] = mapped_column(String(40), default="")
    applicant_phone: Mapped[str] = mapped_column(String(40), default="")
    applicant_email: Mapped[str] = mapped_column(String(120), default="")
    applicant_address: Mapped[str] = mapped_column(String(300), default="")
    applicant_postcode: Mapped[str] = mapped_column(String(20), default="")
    # Denormalised so table 三 is one GROUP BY on cases without a join (and the column is what the report counts:
    # the applicant's type when the application was made).
    applicant_type: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    received_on: Mapped[date] = mapped_column(Date)
    confirmed_on: Mapped[date | None] = mapped_column(Date, default=None)
    content: Mapped[str] = mapped_column(Text)
    # The request as clarified after 补正 (Art. 30); replies quote it when set.
    clarified_content: Mapped[str] = mapped_column(Text, default="")
    form_requested: Mapped[str] = mapped_column(Text, default="")
    delivery: Mapped[str] = mapped_column(String(20), default="")
    item_count: Mapped[int] = mapped_column(Integer, default=1)
    missing_elements: Mapped[str] = mapped_column(Text, default="")
    rules_code: Mapped[str] = mapped_column(String(10), default="2019")

    stage: Mapped[str] = mapped_column(String(30))
    proposed_outcome: Mapped[str | None] = mapped_column(String(40), default=None)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str | None] = mapped_column(String(40), default=None)
    concluded_on: Mapped[date | None] = mapped_column(Date, default=None)
    # The conclusion the annual report counts: the first one. Set when the case first concludes and never changed
    # by a reopen, so a year already reported keeps its figures when a case is re-replied after 复议/诉讼.
    first_outcome: Mapped[str | None] = mapped_column(String(40), default=None)
    first_concluded_on: Mapped[date | None] = mapped_column(Date, default=None)
    delivered_by: Mapped[str] = mapped_column(String(20), default="")
    submitted_by: Mapped[str] = mapped_column(String(80), default="")

    # Clock summary, recomputed from the events on every step and on calendar changes (for fast lists).
    clock_start: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    due_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    extension_days: Mapped[int] = mapped_column(Integer, default=0)
    delay_until: Mapped[date | None] = mapped_column(Date, default=None)
    correction_requested_on: Mapped[date | None] = mapped_column(Date, default=None)

    # Working-time figures, kept per case so reports can be recomputed (spec 04 "also useful").
    working_days_to_reply: Mapped[int | None] = mapped_column(Integer, default=None)
    replied_late: Mapped[bool | None] = mapped_column(Boolean, default=None)
    office_review_days: Mapped[int] = mapped_column(Integer, default=0)
    legal_review_days: Mapped[int] = mapped_column(Integer, default=0)
    stage_since: Mapped[date | None] = mapped_column(Date, default=None)

    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    # SQLAlchemy types __mapper_args__ as an instance attribute of its declarative base (mypy refuses a ClassVar
    # here); the dict is read once, when the class is mapped.
    __mapper_args__: Any = {"version_id_col": version}  # noqa: RUF012

    agency: Mapped[Agency] = relationship(lazy="joined")
    applicant: Mapped[Applicant] = relationship(lazy="joined")


class Event(Base):
    """Append-only history. Triggers refuse UPDATE and DELETE on both engines; each row is hash-chained."""

    __tablename__ = "events"
    # The partial index ix_events_reopen (migration 0009) finds the few reopened cases without reading the whole
    # history. It is declared only in the migration, like ix_cases_span: a `postgresql_where` option here would load
    # the PostgreSQL dialect at every start of the command line, also on SQLite.

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    on_date: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(80))
    comment: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    before: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Who really acted (PostgreSQL: the session's login, stamped by the server; SQLite: the user mapped to the
    # operating-system login). Differs from `actor` when an administrator acts on behalf of a user.
    recorded_by: Mapped[str] = mapped_column(String(80), default="", server_default="")
    # Tamper evidence (persistence/chain.py): this event's hash and the previous event's of the same case.
    prev_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")
    hash: Mapped[str] = mapped_column(String(64), default="", server_default="")


class Pause(Base):
    __tablename__ = "pauses"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # third_party | agency | fee
    party: Mapped[str] = mapped_column(String(200), default="")
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date, default=None)
    lapsed: Mapped[bool] = mapped_column(Boolean, default=False)
    # The day the other side received the letter: its own period (Art. 32: 15 working days) runs from here.
    served_on: Mapped[date | None] = mapped_column(Date, default=None)


class FeeNotice(Base):
    __tablename__ = "fee_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    method: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(Integer)
    noticed_on: Mapped[date] = mapped_column(Date, index=True)
    payment_due: Mapped[date | None] = mapped_column(Date, default=None)
    paid_on: Mapped[date | None] = mapped_column(Date, default=None)
    paid_amount: Mapped[int] = mapped_column(Integer, default=0)
    lapsed: Mapped[bool] = mapped_column(Boolean, default=False)
    served_on: Mapped[date | None] = mapped_column(Date, default=None)  # the applicant received the notice


class IssuedDocument(Base):
    """A document issued to someone outside the agency: frozen (bytes + SHA-256), reprinted identically.

    `event_id` is the step that authorises it (the sign-off for a reply, the step for a notice, registration for
    the receipt). When that decision is superseded (return, reopen) the document is marked void, never deleted.
    `origin` is "external" for a reply made outside the tool and recorded at delivery (no bytes)."""

    __tablename__ = "issued_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    doc_number: Mapped[str] = mapped_column(String(100), default="")
    issued_on: Mapped[date] = mapped_column(Date)
    event_id: Mapped[int | None] = mapped_column(Integer, default=None)
    status: Mapped[str] = mapped_column(String(10), default="issued")  # issued | void
    void_reason: Mapped[str] = mapped_column(Text, default="")
    voided_on: Mapped[date | None] = mapped_column(Date, default=None)
    origin: Mapped[str] = mapped_column(String(10), default="tool")  # tool | external
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(80))
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class RemedyProceeding(Base):
    """One reconsideration or suit about a case (spec 09): its own record with the dates the agency's deadlines
    run from (domain/proceedings.py). Several per case; also against a case still open (逾期不答复)."""

    __tablename__ = "remedies"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    kind: Mapped[str] = mapped_column(String(40))
    filed_on: Mapped[date] = mapped_column(Date, index=True)
    result: Mapped[str] = mapped_column(String(20), default="pending")
    decided_on: Mapped[date | None] = mapped_column(Date, default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    # Server defaults: rows written by bulk paths (demo, register import) that do not name these columns.
    copy_received_on: Mapped[date | None] = mapped_column(Date, default=None)
    simplified: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    accepted_on: Mapped[date | None] = mapped_column(Date, default=None)
    extended: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    answered_on: Mapped[date | None] = mapped_column(Date, default=None)
    disclose_order: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    complied_on: Mapped[date | None] = mapped_column(Date, default=None)
    opinion_received_on: Mapped[date | None] = mapped_column(Date, default=None)
    reported_on: Mapped[date | None] = mapped_column(Date, default=None)
    warning: Mapped[str] = mapped_column(Text, default="", server_default="")


class CalendarOverrideRow(Base):
    __tablename__ = "calendar_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    working: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(80), default="")


class CalendarYear(Base):
    """Years made official by an imported State Council notice."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class IntakeItem(Base):
    """An application received through an online system (依申请公开在线办理系统), waiting in the inbox.

    Not a case yet: Art. 31(三) makes the day of confirmation with the applicant the day of receipt, so the case is
    registered when a clerk confirms it. Rejected items (spam, duplicates) stay here with the reason."""

    __tablename__ = "intake_items"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_intake_items_source_external_id"),
        Index("ix_intake_items_status", "status", "agency_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(200))  # the online system, as the file names it
    external_id: Mapped[str] = mapped_column(String(100))  # its number for the application
    file_name: Mapped[str] = mapped_column(String(300), default="")
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), default=None)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    arrived_on: Mapped[date] = mapped_column(Date)
    applicant_name: Mapped[str] = mapped_column(String(200))
    applicant_type: Mapped[str] = mapped_column(String(20))
    id_number: Mapped[str] = mapped_column(String(40), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    postcode: Mapped[str] = mapped_column(String(20), default="")
    content: Mapped[str] = mapped_column(Text)
    form_requested: Mapped[str] = mapped_column(Text, default="")
    delivery: Mapped[str] = mapped_column(String(20), default="")
    item_count: Mapped[int] = mapped_column(Integer, default=1)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the record as received
    status: Mapped[str] = mapped_column(String(20), default="new")  # new | confirmed | rejected
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    imported_by: Mapped[str] = mapped_column(String(80))
    decided_on: Mapped[date | None] = mapped_column(Date, default=None)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    decided_by: Mapped[str] = mapped_column(String(80), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), default=None)


class CalendarTable(Base):
    """A finished working-day table, so that no process has to import and ask the `holidays` package (~0.3 s).

    One row per key (domain.calendar.table_key: package version, every override's day and status, the official
    years, the range and the table format); `calendar set` and `calendar import` write the new row and drop the
    others. The package's own flags are kept next to the finished ones so a new set of overrides can be applied
    without the package."""

    __tablename__ = "calendar_tables"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    holidays_version: Mapped[str] = mapped_column(String(40))
    package_flags: Mapped[bytes] = mapped_column(LargeBinary)  # one byte per day from 2000-01-01, 1 = working
    flags: Mapped[bytes] = mapped_column(LargeBinary)  # the same with the overrides applied
    names: Mapped[str] = mapped_column(Text)  # JSON {"YYYY-MM-DD": package name} of the package's days off
    makeup: Mapped[str] = mapped_column(Text)  # JSON ["YYYY-MM-DD", ...]: the package's weekend make-up days
    built_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Publication(Base):
    """An annual report as published (Art. 49): the tables, the fee figures, the cases behind every cell and a
    SHA-256 of them. A published year is shown as published; later changes of the data are listed against it.
    Re-publishing (a corrected report) keeps the earlier row as superseded."""

    __tablename__ = "publications"
    __table_args__ = (Index("ix_publications_year_scope", "year", "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    scope: Mapped[str] = mapped_column(String(40))  # "*" = all agencies, else the agency's code
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), default=None)
    published_on: Mapped[date] = mapped_column(Date)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[str] = mapped_column(String(80))
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
    cells: Mapped[dict[str, Any]] = mapped_column(JSON)
    sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12), default="current")  # current | superseded
    reason: Mapped[str] = mapped_column(Text, default="")


class OpeningBalance(Base):
    """The first year in the tool: the previous year's published 结转下年度 per applicant column, the reference
    the first year's 上年结转 is checked against (there is no publication of that year in the tool)."""

    __tablename__ = "opening_balances"
    __table_args__ = (UniqueConstraint("year", "scope", name="uq_opening_balances_year_scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)  # the first year counted in the tool
    scope: Mapped[str] = mapped_column(String(40))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), default=None)
    carried: Mapped[dict[str, Any]] = mapped_column(JSON)  # {"columns": [6 ints], "total": int}
    source: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str] = mapped_column(String(80))


class AppSetting(Base):
    """Settings of the installation rather than of one agency (e.g. the government's name on its reports)."""

    __tablename__ = "app_settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
