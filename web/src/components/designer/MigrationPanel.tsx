// Moving running instances to another version: which can move and why the others cannot (checked by the
// server), then the move of those chosen, each keeping its deadlines and waiting timers to the second.
import { Alert, Button, Select, Space, Table, Tag } from "antd";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { api, type MigrationCandidate, type MigrationResult, type ProcessVersion } from "../../api";

export function MigrationPanel({ versions }: { versions: ProcessVersion[] }) {
  const { t } = useTranslation();
  const processId = versions[0].process_id;
  const [target, setTarget] = useState(versions[versions.length - 1].version);
  const [candidates, setCandidates] = useState<MigrationCandidate[] | null>(null);
  const [chosen, setChosen] = useState<number[]>([]);
  const [results, setResults] = useState<MigrationResult[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [moving, setMoving] = useState(false);

  const check = useCallback(() => {
    setCandidates(null);
    setChosen([]);
    api.migrationCheck(processId, target).then(
      (found) => setCandidates(found.instances),
      (error) => setProblem(error.message),
    );
  }, [processId, target]);
  useEffect(check, [check]);

  async function migrate() {
    setMoving(true);
    setProblem(null);
    try {
      setResults((await api.migrate(processId, target, chosen)).results);
      check();
    } catch (error) {
      setProblem((error as Error).message);
    } finally {
      setMoving(false);
    }
  }

  const migrated = results?.filter((r) => r.migrated).length ?? 0;
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Space wrap>
        <span id="migration-target">{t("designer.migrateTo")}</span>
        <Select
          aria-labelledby="migration-target"
          value={target}
          onChange={(value) => {
            setTarget(value);
            setResults(null);
          }}
          options={versions.map((v) => ({ value: v.version, label: t("designer.versionN", { version: v.version }) }))}
          style={{ width: 120 }}
        />
        <Button type="primary" disabled={chosen.length === 0} loading={moving} onClick={migrate}>
          {t("designer.migrateChosen", { count: chosen.length })}
        </Button>
      </Space>
      {problem && <Alert type="error" title={t("error.generic", { message: problem })} />}
      {results && (
        <Alert
          type={migrated === results.length ? "success" : "warning"}
          title={t("designer.migrated", { migrated, total: results.length })}
          description={results
            .filter((r) => !r.migrated)
            .map((r) => `#${r.instance_id}: ${r.problems.join("；")}`)
            .join("\n")}
        />
      )}
      <Table<MigrationCandidate>
        rowKey="instance_id"
        size="small"
        loading={candidates === null}
        dataSource={candidates ?? []}
        pagination={false}
        locale={{ emptyText: t("designer.noneRunning") }}
        rowSelection={{
          selectedRowKeys: chosen,
          onChange: (keys) => setChosen(keys as number[]),
          getCheckboxProps: (row) => ({
            disabled: !row.can_migrate,
            "aria-label": t("designer.choose", { instance: row.appeal_number ?? `#${row.instance_id}` }),
          }),
        }}
        columns={[
          { title: t("designer.instance"), dataIndex: "instance_id" },
          { title: t("designer.appeal"), key: "appeal", render: (_, row) => row.appeal_number ?? t("designer.trial") },
          {
            title: t("designer.canMigrate"),
            key: "can",
            render: (_, row) =>
              row.can_migrate ? <Tag color="green">{t("designer.canMove")}</Tag> : <Tag color="red">{t("designer.cannotMove")}</Tag>,
          },
          { title: t("designer.why"), key: "why", render: (_, row) => row.problems.join("；") || "—" },
        ]}
      />
    </Space>
  );
}
