// A package's errors and warnings as a numbered list: file, element, line and what to do. The numbers are
// those of the badges on the drawings (problemMarks), so a designer goes from one to the other.
import { Table, Tag } from "antd";
import { useTranslation } from "react-i18next";

import type { Problem } from "../../api";
import type { Mark } from "./BpmnCanvas";

export interface NumberedProblem extends Problem {
  number: number;
  kind: "error" | "warning";
}

/** Errors first, then warnings, numbered from 1. */
export function numbered(errors: Problem[], warnings: Problem[]): NumberedProblem[] {
  return [
    ...errors.map((p) => ({ ...p, kind: "error" as const })),
    ...warnings.map((p) => ({ ...p, kind: "warning" as const })),
  ].map((p, index) => ({ ...p, number: index + 1 }));
}

/** The marks of the problems of file `file` that name an element. */
export function problemMarks(problems: NumberedProblem[], file: string): Mark[] {
  return problems
    .filter((p) => p.file === file && p.element)
    .map((p) => ({ element: p.element as string, kind: p.kind, number: p.number, note: p.message }));
}

export function ProblemList({ problems }: { problems: NumberedProblem[] }) {
  const { t } = useTranslation();
  return (
    <Table<NumberedProblem>
      rowKey="number"
      size="small"
      pagination={false}
      dataSource={problems}
      locale={{ emptyText: t("designer.noProblems") }}
      columns={[
        { title: t("designer.number"), dataIndex: "number", width: 56 },
        {
          title: t("designer.kind"),
          key: "kind",
          width: 72,
          render: (_, p) => <Tag color={p.kind === "error" ? "red" : "gold"}>{t(`designer.${p.kind}`)}</Tag>,
        },
        { title: t("designer.file"), key: "file", render: (_, p) => p.file || t("designer.wholePackage") },
        { title: t("designer.element"), key: "element", render: (_, p) => p.element ?? "—" },
        { title: t("designer.line"), key: "line", width: 64, render: (_, p) => p.line ?? "—" },
        { title: t("designer.message"), dataIndex: "message" },
      ]}
    />
  );
}
