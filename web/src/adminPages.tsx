// The administrators' pages in the menu and the router: the users, whom they add, give a one-time
// set-password link and revoke. Administrators alone manage users.
import type { TFunction } from "i18next";
import { lazy } from "react";
import { Link, Route } from "react-router-dom";

// The page is its own chunk (as in App.tsx).
const Users = lazy(() => import("./pages/Users").then((m) => ({ default: m.Users })));

const ADMIN = "admin";
const PATH = "/users";

/** The users page's menu item, for administrators. */
export function adminMenuItems(role: string, t: TFunction) {
  return role === ADMIN ? [{ key: "users", label: <Link to={PATH}>{t("users.nav")}</Link> }] : [];
}

/** The menu key of the users page at `pathname`, if it is there. */
export function adminPageAt(pathname: string): string | undefined {
  return pathname.startsWith(PATH) ? "users" : undefined;
}

export const adminRoutes = [<Route key="users" path={PATH} element={<Users />} />];
