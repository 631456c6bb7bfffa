// The auditor's three checks of an appeal, one click each: does its history replay to its state, its audit
// bundle (a file that verifies offline, tools/verify_bundle.py), and its last event's proof in the
// transparency log.
import { Alert, Button, Descriptions, Space } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { type AuditBundle, api, type Verdict } from "../api";
import { formatLocal } from "../time";

function save(name: string, document: unknown) {
  const link = window.document.createElement("a");
  link.href = URL.createObjectURL(new Blob([JSON.stringify(document, null, 2)], { type: "application/json" }));
  link.download = name;
  link.click();
  URL.revokeObjectURL(link.href);
}

export function AuditTools({ appealId, number }: { appealId: number; number: string }) {
  const { t } = useTranslation();
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [proof, setProof] = useState<AuditBundle["transparency"] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  function run<T>(what: string, request: () => Promise<T>, then: (result: T) => void) {
    setBusy(what);
    setProblem(null);
    request()
      .then(then, (error: Error) => setProblem(error.message))
      .finally(() => setBusy(null));
  }

  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Space wrap>
        <Button loading={busy === "replay"} onClick={() => run("replay", () => api.replay(appealId), setVerdict)}>
          {t("audit.replay")}
        </Button>
        <Button
          loading={busy === "bundle"}
          onClick={() => run("bundle", () => api.auditBundle(appealId), (bundle) => save(`${number}-audit-bundle.json`, bundle))}
        >
          {t("audit.bundle")}
        </Button>
        <Button
          loading={busy === "proof"}
          onClick={() => run("proof", () => api.auditBundle(appealId), (bundle) => setProof(bundle.transparency))}
        >
          {t("audit.proof")}
        </Button>
      </Space>
      {problem && <Alert type="error" title={t("error.generic", { message: problem })} />}
      {verdict && (
        <Alert
          type={verdict.consistent ? "success" : "error"}
          showIcon
          title={
            verdict.consistent
              ? t("audit.consistent", { events: verdict.events })
              : t("audit.inconsistent", { seq: verdict.first_bad_seq, reason: verdict.reason })
          }
        />
      )}
      {proof && (
        <Descriptions bordered size="small" column={1} title={t("audit.proofTitle")}>
          <Descriptions.Item label={t("audit.head")}>
            {t("audit.headValue", { size: proof.head.size, time: formatLocal(proof.head.at) })}
          </Descriptions.Item>
          <Descriptions.Item label={t("audit.root")}>
            <code>{proof.head.root.slice(0, 16)}…</code>
          </Descriptions.Item>
          <Descriptions.Item label={t("audit.leaf")}>
            {t("audit.leafValue", { seq: proof.event_seq, index: proof.leaf_index, steps: proof.inclusion.length })}
          </Descriptions.Item>
          <Descriptions.Item label={t("audit.consistency")}>
            {proof.previous_head ? t("audit.extends", { size: proof.previous_head.size }) : t("audit.firstHead")}
          </Descriptions.Item>
        </Descriptions>
      )}
    </Space>
  );
}
