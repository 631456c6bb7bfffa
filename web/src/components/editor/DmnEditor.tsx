// A DMN file in dmn-js, one decision table at a time (the time limits: time_limits.dmn), with a choice of
// which decision to show. Loaded only when a DMN tab opens.
import "dmn-js/dist/assets/diagram-js.css";
import "dmn-js/dist/assets/dmn-js-shared.css";
import "dmn-js/dist/assets/dmn-js-drd.css";
import "dmn-js/dist/assets/dmn-js-decision-table.css";
import "dmn-js/dist/assets/dmn-js-decision-table-controls.css";
import "dmn-js/dist/assets/dmn-js-literal-expression.css";
import "dmn-js/dist/assets/dmn-font/css/dmn.css";

import { Alert, Select } from "antd";
import DmnModeler, { type DmnView } from "dmn-js/lib/Modeler";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import type { EditorProps } from "./editing";
import { TranslateModule } from "./translations";

export default function DmnEditor({ xml, onChange, register }: EditorProps) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const modeler = useRef<DmnModeler | null>(null);
  const [tables, setTables] = useState<DmnView[]>([]);
  const [shown, setShown] = useState<string>();
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    const worded = { additionalModules: [TranslateModule] }; // per view: dmn-js's `common` cannot add modules
    const dmn = new DmnModeler({ container: container.current!, drd: worded, decisionTable: worded, literalExpression: worded });
    modeler.current = dmn;
    const watched = new WeakSet<object>();
    dmn.on("views.changed", ({ activeView }) => {
      setShown(activeView?.element.id);
      const viewer = dmn.getActiveViewer();
      if (viewer && !watched.has(viewer)) {
        watched.add(viewer); // each view has a viewer (and a command stack) of its own
        viewer.get("eventBus").on("commandStack.changed", onChange);
      }
    });
    dmn.importXML(xml).then(
      () => {
        const decisionTables = dmn.getViews().filter((view) => view.type === "decisionTable");
        setTables(decisionTables);
        if (decisionTables.length) return dmn.open(decisionTables[0]);
      },
      (error: Error) => setProblem(error.message),
    );
    register(async () => (await dmn.saveXML({ format: true })).xml ?? xml);
    return () => dmn.destroy();
    // The modeler is made once per file: `xml` is where it starts, later edits live in the modeler.
  }, []);

  const open = (id: string) => {
    const view = tables.find((table) => table.element.id === id);
    if (view) void modeler.current?.open(view);
  };

  return (
    <>
      {problem && <Alert type="error" showIcon title={problem} />}
      {tables.length > 1 && (
        <Select
          aria-label={t("editor.decision")}
          value={shown}
          onChange={open}
          style={{ minWidth: 320, marginBottom: 12 }}
          options={tables.map(({ element }) => ({ value: element.id, label: `${element.name ?? ""} (${element.id})` }))}
        />
      )}
      <div ref={container} className="designer-dmn" data-testid="dmn-editor" />
    </>
  );
}
