// A task's due time in the city's zone, coloured: red when overdue, orange when due today, gold when reminded.
import { Space, Tag } from "antd";
import { useTranslation } from "react-i18next";

import type { Task } from "../api";
import { formatLocal, urgency } from "../time";

export function DueTag({ task }: { task: Task }) {
  const { t } = useTranslation();
  const level = urgency(task.due_at);
  return (
    <Space size={4}>
      <span>{formatLocal(task.due_at)}</span>
      {level === "overdue" && <Tag color="red">{t("work.overdue")}</Tag>}
      {level === "today" && <Tag color="orange">{t("work.today")}</Tag>}
      {task.reminded_at && <Tag color="gold">{t("work.reminded")}</Tag>}
    </Space>
  );
}
