// The decision rules two versions differ in, one table per decision: each rule added, removed or changed
// with its cells, a changed cell showing its old value struck out beside the new one.
import { Space, Table, Tag } from "antd";
import { useTranslation } from "react-i18next";

import type { DecisionChange, RuleCells } from "../../api";

interface Row {
  rule: string;
  change: "added" | "removed" | "changed";
  old: RuleCells | null;
  new: RuleCells | null;
}

const COLOURS = { added: "green", removed: "red", changed: "blue" };

function rows(decision: DecisionChange): Row[] {
  const change = (rule: string): Row["change"] =>
    decision.rules_added.includes(rule) ? "added" : decision.rules_removed.includes(rule) ? "removed" : "changed";
  return Object.entries(decision.rules).map(([rule, cells]) => ({ rule, change: change(rule), ...cells }));
}

function Cell({ before, after }: { before?: string; after?: string }) {
  if (before === after || before === undefined || after === undefined) return <code>{after ?? before ?? ""}</code>;
  return (
    <Space size={4}>
      <del>
        <code>{before}</code>
      </del>
      →
      <ins>
        <code>{after}</code>
      </ins>
    </Space>
  );
}

export function RuleChanges({ id, decision }: { id: string; decision: DecisionChange }) {
  const { t } = useTranslation();
  const column = (side: "inputs" | "outputs", label: string, index: number) => ({
    title: label,
    key: `${side}-${index}`,
    render: (_: unknown, row: Row) => <Cell before={row.old?.[side][index]} after={row.new?.[side][index]} />,
  });
  return (
    <Table<Row>
      rowKey="rule"
      size="small"
      pagination={false}
      title={() => t("designer.decision", { id })}
      dataSource={rows(decision)}
      columns={[
        { title: t("designer.rule"), dataIndex: "rule" },
        {
          title: t("designer.change"),
          key: "change",
          render: (_, row) => <Tag color={COLOURS[row.change]}>{t(`designer.${row.change}`)}</Tag>,
        },
        ...decision.inputs.map((label, index) => column("inputs", label, index)),
        ...decision.outputs.map((label, index) => column("outputs", label, index)),
      ]}
    />
  );
}
