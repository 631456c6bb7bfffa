// A BPMN file in bpmn-js's modeler, with the properties panel: bpmn-js-properties-panel's groups and our
// "Appealflow" group (appealflowProvider.ts). The `spiffworkflow` moddle extension (spiffworkflow.json)
// keeps the extensions this product reads through a load and save. Loaded only when a BPMN tab opens.
import "bpmn-js/dist/assets/diagram-js.css";
import "bpmn-js/dist/assets/bpmn-js.css";
import "bpmn-js/dist/assets/bpmn-font/css/bpmn.css";
import "@bpmn-io/properties-panel/dist/assets/properties-panel.css";

import { Alert } from "antd";
import Modeler from "bpmn-js/lib/Modeler";
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from "bpmn-js-properties-panel";
import { useEffect, useRef, useState } from "react";

import { type AppealflowConfig, AppealflowPropertiesModule } from "./appealflowProvider";
import type { EditorProps } from "./editing";
import spiffworkflow from "./spiffworkflow.json";
import { TranslateModule } from "./translations";

/** How wide bpmn-js's palette (the tools at the canvas's left) is, in pixels. */
const PALETTE_WIDTH = 110;
/** A diagram is shown no smaller than this, so that its names stay readable; the rest is a scroll away. */
const SMALLEST_SCALE = 0.7;

type Box = { x: number; y: number; width: number; height: number };

interface Canvas {
  viewbox(box?: Box): Box & { inner: Box; outer: Box };
}

/** The diagram from its top left corner, right of the palette (which would cover its first steps), whole
 * if it fits at a readable scale. */
function showBesidePalette(canvas: Canvas): void {
  const { inner, outer } = canvas.viewbox();
  const fit = Math.min((outer.width - PALETTE_WIDTH) / inner.width, outer.height / inner.height);
  const scale = Math.min(1, Math.max(SMALLEST_SCALE, fit));
  const x = inner.x - PALETTE_WIDTH / scale;
  canvas.viewbox({ x, y: inner.y - 20 / scale, width: outer.width / scale, height: outer.height / scale });
}

export default function BpmnEditor({ xml, context, onChange, register }: EditorProps & { context: AppealflowConfig }) {
  const canvas = useRef<HTMLDivElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    const modeler = new Modeler({
      container: canvas.current!,
      // Our group and the general one (id, name) open: what a designer of this product edits most.
      propertiesPanel: { parent: panel.current!, layout: { groups: { appealflow: { open: true }, general: { open: true } } } },
      additionalModules: [BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, AppealflowPropertiesModule, TranslateModule],
      moddleExtensions: { spiffworkflow },
      appealflow: context,
    });
    modeler.importXML(xml).then(() => showBesidePalette(modeler.get("canvas")), (error: Error) => setProblem(error.message));
    modeler.on("commandStack.changed", onChange);
    register(async () => (await modeler.saveXML({ format: true })).xml ?? xml);
    return () => modeler.destroy();
    // The modeler is made once per file: `xml` is where it starts, later edits live in the modeler.
  }, []);

  return (
    <>
      {problem && <Alert type="error" showIcon title={problem} />}
      <div className="designer-editor">
        <div ref={canvas} className="designer-canvas" data-testid="bpmn-canvas" />
        <div ref={panel} className="designer-panel" data-testid="properties-panel" />
      </div>
    </>
  );
}
