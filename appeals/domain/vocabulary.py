"""The domain's fixed words: roles, unit levels, channels, and the processes that run appeals; and their
names for people in every language (vocabulary.json, one table that the API serves to consoles too)."""

import json
from functools import cache
from pathlib import Path

LEVELS = ("district", "town", "village", "grid")  # top to bottom
PARENT_LEVEL = {"town": "district", "village": "town", "grid": "village"}

HANDLING_ROLES = ("grid", "village", "town", "district")
UNIT_ROLES = ("intake", "station", *HANDLING_ROLES, "callback", "leader")
UNITLESS_ROLES = ("auditor", "designer", "admin")
ROLES = (*UNIT_ROLES, *UNITLESS_ROLES)

#: Roles that call the citizen back and so see the reporter's contact unmasked.
CONTACT_ROLES = ("intake", "callback")
#: Roles that read every appeal, whatever their unit.
READ_ALL_ROLES = ("auditor", "admin")

CHANNELS = ("hotline", "message_board", "liaison_station", "grid_visit", "letters_visits", "walk_in", "online")
CATEGORIES = ("consultation", "livelihood", "complex")

APPEAL_PROCESS = "appeal"
#: The processes that carry appeals; in them every user task must have a form (DOMAIN.md: "every step
#: needs its form").
APPEAL_PROCESSES = FORMS_REQUIRED = ("appeal", "escalation")

#: The step where leaders supervise an appeal (a step id of the contract).
SUPERVISE = "supervise"

#: The history event of a reminder sent by hand (services/reminders.py records it, reports/stats.py counts it).
MANUAL_REMINDER = "manual_reminder"


#: The translation table: every code a person reads, by kind, with its name in every language.
NAMES_FILE = Path(__file__).with_name("vocabulary.json")


@cache
def names() -> dict[str, dict[str, dict[str, str]]]:
    """{kind: {code: {language: name}}}, read once from vocabulary.json."""
    return json.loads(NAMES_FILE.read_text(encoding="utf-8"))


def names_in(language: str) -> dict[str, dict[str, str]]:
    """The translation table in one language: {kind: {code: name}}."""
    return {kind: {code: by[language] for code, by in codes.items()} for kind, codes in names().items()}


def name(kind: str, code: str | None, language: str) -> str | None:
    """The name of `code` of `kind` in `language`, or None when the table has no such code."""
    return names().get(kind, {}).get(code, {}).get(language)
