// Leaders' instructions (批示) on an appeal, newest last, shown above the task: the handler reads them
// before deciding. Nothing is shown when there are none.
import { Card, List, Typography } from "antd";
import { useTranslation } from "react-i18next";

import type { Instruction } from "../api";
import { formatLocal } from "../time";

export function Instructions({ instructions }: { instructions: Instruction[] }) {
  const { t } = useTranslation();
  if (instructions.length === 0) return null;
  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t("appeal.instructions")}</h2>}>
      <List
        dataSource={instructions}
        renderItem={(instruction) => (
          <List.Item>
            <div>
              <div>{instruction.text}</div>
              <Typography.Text type="secondary">
                {t("appeal.instructedBy", { author: instruction.author, time: formatLocal(instruction.created_at) })}
              </Typography.Text>
            </div>
          </List.Item>
        )}
      />
    </Card>
  );
}
