// The periods a leader picks, as the stats endpoint takes them: days and months in the city's zone.
import dayjs from "dayjs";

import type { StatsQuery } from "../../api";
import { CITY_ZONE } from "../../time";

export type PeriodKind = "week" | "month" | "custom";

/** Today's date in the city (the browser may sit in another zone), as a plain day for date arithmetic. */
export function cityToday(): dayjs.Dayjs {
  return dayjs(dayjs().tz(CITY_ZONE).format("YYYY-MM-DD"));
}

/** This week (Monday to Sunday, whole days), this month (`period=YYYY-MM`), or the days chosen. */
export function periodQuery(kind: PeriodKind, range: [dayjs.Dayjs, dayjs.Dayjs] | null): StatsQuery {
  const today = cityToday();
  if (kind === "month") return { period: today.format("YYYY-MM") };
  if (kind === "custom" && range) return { since: range[0].format("YYYY-MM-DD"), until: range[1].format("YYYY-MM-DD") };
  const monday = today.subtract((today.day() + 6) % 7, "day");
  return { since: monday.format("YYYY-MM-DD"), until: monday.add(6, "day").format("YYYY-MM-DD") };
}
