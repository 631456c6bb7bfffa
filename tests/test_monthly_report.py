"""The monthly study: `flask report monthly YYYY-MM` writes one printable HTML page whose numbers are the
stats endpoint's for the same month, read at the same moment."""

from html import unescape
from html.parser import HTMLParser

from .november import NOVEMBER


class _Page(HTMLParser):
    """Collects the data-* attributes the page marks its numbers with, the visible text of each, and tags."""

    def __init__(self):
        super().__init__()
        self.figures, self.text, self.units, self.late, self.weeks, self.tags = {}, {}, {}, {}, [], []
        self._open, self._in_week = None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "data-stat" in attrs:
            self.figures[attrs["data-stat"]] = attrs["data-value"]
            self._open = attrs["data-stat"]
        if "data-unit" in attrs:
            self.units[attrs["data-unit"]] = attrs
        if "data-late-unit" in attrs:
            self.late[attrs["data-late-unit"]] = int(attrs["data-times-late"])
        if "data-week" in attrs:
            self.weeks.append([])
            self._in_week = True

    def handle_endtag(self, tag):
        if tag == "tr":
            self._in_week = False

    def handle_data(self, data):
        if self._open:
            self.text[self._open] = data.strip()
            self._open = None
        elif self._in_week and data.strip():
            self.weeks[-1].append(data.strip())


def _value(text: str):
    return None if text == "None" else float(text)


def _write(app, tmp_path, *args):
    output = tmp_path / "study.html"
    result = app.test_cli_runner().invoke(args=["report", "monthly", *args, "--output", str(output)])
    return result, output


