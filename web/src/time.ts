// Times as the city reads them: day.js in the city's zone (Asia/Shanghai), Chinese month and day names.
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import timezone from "dayjs/plugin/timezone";
import utc from "dayjs/plugin/utc";

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.locale("zh-cn");

export const CITY_ZONE = "Asia/Shanghai";

export function local(moment: string): dayjs.Dayjs {
  return dayjs(moment).tz(CITY_ZONE);
}

export function formatLocal(moment: string | null | undefined): string {
  return moment ? local(moment).format("YYYY-MM-DD HH:mm") : "—";
}

export type Urgency = "overdue" | "today" | "later" | "none";

/** How pressing a due time is, in the city's days. */
export function urgency(due: string | null, now = dayjs()): Urgency {
  if (!due) return "none";
  const at = local(due);
  if (at.isBefore(now)) return "overdue";
  return at.isSame(now.tz(CITY_ZONE), "day") ? "today" : "later";
}
