"""The command line: `flask --app app units|users|timers|processes|db|demo|report ...`.

What it tells an operator (confirmations, refusals) comes from the message catalogs, in the language the
environment names, as the API answers in the one Accept-Language names: the first of LC_ALL, LC_MESSAGES
and LANG that is set (POSIX's order) picks Chinese when it starts with `zh` (zh_CN.UTF-8) and English when
it starts with `en`; anything else (none set, C, C.UTF-8, POSIX, a language without texts here) gives the
default, Chinese, as a request without Accept-Language does.

What programs read stays the same in every language, byte for byte: the `NAME TOKEN` lines of `users
token`, a token or a link printed as the last line, `demo`'s lines, the count `timers run --once` prints,
the tree heads of `transparency head|heads`. Click's own words (usage, --help, its "Error:") are English.
"""

import json
import os
import signal
import threading
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.exc import OperationalError

from engine import DEFAULT_LANGUAGE, LANGUAGES, EngineError, FixedClock, Text, worded_items, worded_values

from ..domain import passwords, units
from ..domain.messages import MESSAGES, word
from ..domain.vocabulary import LEVELS, ROLES
from ..reports import monthly_report
from ..services import audit, calendar, password_links, processes, retention, timers, users
from ..services.demo import load_demo
from ..services.users import Actor
from . import db

#: Who the command line acts as: an operator at the console has the administrator's reach.
SYSTEM = Actor(id=0, name="system", role="admin", unit=None, unit_path=None)


def _runtime():
    return current_app.extensions["appealflow"]


def _ready():
    """Bring the schema up to date first: every command works on a fresh database."""
    db.upgrade(current_app.config["DATABASE_URL"], owner_url=current_app.config["MIGRATION_DATABASE_URL"])
    return _runtime()


def _language() -> str:
    """The operator's language, named by the environment (see the module docstring)."""
    named = next((os.environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(name)), "")
    return next((code for code in LANGUAGES if named.lower().startswith(code[:2].lower())), DEFAULT_LANGUAGE)


def _said(key: str, **params) -> str:
    """The message `key` of the catalog, in the operator's language, times in the service's zone."""
    return _worded(MESSAGES.text(key, **params))


def _worded(text: Text) -> str:
    return word(text, language=_language(), zone=_runtime().zone)


def _fail(error: EngineError):
    """Refuse with the error's message, in the operator's language, times in the service's zone."""
    message = _worded(error.text) if error.text else error.message
    fields = "".join(f"\n  {name}: {problem}" for name, problem in worded_values(error.fields, _worded).items())
    details = "".join(f"\n  {detail}" for detail in worded_items(error.details, _worded))
    raise click.ClickException(f"{message}{fields}{details}")


units_cli = AppGroup("units", help="The unit tree.")
users_cli = AppGroup("users", help="Users, their API tokens and their passwords.")
timers_cli = AppGroup("timers", help="Process timers.")
processes_cli = AppGroup("processes", help="Process packages.")
db_cli = AppGroup("db", help="The database schema.")
calendar_cli = AppGroup("calendar", help="The working-day calendar.")


@units_cli.command("add")
@click.argument("code")
@click.option("--name", required=True)
@click.option("--level", required=True, type=click.Choice(LEVELS))
@click.option("--parent", default=None, help="The code of the unit above")
def add_unit(code, name, level, parent):
    """Add a unit to the tree."""
    try:
        unit = units.add_unit(_ready().uow(), code=code, name=name, level=level, parent=parent)
    except EngineError as error:
        _fail(error)
    click.echo(_said("cli_unit_added", code=unit["code"], level=unit["level"]))


@users_cli.command("token")
@click.argument("names", nargs=-1, required=True)
@click.option("--days", default=users.TOKEN_DAYS, show_default=True, help="Days until the tokens expire")
def new_tokens(names, days):
    """Give each named user a new API token in place of the old one; prints `NAME TOKEN` lines."""
    for name in names:
        try:
            token = users.new_token(_ready().uow(), name=name, days=days)
        except EngineError as error:
            _fail(error)
        click.echo(f"{name} {token}")


@users_cli.command("revoke")
@click.argument("name")
def revoke_user(name):
    """Revoke a user's API token at once."""
    try:
        users.revoke(_ready().uow(), actor=SYSTEM, name=name)
    except EngineError as error:
        _fail(error)
    click.echo(_said("cli_token_revoked", name=name))


#: `--password` with no value: ask for it (typed twice, not shown).
ASK = "\0ask"


def _password_hash(password: str | None) -> str | None:
    if password == ASK:
        password = click.prompt(
            _said("cli_password_prompt"), hide_input=True, confirmation_prompt=_said("cli_password_again")
        )
    return None if password is None else passwords.hash_password(password)


password_option = click.option(
    "--password",
    is_flag=False,
    flag_value=ASK,
    default=None,
    help="A password to sign in to the console with; asked for when given without a value",
)


