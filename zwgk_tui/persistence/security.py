"""What the database itself enforces: append-only history (both engines) and, on PostgreSQL, identities.

PostgreSQL roles (names carry a per-database prefix, fixed when the schema is first created, so that one cluster
can hold several registers):
- the **owner** — whoever runs migrations (`init`): owns the tables; a login with CREATEROLE, used for nothing else;
- group roles `<prefix>_app` (the table privileges) and `<prefix>_clerk|office|legal|head|admin` (members of
  `_app`): INSERT/SELECT on the history and never UPDATE/DELETE/TRUNCATE, no DELETE anywhere, users, roles,
  agencies and the calendar writable by `_admin` only;
- one **login** per person (`user add … --password-file`), member of the groups of its roles.
The server stamps each event with the session's login (`recorded_by`, and `actor` unless the session is the owner
or a superuser, who could rewrite the history anyway), and refuses an event whose step needs a role the login
does not hold (the map is generated from the domain's step table).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection

from zwgk_tui.domain.codes import ROLE_LABELS, STAGE_LABELS

ROLES = tuple(ROLE_LABELS)

# Table privileges of the application's group roles, as data (tables not named here: SELECT, INSERT, UPDATE).
APPEND_ONLY_TABLES = ("events",)
ADMIN_TABLES = ("users", "user_roles", "agencies", "calendar_overrides", "calendar_years")
READ_ONLY_TABLES = ("alembic_version",)
# Columns the server fills with the session's login for ordinary logins: (table, column).
STAMPED_COLUMNS = (("issued_documents", "actor"), ("calendar_overrides", "created_by"))

SQLITE_TRIGGERS = {
    "events_no_update": "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
                        "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END",
    "events_no_delete": "CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
                        "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END",
}
PG_TRIGGERS = ("events_append_only", "events_no_truncate", "events_stamp_actor", "events_step_role",
               *(f"{t}_stamp_{c}" for t, c in STAMPED_COLUMNS))

_SEARCH_PATH = "SET search_path = pg_catalog, public, pg_temp"


def step_role_map() -> dict[str, dict[str, list[str]]]:
    """action → {stage or "*": roles}, from the domain's step table (register: clerk)."""
    from zwgk_tui.domain.workflow import STEPS, required_roles

    out: dict[str, dict[str, list[str]]] = {"register": {"*": ["clerk"]}}
    for action, rule in STEPS.items():
        entry = {"*": sorted(rule.roles)}
        for stage in STAGE_LABELS:
            roles = sorted(required_roles(action, stage))
            if roles != entry["*"]:
                entry[stage] = roles
        out[action] = entry
    return out


# ---------------------------------------------------------------------------------------------------------------
# Installing (migrations and `init`): idempotent.


