// Possible duplicates while a call is typed: the open appeals alike it (same phone, address, similar title,
// nearby point), asked of the API a moment after the operator stops typing. Each opens in a new tab, so
// nothing typed at intake is lost.
import { Card, List, Space, Tag } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { api, type CallSoFar, type SimilarAppeal } from "../api";
import { useNames } from "../vocabulary";

/** How long typing must pause before the API is asked (ms). */
const PAUSE = 400;

/** The parts of the call worth asking about: text trimmed and not empty, a map point only whole. */
function askable(call: CallSoFar): CallSoFar {
  const asked: CallSoFar = {};
  for (const key of ["title", "address", "phone"] as const) {
    const text = call[key]?.trim();
    if (text) asked[key] = text;
  }
  if (typeof call.lat === "number" && typeof call.lon === "number") Object.assign(asked, { lat: call.lat, lon: call.lon });
  return asked;
}

/** The reporter as the API shows them in lists: masked, or nothing for a confidential appeal. */
function reporterOf(appeal: SimilarAppeal): string {
  return [appeal.reporter?.name, appeal.reporter?.phone].filter(Boolean).join(" ");
}

export function SimilarAppeals({ call }: { call: CallSoFar }) {
  const { t } = useTranslation();
  const name = useNames();
  const [found, setFound] = useState<SimilarAppeal[]>([]);
  const asked = askable(call);
  const key = JSON.stringify(asked);

  useEffect(() => {
    const query = JSON.parse(key) as CallSoFar;
    if (!Object.keys(query).length) {
      setFound([]);
      return;
    }
    let current = true;
    const timer = window.setTimeout(() => {
      api.similar(query).then(
        (answer) => current && setFound(answer),
        () => current && setFound([]), // a field the API refuses is the form's to show on submit
      );
    }, PAUSE);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [key]);

  return (
    <Card size="small" title={<h2 style={{ fontSize: 15, margin: 0 }}>{t("similar.heading")}</h2>}>
      <List<SimilarAppeal>
        size="small"
        dataSource={found}
        locale={{ emptyText: t("similar.none") }}
        renderItem={(appeal) => (
          <List.Item>
            <Space direction="vertical" size={2}>
              <a href={`/appeals/${appeal.id}`} target="_blank" rel="noreferrer">
                {t("similar.open", { number: appeal.number })}
              </a>
              <span>{appeal.title}</span>
              <span style={{ color: "#595959" }}>
                {[reporterOf(appeal), appeal.address, name("steps", appeal.stage), appeal.unit].filter(Boolean).join(" · ")}
              </span>
              <Space size={4} wrap>
                {appeal.reasons.map((reason) => (
                  <Tag key={reason} color="blue">
                    {name("likeness", reason)}
                  </Tag>
                ))}
              </Space>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}