def test_the_monthly_study_renders_the_stats_of_the_month(app, as_, november, tmp_path):
    result, output = _write(app, tmp_path, "2026-11", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"已写入：{output}"
    html = output.read_text(encoding="utf-8")
    stats = as_("auditor").get(f"/api/v1/stats?{NOVEMBER}").json  # the report's scope: all units

    page = _Page()
    page.feed(html)
    figures = ("collected", "settled", "dissatisfied", "unreachable", "reopened", "duplicates")
    for name in (*figures, "settlement_rate", "on_time_rate"):
        assert _value(page.figures[name]) == stats[name], name
    assert _value(page.figures["satisfaction_rate"]) == stats["satisfaction_rate"]
    assert _value(page.figures["handling_days.mean"]) == stats["handling_days"]["mean"]
    assert _value(page.figures["handling_days.p90"]) == stats["handling_days"]["p90"]
    assert page.text["settlement_rate"] == "50.00 %" and page.text["on_time_rate"] == "66.67 %"
    assert page.text["satisfaction_rate"] == "80.00 %" and page.text["collected"] == "9"

    assert list(page.units) == [card["unit"] for card in stats["units"]]
    for card in stats["units"]:
        row = page.units[card["unit"]]
        assert _value(row["data-settlement-rate"]) == card["settlement_rate"]
        assert _value(row["data-on-time-rate"]) == card["on_time_rate"]
        assert _value(row["data-satisfaction-rate"]) == card["satisfaction_rate"]
        assert _value(row["data-rank"]) == card["rank"]
    assert page.late == {row["unit"]: row["times_late"] for row in stats["late_units"]} == {"V01": 1}
    assert [[int(n) for n in week[1:]] for week in page.weeks] == [
        [w["collected"], w["settled"]] for w in stats["weekly"]
    ]
    assert [week[0] for week in page.weeks] == ["1 Nov", "2–8 Nov", "9–15 Nov", "16–22 Nov", "23–29 Nov", "30 Nov"]

    assert "Monthly study of citizens' appeals: November 2026" in unescape(html) and "All units" in html
    assert "from 1 Nov 2026 up to 1 Dec 2026 (not included)" in html
    assert "2 Dec 2026 10:00 (Asia/Shanghai)" in html  # the moment the figures describe, in Beijing time
    charts = [attrs for tag, attrs in page.tags if tag == "svg"]
    assert len(charts) == 6  # weekly trend, rates per unit, late units, categories, places, words
    assert all(tag != "script" and "src" not in attrs and "href" not in attrs for tag, attrs in page.tags)
    for text in ("Binhe Road 12", "streetlight", "路灯", "后洼村 (V01)"):
        assert text in html


def test_a_unit_study_has_the_figures_of_that_subtree(app, as_, november, tmp_path):
    result, output = _write(app, tmp_path, "2026-11", "--unit", "V01", "--lang", "en")
    assert result.exit_code == 0, result.output
    page = _Page()
    page.feed(output.read_text(encoding="utf-8"))
    stats = as_("auditor").get(f"/api/v1/stats?{NOVEMBER}&unit=V01").json
    assert _value(page.figures["collected"]) == stats["collected"] == 5
    assert _value(page.figures["settlement_rate"]) == stats["settlement_rate"]
    assert list(page.units) == ["V01", "G01", "G02"]
    assert "后洼村 (V01) and the units below it" in output.read_text(encoding="utf-8")


def test_an_empty_month_still_renders_and_a_bad_month_is_refused(app, tokens, tmp_path):
    result, output = _write(app, tmp_path, "2027-02", "--lang", "en")
    assert result.exit_code == 0, result.output
    html = output.read_text(encoding="utf-8")
    assert "February 2027" in html and "No appeals this month." in html and "No unit let a time limit run out" in html

    for month in ("2026-13", "November", "2026-1"):
        result, _ = _write(app, tmp_path, month)
        assert result.exit_code != 0 and "YYYY-MM" in result.output, result.output
    for month in ("0001-01", "9999-12"):
        result, _ = _write(app, tmp_path, month)
        assert result.exit_code != 0 and "month: 须为 2000 至 2099 年间的月份" in result.output, result.output
    result, _ = _write(app, tmp_path, "2026-11", "--unit", "NOPE")
    assert result.exit_code != 0 and "没有单位“NOPE”" in result.output


def test_the_monthly_study_is_in_chinese_by_default_with_beijing_dates_and_named_codes(app, as_, november, tmp_path):
    result, output = _write(app, tmp_path, "2026-11")
    assert result.exit_code == 0, result.output
    html = output.read_text(encoding="utf-8")
    page = _Page()
    page.feed(html)

    assert '<html lang="zh-CN">' in html and "<title>群众诉求月度研判：2026年11月</title>" in html
    assert "全部单位" in html and "主要指标" in html and "高频诉求" in html
    # The period and the moment of the figures in Beijing time: 02:00 UTC on 2 December is 10:00 there.
    assert (
        "统计 2026年11月1日 至 2026年12月1日（不含）期间受理的诉求，数据截至 2026年12月2日 10:00（Asia/Shanghai）。"
        in html
    )
    assert [week[0] for week in page.weeks] == [
        "11月1日",
        "11月2日–8日",
        "11月9日–15日",
        "11月16日–22日",
        "11月23日–29日",
        "11月30日",
    ]
    assert ">民生类<" in html and ">复杂类<" in html  # categories by name, in the demands chart
    assert ">村（社区）<" in html  # a unit's level by name
    assert "livelihood" not in html and "Monthly" not in html


def test_leaders_and_auditors_download_the_study_from_the_api_as_the_cli_writes_it(app, as_, november, tmp_path):
    result, output = _write(app, tmp_path, "2026-11", "--unit", "V01")
    assert result.exit_code == 0, result.output
    for role in ("leader", "auditor"):
        download = as_(role).get("/api/v1/reports/monthly/2026-11?unit=V01")
        assert download.status_code == 200, download.json
        assert download.mimetype == "text/html"
        assert download.headers["Content-Disposition"] == 'attachment; filename="monthly-report-2026-11.html"'
        assert download.get_data(as_text=True) == output.read_text(encoding="utf-8")  # the same page, same moment
    english = as_("leader").get("/api/v1/reports/monthly/2026-11?lang=en", headers={"Accept-Language": "zh-CN"})
    assert '<html lang="en">' in english.get_data(as_text=True)
    for role in ("station", "village"):
        assert as_(role).get("/api/v1/reports/monthly/2026-11").status_code == 403


def test_a_bad_month_unit_or_parameter_of_the_download_is_a_4xx_naming_it(as_):
    for month in ("2026-13", "November", "1999-12"):
        refused = as_("leader").get(f"/api/v1/reports/monthly/{month}")
        assert refused.status_code == 422 and list(refused.json["error"]["fields"]) == ["month"], refused.json
    refused = as_("leader").get("/api/v1/reports/monthly/2026-11?lang=fr")
    assert refused.status_code == 422 and list(refused.json["error"]["fields"]) == ["lang"], refused.json
    unknown = as_("leader").get("/api/v1/reports/monthly/2026-11?unit=NOPE")
    assert unknown.status_code == 422 and list(unknown.json["error"]["fields"]) == ["unit"], unknown.json
