"""Fuzz every option of `case new` and `case act` with random text, numbers and dates.

Whatever comes in: the exit code is 0, 2, 3 or 4, never a traceback (the runner re-raises any exception), and a
refused command leaves the database exactly as it was. The options of `case act` come from the typed step table, so a
new step or option is fuzzed as soon as it exists."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Cli
from tests.security.conftest import fingerprint, is_pg
from zwgk_tui.domain.codes import APPLICANT_TYPE_LABELS, CHANNEL_LABELS, DELIVERY_METHOD_LABELS
from zwgk_tui.domain.step_options import SERVICE_METHODS, STEP_OPTIONS, all_option_specs

# ---- the options under test --------------------------------------------------------------------------------
TEXT, DATE, INT, FLAG, CODE = "text", "date", "int", "flag", "code"

CASE_NEW_OPTIONS: dict[str, str] = {
    "--applicant": TEXT, "--applicant-type": CODE, "--channel": CODE, "--received": DATE, "--content": TEXT,
    "--agency": CODE, "--id-number": TEXT, "--phone": TEXT, "--email": TEXT, "--address": TEXT, "--postcode": TEXT,
    "--delivery": CODE, "--form": TEXT, "--items": INT, "--arrived": DATE,
}
# `case act`: every option of the typed step table (domain/step_options.py) plus the common ones.
_KIND = {"text": TEXT, "date": DATE, "int": INT, "bool": FLAG, "choice": CODE, "multi": TEXT, "multichoice": CODE}
CASE_ACT_OPTIONS: dict[str, str] = {
    "--on": DATE, "--comment": TEXT, "--agency": CODE, "--expect-version": INT,
    **{spec.flag: _KIND[spec.kind] for spec, _ in all_option_specs().values()},
}
ACTIONS = tuple(STEP_OPTIONS)
# The valid codes of each coded option (mixed with random text below).
CODES: dict[str, tuple[str, ...]] = {
    "--applicant-type": tuple(APPLICANT_TYPE_LABELS), "--channel": tuple(CHANNEL_LABELS), "--agency": ("default",),
    "--delivery": tuple(DELIVERY_METHOD_LABELS),
    **{spec.flag: tuple(spec.choices) for spec, _ in all_option_specs().values() if spec.choices},
    "--method": ("per_request", "per_page", *SERVICE_METHODS, "mail"),
}
REQUIRED_NEW = ("--applicant", "--applicant-type", "--channel", "--received", "--content")
REQUIRED_ACT = ("--on",)
ALLOWED_EXITS = {0, 2, 3, 4}

# ---- values ------------------------------------------------------------------------------------------------
NASTY = ["", " ", "[/bold]李四[red]", "[bold red]x", ":warning:", "'; DROP TABLE cases; --", "%s %(x)s {0} {x}",
         "\x00", "a\x00b", "\u202etxt", "张" * 201, "路" * 5001, "\t\n", "－１２３", "１３８１２３４５６７８",
         "😀" * 30, "NULL", "null", "-1", "--help", "\\", '"', "..", "/etc/passwd"]
texts = st.one_of(st.sampled_from(NASTY),
                  st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
dates = st.one_of(st.dates().map(lambda d: d.isoformat()), st.dates(
    min_value=date(2025, 3, 1), max_value=date(2025, 3, 20)).map(
    lambda d: d.isoformat()), st.sampled_from(
    ["2025-03-03", "2025-03-10", "2025-03-19", "2025-02-30", "2025-13-01", "2025/3/3", "2025年3月3日", "0000-00-00",
     "9999-12-31", "2008-04-30", "yesterday", "", "2025-03-20T00:00"]), texts)
ints = st.one_of(st.integers(-(2**70), 2**70), st.integers(-3, 50), st.sampled_from([2**31 - 1, 2**31, 3 * 10**9]))
int_args = st.one_of(*[ints.map(str)] * 4, texts)
BY_KIND = {TEXT: texts, DATE: dates, INT: int_args}


def _values(name: str, kind: str) -> st.SearchStrategy[Any]:
    if kind == FLAG:
        return st.booleans()
    if kind == CODE:
        valid = st.sampled_from(CODES.get(name, ("default",)))
        return st.one_of(valid, valid, valid, texts)
    return BY_KIND[kind]


def _args(options: dict[str, str], required: tuple[str, ...] = ()) -> st.SearchStrategy[list[str]]:
    def build(chosen: dict[str, Any]) -> list[str]:
        out: list[str] = []
        for name, value in chosen.items():
            if options[name] == FLAG:
                if value:
                    out.append(name)
            else:
                out.append(f"{name}={value}")  # "=" so that a value like "-1" is never read as an option
        return out

    entries = {name: _values(name, kind) for name, kind in options.items()}
    # Required options are (almost) always there, so most examples get past the parser to the checks.
    always = {name: entries.pop(name) for name in required}
    return st.fixed_dictionaries(always, optional=entries).map(build)  # type: ignore[arg-type]


def _check(cli: Cli, args: list[str]) -> None:
    before = fingerprint(cli.url)
    r = cli(*args, ok=False)
    assert r.exit_code in ALLOWED_EXITS, (args, r.exit_code, r.stdout, r.stderr)
    if r.exit_code != 0:
        assert fingerprint(cli.url) == before, args
        assert r.stderr.strip(), args  # a refusal always says why


def _prepared(cli: Cli) -> list[str]:
    """A few cases in different stages, so that steps sometimes succeed."""
    numbers = [cli.new_case("2025-03-03"), cli.new_case("2025-03-04", "李四")]
    cli("case", "act", numbers[1], "decide", "--on", "2025-03-10", "--outcome", "disclosed", "--provision", "当面领取")
    cli("case", "act", numbers[1], "submit", "--on", "2025-03-11")
    return numbers


def _examples(cli: Cli) -> int:
    return 25 if is_pg(cli.url) else 80


def test_fuzz_case_new(cli: Cli) -> None:
    _prepared(cli)

    @settings(max_examples=_examples(cli), deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.one_of(*[_args(CASE_NEW_OPTIONS, REQUIRED_NEW)] * 4, _args(CASE_NEW_OPTIONS)))
    def run(args: list[str]) -> None:
        _check(cli, ["case", "new", *args])

    run()


def test_fuzz_case_act(cli: Cli) -> None:
    numbers = _prepared(cli)

    @settings(max_examples=_examples(cli) * 2, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.one_of(st.sampled_from(numbers), texts),
           st.one_of(st.sampled_from(ACTIONS), st.sampled_from(ACTIONS), st.sampled_from(ACTIONS), texts),
           st.one_of(*[_args(CASE_ACT_OPTIONS, REQUIRED_ACT)] * 4, _args(CASE_ACT_OPTIONS)))
    def run(number: str, action: str, args: list[str]) -> None:
        _check(cli, ["case", "act", *args, "--", number, action])

    run()
