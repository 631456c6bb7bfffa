// One process for its designers: its versions with their drawings (and a way into the editor), two
// versions compared, running instances moved to another version, and trial instances.
import { Alert, Button, Space, Table, Tabs } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router-dom";

import { api, type ProcessVersion } from "../../api";
import { BpmnCanvas } from "../../components/designer/BpmnCanvas";
import { MigrationPanel } from "../../components/designer/MigrationPanel";
import { TrialPanel } from "../../components/designer/TrialPanel";
import { VersionDiff } from "../../components/designer/VersionDiff";
import { versionXml } from "../../components/designer/versionXml";
import { formatLocal } from "../../time";

function Versions({ versions }: { versions: ProcessVersion[] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [shown, setShown] = useState(versions[versions.length - 1]);
  const [xml, setXml] = useState<string | null>(null);
  useEffect(() => {
    setXml(null);
    versionXml(shown).then(setXml, () => setXml(null));
  }, [shown]);
  const edit = (v: ProcessVersion) => `/processes/${encodeURIComponent(v.process_id)}/versions/${v.version}/edit`;
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Table<ProcessVersion>
        rowKey="version"
        size="small"
        dataSource={[...versions].reverse()}
        pagination={false}
        rowClassName={(v) => (v.version === shown.version ? "ant-table-row-selected" : "")}
        columns={[
          { title: t("designer.version"), key: "version", render: (_, v) => t("designer.versionN", { version: v.version }) },
          { title: t("designer.deployedAt"), key: "at", render: (_, v) => formatLocal(v.created_at) },
          { title: t("designer.files"), key: "files", render: (_, v) => v.files.join("、") },
          {
            title: t("designer.actions"),
            key: "actions",
            render: (_, v) => (
              <Space>
                <Button size="small" onClick={() => setShown(v)}>
                  {t("designer.show", { version: v.version })}
                </Button>
                {/* a link (it has an address to open in a new tab) that looks like a button, followed in the page */}
                <Button
                  size="small"
                  href={edit(v)}
                  onClick={(event) => {
                    event.preventDefault();
                    navigate(edit(v));
                  }}
                >
                  {t("designer.edit")}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {xml && <BpmnCanvas xml={xml} marks={[]} label={t("designer.versionN", { version: shown.version })} height={480} />}
    </Space>
  );
}

export function ProcessPage() {
  const { t } = useTranslation();
  const processId = useParams().processId ?? "";
  const [versions, setVersions] = useState<ProcessVersion[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    api.versions(processId).then(setVersions, (error) => setProblem(error.message));
  }, [processId]);

  return (
    <Space direction="vertical" size="large" style={{ width: "100%" }}>
      <Link to="/processes">{t("designer.back")}</Link>
      <h1>{t("designer.processTitle", { id: processId })}</h1>
      {problem && <Alert type="error" title={t("error.generic", { message: problem })} />}
      {versions && versions.length > 0 && (
        <Tabs
          items={[
            { key: "versions", label: t("designer.versions"), children: <Versions versions={versions} /> },
            { key: "diff", label: t("designer.diff"), children: <VersionDiff versions={versions} /> },
            { key: "migration", label: t("designer.migration"), children: <MigrationPanel versions={versions} /> },
            { key: "trials", label: t("designer.trials"), children: <TrialPanel versions={versions} /> },
          ]}
        />
      )}
    </Space>
  );
}