def _pg_functions() -> list[str]:
    roles_array = "ARRAY[" + ", ".join(f"'{r}'" for r in ROLES) + "]"

    def arr(names: tuple[str, ...]) -> str:
        return "ARRAY[" + ", ".join(f"'{n}'" for n in names) + "]::text[]"

    step_map = json.dumps(step_role_map(), sort_keys=True).replace("'", "''")
    stmts = [
        f"""CREATE OR REPLACE FUNCTION public.zwgk_step_roles() RETURNS jsonb LANGUAGE sql IMMUTABLE
            AS $$ SELECT '{step_map}'::jsonb $$""",
        f"""CREATE OR REPLACE FUNCTION public.zwgk_privileged() RETURNS boolean LANGUAGE sql STABLE {_SEARCH_PATH}
            AS $$ SELECT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user), false)
                   OR pg_catalog.pg_has_role(session_user,
                        (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = 'public.events'::regclass),
                        'MEMBER') $$""",
        f"""CREATE OR REPLACE FUNCTION public.zwgk_session_roles() RETURNS text[] LANGUAGE sql STABLE {_SEARCH_PATH}
            AS $$ SELECT coalesce(array_agg(r.role ORDER BY r.role), ARRAY[]::text[])
                  FROM unnest({roles_array}) AS r(role)
                  JOIN pg_catalog.pg_roles g ON g.rolname = public.zwgk_role_prefix() || '_' || r.role
                  WHERE pg_catalog.pg_has_role(session_user, g.oid, 'MEMBER') $$""",
        f"""CREATE OR REPLACE FUNCTION public.zwgk_stamp_actor() RETURNS trigger LANGUAGE plpgsql {_SEARCH_PATH}
            AS $$ BEGIN
              NEW.recorded_by := session_user;
              IF NOT public.zwgk_privileged() THEN NEW.actor := session_user; END IF;
              RETURN NEW;
            END $$""",
        f"""CREATE OR REPLACE FUNCTION public.zwgk_check_step_role() RETURNS trigger LANGUAGE plpgsql {_SEARCH_PATH}
            AS $$ DECLARE need jsonb; p text;
            BEGIN
              IF public.zwgk_privileged() THEN RETURN NEW; END IF;
              need := public.zwgk_step_roles() -> NEW.action;
              IF need IS NULL THEN RETURN NEW; END IF;
              need := coalesce(need -> (NEW.before::jsonb ->> 'stage'), need -> '*');
              IF need IS NULL THEN RETURN NEW; END IF;
              p := public.zwgk_role_prefix();
              IF NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(need) AS r(role)
                             JOIN pg_catalog.pg_roles g ON g.rolname = p || '_' || r.role
                             WHERE pg_catalog.pg_has_role(session_user, g.oid, 'MEMBER')) THEN
                RAISE EXCEPTION 'zwgk: login % may not record step %', session_user, NEW.action
                  USING ERRCODE = '42501';
              END IF;
              RETURN NEW;
            END $$""",
        f"""CREATE OR REPLACE FUNCTION public.zwgk_setup_roles() RETURNS void LANGUAGE plpgsql SECURITY DEFINER
            {_SEARCH_PATH}
            AS $$ DECLARE p text := public.zwgk_role_prefix(); app text; adm text; r text; t text;
            BEGIN
              app := p || '_app'; adm := p || '_admin';
              IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = app) THEN
                EXECUTE format('CREATE ROLE %I NOLOGIN', app);
              END IF;
              FOREACH r IN ARRAY {roles_array} LOOP
                IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = p || '_' || r) THEN
                  EXECUTE format('CREATE ROLE %I NOLOGIN IN ROLE %I', p || '_' || r, app);
                END IF;
              END LOOP;
              BEGIN
                EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
                EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), app);
                EXECUTE 'REVOKE CREATE ON SCHEMA public FROM PUBLIC';
              EXCEPTION WHEN insufficient_privilege THEN
                RAISE NOTICE 'zwgk: not the database owner; CONNECT/TEMPORARY left as they are';
              END;
              EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', app);
              FOR t IN SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = 'public' LOOP
                EXECUTE format('REVOKE ALL ON public.%I FROM %I, %I', t, app, adm);
                IF t = ANY({arr(APPEND_ONLY_TABLES)}) OR t = ANY({arr(READ_ONLY_TABLES)}) THEN
                  EXECUTE format('GRANT SELECT ON public.%I TO %I', t, app);
                  IF t = ANY({arr(APPEND_ONLY_TABLES)}) THEN
                    EXECUTE format('GRANT INSERT ON public.%I TO %I', t, app);
                  END IF;
                ELSIF t = ANY({arr(ADMIN_TABLES)}) THEN
                  EXECUTE format('GRANT SELECT ON public.%I TO %I', t, app);
                  EXECUTE format('GRANT INSERT, UPDATE ON public.%I TO %I', t, adm);
                ELSE
                  EXECUTE format('GRANT SELECT, INSERT, UPDATE ON public.%I TO %I', t, app);
                END IF;
              END LOOP;
              EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', app);
              EXECUTE format('GRANT EXECUTE ON FUNCTION public.zwgk_add_login(text, text, text[]) TO %I', adm);
              EXECUTE format('GRANT EXECUTE ON FUNCTION public.zwgk_set_password(text, text) TO %I', adm);
            END $$""",
        f"""CREATE OR REPLACE FUNCTION public.zwgk_add_login(login text, verifier text, roles text[]) RETURNS void
            LANGUAGE plpgsql SECURITY DEFINER {_SEARCH_PATH}
            AS $$ DECLARE p text := public.zwgk_role_prefix(); r text;
            BEGIN
              IF login IS NULL OR login = '' OR octet_length(login) > 63 OR login ~ '[[:cntrl:]]' THEN
                RAISE EXCEPTION 'zwgk: invalid login name' USING ERRCODE = '22023';
              END IF;
              IF verifier IS NOT NULL AND verifier !~ '^SCRAM-SHA-256[$]' THEN
                RAISE EXCEPTION 'zwgk: password must arrive hashed' USING ERRCODE = '22023';
              END IF;
              IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = login) THEN
                RAISE EXCEPTION 'zwgk: role exists' USING ERRCODE = '42710';
              END IF;
              IF roles IS NULL OR cardinality(roles) = 0 OR NOT roles <@ {roles_array} THEN
                RAISE EXCEPTION 'zwgk: invalid roles' USING ERRCODE = '22023';
              END IF;
              PERFORM public.zwgk_setup_roles();
              EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS '
                             'PASSWORD %L', login, verifier);
              FOREACH r IN ARRAY roles LOOP
                EXECUTE format('GRANT %I TO %I', p || '_' || r, login);
              END LOOP;
            END $$""",
        f"""CREATE OR REPLACE FUNCTION public.zwgk_set_password(login text, verifier text) RETURNS void
            LANGUAGE plpgsql SECURITY DEFINER {_SEARCH_PATH}
            AS $$ DECLARE p text := public.zwgk_role_prefix();
            BEGIN
              IF verifier IS NULL OR verifier !~ '^SCRAM-SHA-256[$]' THEN
                RAISE EXCEPTION 'zwgk: password must arrive hashed' USING ERRCODE = '22023';
              END IF;
              -- Only this register's ordinary logins: never a superuser, a role manager or anyone else's role.
              IF NOT EXISTS (
                SELECT 1 FROM pg_catalog.pg_roles l
                WHERE l.rolname = login AND l.rolcanlogin AND NOT l.rolsuper AND NOT l.rolcreaterole
                  AND EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
                              WHERE m.member = l.oid AND left(g.rolname, length(p) + 1) = p || '_')) THEN
                RAISE EXCEPTION 'zwgk: not a login of this register' USING ERRCODE = '42501';
              END IF;
              EXECUTE format('ALTER ROLE %I PASSWORD %L', login, verifier);
            END $$""",
        "REVOKE ALL ON FUNCTION public.zwgk_add_login(text, text, text[]) FROM PUBLIC",
        "REVOKE ALL ON FUNCTION public.zwgk_set_password(text, text) FROM PUBLIC",
        "REVOKE ALL ON FUNCTION public.zwgk_setup_roles() FROM PUBLIC",
    ]
    for table, column in STAMPED_COLUMNS:
        stmts.append(
            f"""CREATE OR REPLACE FUNCTION public.zwgk_stamp_{table}_{column}() RETURNS trigger LANGUAGE plpgsql
                {_SEARCH_PATH}
                AS $$ BEGIN
                  IF NOT public.zwgk_privileged() THEN NEW.{column} := session_user; END IF;
                  RETURN NEW;
                END $$"""
        )
    return stmts


