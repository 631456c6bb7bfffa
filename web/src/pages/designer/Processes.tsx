// The designers' workbench: the deployed processes, and a package dropped here checked (every error and
// warning listed, and marked on the drawing of the file at fault) before it is deployed.
import { InboxOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Space, Table, Upload } from "antd";
import type { UploadFile } from "antd";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { ApiError, api, type Deployment, type Problem, type Process } from "../../api";
import { BpmnCanvas } from "../../components/designer/BpmnCanvas";
import { type NumberedProblem, numbered, ProblemList, problemMarks } from "../../components/designer/ProblemList";
import { formatLocal } from "../../time";

interface Checked {
  problems: NumberedProblem[];
  /** The text of each dropped .bpmn file a problem names an element of. */
  drawings: [string, string][];
  errors: number;
}

async function checked(files: File[], errors: Problem[], warnings: Problem[]): Promise<Checked> {
  const problems = numbered(errors, warnings);
  const atFault = new Set(problems.filter((p) => p.element && p.file.endsWith(".bpmn")).map((p) => p.file));
  const drawn = files.filter((file) => atFault.has(file.name));
  const texts = await Promise.all(drawn.map((file) => file.text()));
  return { problems, drawings: drawn.map((file, i) => [file.name, texts[i]]), errors: errors.length };
}

export function Processes() {
  const { t } = useTranslation();
  const [processes, setProcesses] = useState<Process[] | null>(null);
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [result, setResult] = useState<Checked | null>(null);
  const [deployment, setDeployment] = useState<Deployment | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    api.processes().then(setProcesses, (error) => setProblem(error.message));
  }, []);
  useEffect(load, [load]);

  const dropped = () => files.map((f) => f.originFileObj as File);

  async function run(deploy: boolean) {
    setBusy(true);
    setProblem(null);
    setDeployment(null);
    try {
      if (deploy) {
        const done = await api.deploy(dropped());
        setDeployment(done);
        setResult(await checked(dropped(), [], done.warnings));
        load();
      } else {
        const found = await api.checkPackage(dropped());
        setResult(await checked(dropped(), found.errors, found.warnings));
      }
    } catch (error) {
      if (error instanceof ApiError && error.code === "invalid_package" && error.details.length) {
        setResult(await checked(dropped(), error.details, []));
      } else {
        setProblem((error as Error).message);
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <Space direction="vertical" size="large" style={{ width: "100%" }}>
      <h1>{t("designer.title")}</h1>
      {problem && <Alert type="error" title={t("error.generic", { message: problem })} />}
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t("designer.processes")}</h2>}>
        <Table<Process>
          rowKey="id"
          loading={processes === null}
          dataSource={processes ?? []}
          pagination={false}
          columns={[
            { title: t("designer.process"), key: "id", render: (_, p) => <Link to={`/processes/${encodeURIComponent(p.id)}`}>{p.id}</Link> },
            { title: t("designer.latestVersion"), dataIndex: "latest_version" },
            { title: t("designer.deployedAt"), key: "at", render: (_, p) => formatLocal(p.deployed_at) },
          ]}
        />
      </Card>
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t("designer.upload")}</h2>}>
        <Space direction="vertical" size="middle" style={{ width: "100%" }}>
          <Upload.Dragger
            multiple
            accept=".bpmn,.dmn,.json,.zip"
            fileList={files}
            beforeUpload={() => false}
            onChange={({ fileList }) => {
              setFiles(fileList);
              setResult(null);
              setDeployment(null);
            }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p>{t("designer.drop")}</p>
            <p className="ant-upload-hint">{t("designer.dropHint")}</p>
          </Upload.Dragger>
          <Space>
            <Button disabled={!files.length} loading={busy} onClick={() => run(false)}>
              {t("designer.check")}
            </Button>
            <Button type="primary" disabled={!files.length} loading={busy} onClick={() => run(true)}>
              {t("designer.deploy")}
            </Button>
          </Space>
          {deployment && (
            <Alert
              type="success"
              title={deployment.created ? t("designer.deployed") : t("designer.unchanged")}
              description={deployment.versions.map((v) => t("designer.processVersion", { id: v.process_id, version: v.version })).join("、")}
            />
          )}
          {result && !deployment && result.errors === 0 && (
            <Alert type="success" title={t("designer.wouldDeploy", { warnings: result.problems.length })} />
          )}
          {result && result.errors > 0 && <Alert type="error" title={t("designer.refused", { count: result.errors })} />}
          {result && <ProblemList problems={result.problems} />}
          {result?.drawings.map(([name, xml]) => (
            <BpmnCanvas key={name} xml={xml} marks={problemMarks(result.problems, name)} label={name} />
          ))}
        </Space>
      </Card>
    </Space>
  );
}
