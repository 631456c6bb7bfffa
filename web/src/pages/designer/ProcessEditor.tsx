// A version's files edited in the browser (/processes/:processId/versions/:version/edit): BPMN in bpmn-js
// with the properties panel, DMN (the time limits) in dmn-js's decision tables, forms and sample data as text.
// "保存为新版本" sends the files changed to POST /processes/{id}/versions, which deploys the version's
// package with them replaced through the same checks as any package; what the checks refuse is listed by
// file, element and line. The editors themselves (bpmn-js, dmn-js) are fetched only when their tab opens.
import "../../components/editor/designer.css";

import { Alert, Button, Space, Spin, Table, Tabs } from "antd";
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";

import { ApiError, api, type Deployment, type Problem, type ProcessVersion } from "../../api";

const BpmnEditor = lazy(() => import("../../components/editor/BpmnEditor"));
const DmnEditor = lazy(() => import("../../components/editor/DmnEditor"));

/** The files edited here, in bpmn-js and dmn-js; the others (forms, sample data) are shown as text. */
const EDITED = /\.(bpmn|dmn)$/;

type Outcome = { deployed: Deployment } | { refused: ApiError };

/** To another version's editor: a new page, so that no edit of this one is taken along. */
function EditLink({ processId, version }: { processId: string; version: number }) {
  const { t } = useTranslation();
  return (
    <Link to={`/processes/${encodeURIComponent(processId)}/versions/${version}/edit`} reloadDocument>
      {t("editor.editVersion", { version })}
    </Link>
  );
}

function Problems({ problems }: { problems: Problem[] }) {
  const { t } = useTranslation();
  return (
    <Table<Problem>
      size="small"
      pagination={false}
      rowKey={(problem) => `${problem.file}:${problem.element}:${problem.line}:${problem.message}`}
      dataSource={problems}
      columns={[
        { title: t("editor.file"), dataIndex: "file", render: (file) => file ?? "—" },
        { title: t("editor.element"), dataIndex: "element", render: (element) => element ?? "—" },
        { title: t("editor.line"), dataIndex: "line", render: (line) => line ?? "—" },
        { title: t("editor.problem"), dataIndex: "message" },
      ]}
    />
  );
}

function OutcomeNote({ outcome, processId }: { outcome: Outcome; processId: string }) {
  const { t } = useTranslation();
  if ("refused" in outcome) {
    const { refused } = outcome;
    return (
      <Alert
        type="error"
        showIcon
        role="alert"
        title={t("editor.refused", { message: refused.message })}
        description={refused.details.length > 0 && <Problems problems={refused.details} />}
      />
    );
  }
  const version = outcome.deployed.versions.find((v) => v.process_id === processId)?.version;
  const warnings = outcome.deployed.warnings;
  return (
    <Alert
      type={outcome.deployed.created ? "success" : "info"}
      showIcon
      role="status"
      title={t(outcome.deployed.created ? "editor.deployed" : "editor.unchanged", { version })}
      description={
        <Space direction="vertical" style={{ width: "100%" }}>
          {warnings.length > 0 && t("editor.warnings")}
          {warnings.length > 0 && <Problems problems={warnings} />}
          {version !== undefined && <EditLink processId={processId} version={version} />}
        </Space>
      }
    />
  );
}