def _pg_trigger_ddl() -> dict[str, str]:
    # Superusers skip the per-row functions cheaply (is_superuser cannot be set by a client).
    not_super = "current_setting('is_superuser') <> 'on'"
    ddl = {
        "events_append_only": "CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON public.events "
                              "FOR EACH ROW EXECUTE FUNCTION public.zwgk_events_append_only()",
        "events_no_truncate": "CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON public.events "
                              "FOR EACH STATEMENT EXECUTE FUNCTION public.zwgk_events_append_only()",
        "events_stamp_actor": "CREATE TRIGGER events_stamp_actor BEFORE INSERT ON public.events FOR EACH ROW "
                              "WHEN (NEW.recorded_by IS DISTINCT FROM session_user::text "
                              f"OR ({not_super} AND NEW.actor IS DISTINCT FROM session_user::text)) "
                              "EXECUTE FUNCTION public.zwgk_stamp_actor()",
        "events_step_role": f"CREATE TRIGGER events_step_role BEFORE INSERT ON public.events FOR EACH ROW "
                            f"WHEN ({not_super}) EXECUTE FUNCTION public.zwgk_check_step_role()",
    }
    for table, column in STAMPED_COLUMNS:
        ddl[f"{table}_stamp_{column}"] = (
            f"CREATE TRIGGER {table}_stamp_{column} BEFORE INSERT ON public.{table} FOR EACH ROW "
            f"WHEN ({not_super} AND NEW.{column} IS DISTINCT FROM session_user::text) "
            f"EXECUTE FUNCTION public.zwgk_stamp_{table}_{column}()"
        )
    return ddl


