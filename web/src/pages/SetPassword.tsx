// A one-time set-password link (/set-password/:token), opened without signing in: whose password it sets,
// then the new password twice; the server checks its length and signs the person in. A link that is
// unknown, used or expired shows the server's reason and the way to sign-in.
import { Alert, Button, Card, Form, Input, Spin } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiError, api, type Session } from "../api";
import { formatLocal } from "../time";

interface Values {
  password: string;
  confirm: string;
}

export function SetPassword({ token, onSignedIn }: { token: string; onSignedIn: (session: Session) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [link, setLink] = useState<{ user: string; expires_at: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.passwordLink(token).then(setLink, (error: ApiError) => setProblem(error.message));
  }, [token]);

  async function submit(values: Values) {
    setBusy(true);
    try {
      onSignedIn(await api.setPasswordByLink(token, values.password));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.fields.password) form.setFields([{ name: "password", errors: [error.message] }]);
      else setProblem(error.message);
    } finally {
      setBusy(false);
    }
  }

  const toSignIn = <a href="/">{t("setPassword.toSignIn")}</a>;
  return (
    <main>
      <Card title={<h1 style={{ fontSize: 20, margin: 0 }}>{t("setPassword.title")}</h1>} style={{ maxWidth: 420, margin: "10vh auto" }}>
        {problem && <Alert type="error" title={problem} description={toSignIn} showIcon />}
        {!problem && !link && <Spin />}
        {!problem && link && (
          <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
            <p>{t("setPassword.forUser", { name: link.user, until: formatLocal(link.expires_at) })}</p>
            <input type="text" name="username" autoComplete="username" value={link.user} readOnly hidden />
            <Form.Item label={t("setPassword.password")} name="password" rules={[{ required: true, message: t("error.required") }]}>
              <Input.Password autoComplete="new-password" autoFocus />
            </Form.Item>
            <Form.Item
              label={t("setPassword.confirm")}
              name="confirm"
              dependencies={["password"]}
              rules={[
                { required: true, message: t("error.required") },
                ({ getFieldValue }) => ({
                  validator: (_, value) =>
                    !value || value === getFieldValue("password") ? Promise.resolve() : Promise.reject(new Error(t("setPassword.mismatch"))),
                }),
              ]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} block>
              {t("setPassword.submit")}
            </Button>
          </Form>
        )}
      </Card>
    </main>
  );
}
