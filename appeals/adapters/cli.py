"""The command line: `flask --app app units|users|timers|processes|db|demo|report ...`."""

import json
import signal
import threading
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.exc import OperationalError

from engine import DEFAULT_LANGUAGE, LANGUAGES, EngineError, FixedClock, worded_items

from ..domain import passwords, units
from ..domain.messages import word
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


def _fail(error: EngineError):
    """Refuse with the error's message, in English (the command line's language), times in the service's zone."""
    message = word(error.text, language="en", zone=_runtime().zone) if error.text else error.message
    fields = "".join(f"\n  {name}: {problem}" for name, problem in error.fields.items())
    details = "".join(f"\n  {detail}" for detail in worded_items(error.details, str))
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
    click.echo(f"unit {unit['code']} ({unit['level']}) added")


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
        users.revoke(_ready().uow(), name=name)
    except EngineError as error:
        _fail(error)
    click.echo(f"user {name}: token revoked")


#: `--password` with no value: ask for it (typed twice, not shown).
ASK = "\0ask"


def _password_hash(password: str | None) -> str | None:
    if password == ASK:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
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
    click.echo(f"user {user['name']} ({user['role']}{', ' + user['unit'] if user['unit'] else ''}) added; token:")
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
    click.echo(f"user {name}: password set")


@users_cli.command("password-link")
@click.argument("name")
def password_link(name):
    """Create a one-time link with which the user sets their console password; its path is the last line."""
    try:
        link = password_links.create(_ready().uow(), actor=SYSTEM, name=name)
    except EngineError as error:
        _fail(error)
    until = link["expires_at"].astimezone(ZoneInfo(_runtime().zone)).isoformat(timespec="minutes")
    click.echo(f"user {name}: a set-password link, usable once until {until}; open it in the console at:")
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
            reason = error.message if isinstance(error, EngineError) else error.orig
            raise click.ClickException(f"timer sweep failed: {reason}") from error
        for instance_id, message in failed:
            click.echo(f"instance {instance_id}: timers not fired: {message}", err=True)
        if failed:
            raise SystemExit(1)
        return
    if now:
        raise click.UsageError("--now goes with --once")
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
    state = "deployed" if result["created"] else "already deployed"
    click.echo(f"{state}: " + ", ".join(f"{pid} v{version}" for pid, version in result["versions"]))
    for warning in result["warnings"]:
        click.echo(f"warning: {worded_items([warning], str)[0]}")


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
        raise click.ClickException(f"not a schedule: {error}") from error
    except EngineError as error:
        _fail(error)
    click.echo(
        f"{result['year']}: {len(result['holidays'])} holidays, {len(result['workdays'])} worked weekend days; "
        f"{result['replanned']} processes re-planned"
    )


@calendar_cli.command("status")
def calendar_status():
    """List the years around today: official (package or loaded: by whom, when), provisional, missing."""
    runtime = _ready()
    result = calendar.status(runtime.uow(), actor=SYSTEM)
    for year in result["years"]:
        if year["source"] == "loaded":
            when = year["loaded_at"].astimezone(ZoneInfo(runtime.zone)).isoformat()
            how = f"official (loaded by {year['loaded_by']} at {when})"
        elif year["source"] == "package":
            how = "official (chinesecalendar package)"
        else:
            how = "provisional (weekends and statutory holidays by rule)"
        missing = "; MISSING: its official schedule is due" if year["year"] in result["missing"] else ""
        click.echo(f"{year['year']}: {how}{missing}")
    if result["warning"]:
        click.echo(f"warning: {result['warning']}")


@click.command("replay")
@click.argument("appeal", required=False, type=int)
@click.option("--all", "every", is_flag=True, help="Replay every appeal")
@with_appcontext
def replay(appeal, every):
    """Replay appeal histories and check they produce the stored states; exit 1 if any does not."""
    if bool(appeal) == every:
        raise click.UsageError("give an APPEAL id or --all")
    runtime = _ready()
    verdicts = audit.verify_all(runtime) if every else [audit.verify(runtime.uow(), actor=SYSTEM, appeal_id=appeal)]
    for v in verdicts:
        state = "consistent" if v["consistent"] else f"INCONSISTENT at event {v['first_bad_seq']}: {v['reason']}"
        click.echo(f"appeal {v['appeal_id']} ({v['number']}): {v['events']} events, {state}")
    if not all(v["consistent"] for v in verdicts):
        raise SystemExit(1)


retention_cli = AppGroup("retention", help="Keeping personal data no longer than needed.")


@retention_cli.command("run")
@click.option("--years", default=5, show_default=True, help="Anonymise appeals closed more than this many years ago")
def run_retention(years):
    """Remove the personal data of appeals closed long ago (statistics and audit chains stay intact)."""
    click.echo(f"{retention.anonymise(_ready(), years=years)} appeals anonymised")


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
        click.echo(f"REWRITTEN: {problem}")
    if problems:
        raise SystemExit(1)
    click.echo(f"consistent: {len(runtime.transparency.heads())} signed heads hold")


@db_cli.command("upgrade")
def upgrade():
    """Apply every schema migration."""
    _ready()
    click.echo("database is up to date")


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
    click.echo(f"written: {path}")


def _aware(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise click.BadParameter(f"not an ISO 8601 date-time: {text}") from error
    if moment.tzinfo is None:
        raise click.BadParameter("give a time zone, e.g. 2026-10-09T09:00:00+08:00")
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
