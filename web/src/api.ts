// The one typed client of the API (/api/v1). The browser signs in with a session cookie (HttpOnly, so no
// script reads it); every write carries the session's CSRF token, which sign-in and "who am I" return.

export interface User {
  name: string;
  role: string;
  unit: string | null;
}

export interface Session {
  user: User;
  csrf_token: string;
  expires_at: string;
}

export interface JsonSchema {
  title?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  enum?: unknown[];
  [key: string]: unknown;
}

export interface Task {
  id: string;
  appeal_id: number | null;
  step: string;
  name: string | null;
  lane: string | null;
  unit: string | null;
  due_at: string | null;
  reminded_at: string | null;
  context?: Record<string, unknown>;
  form?: { schema: JsonSchema; ui: Record<string, unknown> };
  /** In the task list: what My work shows and filters of the task's appeal. */
  appeal?: { number: string; title: string; category: string | null; channel: string };
}

export interface Appeal {
  id: number;
  number: string;
  title: string;
  description: string;
  status: "open" | "closed";
  stage: string | null;
  category: string | null;
  channel: string;
  unit: string;
  deadline: string | null;
  disposition: string | null;
  satisfaction: string | null;
  reporter: { name: string | null; phone: string | null } | null;
  confidential?: boolean;
  location: { address: string | null; lat?: number | null; lon?: number | null } | null;
  created_at: string;
  closed_at: string | null;
  instructions: Instruction[];
  tasks: Task[];
}

/** A leader's instruction (批示) on an appeal. */
export interface Instruction {
  author: string;
  text: string;
  created_at: string;
}

export interface HistoryEvent {
  seq: number;
  at: string;
  type: string;
  actor: string | null;
  step: string | null;
  data: Record<string, unknown>;
}

/** The kinds of code the server's translation table names (GET /vocabulary). */
export type CodeKind =
  | "roles"
  | "levels"
  | "channels"
  | "categories"
  | "steps"
  | "outcomes"
  | "satisfaction"
  | "dispositions"
  | "statuses"
  | "extension_statuses"
  | "task_outcomes"
  | "notification_kinds"
  | "event_types"
  | "likeness";

/** {kind: {code: name}} in one language. */
export type Vocabulary = Partial<Record<CodeKind, Record<string, string>>>;

export interface NewAppeal {
  channel: string;
  title: string;
  description: string;
  category?: string;
  reporter?: { name?: string; phone?: string };
  location?: { address?: string; lat?: number; lon?: number };
  confidential?: boolean;
}

/** An open appeal alike a call being taken (POST /appeals/similar); the reporter masked, or null. */
export interface SimilarAppeal {
  id: number;
  number: string;
  title: string;
  address: string | null;
  stage: string | null;
  unit: string;
  created_at: string;
  reporter: { name: string | null; phone: string | null } | null;
  reasons: ("phone" | "address" | "title" | "nearby")[];
}

/** What intake has typed so far, to look for possible duplicates by. */
export interface CallSoFar {
  title?: string;
  address?: string;
  phone?: string;
  lat?: number;
  lon?: number;
}

/** The rates and counts of a cohort (docs/statistics.md); a rate is null when there is nothing to rate. */
export interface Figures {
  collected: number;
  duplicates: number;
  settled: number;
  settlement_rate: number | null;
  on_time_rate: number | null;
  satisfaction_rate: number | null;
  unreachable_rate: number | null;
  redo_rate: number | null;
  reminder_rate: number | null;
  handling_days: { count: number; mean: number | null; p90: number | null };
}

export interface Scorecard extends Figures {
  unit: string;
  name: string;
  level: string | null;
  times_late: number;
  score: number | null;
  rank: number | null;
}

export interface Stats extends Figures {
  period: { since: string; until: string; as_of: string };
  filters: { unit: string | null };
  units: Scorecard[];
  late_units: { unit: string; times_late: number; longest_late_seconds: number }[];
  top_demands: {
    categories: { category: string | null; count: number }[];
    places: { place: string; count: number }[];
    words: { word: string; count: number }[];
  };
  weekly: { since: string; until: string; collected: number; settled: number }[];
}

