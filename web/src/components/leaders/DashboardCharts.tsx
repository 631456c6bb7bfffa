// The dashboard's charts: the weekly trend, the unit ranking by score, the late units, the top demands.
import { Card, Col, Empty, Row } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import type { Stats } from "../../api";
import { local } from "../../time";
import { useNames } from "../../vocabulary";
import { barsOption, Chart, type ChartOption } from "./Chart";

function weeklyOption(stats: Stats, collected: string, settled: string): ChartOption {
  const weeks = stats.weekly.map((week) => local(week.since).format("M/D"));
  return {
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis" },
    legend: { data: [collected, settled], top: 0 },
    xAxis: { type: "category", data: weeks },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: collected, type: "line", data: stats.weekly.map((week) => week.collected), label: { show: true } },
      { name: settled, type: "line", data: stats.weekly.map((week) => week.settled), label: { show: true } },
    ],
  };
}

function Panel({ title, empty, children }: { title: string; empty: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={<h2 style={{ fontSize: 15, margin: 0 }}>{title}</h2>}>
      {empty ? <Empty description={t("dashboard.nothing")} /> : children}
    </Card>
  );
}

export function DashboardCharts({ stats }: { stats: Stats }) {
  const { t } = useTranslation();
  const name = useNames();
  const unitName = new Map(stats.units.map((card) => [card.unit, card.name]));
  const ranked = stats.units
    .filter((card) => card.score !== null)
    .sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || a.unit.localeCompare(b.unit))
    .map((card) => ({ label: `${card.name}（${card.unit}）`, value: card.score ?? 0 }));
  const late = stats.late_units.map((row) => ({ label: `${unitName.get(row.unit) ?? row.unit}（${row.unit}）`, value: row.times_late }));
  const categories = stats.top_demands.categories.map((row) => ({
    label: row.category ? name("categories", row.category) : t("dashboard.notClassified"),
    value: row.count,
  }));
  const words = stats.top_demands.words.map((row) => ({ label: row.word, value: row.count }));
  const tall = (rows: number) => Math.max(160, rows * 36 + 24);
  const charts: [string, { label: string; value: number }[], ChartOption][] = [
    [t("dashboard.ranking"), ranked, barsOption(ranked, t("dashboard.score"), true)],
    [t("dashboard.lateUnits"), late, barsOption(late, t("dashboard.timesLate"))],
    [`${t("dashboard.topDemands")} · ${t("dashboard.byCategory")}`, categories, barsOption(categories, t("dashboard.appeals"))],
    [`${t("dashboard.topDemands")} · ${t("dashboard.words")}`, words, barsOption(words, t("dashboard.appeals"))],
  ];
  return (
    <Row gutter={[12, 12]}>
      <Col span={24}>
        <Panel title={t("dashboard.weekly")} empty={stats.weekly.length === 0}>
          <Chart label={t("dashboard.weekly")} option={weeklyOption(stats, t("dashboard.collected"), t("dashboard.settled"))} />
        </Panel>
      </Col>
      {charts.map(([title, rows, option]) => (
        <Col key={title} xs={24} lg={12}>
          <Panel title={title} empty={rows.length === 0}>
            <Chart label={title} option={option} height={tall(rows.length)} />
          </Panel>
        </Col>
      ))}
    </Row>
  );
}
