// The leaders' pages in the menu and the router: the dashboard, the supervision queue and the extension
// requests, each for the roles the API lets use it: statistics are read by leaders, stations, auditors
// and administrators; claiming, instructing and deciding extensions are the leaders' alone.
import type { TFunction } from "i18next";
import { lazy } from "react";
import { Link, Route } from "react-router-dom";

// Each page is its own chunk, fetched when first opened (as in App.tsx): the dashboard brings ECharts.
const Dashboard = lazy(() => import("./pages/Dashboard").then((m) => ({ default: m.Dashboard })));
const Extensions = lazy(() => import("./pages/Extensions").then((m) => ({ default: m.Extensions })));
const Supervision = lazy(() => import("./pages/Supervision").then((m) => ({ default: m.Supervision })));

/** Who reads statistics (appeals/reports/stats.py READERS). */
const STATS_ROLES = ["leader", "station", "auditor", "admin"];

const PAGES = [
  { key: "dashboard", path: "/dashboard", label: "dashboard.nav", roles: STATS_ROLES, element: <Dashboard /> },
  { key: "supervision", path: "/supervision", label: "supervision.nav", roles: ["leader"], element: <Supervision /> },
  { key: "extensions", path: "/extensions", label: "extension.nav", roles: ["leader"], element: <Extensions /> },
];

/** The menu items of the leaders' pages that `role` may open. */
export function leaderMenuItems(role: string, t: TFunction) {
  return PAGES.filter((page) => page.roles.includes(role)).map((page) => ({
    key: page.key,
    label: <Link to={page.path}>{t(page.label)}</Link>,
  }));
}

/** The menu key of the leaders' page at `pathname`, if it is one. */
export function leaderPageAt(pathname: string): string | undefined {
  return PAGES.find((page) => pathname.startsWith(page.path))?.key;
}

export const leaderRoutes = PAGES.map((page) => <Route key={page.key} path={page.path} element={page.element} />);
