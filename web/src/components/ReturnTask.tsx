// "Return to collation" (退回) for an appeal dispatched to the wrong unit: offered while the task's return
// window is open (the process shows it as `return_until`); the reason is required and recorded.
import { Alert, Button, Form, Input, Modal, Space } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { type Appeal, ApiError, api, type Task } from "../api";
import { formatLocal } from "../time";

interface Props {
  task: Task;
  onDone: (appeal: Appeal) => void;
  /** The task is no longer open (409): the API's words, for the page to show as it reloads. */
  onStale: (message: string) => void;
}

export function ReturnTask({ task, onDone, onStale }: Props) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const until = task.context?.return_until;
  if (typeof until !== "string" || dayjs(until).isBefore(dayjs())) return null;

  async function send({ reason }: { reason: string }) {
    setProblem(null);
    try {
      const appeal = await api.returnTask(task.id, reason);
      setOpen(false);
      onDone(appeal);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 409) {
        setOpen(false);
        onStale(error.message);
      } else if (error.fields.reason) {
        form.setFields([{ name: "reason", errors: [error.fields.reason] }]);
      } else {
        setProblem(t("error.generic", { message: error.message }));
      }
    }
  }

  return (
    <Space>
      <Button danger onClick={() => setOpen(true)}>
        {t("giveBack.button")}
      </Button>
      <span>{t("giveBack.until", { time: formatLocal(until) })}</span>
      <Modal
        open={open}
        title={t("giveBack.title")}
        okText={t("giveBack.confirm")}
        cancelText={t("giveBack.cancel")}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        {problem && <Alert type="error" title={problem} showIcon style={{ marginBottom: 16 }} />}
        <Form name="giveBack" form={form} layout="vertical" onFinish={send} preserve={false}>
          <Form.Item
            label={t("giveBack.reason")}
            name="reason"
            rules={[{ required: true, whitespace: true, message: t("error.required") }]}
          >
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
