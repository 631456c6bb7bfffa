// An appeal's history, oldest first, in local time and Chinese: what happened, in which step, by whom.
import { Timeline } from "antd";

import type { HistoryEvent } from "../api";
import { formatLocal } from "../time";
import { useNames } from "../vocabulary";

export function HistoryTimeline({ events }: { events: HistoryEvent[] }) {
  const name = useNames();
  return (
    <Timeline
      items={events.map((event) => ({
        key: event.seq,
        content: (
          <>
            <strong>{name("event_types", event.type)}</strong>
            {event.step && ` · ${name("steps", event.step)}`}
            <div>
              {formatLocal(event.at)} · {event.actor ?? "—"}
            </div>
          </>
        ),
      }))}
    />
  );
}
