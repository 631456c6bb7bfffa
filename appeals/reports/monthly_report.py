"""The monthly study (一月一研判, seed 004): one self-contained HTML page a leader opens and prints.

Its figures are `stats.figures` (those of GET /stats) for the calendar month in the service's time zone,
unchanged, so the page and GET /api/v1/stats for the same month and moment agree to the digit. Charts are
inline SVG drawn here: no script, no network, nothing to install, and they print as sharply as the text.

Its words are in zh-CN (the default) or en: the page's texts are templates/monthly_report.texts.json,
codes are named by the translation table, and every date and time is in the service's zone.
"""

import json
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from engine import DEFAULT_LANGUAGE, Catalog, InvalidData

from ..domain import access, periods, vocabulary
from ..domain.messages import MESSAGES, word
from ..domain.models import Unit
from . import stats

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEXTS_FILE = TEMPLATES / "monthly_report.texts.json"
COLOURS = ("#1f5f99", "#e08a1e", "#3a9a4f")
RATES = (
    ("settlement_rate", "series_settlement"),
    ("on_time_rate", "series_on_time"),
    ("satisfaction_rate", "series_satisfaction"),
)


#: Who downloads the study from the console: leaders (their unit and below) and auditors and administrators
#: (all); stations read the figures in GET /stats but the study is the leaders' meeting paper.
READERS = ("leader", "auditor", "admin")


def download(uow, *, actor, month: str, unit: str | None = None, language: str = DEFAULT_LANGUAGE) -> str:
    """The study for a reader through the API: `render`, for the roles that download it."""
    access.require_role(actor, *READERS)
    page = render(uow, actor=actor, month=month, unit=unit, language=language)
    access.log_query(uow, actor, "monthly_report", month=month, unit=unit)
    return page


def render(uow, *, actor, month: str, unit: str | None = None, language: str = DEFAULT_LANGUAGE) -> str:
    """The study of `month` (YYYY-MM) for `unit` and the units below it (default: the actor's reach)."""
    zone = ZoneInfo(uow.runtime.zone)
    since, until = month_period(month, zone)
    figures = stats.figures(uow, actor=actor, since=since, until=until, unit=unit)
    names = {card["unit"]: card["name"] for card in figures["units"]}
    scope = figures["filters"]["unit"]
    words = Words(language, uow.runtime.zone)
    template = _environment().get_template("monthly_report.html")
    return template.render(
        language=words.language,
        t=words,
        name=words.name,
        zone=uow.runtime.zone,
        month=words("month", year=since.year, month=since.month),
        stats=figures,
        scope=words("scope_unit", name=_unit_name(uow, scope), code=scope) if scope else words("scope_all"),
        names=names,
        weeks=[_week_label(week, zone, words) for week in figures["weekly"]],
        charts=_charts(figures, names, zone, words),
    )


@cache
def texts() -> Catalog:
    """The page's texts in every language."""
    return Catalog(json.loads(TEXTS_FILE.read_text(encoding="utf-8")))


class Words:
    """The page's words in one language: `words(key, **params)` a text, `words.name(kind, code)` a code's name."""

    def __init__(self, language: str, zone: str):
        self.language, self.zone = language, zone

    def __call__(self, key: str, **params) -> str:
        return word(texts().text(key, **params), language=self.language, zone=self.zone)

    def name(self, kind: str, code: str | None) -> str | None:
        return vocabulary.name(kind, code, self.language) or code


def _unit_name(uow, code: str) -> str:
    with uow.reading():
        unit = uow.session.get(Unit, code)
        return unit.name if unit else code


def month_period(month: str, zone) -> tuple[datetime, datetime]:
    """[first day 00:00, first day of the next month 00:00) in `zone`. A month refused (not YYYY-MM, or a
    year outside the service's) is explained by the form a month takes, which answers either slip."""
    try:
        return periods.month(month, zone)
    except ValueError as error:
        form = MESSAGES.text("field_month_form", first=periods.FIRST_YEAR, last=periods.LAST_YEAR)
        raise InvalidData(MESSAGES.text("not_a_month", month=month), fields={"month": form}) from error


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.2f} %"


def _environment() -> Environment:
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    environment.filters["percent"] = percent
    environment.filters["dash"] = lambda value: "—" if value is None else value
    return environment


