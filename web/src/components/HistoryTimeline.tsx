// An appeal's history, oldest first, in local time and Chinese: what happened, in which step, by whom.
import { Timeline } from "antd";

import type { HistoryEvent } from "../api";
import { codeLabel } from "../i18n";
import { formatLocal } from "../time";

export function HistoryTimeline({ events }: { events: HistoryEvent[] }) {
  return (
    <Timeline
      items={events.map((event) => ({
        key: event.seq,
        content: (
          <>
            <strong>{codeLabel("event", event.type)}</strong>
            {event.step && ` · ${codeLabel("step", event.step)}`}
            <div>
              {formatLocal(event.at)} · {event.actor ?? "—"}
            </div>
          </>
        ),
      }))}
    />
  );
}