@users_cli.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--unit", default=None, help="The user's unit (all roles but auditor, designer, admin)")
@click.option("--days", default=users.TOKEN_DAYS, show_default=True, help="Days until the token expires")
@password_option
def add_user(name, role, unit, days, password):
    """Add a user; the API token is printed as the last line and is not kept."""
    try:
        user, token = users.add_user(
            _ready().uow(), name=name, role=role, unit=unit, days=days, password_hash=_password_hash(password)
        )
    except EngineError as error:
        _fail(error)
    if user["unit"]:
        click.echo(_said("cli_user_added_to_unit", name=user["name"], role=user["role"], unit=user["unit"]))
    else:
        click.echo(_said("cli_user_added", name=user["name"], role=user["role"]))
    click.echo(token)


@users_cli.command("set-password")
@click.argument("name")
@password_option
def set_password(name, password):
    """Set a user's console password (asked for unless given) and end their browser sessions."""
    try:
        users.set_password(_ready().uow(), name=name, password_hash=_password_hash(password or ASK))
    except EngineError as error:
        _fail(error)
    click.echo(_said("cli_password_set", name=name))


@users_cli.command("password-link")
@click.argument("name")
def password_link(name):
    """Create a one-time link with which the user sets their console password; its path is the last line."""
    try:
        link = password_links.create(_ready().uow(), actor=SYSTEM, name=name)
    except EngineError as error:
        _fail(error)
    click.echo(_said("cli_password_link", name=name, until=link["expires_at"]))
    click.echo(link["path"])


@timers_cli.command("run")
@click.option("--once", is_flag=True, help="Fire what is due and stop")
@click.option("--now", "now", default=None, help="Fire as at this ISO 8601 moment (with --once)")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between sweeps")
def run_timers(once, now, interval):
    """Fire due timers: once, or in a loop until interrupted.

    Once, it prints how many fired, and exits with status 1 when the timers of some instance failed
    (each failure is recorded on its instance and tried again later), naming them, or when the sweep
    itself failed (the database unreachable), saying why. In a loop, a failed sweep is logged and the
    next one tried after the interval; SIGTERM or SIGINT ends the loop after the sweep under way."""
    runtime = _ready()
    if once:
        clock, failed = FixedClock(_aware(now)) if now else None, []
        try:
            click.echo(timers.fire_due(runtime, clock=clock, failed=failed))
        except (EngineError, OperationalError) as error:  # the driver's words only: no statement, no parameters
            reason = (error.text or error.message) if isinstance(error, EngineError) else str(error.orig)
            raise click.ClickException(_said("cli_sweep_failed", problem=reason)) from error
        for instance_id, message in failed:
            click.echo(_said("cli_timers_not_fired", instance=instance_id, problem=message), err=True)
        if failed:
            raise SystemExit(1)
        return
    if now:
        raise click.UsageError(_said("cli_now_needs_once"))
    timers.run_forever(runtime, interval=interval, stop=_stopped_by_signals())


def _stopped_by_signals() -> threading.Event:
    """An event that SIGTERM or SIGINT sets, so that a timer worker stops between sweeps, not in one; a second
    such signal ends the process at once."""
    stop = threading.Event()

    def stop_after_this_sweep(signum, _frame):
        stop.set()
        signal.signal(signum, signal.SIG_DFL)

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stop_after_this_sweep)
    return stop


@processes_cli.command("deploy")
@click.argument("folders", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path))
def deploy(folders):
    """Deploy the package in FOLDERS (default: processes/ and forms/)."""
    try:
        result = processes.deploy_folders(_ready().uow(), **({"folders": folders} if folders else {}))
    except EngineError as error:
        _fail(error)
    versions = ", ".join(f"{pid} v{version}" for pid, version in result["versions"])
    click.echo(_said("cli_deployed" if result["created"] else "cli_already_deployed", versions=versions))
    for warning in worded_items(result["warnings"], _worded):
        click.echo(_said("cli_warning", problem=str(warning)))


@calendar_cli.command("load")
@click.argument("schedule", type=click.File("r"))
def load_calendar_year(schedule):
    """Load a year's official schedule from JSON: {"year": 2027, "holidays": [...], "workdays": [...]}.

    Every running process's provisional times are then re-planned on it."""
    try:
        content = json.load(schedule)
        result = calendar.load_year(
            _ready().uow(),
            actor=SYSTEM,
            year=int(content["year"]),
            holidays=list(content.get("holidays", [])),
            workdays=list(content.get("workdays", [])),
        )
    except (ValueError, KeyError, TypeError) as error:
        raise click.ClickException(_said("cli_not_a_schedule", problem=str(error))) from error
    except EngineError as error:
        _fail(error)
    click.echo(
        _said(
            "cli_calendar_loaded",
            year=result["year"],
            holidays=len(result["holidays"]),
            workdays=len(result["workdays"]),
            replanned=result["replanned"],
        )
    )