/** `period=YYYY-MM`, or `since` and `until` (plain dates: whole days in the city's zone); `unit`: a subtree. */
export type StatsQuery = { period: string } | { since: string; until: string };

export interface Claim {
  id: number;
  appeal_id: number;
  number: string;
  title: string;
  stage: string | null;
  leader: string;
  due_at: string;
  status: "active" | "completed" | "released";
  late: boolean;
}

export interface ExtensionRequest {
  id: number;
  appeal_id: number;
  number: string;
  title: string;
  task_id: string;
  step: string;
  unit: string;
  requested_by: string;
  reason: string;
  until: string;
  status: "pending" | "approved" | "refused";
  decided_by: string | null;
  decision_note: string | null;
  created_at: string;
  task_due_at: string | null;
}

export interface Notification {
  id: number;
  appeal_id: number;
  kind: string;
  message: string;
  due_at: string | null;
  created_at: string;
  read: boolean;
}

export interface Attachment {
  id: number;
  appeal_id: number;
  task_id: string | null;
  step: string;
  file_name: string;
  media_type: string;
  size: number;
  sha256: string;
  has_thumbnail: boolean;
  uploaded_by: string;
  uploaded_at: string;
}

/** A problem a package check found (a refused package's `error.details`, a deployment's `warnings`). */
export interface PackageProblem {
  message: string;
  file?: string;
  element?: string;
  line?: number;
}

/** A deployed version of a process (GET /processes/{id}/versions), with its package's file names. */
export interface ProcessVersion {
  process_id: string;
  version: number;
  created_at: string;
  files: string[];
}

export interface Deployment {
  package_id: number;
  created: boolean;
  versions: Omit<ProcessVersion, "files">[];
  warnings: PackageProblem[];
}

/** The contract's error document: a code, a message, and the fields at fault. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
    readonly details: PackageProblem[] = [],
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
let onSignedOut: () => void = () => {};

/** What to do when the API says the session has ended (expired, or signed out elsewhere). */
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

/** The response of a request that succeeded; a refusal is thrown as an ApiError. */
async function send(method: string, path: string, body?: unknown): Promise<Response> {
  // The server words its texts (errors, notifications) in the console's language, kept on <html lang>.
  const headers: Record<string, string> = { Accept: "application/json", "Accept-Language": document.documentElement.lang };
  const form = body instanceof FormData; // multipart: the browser writes its Content-Type and boundary
  if (body !== undefined && !form) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : form ? body : JSON.stringify(body),
    credentials: "same-origin",
  });
  if (!response.ok) {
    if (response.status === 401 && path !== "/session") onSignedOut();
    const error = (await response.json().catch(() => null))?.error ?? {};
    throw new ApiError(response.status, error.code ?? "error", error.message ?? response.statusText, error.fields, error.details);
  }
  return response;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await send(method, path, body);
  if (response.status === 204) return undefined as T;
  return (await response.json().catch(() => null)) as T;
}

function remember(session: Session): Session {
  csrfToken = session.csrf_token;
  return session;
}

