// Supervision: the appeals waiting at the leaders' supervision step in the caller's units, and the
// leaders' claims with their limits; on each, claim or release, instruct (批示) and remind (催办).
import { Alert, Card, Space, Table, Tag } from "antd";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { type Appeal, ApiError, api, type Claim } from "../api";
import { SupervisionActions } from "../components/leaders/SupervisionActions";
import { formatLocal } from "../time";
import { useNames } from "../vocabulary";

/** The supervision step (a step id of the contract, appeals/vocabulary.py SUPERVISE). */
const SUPERVISE = "supervise";

type Supervised = Appeal & { claimed_by: string | null };

function AppealLink({ id, number }: { id: number; number: string }) {
  return <Link to={`/appeals/${id}`}>{number}</Link>;
}

export function Supervision() {
  const { t } = useTranslation();
  const name = useNames();
  const [queue, setQueue] = useState<Supervised[] | null>(null);
  const [claims, setClaims] = useState<Claim[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(() => {
    const failed = (error: ApiError) => setProblem(error.message);
    api.appeals({ status: "open", stage: SUPERVISE, limit: "200" }).then((found) => setQueue(found as Supervised[]), failed);
    api.claims().then(setClaims, failed);
  }, []);
  useEffect(load, [load]);

  const heading = (text: string) => <h2 style={{ fontSize: 16, margin: 0 }}>{text}</h2>;
  return (
    <Space direction="vertical" size="large" style={{ width: "100%" }}>
      <h1>{t("supervision.title")}</h1>
      {problem && <Alert type="error" title={t("error.generic", { message: problem })} />}
      <Card title={heading(t("supervision.queue"))}>
        <Table<Supervised>
          rowKey="id"
          loading={queue === null}
          dataSource={queue ?? []}
          pagination={false}
          locale={{ emptyText: t("supervision.empty") }}
          columns={[
            { title: t("supervision.number"), key: "number", render: (_, a) => <AppealLink id={a.id} number={a.number} /> },
            { title: t("supervision.titleColumn"), dataIndex: "title" },
            { title: t("supervision.stage"), key: "stage", render: (_, a) => name("steps", a.stage) },
            { title: t("supervision.unit"), dataIndex: "unit" },
            { title: t("supervision.claimedBy"), key: "claimed", render: (_, a) => a.claimed_by ?? "—" },
            {
              title: t("supervision.actions"),
              key: "actions",
              render: (_, a) => <SupervisionActions appealId={a.id} claimedBy={a.claimed_by} onChanged={load} />,
            },
          ]}
        />
      </Card>
      <Card title={heading(t("supervision.claims"))}>
        <Table<Claim>
          rowKey="id"
          loading={claims === null}
          dataSource={claims ?? []}
          pagination={false}
          locale={{ emptyText: t("supervision.noClaims") }}
          columns={[
            { title: t("supervision.number"), key: "number", render: (_, c) => <AppealLink id={c.appeal_id} number={c.number} /> },
            { title: t("supervision.titleColumn"), dataIndex: "title" },
            { title: t("supervision.stage"), key: "stage", render: (_, c) => name("steps", c.stage) },
            { title: t("supervision.claimedBy"), dataIndex: "leader" },
            {
              title: t("supervision.due"),
              key: "due",
              render: (_, c) => (
                <Space size={4}>
                  {formatLocal(c.due_at)}
                  {c.late && <Tag color="red">{t("supervision.late")}</Tag>}
                </Space>
              ),
            },
            { title: t("supervision.status"), key: "status", render: (_, c) => t(`supervision.${c.status}`) },
            {
              title: t("supervision.actions"),
              key: "actions",
              render: (_, c) =>
                c.status === "active" && (
                  <SupervisionActions appealId={c.appeal_id} claimedBy={c.leader} onChanged={load} />
                ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
