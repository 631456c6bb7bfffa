// A BPMN diagram drawn by bpmn-js's navigated viewer (pan and zoom, nothing to edit), with CSS marker classes
// and HTML overlays on its elements. Generic: it knows BPMN element ids, not appeals; what to mark is the
// caller's. bpmn-js is loaded the first time a diagram is drawn (see bpmnViewer.ts).
import { Alert, Spin } from "antd";
import { useEffect, useRef, useState } from "react";

/** An HTML overlay on one element: where on it (bpmn-js's overlay positions, in pixels) and what. */
export interface DiagramOverlay {
  element: string;
  position: { top?: number; right?: number; bottom?: number; left?: number };
  html: string;
}

export interface ProcessDiagramProps {
  /** The BPMN 2.0 XML to draw. */
  xml: string;
  /** A diagram's accessible name, e.g. the process and version it shows. */
  label: string;
  /** CSS classes to set on elements (shapes and sequence flows), by element id. */
  markers?: Record<string, string[]>;
  overlays?: DiagramOverlay[];
  height?: number;
}

interface Canvas {
  addMarker(element: string, marker: string): void;
  removeMarker(element: string, marker: string): void;
  zoom(level: string): void;
}
interface Overlays {
  add(element: string, overlay: { position: DiagramOverlay["position"]; html: string }): string;
  clear(): void;
}
interface ElementRegistry {
  get(id: string): unknown;
}
interface Viewer {
  importXML(xml: string): Promise<unknown>;
  get<T>(name: string): T;
  destroy(): void;
}

const NO_MARKERS: Record<string, string[]> = {};
const NO_OVERLAYS: DiagramOverlay[] = [];

export function ProcessDiagram({ xml, label, markers = NO_MARKERS, overlays = NO_OVERLAYS, height = 480 }: ProcessDiagramProps) {
  const container = useRef<HTMLDivElement>(null);
  const viewer = useRef<Viewer | null>(null);
  const [drawn, setDrawn] = useState<string | null>(null); // the XML on the canvas now
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    setDrawn(null);
    setProblem(null);
    import("./bpmnViewer").then(async ({ NavigatedViewer }) => {
      if (cancelled || !container.current) return;
      viewer.current ??= new NavigatedViewer({ container: container.current }) as unknown as Viewer;
      try {
        await viewer.current.importXML(xml);
        if (cancelled) return;
        viewer.current.get<Canvas>("canvas").zoom("fit-viewport");
        setDrawn(xml);
      } catch (error) {
        if (!cancelled) setProblem((error as Error).message);
      }
    }, (error: Error) => !cancelled && setProblem(error.message));
    return () => {
      cancelled = true;
    };
  }, [xml]);

  useEffect(
    () => () => {
      viewer.current?.destroy();
      viewer.current = null;
    },
    [],
  );

  // Markers and overlays follow their props on the drawn diagram; an id the diagram lacks is left out.
  useEffect(() => {
    if (drawn === null || !viewer.current) return;
    const canvas = viewer.current.get<Canvas>("canvas");
    const registry = viewer.current.get<ElementRegistry>("elementRegistry");
    const layer = viewer.current.get<Overlays>("overlays");
    const known = (id: string) => Boolean(registry.get(id));
    const set = Object.entries(markers).filter(([id]) => known(id));
    set.forEach(([id, classes]) => classes.forEach((marker) => canvas.addMarker(id, marker)));
    overlays.filter((o) => known(o.element)).forEach((o) => layer.add(o.element, { position: o.position, html: o.html }));
    return () => {
      set.forEach(([id, classes]) => classes.forEach((marker) => canvas.removeMarker(id, marker)));
      layer.clear();
    };
  }, [drawn, markers, overlays]);

  return (
    <div style={{ position: "relative" }}>
      {problem && <Alert type="error" title={problem} />}
      {drawn === null && !problem && <Spin style={{ position: "absolute", top: "45%", left: "50%" }} />}
      <div
        ref={container}
        role="figure"
        aria-label={label}
        data-drawn={drawn !== null}
        style={{ height, border: "1px solid #d9d9d9", borderRadius: 6, background: "#fff" }}
      />
    </div>
  );
}