export function ProcessEditor() {
  const { t, i18n } = useTranslation();
  const { processId = "", version: versionParam = "" } = useParams();
  const version = Number(versionParam);
  const [versions, setVersions] = useState<ProcessVersion[] | null>(null);
  const [texts, setTexts] = useState<Record<string, string> | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [changed, setChanged] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const savers = useRef(new Map<string, () => Promise<string>>());
  // The lanes' roles, named in the console's language, for the panel's role choice (fixed once a diagram opens).
  const [roles, setRoles] = useState<Record<string, string> | null>(null);

  useEffect(() => {
    api.vocabulary(i18n.language).then((answer) => setRoles(answer.names.roles ?? {}), () => setRoles({}));
  }, [i18n.language]);

  useEffect(() => {
    const load = async () => {
      const found = await api.versions(processId);
      setVersions(found);
      const files = found.find((v) => v.version === version)?.files;
      if (!files) return setProblem(i18n.t("editor.noVersion", { processId, version: versionParam }));
      const read = await Promise.all(files.map((file) => api.versionFile(processId, version, file)));
      setTexts(Object.fromEntries(files.map((file, i) => [file, read[i]])));
    };
    load().catch((error: ApiError) => setProblem(error.message));
    // Loaded once per version: a change of language must not reload the files under the editors.
  }, [processId, version, versionParam, i18n]);

  const context = useMemo(
    () => ({
      roles: Object.entries(roles ?? {}).map(([code, label]) => ({ code, name: label })),
      files: Object.keys(texts ?? {}),
    }),
    [roles, texts],
  );

  const editorProps = useCallback(
    (file: string) => ({
      xml: texts![file],
      onChange: () => {
        setChanged((files) => (files.includes(file) ? files : [...files, file]));
        setOutcome(null); // what the last save said is about the files before this change
      },
      register: (save: () => Promise<string>) => savers.current.set(file, save),
    }),
    [texts],
  );

  const save = async () => {
    setSaving(true);
    setOutcome(null);
    try {
      const edited = await Promise.all(changed.map(async (file) => [file, await savers.current.get(file)!()]));
      setOutcome({ deployed: await api.deployEdit(processId, version, Object.fromEntries(edited)) });
    } catch (error) {
      setOutcome({ refused: error instanceof ApiError ? error : new ApiError(0, "error", String(error)) });
    } finally {
      setSaving(false);
    }
  };

  if (problem) return <Alert type="error" showIcon title={t("error.generic", { message: problem })} />;
  if (!texts || !versions || !roles) return <Spin style={{ display: "block", marginTop: "20vh" }} />;
  const newest = versions[versions.length - 1].version;

  const files = Object.keys(texts).sort();
  const editorTab = (file: string) => ({
    key: file,
    label: changed.includes(file) ? `${file} *` : file,
    children: (
      <Suspense fallback={<Spin />}>
        {file.endsWith(".bpmn") ? <BpmnEditor {...editorProps(file)} context={context} /> : <DmnEditor {...editorProps(file)} />}
      </Suspense>
    ),
  });
  const edited = files.filter((file) => EDITED.test(file));
  const shownAsText = files.filter((file) => !EDITED.test(file));
  const textsTab = {
    key: "texts",
    label: t("editor.texts", { count: shownAsText.length }),
    children: (
      // Native <details>, not antd's Collapse: that would join the vendor chunk every page loads at sign-in.
      <div>
        {shownAsText.map((file) => (
          <details key={file} className="designer-file">
            <summary>{file}</summary>
            <pre className="designer-text" tabIndex={0}>
              {texts[file]}
            </pre>
          </details>
        ))}
      </div>
    ),
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Space style={{ width: "100%", justifyContent: "space-between" }}>
        <h1 style={{ margin: 0 }}>{t("editor.title", { processId, version })}</h1>
        <Button type="primary" loading={saving} disabled={changed.length === 0} onClick={save}>
          {t("editor.save")}
        </Button>
      </Space>
      {newest !== version && (
        <Alert
          type="warning"
          showIcon
          title={t("editor.notNewest", { newest })}
          action={<EditLink processId={processId} version={newest} />}
        />
      )}
      <span>{changed.length ? t("editor.changed", { files: changed.join(t("editor.separator")) }) : t("editor.noChanges")}</span>
      {outcome && <OutcomeNote outcome={outcome} processId={processId} />}
      <Tabs items={[...edited.map(editorTab), textsTab]} />
    </Space>
  );
}