def install(conn: Connection) -> list[str]:
    """Create or refresh everything above; returns the triggers that had to be (re)created or re-enabled.
    Needs the owner (or a superuser) on PostgreSQL."""
    if conn.dialect.name == "sqlite":
        return _restore_sqlite(conn)
    has_prefix = conn.execute(text("SELECT to_regprocedure('public.zwgk_role_prefix()') IS NOT NULL")).scalar()
    if not has_prefix:
        # Fixed once: a restored copy under another database name keeps its roles.
        prefix = conn.execute(text("SELECT current_database()")).scalar_one()
        _ddl(conn, "CREATE FUNCTION public.zwgk_role_prefix() RETURNS text LANGUAGE sql IMMUTABLE "
                   f"AS $$ SELECT {_literal(prefix)}::text $$")
    _ddl(conn, "CREATE OR REPLACE FUNCTION public.zwgk_events_append_only() RETURNS trigger LANGUAGE plpgsql "
               "AS $$ BEGIN RAISE EXCEPTION 'events are append-only'; END $$")
    for stmt in _pg_functions():
        _ddl(conn, stmt)
    fixed = _restore_pg(conn)
    if groups_exist(conn):
        _ddl(conn, "SELECT public.zwgk_setup_roles()")
    return fixed


def _ddl(conn: Connection, sql: str) -> None:
    """Run DDL verbatim: through the driver without parameters, so format('%I') is not taken for a placeholder."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(sql)
        return
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
    finally:
        cursor.close()


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _restore_sqlite(conn: Connection) -> list[str]:
    present = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))}
    fixed = []
    for name, ddl in SQLITE_TRIGGERS.items():
        if name not in present:
            _ddl(conn, ddl)
            fixed.append(name)
    return fixed


def _pg_trigger_states(conn: Connection) -> dict[str, str]:
    rows = conn.execute(text(
        "SELECT t.tgname, t.tgenabled FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND NOT t.tgisinternal"
    ))
    return {str(name): str(state) for name, state in rows}


def _restore_pg(conn: Connection) -> list[str]:
    states = _pg_trigger_states(conn)
    fixed = []
    for name, ddl in _pg_trigger_ddl().items():
        table = ddl.split(" ON public.", 1)[1].split(" ", 1)[0]
        if name not in states:
            _ddl(conn, ddl)
            fixed.append(name)
        elif states[name] != "O":  # D = disabled; R/A = replica-only or always: only "origin" is normal here
            _ddl(conn, f"ALTER TABLE public.{table} ENABLE TRIGGER {name}")
            fixed.append(name)
    return fixed


def trigger_problems(conn: Connection) -> list[str]:
    """Names of the protective triggers that are missing or disabled (for `verify`)."""
    if conn.dialect.name == "sqlite":
        present = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))}
        return [n for n in SQLITE_TRIGGERS if n not in present]
    states = _pg_trigger_states(conn)
    return [n for n in PG_TRIGGERS if states.get(n) != "O"]


def _expected_bodies() -> dict[str, str]:
    """Function name → body, of the functions `install` creates (for comparing with the server's copies)."""
    import re

    bodies = {}
    for stmt in _pg_functions():
        m = re.search(r"FUNCTION public\.(\w+)\(.*?AS \$\$(.*)\$\$", stmt, re.DOTALL)
        if m:
            bodies[m.group(1)] = m.group(2)
    bodies["zwgk_events_append_only"] = " BEGIN RAISE EXCEPTION 'events are append-only'; END "
    return bodies


def altered_functions(conn: Connection) -> list[str]:
    """PostgreSQL: protective functions whose body on the server is not the one this program installs (a stamping
    or checking function replaced by a no-op would otherwise go unnoticed). `init` puts them back."""
    if conn.dialect.name == "sqlite":
        return []
    expected = _expected_bodies()
    rows = conn.execute(text(
        "SELECT p.proname, p.prosrc FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = 'public' AND p.proname = ANY(:names)"), {"names": list(expected)})
    found = {str(name): str(src) for name, src in rows}
    return [name for name, body in expected.items() if found.get(name, "").strip() != body.strip()]


def stale_step_roles(conn: Connection) -> bool:
    """PostgreSQL: the server's copy of the step → role map differs from this program's (run `init`)."""
    if conn.dialect.name == "sqlite":
        return False
    installed = conn.execute(text("SELECT public.zwgk_step_roles()")).scalar()
    return bool(installed != step_role_map())


# ---------------------------------------------------------------------------------------------------------------
# Identities (PostgreSQL)


@dataclass(frozen=True)
class PgSession:
    login: str
    privileged: bool  # superuser or owner of the tables
    roles: frozenset[str]  # this register's group roles the login is a member of


def pg_session(conn: Connection) -> PgSession:
    row = conn.execute(text(
        "SELECT session_user::text, public.zwgk_privileged(), public.zwgk_session_roles()"
    )).one()
    return PgSession(str(row[0]), bool(row[1]), frozenset(row[2] or ()))


def groups_exist(conn: Connection) -> bool:
    return bool(conn.execute(text(
        "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = public.zwgk_role_prefix() || '_app')"
    )).scalar())


def role_prefix(conn: Connection) -> str:
    return str(conn.execute(text("SELECT public.zwgk_role_prefix()")).scalar_one())


def login_exists(conn: Connection, login: str) -> bool:
    return bool(conn.execute(text("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = :n)"),
                             {"n": login}).scalar())


def scram_verifier(conn: Connection, login: str, password: str) -> str:
    """The password hashed by libpq (SCRAM-SHA-256), so the plain text never reaches the server or its logs."""
    pgconn = conn.connection.driver_connection.pgconn  # type: ignore[union-attr]
    return bytes(pgconn.encrypt_password(password.encode("utf-8"), login.encode("utf-8"),
                                         b"scram-sha-256")).decode("ascii")


def add_login(conn: Connection, login: str, password: str | None, roles: list[str]) -> None:
    verifier = scram_verifier(conn, login, password) if password else None
    conn.execute(text("SELECT public.zwgk_add_login(:login, :verifier, :roles)"),
                 {"login": login, "verifier": verifier, "roles": list(roles)})


def set_password(conn: Connection, login: str, password: str) -> None:
    conn.execute(text("SELECT public.zwgk_set_password(:login, :verifier)"),
                 {"login": login, "verifier": scram_verifier(conn, login, password)})
