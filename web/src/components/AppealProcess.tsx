// The appeal's process drawn beside its history: choosing an event shows that moment on the drawing (the
// path up to it, the tasks then open) and, to auditors, the data its next step saw; the auditor's checks.
import { Alert, Button, Col, Descriptions, Row, Space, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { type Appeal, type AppealPath, api, type HistoryEvent, type StateAt } from "../api";
import { useSession } from "../session";
import { formatLocal } from "../time";
import { AppealDiagram } from "./AppealDiagram";
import { AuditTools } from "./AuditTools";
import { HistoryTimeline } from "./HistoryTimeline";

/** Roles that may see an appeal's state at an event and run the audit checks (appeals/services/audit.py). */
const AUDITORS = ["auditor", "admin"];

function StateData({ state }: { state: StateAt }) {
  const { t } = useTranslation();
  const entries = Object.entries(state.data);
  return (
    <Descriptions bordered size="small" column={1} title={t("diagram.data")}>
      {entries.map(([key, value]) => (
        <Descriptions.Item key={key} label={key}>
          {typeof value === "string" ? value : JSON.stringify(value)}
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

export function AppealProcess({ appeal, events }: { appeal: Appeal; events: HistoryEvent[] }) {
  const { t } = useTranslation();
  const auditor = AUDITORS.includes(useSession().session.user.role);
  const [seq, setSeq] = useState<number | null>(null); // null: as it stands now
  const [path, setPath] = useState<AppealPath | null>(null);
  const [state, setState] = useState<StateAt | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  // An answer to a choice since replaced (events chosen one after another) is dropped, not drawn.
  useEffect(() => {
    let current = true;
    api.path(appeal.id, seq ?? undefined).then(
      (found) => {
        if (!current) return;
        setPath(found);
        setProblem(null);
      },
      (error: Error) => current && setProblem(error.message),
    );
    return () => {
      current = false;
    };
  }, [appeal.id, seq, events.length]);

  useEffect(() => {
    let current = true;
    setState(null);
    if (auditor && seq !== null) api.stateAt(appeal.id, seq).then((found) => current && setState(found), () => {});
    return () => {
      current = false;
    };
  }, [appeal.id, seq, auditor]);

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={16}>
        <Space direction="vertical" style={{ width: "100%" }}>
          {problem && <Alert type="error" title={t("error.generic", { message: problem })} />}
          {path && (
            <Typography.Text className="af-moment" data-seq={path.seq}>
              {seq === null
                ? t("diagram.now", { seq: path.seq, time: formatLocal(path.at) })
                : t("diagram.moment", { seq: path.seq, time: formatLocal(path.at) })}
            </Typography.Text>
          )}
          {path && <AppealDiagram appealId={appeal.id} path={path} />}
          {state && <StateData state={state} />}
          {auditor && <AuditTools appealId={appeal.id} number={appeal.number} />}
        </Space>
      </Col>
      <Col xs={24} xl={8}>
        <Space direction="vertical" style={{ width: "100%" }}>
          <Space style={{ justifyContent: "space-between", width: "100%" }}>
            <h3 style={{ fontSize: 15, margin: 0 }}>{t("appeal.history")}</h3>
            <Button size="small" disabled={seq === null} onClick={() => setSeq(null)}>
              {t("diagram.showNow")}
            </Button>
          </Space>
          <div style={{ maxHeight: 640, overflowY: "auto", paddingTop: 8 }}>
            <HistoryTimeline events={events} selected={seq} onSelect={setSeq} />
          </div>
        </Space>
      </Col>
    </Row>
  );
}
