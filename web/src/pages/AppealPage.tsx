// One appeal: the request, the caller's open task on it with its form, and its process drawn beside its
// history in local time.
import { Alert, Card, Descriptions, Space, message } from "antd";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";

import { type Appeal, ApiError, api, type HistoryEvent, type Task } from "../api";
import { Attachments } from "../components/Attachments";
import { DueTag } from "../components/DueTag";
import { ExtensionRequest } from "../components/ExtensionRequest";
import { AppealProcess } from "../components/AppealProcess";
import { Instructions } from "../components/Instructions";
import { ReturnTask } from "../components/ReturnTask";
import { TaskForm } from "../components/TaskForm";
import { formatLocal } from "../time";
import { useNames } from "../vocabulary";

function AppealDetails({ appeal }: { appeal: Appeal }) {
  const { t } = useTranslation();
  const name = useNames();
  const hidden = appeal.confidential ? t("callDetails.confidential") : "—";
  const reporter = appeal.reporter ? [appeal.reporter.name, appeal.reporter.phone].filter(Boolean).join(" ") : hidden;
  return (
    <Descriptions bordered size="small" column={2}>
      <Descriptions.Item label={t("appeal.number")}>{appeal.number}</Descriptions.Item>
      <Descriptions.Item label={t("appeal.status")}>{name("statuses", appeal.status)}</Descriptions.Item>
      <Descriptions.Item label={t("appeal.title")} span={2}>{appeal.title}</Descriptions.Item>
      <Descriptions.Item label={t("appeal.description")} span={2}>{appeal.description}</Descriptions.Item>
      <Descriptions.Item label={t("appeal.channel")}>{name("channels", appeal.channel)}</Descriptions.Item>
      <Descriptions.Item label={t("appeal.category")}>{name("categories", appeal.category)}</Descriptions.Item>
      <Descriptions.Item label={t("appeal.stage")}>{name("steps", appeal.stage)}</Descriptions.Item>
      <Descriptions.Item label={t("appeal.unit")}>{appeal.unit}</Descriptions.Item>
      <Descriptions.Item label={t("appeal.reporter")}>{reporter}</Descriptions.Item>
      <Descriptions.Item label={t("appeal.address")}>{appeal.location?.address ?? "—"}</Descriptions.Item>
      <Descriptions.Item label={t("appeal.createdAt")}>{formatLocal(appeal.created_at)}</Descriptions.Item>
      <Descriptions.Item label={t("appeal.deadline")}>{formatLocal(appeal.deadline)}</Descriptions.Item>
    </Descriptions>
  );
}

export function AppealPage() {
  const { t } = useTranslation();
  const name = useNames();
  const id = Number(useParams().id);
  const [appeal, setAppeal] = useState<Appeal | null>(null);
  const [tasks, setTasks] = useState<Task[]>([]);
  const [events, setEvents] = useState<HistoryEvent[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [stale, setStale] = useState<string | null>(null);

  const load = useCallback(() => {
    Promise.all([api.appeal(id), api.tasks(id)])
      .then(([found, open]) => {
        setAppeal(found);
        setTasks(open);
      })
      .catch((error: ApiError) => setProblem(error.message));
    api.history(id).then(setEvents, () => setEvents([]));
  }, [id]);

  useEffect(load, [load]);

  function completed() {
    setStale(null);
    void message.success(t("appeal.completed"));
    load();
  }

  /** The page was stale: someone else completed the task. Say who (the API's words) and show it as it is now. */
  function staled(words: string) {
    setStale(t("stale.reloaded", { message: words }));
    load();
  }

  const task = tasks[0];
  return (
    <Space direction="vertical" size="large" style={{ width: "100%" }}>
      <Link to="/tasks">{t("appeal.back")}</Link>
      {problem && <Alert type="error" title={t("error.generic", { message: problem })} />}
      {stale && <Alert type="warning" showIcon title={stale} />}
      {appeal && (
        <Card title={<h1 style={{ fontSize: 18, margin: 0 }}>{t("appeal.request")}</h1>}>
          <AppealDetails appeal={appeal} />
        </Card>
      )}
      {appeal && <Instructions instructions={appeal.instructions} />}
      <Card
        title={<h2 style={{ fontSize: 16, margin: 0 }}>{task ? `${t("appeal.task")}：${name("steps", task.step)}` : t("appeal.task")}</h2>}
        extra={task && <DueTag task={task} />}
      >
        {task && <ReturnTask key={`return-${task.id}`} task={task} onDone={completed} onStale={staled} />}
        {task ? <TaskForm key={task.id} task={task} onDone={completed} onStale={staled} /> : t("appeal.noTask")}
      </Card>
      {task && <ExtensionRequest key={task.id} task={task} />}
      {appeal && <Attachments key={appeal.id} appeal={appeal} task={task} onAdded={load} />}
      {appeal && (
        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t("diagram.title")}</h2>}>
          <AppealProcess appeal={appeal} events={events} />
        </Card>
      )}
    </Space>
  );
}
