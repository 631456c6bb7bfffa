// Sign-in with name and password; the API sets the session cookie and returns the CSRF token.
import { Alert, Button, Card, Form, Input } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiError, api, type Session } from "../api";

export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const { t } = useTranslation();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(values: { name: string; password: string }) {
    setBusy(true);
    setProblem(null);
    try {
      onSignedIn(await api.signIn(values.name, values.password));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      setProblem(error.status === 429 ? t("signIn.tooMany") : t("signIn.failed"));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main>
      <Card title={<h1 style={{ fontSize: 20, margin: 0 }}>{t("signIn.title")}</h1>} style={{ maxWidth: 420, margin: "10vh auto" }}>
      {problem && <Alert type="error" title={problem} showIcon style={{ marginBottom: 16 }} />}
      <Form layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item label={t("signIn.name")} name="name" rules={[{ required: true, message: t("error.required") }]}>
          <Input autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item label={t("signIn.password")} name="password" rules={[{ required: true, message: t("error.required") }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} block>
          {t("signIn.submit")}
        </Button>
      </Form>
      </Card>
    </main>
  );
}
