// The handler's "申请延期" on the current task: the day the limit should move to (its end, in the city's
// zone) and why. While a request waits for a leader it is shown instead; once approved, the task's own
// due time is the new limit. A refusal from the API shows on the field it names.
import { Alert, Button, Card, DatePicker, Form, Input, message } from "antd";
import type dayjs from "dayjs";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiError, api, type ExtensionRequest as Request, type Task } from "../api";
import { formatLocal, local } from "../time";

interface Asked {
  until: dayjs.Dayjs;
  reason: string;
}

export function ExtensionRequest({ task }: { task: Task }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Asked>();
  const [pending, setPending] = useState<Request | null | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(() => {
    if (task.appeal_id === null) return;
    api.extensions({ appeal: task.appeal_id, status: "pending" }).then(
      (found) => setPending(found.find((request) => request.task_id === task.id) ?? null),
      () => setPending(null),
    );
  }, [task]);
  useEffect(load, [load]);

  async function ask({ until, reason }: Asked) {
    setProblem(null);
    try {
      setPending(await api.askExtension(task.id, until.format("YYYY-MM-DD"), reason));
      void message.success(t("extension.asked"));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const fields = (["until", "reason"] as const).filter((field) => error.fields[field]);
      form.setFields(fields.map((field) => ({ name: field, errors: [t("error.serverField", { message: error.fields[field] })] })));
      if (!fields.length) setProblem(t("error.generic", { message: error.message }));
    }
  }

  if (!task.due_at || pending === undefined) return null;
  const lastDay = local(task.due_at).format("YYYY-MM-DD"); // the limit's own day in the city: not later
  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t("extension.ask")}</h2>}>
      {pending ? (
        <Alert type="info" title={t("extension.pending", { until: formatLocal(pending.until) })} />
      ) : (
        <Form name="extension" form={form} layout="inline" onFinish={ask}>
          {problem && <Alert type="error" title={problem} style={{ width: "100%", marginBottom: 12 }} />}
          <Form.Item name="until" label={t("extension.until")} rules={[{ required: true, message: t("error.required") }]}>
            <DatePicker disabledDate={(day) => day.format("YYYY-MM-DD") <= lastDay} />
          </Form.Item>
          <Form.Item name="reason" label={t("extension.reason")} rules={[{ required: true, message: t("error.required") }]}>
            <Input maxLength={2000} style={{ width: 320 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t("extension.submit")}
          </Button>
        </Form>
      )}
    </Card>
  );
}
