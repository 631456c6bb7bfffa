// An appeal's attachments: thumbnails of photos (click to open the original), links to other files, who
// added each, when (local time) and at which step; and the upload controls the reader may use: the proof
// of a fix on their open task, and, for intake, photos and files on the report while the appeal is open.
import { UploadOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Empty, List, Space, Upload, message } from "antd";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { type Appeal, ApiError, api, type Attachment, type Task } from "../api";
import { useSession } from "../session";
import { formatLocal } from "../time";
import { useNames } from "../vocabulary";

/** What the file picker offers; the server decides from the bytes. */
const ACCEPT = ".jpg,.jpeg,.png,.webp,.gif,.pdf";

function Preview({ attachment }: { attachment: Attachment }) {
  const { t } = useTranslation();
  const original = api.attachmentUrl(attachment.id, "content");
  if (!attachment.has_thumbnail) {
    return (
      <a href={original} target="_blank" rel="noreferrer">
        {attachment.file_name}
      </a>
    );
  }
  return (
    <a href={original} target="_blank" rel="noreferrer" title={t("attachments.open", { name: attachment.file_name })}>
      <img
        src={api.attachmentUrl(attachment.id, "thumbnail")}
        alt={attachment.file_name}
        style={{ maxWidth: 160, maxHeight: 160, display: "block" }}
      />
    </a>
  );
}

function AddButton({ label, onFile }: { label: string; onFile: (file: File) => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  return (
    <Upload
      accept={ACCEPT}
      showUploadList={false}
      customRequest={({ file }) => {
        setBusy(true);
        void onFile(file as File).finally(() => setBusy(false));
      }}
    >
      <Button icon={<UploadOutlined />} loading={busy}>
        {label}
      </Button>
    </Upload>
  );
}

export function Attachments({ appeal, task, onAdded }: { appeal: Appeal; task?: Task; onAdded: () => void }) {
  const { t } = useTranslation();
  const name = useNames();
  const { session } = useSession();
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(() => {
    api.attachments(appeal.id).then(setAttachments, () => setAttachments([]));
  }, [appeal.id]);
  useEffect(load, [load]);

  async function add(file: File, taskId?: string) {
    setProblem(null);
    try {
      await api.attach(appeal.id, file, taskId);
      void message.success(t("attachments.added"));
      load();
      onAdded();
    } catch (error) {
      // a body far beyond the limit may be cut off by the server before it answers: no ApiError then
      setProblem(t("attachments.failed", { message: error instanceof ApiError ? error.message : String(error) }));
    }
  }

  const onReport = session.user.role === "intake" && appeal.status === "open";
  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t("attachments.title")}</h2>}>
      <Space direction="vertical" style={{ width: "100%" }}>
        {(task || onReport) && (
          <Space wrap>
            {task && <AddButton label={t("attachments.addProof")} onFile={(file) => add(file, task.id)} />}
            {onReport && <AddButton label={t("attachments.addToReport")} onFile={(file) => add(file)} />}
            <span style={{ color: "#595959" }}>{t("attachments.types")}</span>
          </Space>
        )}
        {problem && <Alert type="error" title={problem} showIcon role="alert" />}
        {attachments.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("attachments.none")} />
        ) : (
          <List
            grid={{ gutter: 16, column: 4 }}
            dataSource={attachments}
            renderItem={(attachment) => (
              <List.Item>
                <Preview attachment={attachment} />
                <div>
                  {t("attachments.step")}：{name("steps", attachment.step)}
                </div>
                <div>
                  {t("attachments.by")}：{attachment.uploaded_by}
                </div>
                <div>
                  {t("attachments.at")}：{formatLocal(attachment.uploaded_at)}
                </div>
              </List.Item>
            )}
          />
        )}
      </Space>
    </Card>
  );
}
