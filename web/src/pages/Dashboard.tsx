// Leaders' dashboard: a period (this week, this month, or days chosen, in the city's zone) and a unit
// subtree; the rates, the weekly trend, the unit ranking, the late units and the top demands.
import { Alert, DatePicker, Segmented, Select, Space, Spin } from "antd";
import type dayjs from "dayjs";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiError, api, type Stats } from "../api";
import { DashboardCharts } from "../components/leaders/DashboardCharts";
import { MonthlyReportButton } from "../components/leaders/MonthlyReportButton";
import { type PeriodKind, periodQuery } from "../components/leaders/periods";
import { RateCards } from "../components/leaders/RateCards";
import { formatLocal } from "../time";
import { useSession } from "../session";

/** Who downloads the monthly study (appeals/monthly_report.py READERS). */
const STUDY_ROLES = ["leader", "auditor", "admin"];

type Range = [dayjs.Dayjs, dayjs.Dayjs];

export function Dashboard() {
  const { t } = useTranslation();
  const { session } = useSession();
  const [kind, setKind] = useState<PeriodKind>("month");
  const [range, setRange] = useState<Range | null>(null);
  const [unit, setUnit] = useState<string | undefined>();
  const [units, setUnits] = useState<{ value: string; label: string }[]>([]);
  const [stats, setStats] = useState<Stats | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (kind === "custom" && !range) return; // wait for the days
    let current = true;
    setProblem(null);
    api.stats(periodQuery(kind, range), unit).then(
      (found) => {
        if (!current) return;
        setStats(found);
        // the units to choose from: those of the caller's whole reach with something in the period
        if (!unit) setUnits(found.units.map((card) => ({ value: card.unit, label: `${card.name}（${card.unit}）` })));
      },
      (error: ApiError) => current && setProblem(error.message),
    );
    return () => {
      current = false;
    };
  }, [kind, range, unit]);

  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <h1>{t("dashboard.title")}</h1>
      <Space wrap>
        <span>{t("dashboard.period")}</span>
        <Segmented<PeriodKind>
          value={kind}
          onChange={setKind}
          options={[
            { value: "week", label: t("dashboard.thisWeek") },
            { value: "month", label: t("dashboard.thisMonth") },
            { value: "custom", label: t("dashboard.custom") },
          ]}
        />
        {kind === "custom" && (
          <DatePicker.RangePicker
            aria-label={t("dashboard.range")}
            value={range}
            onChange={(days) => setRange(days && days[0] && days[1] ? [days[0], days[1]] : null)}
          />
        )}
        <Select
          aria-label={t("dashboard.unit")}
          allowClear
          placeholder={t("dashboard.allUnits")}
          style={{ width: 240 }}
          value={unit}
          onChange={setUnit}
          options={units}
        />
        {STUDY_ROLES.includes(session.user.role) && <MonthlyReportButton unit={unit} />}
      </Space>
      {problem && <Alert type="error" title={t("error.generic", { message: problem })} />}
      {stats === null ? (
        !problem && <Spin />
      ) : (
        <>
          <span>{t("dashboard.asOf", { time: formatLocal(stats.period.as_of) })}</span>
          <RateCards stats={stats} />
          <DashboardCharts stats={stats} />
        </>
      )}
    </Space>
  );
}
