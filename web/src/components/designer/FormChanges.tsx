// A changed form, the old version's file beside the new one's, each as formatted JSON.
import { Card } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { api } from "../../api";

interface Props {
  processId: string;
  from: number;
  to: number;
  name: string;
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function FormChanges({ processId, from, to, name }: Props) {
  const { t } = useTranslation();
  const [sides, setSides] = useState<[string, string] | null>(null);
  useEffect(() => {
    Promise.all([api.versionFile(processId, from, name), api.versionFile(processId, to, name)]).then(
      ([before, after]) => setSides([pretty(before), pretty(after)]),
      () => setSides(["", ""]),
    );
  }, [processId, from, to, name]);
  return (
    <Card size="small" title={t("designer.formChanged", { name })} loading={sides === null}>
      <div className="designer-side">
        <section aria-label={t("designer.versionN", { version: from })}>
          <h3 className="designer-subheading">{t("designer.versionN", { version: from })}</h3>
          <pre tabIndex={0}>{sides?.[0]}</pre>
        </section>
        <section aria-label={t("designer.versionN", { version: to })}>
          <h3 className="designer-subheading">{t("designer.versionN", { version: to })}</h3>
          <pre tabIndex={0}>{sides?.[1]}</pre>
        </section>
      </div>
    </Card>
  );
}
