// A BPMN drawing for designers, read-only, with marks on its elements: a numbered badge for each problem
// (error or warning, numbered as in the list beside it), a colour for what a diff added, removed or
// changed, and for where a trial instance waits. bpmn-js is fetched only when a drawing is first shown.
import { Alert, Spin } from "antd";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import "./designer.css";

export type MarkKind = "error" | "warning" | "added" | "removed" | "changed" | "current";

export interface Mark {
  element: string;
  kind: MarkKind;
  /** For a problem: its number in the list and what it says (the badge's hover text). */
  number?: number;
  note?: string;
}

/** Problems get a badge; the other kinds only colour their element. */
const BADGED: MarkKind[] = ["error", "warning"];

interface Props {
  xml: string;
  marks: Mark[];
  /** What the drawing shows, for screen readers (a file name, a version). */
  label: string;
  height?: number;
}

export function BpmnCanvas({ xml, marks, label, height = 420 }: Props) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<"loading" | "shown" | "failed">("loading");
  const marksKey = JSON.stringify(marks);

  useEffect(() => {
    let viewer: { destroy(): void } | undefined;
    let cancelled = false;
    setState("loading");
    (async () => {
      const [{ default: Viewer }] = await Promise.all([
        import("bpmn-js/lib/NavigatedViewer"),
        import("bpmn-js/dist/assets/diagram-js.css"),
        import("bpmn-js/dist/assets/bpmn-js.css"),
      ]);
      if (cancelled || !container.current) return;
      const shown = new Viewer({ container: container.current });
      viewer = shown;
      try {
        await shown.importXML(xml);
      } catch {
        if (!cancelled) setState("failed");
        return;
      }
      if (cancelled) return;
      const canvas = shown.get<{ zoom(to: string): void; addMarker(id: string, marker: string): void }>("canvas");
      const registry = shown.get<Registry>("elementRegistry");
      const overlays = shown.get<{ add(id: string, overlay: object): string }>("overlays");
      try {
        canvas.zoom("fit-viewport");
      } catch {
        // a container not laid out yet has no size to fit (SVGMatrix refuses the infinite scale): 1:1 then
      }
      for (const mark of JSON.parse(marksKey) as Mark[]) {
        const badged = BADGED.includes(mark.kind);
        if (registry.get(mark.element)) {
          canvas.addMarker(mark.element, `designer-${mark.kind}`);
          if (badged) overlays.add(mark.element, { position: { top: -12, left: -12 }, html: badge(mark) });
        } else if (badged) {
          const place = undrawnPlace(shown.getDefinitions() as Definitions, registry, mark.element);
          if (place) overlays.add(place.anchor, { position: { top: place.top - 11, left: place.left - 11 }, html: badge(mark) });
        }
      }
      setState("shown");
    })();
    return () => {
      cancelled = true;
      viewer?.destroy();
    };
  }, [xml, marksKey]);

  return (
    <figure className="designer-canvas" style={{ margin: 0 }}>
      <figcaption className="designer-caption">{label}</figcaption>
      {state === "failed" && <Alert type="warning" title={t("designer.notDrawable")} />}
      <Spin spinning={state === "loading"}>
        <div ref={container} style={{ height, border: "1px solid #d9d9d9", background: "#fff" }} />
      </Spin>
    </figure>
  );
}

function badge(mark: Mark): HTMLElement {
  const element = document.createElement("span");
  element.className = `designer-badge designer-badge-${mark.kind}`;
  element.dataset.elementId = mark.element;
  element.textContent = String(mark.number ?? "!");
  if (mark.note) element.title = mark.note;
  return element;
}

interface Shape {
  id: string;
  x?: number;
  y?: number;
}

interface Registry {
  get(id: string): Shape | undefined;
  filter(test: (element: Shape) => boolean): Shape[];
}

interface Definitions {
  diagrams?: { plane?: { planeElement?: { bpmnElement?: { id?: string }; waypoint?: { x: number; y: number }[] }[] } }[];
}

/** Where to badge a flow bpmn-js could not draw (an end that names no step: the very problem reported):
 * the middle of its waypoints in the diagram, as an offset from a shape that is drawn. */
function undrawnPlace(definitions: Definitions, registry: Registry, id: string) {
  const edges = definitions.diagrams?.flatMap((diagram) => diagram.plane?.planeElement ?? []) ?? [];
  const points = edges.find((edge) => edge.bpmnElement?.id === id)?.waypoint ?? [];
  const anchor = registry.filter((element) => element.x !== undefined)[0];
  if (!points.length || !anchor) return null;
  const middle = (axis: "x" | "y") => (Math.min(...points.map((p) => p[axis])) + Math.max(...points.map((p) => p[axis]))) / 2;
  return { anchor: anchor.id, left: middle("x") - (anchor.x ?? 0), top: middle("y") - (anchor.y ?? 0) };
}
