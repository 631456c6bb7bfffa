// An appeal's history, oldest first, in local time and Chinese: what happened, in which step, by whom.
// Given `onSelect`, each event is a button that chooses it (the appeal's diagram then shows that moment).
import { Timeline } from "antd";

import type { HistoryEvent } from "../api";
import { formatLocal } from "../time";
import { useNames } from "../vocabulary";

interface HistoryTimelineProps {
  events: HistoryEvent[];
  selected?: number | null;
  onSelect?: (seq: number) => void;
}

export function HistoryTimeline({ events, selected, onSelect }: HistoryTimelineProps) {
  const name = useNames();
  return (
    <Timeline
      items={events.map((event) => {
        const content = (
          <>
            <strong>{name("event_types", event.type)}</strong>
            {event.step && ` · ${name("steps", event.step)}`}
            <span style={{ display: "block" }}>
              {formatLocal(event.at)} · {event.actor ?? "—"}
            </span>
          </>
        );
        return {
          key: event.seq,
          color: selected === event.seq ? "red" : undefined,
          content: onSelect ? (
            <button
              type="button"
              className="af-event"
              data-seq={event.seq}
              aria-pressed={selected === event.seq}
              onClick={() => onSelect(event.seq)}
            >
              {content}
            </button>
          ) : (
            content
          ),
        };
      })}
    />
  );
}
