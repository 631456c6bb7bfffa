// The extension requests waiting for a leader in the caller's units, oldest first: what the task's limit
// is now, what is asked for and why; approve or refuse. An approval moves the handler's limit at once.
import { Alert, Button, Space, Table, message } from "antd";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { ApiError, api, type ExtensionRequest } from "../api";
import { formatLocal } from "../time";
import { useNames } from "../vocabulary";

export function Extensions() {
  const { t } = useTranslation();
  const name = useNames();
  const [pending, setPending] = useState<ExtensionRequest[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(() => {
    api.extensions({ status: "pending" }).then(setPending, (error: ApiError) => setProblem(error.message));
  }, []);
  useEffect(load, [load]);

  async function decide(request: ExtensionRequest, approved: boolean) {
    try {
      await api.decideExtension(request.id, approved);
      void message.success(approved ? t("extension.approved") : t("extension.refused"));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      void message.error(t("error.generic", { message: error.message }));
    }
    load();
  }

  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <h1>{t("extension.title")}</h1>
      {problem && <Alert type="error" title={t("error.generic", { message: problem })} />}
      <Table<ExtensionRequest>
        rowKey="id"
        loading={pending === null}
        dataSource={pending ?? []}
        pagination={false}
        locale={{ emptyText: t("extension.empty") }}
        columns={[
          {
            title: t("extension.appeal"),
            key: "appeal",
            render: (_, r) => (
              <>
                <Link to={`/appeals/${r.appeal_id}`}>{r.number}</Link> {r.title}
              </>
            ),
          },
          { title: t("extension.step"), key: "step", render: (_, r) => name("steps", r.step) },
          { title: t("extension.unit"), dataIndex: "unit" },
          { title: t("extension.requestedBy"), dataIndex: "requested_by" },
          { title: t("extension.reason"), dataIndex: "reason" },
          { title: t("extension.currentDue"), key: "due", render: (_, r) => formatLocal(r.task_due_at) },
          { title: t("extension.requestedUntil"), key: "until", render: (_, r) => formatLocal(r.until) },
          {
            title: t("supervision.actions"),
            key: "actions",
            render: (_, r) => (
              <Space size={4}>
                <Button size="small" type="primary" onClick={() => decide(r, true)}>
                  {t("extension.approve")}
                </Button>
                <Button size="small" danger onClick={() => decide(r, false)}>
                  {t("extension.refuse")}
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </Space>
  );
}
