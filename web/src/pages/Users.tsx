// Users, for administrators: every account with its role, unit, password and status; add one, give one a
// one-time set-password link, or revoke one. The server alone knows which roles need a unit: its 422 is
// shown on the field it names. A link's token is shown once, to be given to the person.
import { Alert, Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography, message } from "antd";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { type Account, ApiError, api, type NewUser, type PasswordLink, type Unit } from "../api";
import { useSession } from "../session";
import { formatLocal } from "../time";
import { useCodes, useNames } from "../vocabulary";

/** Options in the order of their names in `language` (pinyin order in Chinese), as a reader looks them up. */
function byLabel<T extends { label: string }>(options: T[], language: string): T[] {
  return [...options].sort((a, b) => a.label.localeCompare(b.label, language));
}

/** The fields of the new-user form, on which the server's 422 may name a problem. */
const FIELDS = ["name", "role", "unit"] as const;

/** A new link, to be copied and given to the person: the whole URL, and until when it can be used. */
function LinkShown({ link, onClose }: { link: PasswordLink; onClose: () => void }) {
  const { t } = useTranslation();
  const url = window.location.origin + link.path;
  return (
    <Modal open title={t("users.linkTitle", { name: link.user })} onCancel={onClose} footer={<Button onClick={onClose}>{t("users.done")}</Button>}>
      <Alert type="warning" showIcon title={t("users.linkOnce")} style={{ marginBottom: 16 }} />
      <Typography.Paragraph copyable={{ text: url }} code style={{ wordBreak: "break-all" }}>
        {url}
      </Typography.Paragraph>
      <p>{t("users.linkUntil", { until: formatLocal(link.expires_at) })}</p>
    </Modal>
  );
}

/** The new-user form in a modal; on success it hands over the new user's first link. */
function AddUser({ onAdded, onClose }: { onAdded: (link: PasswordLink) => void; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const name = useNames();
  const roles = useCodes("roles");
  const [form] = Form.useForm<NewUser>();
  const [units, setUnits] = useState<Unit[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.units().then(setUnits, (error: ApiError) => setProblem(t("error.generic", { message: error.message })));
  }, [t]);

  async function submit(values: NewUser) {
    setBusy(true);
    setProblem(null);
    try {
      onAdded((await api.addUser({ ...values, unit: values.unit ?? null })).link);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const named = FIELDS.filter((field) => error.fields[field]);
      form.setFields(named.map((field) => ({ name: field, errors: [error.fields[field]] })));
      if (!named.length) setProblem(t("error.generic", { message: error.message }));
    } finally {
      setBusy(false);
    }
  }

  const required = [{ required: true, message: t("error.required") }];
  return (
    <Modal open title={t("users.add")} okText={t("users.addSubmit")} confirmLoading={busy} onOk={form.submit} onCancel={onClose}>
      {problem && <Alert type="error" title={problem} style={{ marginBottom: 16 }} />}
      <Form name="user" form={form} layout="vertical" onFinish={submit}>
        <Form.Item label={t("users.name")} name="name" rules={required}>
          <Input maxLength={120} autoComplete="off" />
        </Form.Item>
        <Form.Item label={t("users.role")} name="role" rules={required}>
          <Select showSearch={{ optionFilterProp: "label" }} options={byLabel(roles.map((code) => ({ value: code, label: name("roles", code) })), i18n.language)} />
        </Form.Item>
        <Form.Item label={t("users.unit")} name="unit">
          <Select
            allowClear
            showSearch={{ optionFilterProp: "label" }}
            options={units.map((unit) => ({ value: unit.code, label: `${unit.code} ${unit.name} · ${name("levels", unit.level)}` }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function Users() {
  const { t } = useTranslation();
  const { session } = useSession();
  const name = useNames();
  const [users, setUsers] = useState<Account[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [search, setSearch] = useState("");
  const [adding, setAdding] = useState(false);
  const [link, setLink] = useState<PasswordLink | null>(null);

  const load = useCallback(() => {
    api.users().then(setUsers, (error: ApiError) => setProblem(error.message));
  }, []);
  useEffect(load, [load]);

  /** Runs a change to a user, then shows the table as it is now. */
  async function change<T>(request: Promise<T>, then: (answer: T) => void) {
    try {
      then(await request);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      void message.error(t("error.generic", { message: error.message }));
    }
    load();
  }

  const added = (first: PasswordLink) => {
    setAdding(false);
    setLink(first);
    load();
  };
  const shown = (users ?? []).filter((user) => user.name.includes(search.trim()));
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <h1>{t("users.title")}</h1>
      {problem && <Alert type="error" title={t("error.generic", { message: problem })} />}
      <Space>
        <Button type="primary" onClick={() => setAdding(true)}>
          {t("users.add")}
        </Button>
        <Input allowClear aria-label={t("users.search")} placeholder={t("users.search")} onChange={(e) => setSearch(e.target.value)} />
      </Space>
      <Table<Account>
        rowKey="name"
        loading={users === null}
        dataSource={shown}
        pagination={false}
        locale={{ emptyText: t("users.empty") }}
        columns={[
          { title: t("users.name"), dataIndex: "name" },
          { title: t("users.role"), key: "role", render: (_, u) => name("roles", u.role) },
          { title: t("users.unit"), key: "unit", render: (_, u) => (u.unit ? `${u.unit} ${u.unit_name ?? ""}` : "—") },
          { title: t("users.password"), key: "password", render: (_, u) => (u.has_password ? t("users.passwordSet") : t("users.passwordUnset")) },
          {
            title: t("users.status"),
            key: "status",
            render: (_, u) => (u.revoked_at ? <Tag color="red">{t("users.revoked")}</Tag> : <Tag color="green">{t("users.active")}</Tag>),
          },
          { title: t("users.createdAt"), key: "created", render: (_, u) => formatLocal(u.created_at) },
          {
            title: t("users.actions"),
            key: "actions",
            render: (_, u) => (
              <Space size={4}>
                <Button size="small" disabled={!!u.revoked_at} onClick={() => change(api.issuePasswordLink(u.name), setLink)}>
                  {t("users.passwordLink")}
                </Button>
                <Popconfirm
                  title={t("users.revokeConfirm", { name: u.name })}
                  description={t("users.revokeHelp")}
                  okText={t("users.revokeOk")}
                  okButtonProps={{ danger: true }}
                  onConfirm={() => change(api.revokeUser(u.name), () => message.success(t("users.revokedDone", { name: u.name })))}
                >
                  <Button size="small" danger disabled={!!u.revoked_at || u.name === session.user.name}>
                    {t("users.revoke")}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {adding && <AddUser onAdded={added} onClose={() => setAdding(false)} />}
      {link && <LinkShown link={link} onClose={() => setLink(null)} />}
    </Space>
  );
}