@calendar_cli.command("status")
def calendar_status():
    """List the years around today: official (package or loaded: by whom, when), provisional, missing."""
    result = calendar.status(_ready().uow(), actor=SYSTEM)
    for year in result["years"]:
        if year["source"] == "loaded":
            how = MESSAGES.text("cli_year_loaded", year=year["year"], by=year["loaded_by"], at=year["loaded_at"])
        elif year["source"] == "package":
            how = MESSAGES.text("cli_year_in_package", year=year["year"])
        else:
            how = MESSAGES.text("cli_year_provisional", year=year["year"])
        click.echo(_said("cli_year_missing", status=how) if year["year"] in result["missing"] else _worded(how))
    if result["warning"]:
        click.echo(_said("cli_warning", problem=result["warning"]))


@click.command("replay")
@click.argument("appeal", required=False, type=int)
@click.option("--all", "every", is_flag=True, help="Replay every appeal")
@with_appcontext
def replay(appeal, every):
    """Replay appeal histories and check they produce the stored states; exit 1 if any does not."""
    if bool(appeal) == every:
        raise click.UsageError(_said("cli_appeal_or_all"))
    runtime = _ready()
    verdicts = audit.verify_all(runtime) if every else [audit.verify(runtime.uow(), actor=SYSTEM, appeal_id=appeal)]
    for v in verdicts:
        appeal_said = {"appeal": v["appeal_id"], "number": v["number"], "events": v["events"]}
        if v["consistent"]:
            click.echo(_said("cli_replay_consistent", **appeal_said))
        else:
            click.echo(_said("cli_replay_inconsistent", **appeal_said, seq=v["first_bad_seq"], reason=v["reason"]))
    if not all(v["consistent"] for v in verdicts):
        raise SystemExit(1)


retention_cli = AppGroup("retention", help="Keeping personal data no longer than needed.")


@retention_cli.command("run")
@click.option("--years", default=5, show_default=True, help="Anonymise appeals closed more than this many years ago")
def run_retention(years):
    """Remove the personal data of appeals closed long ago (statistics and audit chains stay intact)."""
    click.echo(_said("cli_anonymised", count=retention.anonymise(_ready(), years=years)))


transparency_cli = AppGroup("transparency", help="The transparency log over every appeal's history.")


@transparency_cli.command("head")
def publish_head():
    """Publish a signed tree head now (if the log grew) and print it."""
    runtime = _ready()
    try:
        click.echo(runtime.transparency.publish(runtime).printed())
    except EngineError as error:
        _fail(error)


@transparency_cli.command("heads")
def print_heads():
    """Print every signed tree head published, oldest first, for an auditor's own records."""
    runtime = _ready()
    click.echo(f"key {runtime.transparency.public_key}")
    for head in runtime.transparency.heads():
        click.echo(head.printed())


@transparency_cli.command("check")
def check_log():
    """Rebuild the whole log from the history and hold it against every signed head; exit 1 if any fails."""
    runtime = _ready()
    problems = runtime.transparency.check(runtime)
    for problem in problems:
        click.echo(_said("cli_log_rewritten", problem=problem))
    if problems:
        raise SystemExit(1)
    click.echo(_said("cli_log_consistent", count=len(runtime.transparency.heads())))


@db_cli.command("upgrade")
def upgrade():
    """Apply every schema migration."""
    _ready()
    click.echo(_said("cli_database_up_to_date"))


@click.command("demo")
@with_appcontext
def demo():
    """Load a small unit tree and one user per role, and print their tokens."""
    runtime = _ready()
    processes.deploy_folders(runtime.uow())
    for line in load_demo(runtime):
        click.echo(line)


report_cli = AppGroup("report", help="Reports for leaders.")


@report_cli.command("monthly")
@click.argument("month")
@click.option("--unit", default=None, help="Only this unit and the units below it (default: all)")
@click.option("--output", "-o", default=None, type=click.Path(dir_okay=False, path_type=Path), help="The HTML file")
@click.option("--lang", default=DEFAULT_LANGUAGE, type=click.Choice(LANGUAGES), help="The page's language")
def monthly(month, unit, output, lang):
    """Write the monthly study of MONTH (YYYY-MM) as an HTML page to open and print."""
    try:
        page = monthly_report.render(_ready().uow(), actor=SYSTEM, month=month, unit=unit, language=lang)
    except EngineError as error:
        _fail(error)
    path = output or Path(f"monthly-report-{month}.html")
    path.write_text(page, encoding="utf-8")
    click.echo(_said("cli_report_written", path=str(path)))


def _aware(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise click.BadParameter(_said("cli_not_a_moment", text=text)) from error
    if moment.tzinfo is None:
        raise click.BadParameter(_said("cli_moment_needs_zone"))
    return moment


def init_app(app) -> None:
    for command in (
        units_cli,
        users_cli,
        timers_cli,
        processes_cli,
        db_cli,
        calendar_cli,
        retention_cli,
        demo,
        replay,
        report_cli,
        transparency_cli,
    ):
        app.cli.add_command(command)
