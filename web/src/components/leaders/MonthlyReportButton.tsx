// The monthly study as a file: pick a month (the city's), download the page the server renders.
import { DownloadOutlined } from "@ant-design/icons";
import { Button, DatePicker, Space } from "antd";
import type dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { api } from "../../api";
import { cityToday } from "./periods";

export function MonthlyReportButton({ unit }: { unit?: string }) {
  const { t, i18n } = useTranslation();
  const [month, setMonth] = useState<dayjs.Dayjs>(() => cityToday());
  return (
    <Space>
      <DatePicker
        picker="month"
        aria-label={t("dashboard.month")}
        allowClear={false}
        value={month}
        onChange={(chosen) => chosen && setMonth(chosen)}
      />
      <Button icon={<DownloadOutlined />} href={api.monthlyReportUrl(month.format("YYYY-MM"), i18n.language, unit)}>
        {t("dashboard.monthly")}
      </Button>
    </Space>
  );
}
