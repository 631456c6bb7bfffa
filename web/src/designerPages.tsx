// The designers' workbench in the menu and the router: the processes with a package's check and deploy,
// each process's versions, diff, migration and trial instances, and a version's editors (BPMN modeler, DMN
// table). Designers alone change processes.
import type { TFunction } from "i18next";
import { lazy } from "react";
import { Link, Route } from "react-router-dom";

// Each page is its own chunk (as in App.tsx); bpmn-js is fetched later still, when a drawing is shown.
const Processes = lazy(() => import("./pages/designer/Processes").then((m) => ({ default: m.Processes })));
const ProcessPage = lazy(() => import("./pages/designer/ProcessPage").then((m) => ({ default: m.ProcessPage })));
const ProcessEditor = lazy(() => import("./pages/designer/ProcessEditor").then((m) => ({ default: m.ProcessEditor })));

const DESIGNER = "designer";
const PATH = "/processes";

/** The workbench's menu item, for designers. */
export function designerMenuItems(role: string, t: TFunction) {
  return role === DESIGNER ? [{ key: "processes", label: <Link to={PATH}>{t("designer.nav")}</Link> }] : [];
}

/** The menu key of the workbench at `pathname`, if it is there. */
export function designerPageAt(pathname: string): string | undefined {
  return pathname.startsWith(PATH) ? "processes" : undefined;
}

export const designerRoutes = [
  <Route key="processes" path={PATH} element={<Processes />} />,
  <Route key="process" path={`${PATH}/:processId`} element={<ProcessPage />} />,
  <Route key="editor" path={`${PATH}/:processId/versions/:version/edit`} element={<ProcessEditor />} />,
];
