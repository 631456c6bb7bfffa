// My work: the open tasks of the caller's lane in their unit and below it, soonest due first (none last),
// coloured by urgency, filtered by step, category, channel and unit, searched by number and title.
//
// Filtering happens here, on the list the page holds: the API answers the whole list in one query (its
// cap is 500 open tasks) and the page sorts it by due time itself, so filtering what it holds is instant
// while typing, costs no request, and each filter offers only the codes present.
import { Alert, Input, Select, Space, Table } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { ApiError, api, type CodeKind, type Task } from "../api";
import { DueTag } from "../components/DueTag";
import { urgency } from "../time";
import { useNames } from "../vocabulary";

function byDue(a: Task, b: Task): number {
  if (a.due_at === b.due_at) return 0;
  if (!a.due_at) return 1;
  if (!b.due_at) return -1;
  return a.due_at < b.due_at ? -1 : 1;
}

interface Filters {
  step?: string;
  category?: string;
  channel?: string;
  unit?: string;
  search: string;
}

/** What each filter compares, and the kind of code it names (none: the unit, shown as its code). */
type FilterKey = "step" | "category" | "channel" | "unit";
const FILTERED: { key: FilterKey; of: (task: Task) => string | null | undefined; kind?: CodeKind }[] = [
  { key: "step", of: (task) => task.step, kind: "steps" },
  { key: "category", of: (task) => task.appeal?.category, kind: "categories" },
  { key: "channel", of: (task) => task.appeal?.channel, kind: "channels" },
  { key: "unit", of: (task) => task.unit },
];

function matches(task: Task, filters: Filters): boolean {
  if (FILTERED.some(({ key, of }) => filters[key] && of(task) !== filters[key])) return false;
  const search = filters.search.trim().toLowerCase();
  if (!search) return true;
  return [task.appeal?.number, task.appeal?.title].some((text) => text?.toLowerCase().includes(search));
}

/** The row's colour: overdue, due today, or reminded (console.css). */
function rowClass(task: Task): string {
  const level = urgency(task.due_at);
  if (level === "overdue" || level === "today") return `task-${level}`;
  return task.reminded_at ? "task-reminded" : "";
}

export function MyWork() {
  const { t } = useTranslation();
  const name = useNames();
  const [tasks, setTasks] = useState<Task[] | null>(null);
  const [filters, setFilters] = useState<Filters>({ search: "" });
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    api
      .tasks()
      .then((found) => setTasks([...found].sort(byDue)))
      .catch((error: ApiError) => setProblem(error.message));
  }, []);

  const present = useMemo(() => {
    const codes = (of: (task: Task) => string | null | undefined) => [...new Set((tasks ?? []).map(of))].filter(Boolean);
    return Object.fromEntries(FILTERED.map(({ key, of }) => [key, codes(of) as string[]]));
  }, [tasks]);
  const shown = (tasks ?? []).filter((task) => matches(task, filters));
  const placeholders: Record<FilterKey, string> = {
    step: t("work.allSteps"),
    category: t("filters.allCategories"),
    channel: t("filters.allChannels"),
    unit: t("filters.allUnits"),
  };
  const labels: Record<FilterKey, string> = {
    step: t("work.step"),
    category: t("filters.category"),
    channel: t("filters.channel"),
    unit: t("work.unit"),
  };

  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <h1>{t("work.title")}</h1>
      {problem && <Alert type="error" title={t("error.generic", { message: problem })} />}
      <Space wrap>
        {FILTERED.map(({ key, kind }) => (
          <Select
            key={key}
            aria-label={labels[key]}
            allowClear
            placeholder={placeholders[key]}
            style={{ width: 200 }}
            value={filters[key]}
            onChange={(value?: string) => setFilters((current) => ({ ...current, [key]: value }))}
            options={present[key].map((code) => ({ value: code, label: kind ? name(kind, code) : code }))}
          />
        ))}
        <Input.Search
          aria-label={t("filters.search")}
          placeholder={t("filters.search")}
          allowClear
          style={{ width: 260 }}
          value={filters.search}
          onChange={(event) => setFilters((current) => ({ ...current, search: event.target.value }))}
        />
      </Space>
      <Table<Task>
        rowKey="id"
        loading={tasks === null}
        dataSource={shown}
        pagination={false}
        rowClassName={rowClass}
        locale={{ emptyText: t("work.empty") }}
        columns={[
          {
            title: t("work.appeal"),
            key: "appeal",
            render: (_, task) => <Link to={`/appeals/${task.appeal_id}`}>{`${t("work.appeal")} ${task.appeal_id}`}</Link>,
          },
          { title: t("filters.number"), key: "number", render: (_, task) => task.appeal?.number },
          { title: t("filters.title"), key: "title", render: (_, task) => task.appeal?.title },
          { title: t("work.step"), key: "step", render: (_, task) => name("steps", task.step) },
          {
            title: t("filters.category"),
            key: "category",
            render: (_, task) => name("categories", task.appeal?.category),
          },
          { title: t("filters.channel"), key: "channel", render: (_, task) => name("channels", task.appeal?.channel) },
          { title: t("work.unit"), dataIndex: "unit" },
          { title: t("work.due"), key: "due", render: (_, task) => <DueTag task={task} /> },
        ]}
      />
    </Space>
  );
}
