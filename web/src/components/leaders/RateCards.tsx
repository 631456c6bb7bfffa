// The period's headline figures: counts, the rates leaders are judged by, and the mean handling time.
import { Card, Col, Row, Statistic } from "antd";
import { useTranslation } from "react-i18next";

import type { Stats } from "../../api";
import { formatRate } from "./Chart";

const RATES = [
  ["settlement_rate", "dashboard.settlementRate"],
  ["on_time_rate", "dashboard.onTimeRate"],
  ["satisfaction_rate", "dashboard.satisfactionRate"],
  ["redo_rate", "dashboard.redoRate"],
  ["reminder_rate", "dashboard.reminderRate"],
] as const;

export function RateCards({ stats }: { stats: Stats }) {
  const { t } = useTranslation();
  const figures: [string, string][] = [
    [t("dashboard.collected"), String(stats.collected)],
    [t("dashboard.settled"), String(stats.settled)],
    ...RATES.map(([key, label]): [string, string] => [t(label), formatRate(stats[key])]),
    [t("dashboard.handlingMean"), stats.handling_days.mean === null ? "—" : String(stats.handling_days.mean)],
  ];
  return (
    <Row gutter={[12, 12]}>
      {figures.map(([title, value]) => (
        <Col key={title} xs={12} md={6} xl={3}>
          <Card size="small">
            <Statistic title={title} value={value} />
          </Card>
        </Col>
      ))}
    </Row>
  );
}
