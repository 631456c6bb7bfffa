// The processes an appeal ran, drawn, one tab each (the appeal's, the escalation it called), with the path
// it took up to the moment shown: steps and flows passed marked and counted, open tasks and waiting timers
// marked with their due times, a running call activity marked as running.
import { Alert, Space, Tabs, Tag } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import { type AppealPath, api, type ProcessPath } from "../api";
import { formatLocal } from "../time";
import { useNames } from "../vocabulary";
import { type DiagramOverlay, ProcessDiagram } from "./ProcessDiagram";
import "./AppealDiagram.css";

// Where overlays sit on an element: its count at the top right, an open task's due time above it (its
// timers hang below it), each waiting timer's due time below it, a line lower than the one before.
const BADGE = { top: -12, right: 12 };
const FLOW_BADGE = { top: 0, left: 0 };
const DUE = { top: -32, left: 0 };
const timerDue = (index: number) => ({ bottom: -8 - 20 * index, left: -8 });

function escaped(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function badge(kind: string, text: string, title: string): string {
  return `<span class="af-overlay af-overlay-${kind}" title="${escaped(title)}">${escaped(text)}</span>`;
}

/** What to mark on one process's diagram, and the overlays that count and time it. */
function useDrawing(path: ProcessPath) {
  const { t } = useTranslation();
  return useMemo(() => {
    const markers: Record<string, string[]> = {};
    const mark = (id: string, marker: string) => (markers[id] = [...(markers[id] ?? []), marker]);
    const overlays: DiagramOverlay[] = [];
    const counted = (id: string, count: number, position: DiagramOverlay["position"]) =>
      overlays.push({ element: id, position, html: badge("count", `×${count}`, t("diagram.passed", { count })) });
    for (const { id, count } of path.elements) {
      mark(id, "af-passed");
      counted(id, count, BADGE);
    }
    for (const { id, count } of path.flows) {
      mark(id, "af-passed");
      if (count > 1) counted(id, count, FLOW_BADGE); // a flow passed once is plain from its marker
    }
    path.active.forEach((id) => mark(id, "af-active"));
    for (const task of path.tasks) {
      mark(task.element, "af-open");
      const due = t("diagram.due", { time: formatLocal(task.due_at), unit: task.unit ?? "—" });
      overlays.push({ element: task.element, position: DUE, html: badge("open", due, due) });
    }
    path.timers.forEach((timer, index) => {
      mark(timer.element, "af-waiting");
      const due = t("diagram.timerDue", { time: formatLocal(timer.due_at) });
      const html = badge("timer", formatLocal(timer.due_at), due);
      overlays.push({ element: timer.element, position: timerDue(index), html });
    });
    return { markers, overlays };
  }, [path, t]);
}

function ProcessTab({ appealId, path }: { appealId: number; path: ProcessPath }) {
  const { t } = useTranslation();
  const [xml, setXml] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const { markers, overlays } = useDrawing(path);
  useEffect(() => {
    api.diagram(appealId, path.process_id, path.version).then(setXml, (error: Error) => setProblem(error.message));
  }, [appealId, path.process_id, path.version]);
  if (problem) return <Alert type="error" title={t("error.generic", { message: problem })} />;
  const process = t(`diagram.process.${path.process_id}`, { defaultValue: path.process_id });
  const label = t("diagram.label", { process, version: path.version });
  return xml === null ? null : <ProcessDiagram xml={xml} label={label} markers={markers} overlays={overlays} height={560} />;
}

export function AppealDiagram({ appealId, path }: { appealId: number; path: AppealPath }) {
  const { t } = useTranslation();
  const name = useNames();
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Tabs
        items={path.processes.map((process) => ({
          key: process.process_id,
          label: [
            t(`diagram.process.${process.process_id}`, { defaultValue: process.process_id }),
            t("diagram.version", { version: process.version }),
            ...(process.runs > 1 ? [t("diagram.runs", { count: process.runs })] : []),
          ].join(" · "),
          children: <ProcessTab appealId={appealId} path={process} />,
        }))}
      />
      <Space wrap>
        <Tag className="af-legend af-legend-passed">{t("diagram.legend.passed")}</Tag>
        <Tag className="af-legend af-legend-open">{t("diagram.legend.open")}</Tag>
        <Tag className="af-legend af-legend-waiting">{t("diagram.legend.waiting")}</Tag>
        <Tag className="af-legend af-legend-active">{t("diagram.legend.active")}</Tag>
      </Space>
      {path.processes.flatMap((process) => process.tasks).map((task, index) => (
        <span key={`${task.element}-${index}`}>
          {t("diagram.openTask", { step: name("steps", task.element), unit: task.unit ?? "—", time: formatLocal(task.due_at) })}
        </span>
      ))}
    </Space>
  );
}
