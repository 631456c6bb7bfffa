// The console's frame: sign-in until the API knows who you are, then the menu and the pages.
import { Button, Layout, Menu, Space, Spin } from "antd";
import { lazy, Suspense, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation } from "react-router-dom";

import { api, type Session, whenSignedOut } from "./api";
import { switchLanguage } from "./i18n";
import { adminMenuItems, adminPageAt, adminRoutes } from "./adminPages";
import { NotificationBell } from "./components/NotificationBell";
import { designerMenuItems, designerPageAt, designerRoutes } from "./designerPages";
import { leaderMenuItems, leaderPageAt, leaderRoutes } from "./leaderPages";
import { SignIn } from "./pages/SignIn";
import { SessionContext, useSession } from "./session";
import { useNames, VocabularyProvider } from "./vocabulary";

// Every page but sign-in is its own chunk, fetched when first opened (vite.config.ts splits the vendors):
// a new route's page is declared here the same way and used in <Routes> as usual.
const AppealPage = lazy(() => import("./pages/AppealPage").then((m) => ({ default: m.AppealPage })));
const Intake = lazy(() => import("./pages/Intake").then((m) => ({ default: m.Intake })));
const MyWork = lazy(() => import("./pages/MyWork").then((m) => ({ default: m.MyWork })));
const SetPassword = lazy(() => import("./pages/SetPassword").then((m) => ({ default: m.SetPassword })));

const loading = <Spin style={{ display: "block", marginTop: "20vh" }} />;

/** The token of a one-time set-password link (/set-password/:token), opened without signing in. */
const LINK_TOKEN = /^\/set-password\/([^/]+)$/.exec(window.location.pathname)?.[1];

const INTAKE_ROLES = ["intake", "station"];

function Header() {
  const { t } = useTranslation();
  const { session, signOut } = useSession();
  const name = useNames();
  const path = useLocation().pathname;
  const here = leaderPageAt(path) ?? designerPageAt(path) ?? adminPageAt(path) ?? (path.startsWith("/intake") ? "intake" : "work");
  const items = [{ key: "work", label: <Link to="/tasks">{t("nav.work")}</Link> }];
  if (INTAKE_ROLES.includes(session.user.role)) items.push({ key: "intake", label: <Link to="/intake">{t("nav.intake")}</Link> });
  items.push(...leaderMenuItems(session.user.role, t), ...designerMenuItems(session.user.role, t), ...adminMenuItems(session.user.role, t));
  return (
    <Layout.Header style={{ display: "flex", alignItems: "center", gap: 24 }}>
      <span style={{ color: "#fff", fontWeight: 600 }}>{t("app.title")}</span>
      <Menu theme="dark" mode="horizontal" selectedKeys={[here]} items={items} style={{ flex: 1 }} />
      <Space style={{ color: "#fff" }}>
        <NotificationBell />
        <span>
          {session.user.name}（{name("roles", session.user.role)}
          {session.user.unit ? ` · ${session.user.unit}` : ""}）
        </span>
        <Button size="small" onClick={switchLanguage}>
          {t("app.language")}
        </Button>
        <Button size="small" onClick={signOut}>
          {t("app.signOut")}
        </Button>
      </Space>
    </Layout.Header>
  );
}

function Pages() {
  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Header />
      <Layout.Content style={{ padding: 24 }}>
        <Suspense fallback={loading}>
          <Routes>
            <Route path="/tasks" element={<MyWork />} />
            <Route path="/appeals/:id" element={<AppealPage />} />
            <Route path="/intake" element={<Intake />} />
            {leaderRoutes}
            {designerRoutes}
            {adminRoutes}
            <Route path="*" element={<Navigate to="/tasks" replace />} />
          </Routes>
        </Suspense>
      </Layout.Content>
    </Layout>
  );
}

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);

  const [linkToken, setLinkToken] = useState(LINK_TOKEN);

  useEffect(() => {
    whenSignedOut(() => setSession(null));
    if (!linkToken) api.session().then(setSession, () => setSession(null));
  }, [linkToken]);

  if (linkToken) {
    const signedIn = (opened: Session) => {
      window.history.replaceState(null, "", "/tasks");
      setLinkToken(undefined);
      setSession(opened);
    };
    return (
      <Suspense fallback={loading}>
        <SetPassword token={linkToken} onSignedIn={signedIn} />
      </Suspense>
    );
  }
  if (session === undefined) return loading;
  if (session === null) return <SignIn onSignedIn={setSession} />;
  const signOut = () => void api.signOut().finally(() => setSession(null));
  return (
    <SessionContext.Provider value={{ session, signOut }}>
      <VocabularyProvider>
        <BrowserRouter>
          <Pages />
        </BrowserRouter>
      </VocabularyProvider>
    </SessionContext.Provider>
  );
}
