// The leaders' pages in the menu and the router: the dashboard, the supervision queue and the extension
// requests, for the roles the API lets use them (statistics and claims are read by leaders; deciding
// extensions, claiming and instructing are theirs alone).
import type { TFunction } from "i18next";
import { Link, Route } from "react-router-dom";

import { Dashboard } from "./pages/Dashboard";
import { Extensions } from "./pages/Extensions";
import { Supervision } from "./pages/Supervision";

const PAGES = [
  { key: "dashboard", path: "/dashboard", label: "dashboard.nav", element: <Dashboard /> },
  { key: "supervision", path: "/supervision", label: "supervision.nav", element: <Supervision /> },
  { key: "extensions", path: "/extensions", label: "extension.nav", element: <Extensions /> },
];
const LEADER_ROLES = ["leader"];

/** The menu items of the leaders' pages that `role` may open. */
export function leaderMenuItems(role: string, t: TFunction) {
  if (!LEADER_ROLES.includes(role)) return [];
  return PAGES.map((page) => ({ key: page.key, label: <Link to={page.path}>{t(page.label)}</Link> }));
}

/** The menu key of the leaders' page at `pathname`, if it is one. */
export function leaderPageAt(pathname: string): string | undefined {
  return PAGES.find((page) => pathname.startsWith(page.path))?.key;
}

export const leaderRoutes = PAGES.map((page) => <Route key={page.key} path={page.path} element={page.element} />);
