// A leader's actions on an appeal: claim it or release their claim, write an instruction (批示), remind
// the unit holding its open task (催办). Instruction and reminder take their text in a small dialog.
import { Button, Form, Input, Modal, Space, message } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiError, api } from "../../api";
import { useSession } from "../../session";

type Writing = "instruct" | "remind" | null;

export function SupervisionActions({
  appealId,
  claimedBy,
  onChanged,
}: {
  appealId: number;
  claimedBy: string | null;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const { session } = useSession();
  const [writing, setWriting] = useState<Writing>(null);
  const [form] = Form.useForm<{ text: string }>();

  async function act(action: () => Promise<unknown>, done: string): Promise<boolean> {
    try {
      await action();
      void message.success(done);
      onChanged();
      return true;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const field = Object.values(error.fields)[0];
      if (writing && field) form.setFields([{ name: "text", errors: [t("error.serverField", { message: field })] }]);
      else void message.error(t("error.generic", { message: error.message }));
      return false;
    }
  }

  async function send({ text }: { text: string }) {
    const sent =
      writing === "instruct"
        ? await act(() => api.instruct(appealId, text), t("supervision.instructed"))
        : await act(() => api.remind(appealId, text), t("supervision.reminded"));
    if (sent) {
      setWriting(null);
      form.resetFields();
    }
  }

  const label = writing === "instruct" ? t("supervision.instruction") : t("supervision.note");
  return (
    <Space size={4} wrap>
      {claimedBy === null && (
        <Button size="small" onClick={() => act(() => api.claim(appealId), t("supervision.claimed"))}>
          {t("supervision.claim")}
        </Button>
      )}
      {claimedBy === session.user.name && (
        <Button size="small" onClick={() => act(() => api.release(appealId), t("supervision.released"))}>
          {t("supervision.release")}
        </Button>
      )}
      <Button size="small" onClick={() => setWriting("instruct")}>
        {t("supervision.instruct")}
      </Button>
      <Button size="small" onClick={() => setWriting("remind")}>
        {t("supervision.remind")}
      </Button>
      <Modal
        open={writing !== null}
        title={writing === "instruct" ? t("supervision.instruct") : t("supervision.remind")}
        okText={t("supervision.send")}
        onOk={() => form.submit()}
        onCancel={() => setWriting(null)}
        destroyOnHidden
      >
        <Form name="supervision" form={form} layout="vertical" onFinish={send}>
          <Form.Item name="text" label={label} rules={[{ required: true, message: t("error.required") }]}>
            <Input.TextArea rows={4} maxLength={writing === "instruct" ? 4000 : 1000} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
