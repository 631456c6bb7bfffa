// My work: the caller's open tasks, soonest due first (none last), coloured by urgency, filtered by step.
import { Alert, Select, Space, Table } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { ApiError, api, type Task } from "../api";
import { DueTag } from "../components/DueTag";
import { useNames } from "../vocabulary";

function byDue(a: Task, b: Task): number {
  if (a.due_at === b.due_at) return 0;
  if (!a.due_at) return 1;
  if (!b.due_at) return -1;
  return a.due_at < b.due_at ? -1 : 1;
}

export function MyWork() {
  const { t } = useTranslation();
  const name = useNames();
  const [tasks, setTasks] = useState<Task[] | null>(null);
  const [step, setStep] = useState<string | undefined>();
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    api
      .tasks()
      .then((found) => setTasks([...found].sort(byDue)))
      .catch((error: ApiError) => setProblem(error.message));
  }, []);

  const steps = useMemo(() => [...new Set((tasks ?? []).map((task) => task.step))], [tasks]);
  const shown = (tasks ?? []).filter((task) => !step || task.step === step);

  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <h1>{t("work.title")}</h1>
      {problem && <Alert type="error" title={t("error.generic", { message: problem })} />}
      <Select
        aria-label={t("work.step")}
        allowClear
        placeholder={t("work.allSteps")}
        style={{ width: 220 }}
        value={step}
        onChange={setStep}
        options={steps.map((code) => ({ value: code, label: name("steps", code) }))}
      />
      <Table<Task>
        rowKey="id"
        loading={tasks === null}
        dataSource={shown}
        pagination={false}
        locale={{ emptyText: t("work.empty") }}
        columns={[
          {
            title: t("work.appeal"),
            key: "appeal",
            render: (_, task) => <Link to={`/appeals/${task.appeal_id}`}>{`${t("work.appeal")} ${task.appeal_id}`}</Link>,
          },
          { title: t("work.step"), key: "step", render: (_, task) => name("steps", task.step) },
          { title: t("work.unit"), dataIndex: "unit" },
          { title: t("work.due"), key: "due", render: (_, task) => <DueTag task={task} /> },
        ]}
      />
    </Space>
  );
}
