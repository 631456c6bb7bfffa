// Trial instances of a process: start one with some data, then work it like a person would (fill its
// forms, deliver the messages it waits for) and see on the drawing where it waits: its open tasks and
// waiting timers are marked.
import { Alert, Button, Card, Descriptions, Input, Select, Space, Table, Tag } from "antd";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import { api, type ProcessVersion, type Task, type Trial, type TrialInstance } from "../../api";
import { TaskForm } from "../TaskForm";
import { BpmnCanvas, type Mark } from "./BpmnCanvas";
import { versionXml } from "./versionXml";

/** `text` as a JSON object, or null when it is not one. */
function parsedObject(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text || "{}");
    return value && typeof value === "object" && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/** Where the instance waits: its open tasks, its timers, and the catch events of the messages it awaits
 * (the API names a message; the drawing says which events catch it). */
function waitingMarks(instance: TrialInstance, xml: string | null): Mark[] {
  const steps = [
    ...instance.tasks.map((task) => task.step),
    ...instance.timers.map((timer) => timer.step),
    ...(xml ? catchersOf(instance.messages, xml) : []),
  ];
  return [...new Set(steps)].map((element) => ({ element, kind: "current" as const }));
}

function catchersOf(messages: string[], xml: string): string[] {
  const document = new DOMParser().parseFromString(xml, "application/xml");
  const ids = Array.from(document.getElementsByTagNameNS("*", "message"))
    .filter((message) => messages.includes(message.getAttribute("name") ?? ""))
    .map((message) => message.getAttribute("id"));
  const receivers = Array.from(document.getElementsByTagNameNS("*", "receiveTask"));
  const definitions = Array.from(document.getElementsByTagNameNS("*", "messageEventDefinition"));
  return [
    ...receivers.filter((task) => ids.includes(task.getAttribute("messageRef"))).map((task) => task.id),
    ...definitions.filter((d) => ids.includes(d.getAttribute("messageRef"))).map((d) => d.parentElement?.id ?? ""),
  ].filter(Boolean);
}

export function TrialPanel({ versions }: { versions: ProcessVersion[] }) {
  const { t } = useTranslation();
  const processId = versions[0].process_id;
  const [trials, setTrials] = useState<Trial[] | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [data, setData] = useState("{}");
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(() => {
    api.trials(processId).then(setTrials, (error) => setProblem(error.message));
  }, [processId]);
  useEffect(load, [load]);

  async function start() {
    const value = parsedObject(data);
    if (!value) return setProblem(t("designer.notJsonObject"));
    setProblem(null);
    try {
      const started = await api.startTrial(processId, value);
      load();
      setOpen(started.id);
    } catch (error) {
      setProblem((error as Error).message);
    }
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Card size="small" title={t("designer.startTrial")}>
        <Space direction="vertical" style={{ width: "100%" }}>
          <label htmlFor="trial-data">{t("designer.trialData")}</label>
          <Input.TextArea id="trial-data" rows={3} value={data} onChange={(e) => setData(e.target.value)} />
          <Button type="primary" onClick={start}>
            {t("designer.start")}
          </Button>
        </Space>
      </Card>
      {problem && <Alert type="error" title={t("error.generic", { message: problem })} />}
      <Table<Trial>
        rowKey="id"
        size="small"
        loading={trials === null}
        dataSource={trials ?? []}
        pagination={false}
        locale={{ emptyText: t("designer.noTrials") }}
        columns={[
          { title: t("designer.instance"), dataIndex: "id" },
          { title: t("designer.version"), key: "version", render: (_, row) => row.process.version },
          { title: t("designer.status"), key: "status", render: (_, row) => <Tag>{t(`designer.status_${row.status}`)}</Tag> },
          {
            title: t("designer.actions"),
            key: "open",
            render: (_, row) => (
              <Button size="small" onClick={() => setOpen(row.id)}>
                {t("designer.openTrial", { id: row.id })}
              </Button>
            ),
          },
        ]}
      />
      {open !== null && <TrialView key={open} id={open} versions={versions} onChanged={load} />}
    </Space>
  );
}

function TrialView({ id, versions, onChanged }: { id: number; versions: ProcessVersion[]; onChanged: () => void }) {
  const { t } = useTranslation();
  const [instance, setInstance] = useState<TrialInstance | null>(null);
  const [tasks, setTasks] = useState<Task[]>([]);
  const [xml, setXml] = useState<string | null>(null);
  const [message, setMessage] = useState<string | undefined>();
  const [payload, setPayload] = useState("{}");
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(() => {
    api.trial(id).then(setInstance, (error) => setProblem(error.message));
    api.trialTasks(id).then(setTasks, () => setTasks([]));
  }, [id]);
  useEffect(load, [load]);

  const version = instance?.process.version;
  useEffect(() => {
    const deployed = versions.find((v) => v.version === version);
    if (deployed) versionXml(deployed).then(setXml, () => setXml(null));
  }, [versions, version]);

  const marks = useMemo(() => (instance ? waitingMarks(instance, xml) : []), [instance, xml]);
  const changed = () => {
    load();
    onChanged();
  };

  async function deliver() {
    const value = parsedObject(payload);
    if (!message || !value) return setProblem(t("designer.notJsonObject"));
    try {
      setInstance(await api.deliverMessage(id, message, value));
      changed();
    } catch (error) {
      setProblem((error as Error).message);
    }
  }

  if (!instance) return null;
  return (
    <Card title={t("designer.trialN", { id })}>
      <Space direction="vertical" size="middle" style={{ width: "100%" }}>
        {problem && <Alert type="error" title={t("error.generic", { message: problem })} />}
        <Descriptions size="small" column={2}>
          <Descriptions.Item label={t("designer.status")}>{t(`designer.status_${instance.status}`)}</Descriptions.Item>
          <Descriptions.Item label={t("designer.waitsAt")}>
            {marks.map((m) => m.element).join("、") || "—"}
          </Descriptions.Item>
          {instance.error && <Descriptions.Item label={t("designer.errorText")}>{instance.error}</Descriptions.Item>}
        </Descriptions>
        {xml && <BpmnCanvas xml={xml} marks={marks} label={t("designer.trialN", { id })} />}
        {tasks.map((task) => (
          <Card key={task.id} size="small" title={t("designer.taskForm", { step: task.name ?? task.step })}>
            <TaskForm task={task} onDone={changed} onStale={load} />
          </Card>
        ))}
        {instance.messages.length > 0 && (
          <Card size="small" title={t("designer.deliverMessage")}>
            <Space direction="vertical" style={{ width: "100%" }}>
              <Select
                aria-label={t("designer.messageName")}
                placeholder={t("designer.messageName")}
                value={message}
                onChange={setMessage}
                options={instance.messages.map((name) => ({ value: name, label: name }))}
                style={{ width: 240 }}
              />
              <label htmlFor="message-payload">{t("designer.payload")}</label>
              <Input.TextArea id="message-payload" rows={3} value={payload} onChange={(e) => setPayload(e.target.value)} />
              <Button onClick={deliver}>{t("designer.deliver")}</Button>
            </Space>
          </Card>
        )}
        <details>
          <summary>{t("designer.data")}</summary>
          <pre tabIndex={0}>{JSON.stringify(instance.data, null, 2)}</pre>
        </details>
      </Space>
    </Card>
  );
}
