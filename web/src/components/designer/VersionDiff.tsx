// Two versions of a process compared: both drawings, coloured by what the newer one added, removed and
// changed (the server's SpecDiff of their steps), then the decision rules and forms that differ.
import { Alert, Empty, Select, Space } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import { api, type ProcessVersion, type VersionDiff as Diff } from "../../api";
import { BpmnCanvas, type Mark } from "./BpmnCanvas";
import { FormChanges } from "./FormChanges";
import { RuleChanges } from "./RuleChanges";
import { versionXml } from "./versionXml";

function marks(diff: Diff, side: "old" | "new"): Mark[] {
  const changed = Object.keys(diff.steps.changed).map((element) => ({ element, kind: "changed" as const }));
  const only = side === "old" ? diff.steps.removed : diff.steps.added;
  return [...changed, ...only.map((element) => ({ element, kind: side === "old" ? ("removed" as const) : ("added" as const) }))];
}

export function VersionDiff({ versions }: { versions: ProcessVersion[] }) {
  const { t } = useTranslation();
  const numbers = versions.map((v) => v.version);
  const [from, setFrom] = useState(numbers[numbers.length - 2] ?? numbers[0]);
  const [to, setTo] = useState(numbers[numbers.length - 1]);
  const [diff, setDiff] = useState<Diff | null>(null);
  const [drawings, setDrawings] = useState<[string | null, string | null] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const processId = versions[0].process_id;

  useEffect(() => {
    setDiff(null);
    setDrawings(null);
    setProblem(null);
    const of = (n: number) => versions.find((v) => v.version === n) as ProcessVersion;
    api.diff(processId, from, to).then(setDiff, (error) => setProblem(error.message));
    Promise.all([versionXml(of(from)), versionXml(of(to))]).then(setDrawings, () => setDrawings([null, null]));
  }, [processId, versions, from, to]);

  const oldMarks = useMemo(() => (diff ? marks(diff, "old") : []), [diff]);
  const newMarks = useMemo(() => (diff ? marks(diff, "new") : []), [diff]);
  const options = numbers.map((n) => ({ value: n, label: t("designer.versionN", { version: n }) }));
  const decisions = diff ? Object.entries(diff.decisions) : [];
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Space wrap>
        <span id="diff-from">{t("designer.diffFrom")}</span>
        <Select aria-labelledby="diff-from" value={from} options={options} onChange={setFrom} style={{ width: 120 }} />
        <span id="diff-to">{t("designer.diffTo")}</span>
        <Select aria-labelledby="diff-to" value={to} options={options} onChange={setTo} style={{ width: 120 }} />
        <span className="designer-legend">
          <span className="added">{t("designer.added")}</span>
          <span className="removed">{t("designer.removed")}</span>
          <span className="changed">{t("designer.changed")}</span>
        </span>
      </Space>
      {problem && <Alert type="error" title={t("error.generic", { message: problem })} />}
      {diff && drawings && (
        <div className="designer-side">
          {drawings[0] && <BpmnCanvas xml={drawings[0]} marks={oldMarks} label={t("designer.versionN", { version: from })} />}
          {drawings[1] && <BpmnCanvas xml={drawings[1]} marks={newMarks} label={t("designer.versionN", { version: to })} />}
        </div>
      )}
      {diff && (
        <>
          <h2 className="designer-subheading">{t("designer.decisions")}</h2>
          {decisions.length === 0 && <Empty description={t("designer.noRuleChanges")} />}
          {decisions.map(([id, decision]) => (
            <RuleChanges key={id} id={id} decision={decision} />
          ))}
          <h2 className="designer-subheading">{t("designer.forms")}</h2>
          {diff.forms.added.length + diff.forms.removed.length + diff.forms.changed.length === 0 && (
            <Empty description={t("designer.noFormChanges")} />
          )}
          {diff.forms.added.length > 0 && <p>{t("designer.formsAdded", { names: diff.forms.added.join("、") })}</p>}
          {diff.forms.removed.length > 0 && <p>{t("designer.formsRemoved", { names: diff.forms.removed.join("、") })}</p>}
          {diff.forms.changed.map((name) => (
            <FormChanges key={name} processId={processId} from={from} to={to} name={name} />
          ))}
        </>
      )}
    </Space>
  );
}