export const api = {
  signIn: (name: string, password: string) => call<Session>("POST", "/session", { name, password }).then(remember),
  session: () => call<Session>("GET", "/session").then(remember),
  signOut: () => call<void>("DELETE", "/session").finally(() => (csrfToken = null)),
  tasks: (appealId?: number) => call<Task[]>("GET", appealId ? `/tasks?appeal=${appealId}` : "/tasks"),
  complete: (taskId: string, data: Record<string, unknown>) =>
    call<Appeal>("POST", `/tasks/${encodeURIComponent(taskId)}/complete`, { data }),
  appeal: (id: number) => call<Appeal>("GET", `/appeals/${id}`),
  history: (id: number) => call<HistoryEvent[]>("GET", `/appeals/${id}/history`),
  report: (appeal: NewAppeal) => call<Appeal>("POST", "/appeals", appeal),
  stats: (query: StatsQuery, unit?: string) =>
    call<Stats>("GET", `/stats?${new URLSearchParams({ ...query, ...(unit ? { unit } : {}) })}`),
  appeals: (filters: Record<string, string>) => call<Appeal[]>("GET", `/appeals?${new URLSearchParams(filters)}`),
  claims: () => call<Claim[]>("GET", "/claims"),
  claim: (appealId: number) => call<Appeal>("POST", `/appeals/${appealId}/claim`, {}),
  release: (appealId: number) => call<Appeal>("DELETE", `/appeals/${appealId}/claim`),
  instruct: (appealId: number, text: string) => call<Appeal>("POST", `/appeals/${appealId}/instructions`, { text }),
  remind: (appealId: number, note: string) => call<unknown>("POST", `/appeals/${appealId}/reminders`, { note }),
  extensions: (filters: { status?: string; appeal?: number }) =>
    call<ExtensionRequest[]>("GET", `/extensions?${new URLSearchParams(filters as Record<string, string>)}`),
  askExtension: (taskId: string, until: string, reason: string) =>
    call<ExtensionRequest>("POST", `/tasks/${encodeURIComponent(taskId)}/extensions`, { until, reason }),
  decideExtension: (id: number, approved: boolean, note?: string) =>
    call<ExtensionRequest>("POST", `/extensions/${id}/decision`, { approved, ...(note ? { note } : {}) }),
  /** A link, not a fetch: the browser saves the page (GET needs no CSRF token; the cookie goes along). */
  monthlyReportUrl: (month: string, language: string, unit?: string) =>
    `/api/v1/reports/monthly/${month}?${new URLSearchParams({ lang: language, ...(unit ? { unit } : {}) })}`,
  notifications: () => call<Notification[]>("GET", "/notifications"),
  unreadCount: () => call<{ unread: number }>("GET", "/notifications/unread-count"),
  markRead: (id: number) => call<Notification>("POST", `/notifications/${id}/read`),
  markAllRead: () => call<{ marked: number }>("POST", "/notifications/read-all"),
  passwordLink: (token: string) => call<{ user: string; expires_at: string }>("POST", "/session/password-link/check", { token }),
  setPasswordByLink: (token: string, password: string) =>
    call<Session>("POST", "/session/password-link", { token, password }).then(remember),
  /** A POST, though it only reads: the phone and address stay out of URLs, which logs keep. */
  similar: (typed: CallSoFar) => call<SimilarAppeal[]>("POST", "/appeals/similar", typed),
  returnTask: (taskId: string, reason: string) =>
    call<Appeal>("POST", `/tasks/${encodeURIComponent(taskId)}/return`, { reason }),
  attachments: (appealId: number) => call<Attachment[]>("GET", `/attachments?appeal=${appealId}`),
  /** Attach a file to the appeal's report, or (with `taskId`) to its open task as the proof of a fix. */
  attach: (appealId: number, file: File, taskId?: string) => {
    const body = new FormData();
    body.append("appeal", String(appealId));
    if (taskId) body.append("task_id", taskId);
    body.append("file", file);
    return call<Attachment>("POST", "/attachments", body);
  },
  /** Where the browser fetches a file (with the session cookie: reads need no CSRF token). */
  attachmentUrl: (id: number, kind: "content" | "thumbnail") => `/api/v1/attachments/${id}/${kind}`,
  processVersions: (processId: string) =>
    call<ProcessVersion[]>("GET", `/processes/${encodeURIComponent(processId)}/versions`),
  /** A file of a deployed version, as text (BPMN and DMN are XML, forms JSON). */
  processFile: (processId: string, version: number, name: string) =>
    send("GET", `/processes/${encodeURIComponent(processId)}/versions/${version}/files/${encodeURIComponent(name)}`).then(
      (response) => response.text(),
    ),
  /** Deploy the newest version's package with `files` (name -> text) replaced, through the package checks. */
  deployEdit: (processId: string, baseVersion: number, files: Record<string, string>) =>
    call<Deployment>("POST", `/processes/${encodeURIComponent(processId)}/versions`, { base_version: baseVersion, files }),
  vocabulary: (language: string) =>
    call<{ language: string; names: Vocabulary }>("GET", `/vocabulary?lang=${encodeURIComponent(language)}`),
};