def _week_label(week: dict, zone, words: Words) -> str:
    first = week["since"].astimezone(zone).date()
    last = (week["until"].astimezone(zone) - timedelta(microseconds=1)).date()
    if first == last:
        return words("week_one", month=first.month, day=first.day)
    return words("week_span", month=last.month, first=first.day, last=last.day)


def _charts(figures: dict, names: dict, zone, words: Words) -> dict:
    cards = [card for card in figures["units"] if card["collected"]]
    demands = figures["top_demands"]
    appeals = [words("series_appeals")]
    return {
        "weekly": columns(
            [(_week_label(w, zone, words), [w["collected"], w["settled"]]) for w in figures["weekly"]],
            [words("series_collected"), words("series_settled")],
        ),
        "units": bars(
            [(f"{card['name']} ({card['unit']})", [card[key] for key, _ in RATES]) for card in cards],
            [words(label) for _, label in RATES],
            maximum=1.0,
            text=percent,
        ),
        "late": bars(
            [
                (f"{names.get(row['unit'], row['unit'])} ({row['unit']})", [row["times_late"]])
                for row in figures["late_units"]
            ],
            [words("series_times_late")],
        ),
        "categories": bars(
            [
                (words.name("categories", row["category"]) or words("not_classified"), [row["count"]])
                for row in demands["categories"]
            ],
            appeals,
        ),
        "places": bars([(row["place"], [row["count"]]) for row in demands["places"]], appeals),
        "words": bars([(row["word"], [row["count"]]) for row in demands["words"]], appeals),
    }


def columns(groups: list[tuple[str, list[int]]], series: list[str], *, height: int = 160) -> Markup:
    """Vertical grouped columns (one group per label, one column per series), with the values on top."""
    if not groups:
        return Markup("")
    top = max([1, *(v for _, values in groups for v in values)])
    bar, gap = 18, 30
    width = len(groups) * (len(series) * bar + gap) + gap
    parts = [_legend(series, 0)]
    for g, (label, values) in enumerate(groups):
        x0 = gap + g * (len(series) * bar + gap)
        for s, value in enumerate(values):
            h = round(height * value / top)
            x, y = x0 + s * bar, 24 + height - h
            parts.append(f'<rect x="{x}" y="{y}" width="{bar - 2}" height="{h}" fill="{COLOURS[s]}"/>')
            parts.append(f'<text x="{x + bar / 2 - 1}" y="{y - 3}" text-anchor="middle">{value}</text>')
        parts.append(
            f'<text x="{x0 + len(series) * bar / 2}" y="{height + 40}" text-anchor="middle">{escape(label)}</text>'
        )
    return _svg(width, height + 48, parts)


def bars(rows: list[tuple[str, list]], series: list[str], *, maximum: float | None = None, text=str) -> Markup:
    """Horizontal grouped bars (one group per label, one bar per series); a missing value draws no bar."""
    if not rows:
        return Markup("")
    top = maximum or max([1, *(v for _, values in rows for v in values if v is not None)])
    label_width, plot, bar = 230, 360, 13
    row_height, head = len(series) * bar + 10, 24 if len(series) > 1 else 4
    parts = [_legend(series, label_width)] if len(series) > 1 else []
    for r, (label, values) in enumerate(rows):
        y0 = head + r * row_height
        parts.append(f'<text x="{label_width - 8}" y="{y0 + row_height / 2}" text-anchor="end">{escape(label)}</text>')
        for s, value in enumerate(values):
            y = y0 + s * bar
            w = 0 if value is None else round(plot * value / top)
            parts.append(f'<rect x="{label_width}" y="{y}" width="{w}" height="{bar - 2}" fill="{COLOURS[s]}"/>')
            shown = "—" if value is None else escape(text(value))
            parts.append(f'<text x="{label_width + w + 4}" y="{y + bar - 3}">{shown}</text>')
    return _svg(label_width + plot + 70, head + len(rows) * row_height + 6, parts)


def _legend(series: list[str], x: int) -> str:
    return "".join(
        f'<rect x="{x + n * 130}" y="4" width="10" height="10" fill="{COLOURS[n]}"/>'
        f'<text x="{x + n * 130 + 14}" y="13">{escape(name)}</text>'
        for n, name in enumerate(series)
    )


def _svg(width: int, height: int, parts: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="sans-serif" font-size="11" role="img">{"".join(parts)}</svg>'
    )
