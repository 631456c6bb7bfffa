// The console's frame: sign-in until the API knows who you are, then the menu and the pages.
import { Button, Layout, Menu, Space, Spin } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation } from "react-router-dom";

import { api, type Session, whenSignedOut } from "./api";
import { switchLanguage } from "./i18n";
import { leaderMenuItems, leaderPageAt, leaderRoutes } from "./leaderPages";
import { AppealPage } from "./pages/AppealPage";
import { Intake } from "./pages/Intake";
import { MyWork } from "./pages/MyWork";
import { SignIn } from "./pages/SignIn";
import { SessionContext, useSession } from "./session";
import { useNames, VocabularyProvider } from "./vocabulary";

const INTAKE_ROLES = ["intake", "station"];

function Header() {
  const { t } = useTranslation();
  const { session, signOut } = useSession();
  const name = useNames();
  const path = useLocation().pathname;
  const here = leaderPageAt(path) ?? (path.startsWith("/intake") ? "intake" : "work");
  const items = [{ key: "work", label: <Link to="/tasks">{t("nav.work")}</Link> }];
  if (INTAKE_ROLES.includes(session.user.role)) items.push({ key: "intake", label: <Link to="/intake">{t("nav.intake")}</Link> });
  items.push(...leaderMenuItems(session.user.role, t));
  return (
    <Layout.Header style={{ display: "flex", alignItems: "center", gap: 24 }}>
      <span style={{ color: "#fff", fontWeight: 600 }}>{t("app.title")}</span>
      <Menu theme="dark" mode="horizontal" selectedKeys={[here]} items={items} style={{ flex: 1 }} />
      <Space style={{ color: "#fff" }}>
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
        <Routes>
          <Route path="/tasks" element={<MyWork />} />
          <Route path="/appeals/:id" element={<AppealPage />} />
          <Route path="/intake" element={<Intake />} />
          {leaderRoutes}
          <Route path="*" element={<Navigate to="/tasks" replace />} />
        </Routes>
      </Layout.Content>
    </Layout>
  );
}

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);

  useEffect(() => {
    whenSignedOut(() => setSession(null));
    api.session().then(setSession, () => setSession(null));
  }, []);

  if (session === undefined) return <Spin style={{ display: "block", marginTop: "20vh" }} />;
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
