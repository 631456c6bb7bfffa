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

/** How many times an appeal passed one BPMN element or sequence flow. */
export interface Passed {
  id: string;
  count: number;
}

/** What one process of an appeal (its own, or the escalation it called) passed and waits in. */
export interface ProcessPath {
  process_id: string;
  version: number;
  file: string | null;
  runs: number;
  elements: Passed[];
  flows: Passed[];
  active: string[];
  tasks: { element: string; name: string | null; lane: string | null; unit: string | null; due_at: string | null }[];
  timers: { element: string; name: string | null; due_at: string }[];
}

/** GET /appeals/{id}/path: the path up to event `seq`. */
export interface AppealPath {
  appeal_id: number;
  seq: number;
  at: string;
  processes: ProcessPath[];
}

/** GET /appeals/{id}/state: the appeal just after an event, with the data its next step saw (auditors). */
export interface StateAt {
  seq: number;
  at: string;
  data: Record<string, unknown>;
}

/** GET /appeals/{id}/replay: whether the history replays to the stored state. */
export interface Verdict {
  consistent: boolean;
  events: number;
  first_bad_seq: number | null;
  reason: string | null;
}

/** The parts of an audit bundle the console shows: the transparency log's proof of the last event. */
export interface AuditBundle {
  appeal: { number: string };
  transparency: {
    head: { size: number; root: string; at: string };
    event_seq: number;
    leaf_index: number;
    inclusion: string[];
    previous_head: { size: number } | null;
  };
}

/** A person's account as administrators see it (GET /users): whether it has a password, whether revoked. */
export interface Account extends User {
  unit_name: string | null;
  created_at: string;
  revoked_at: string | null;
  has_password: boolean;
}

/** A new account: the server says which roles need a unit. */
export interface NewUser {
  name: string;
  role: string;
  unit: string | null;
}

/** A one-time set-password link: its token is shown once, to be given to the person (`path` is the page). */
export interface PasswordLink {
  user: string;
  token: string;
  path: string;
  expires_at: string;
}

/** A unit of the city's tree (GET /units, in tree order). */
export interface Unit {
  code: string;
  name: string;
  level: string;
  parent: string | null;
}

/** The contract's error document: a code, a message, and the fields at fault. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
    /** A refused package's problems (422 invalid_package), each at its file, element and line. */
    readonly details: Problem[] = [],
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

/** The response of a request that succeeded (`call` reads JSON; XML diagrams are read as text); a refusal is
 * thrown as an ApiError. */
async function send(method: string, path: string, body?: unknown, accept = "application/json"): Promise<Response> {
  // The server words its texts (errors, notifications) in the console's language, kept on <html lang>.
  const headers: Record<string, string> = { Accept: accept, "Accept-Language": document.documentElement.lang };
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

/** A deployed process with its newest version (GET /processes). */
export interface Process {
  id: string;
  latest_version: number;
  deployed_at: string;
}

export interface ProcessVersion {
  process_id: string;
  version: number;
  created_at: string;
  files: string[];
}

/** One thing wrong in a package, or worth a warning: the file, the element and line when known, what to do. */
export interface Problem {
  file: string;
  element?: string;
  line?: number;
  message: string;
}

export interface PackageCheck {
  errors: Problem[];
  warnings: Problem[];
  deployed_package_id: number | null;
}

export interface Deployment {
  package_id: number;
  created: boolean;
  versions: { process_id: string; version: number; created_at: string }[];
  warnings: Problem[];
}

export interface RuleCells {
  inputs: string[];
  outputs: string[];
}

export interface DecisionChange {
  rules_added: string[];
  rules_removed: string[];
  rules_changed: string[];
  inputs: string[];
  outputs: string[];
  rules: Record<string, { old: RuleCells | null; new: RuleCells | null }>;
}

export interface Changed<T> {
  added: string[];
  removed: string[];
  changed: T;
}

export interface VersionDiff {
  process_id: string;
  from: number;
  to: number;
  steps: Changed<Record<string, string[]>>;
  forms: Changed<string[]>;
  decisions: Record<string, DecisionChange>;
}

export interface MigrationCandidate {
  instance_id: number;
  appeal_number: string | null;
  can_migrate: boolean;
  problems: string[];
}

export interface MigrationResult {
  instance_id: number;
  migrated: boolean;
  problems: string[];
}

export interface Trial {
  id: number;
  process: { id: string; version: number };
  status: "running" | "completed" | "error";
  created_at: string;
}

/** A trial instance as GET /instances/{id} reads it: where it waits (open tasks, timers, messages). */
export interface TrialInstance extends Omit<Trial, "created_at"> {
  error: string | null;
  data: Record<string, unknown>;
  tasks: Task[];
  timers: { step: string; name: string | null; due_at: string }[];
  messages: string[];
}

function packageForm(files: File[]): FormData {
  const body = new FormData();
  for (const file of files) body.append("files", file, file.name);
  return body;
}

const processPath = (id: string) => `/processes/${encodeURIComponent(id)}`;
const userPath = (name: string) => `/users/${encodeURIComponent(name)}`;

export const api = {
  signIn: (name: string, password: string) => call<Session>("POST", "/session", { name, password }).then(remember),
  session: () => call<Session>("GET", "/session").then(remember),
  signOut: () => call<void>("DELETE", "/session").finally(() => (csrfToken = null)),
  tasks: (appealId?: number) => call<Task[]>("GET", appealId ? `/tasks?appeal=${appealId}` : "/tasks"),
  complete: (taskId: string, data: Record<string, unknown>) =>
    call<Appeal>("POST", `/tasks/${encodeURIComponent(taskId)}/complete`, { data }),
  appeal: (id: number) => call<Appeal>("GET", `/appeals/${id}`),
  history: (id: number) => call<HistoryEvent[]>("GET", `/appeals/${id}/history`),
  path: (id: number, seq?: number) => call<AppealPath>("GET", `/appeals/${id}/path${seq ? `?at=${seq}` : ""}`),
  /** The BPMN XML of a process version the appeal ran on. */
  diagram: (id: number, processId: string, version: number) =>
    send("GET", `/appeals/${id}/diagrams/${encodeURIComponent(processId)}/versions/${version}`, undefined, "application/xml").then(
      (response) => response.text(),
    ),
  stateAt: (id: number, seq: number) => call<StateAt>("GET", `/appeals/${id}/state?at=${seq}`),
  replay: (id: number) => call<Verdict>("GET", `/appeals/${id}/replay`),
  auditBundle: (id: number) => call<AuditBundle & Record<string, unknown>>("GET", `/appeals/${id}/audit-bundle`),
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
  processes: () => call<Process[]>("GET", "/processes"),
  checkPackage: (files: File[]) => call<PackageCheck>("POST", "/processes/check", packageForm(files)),
  deploy: (files: File[]) => call<Deployment>("POST", "/processes", packageForm(files)),
  versions: (processId: string) => call<ProcessVersion[]>("GET", `${processPath(processId)}/versions`),
  /** A deployed file's text (BPMN, DMN or a form), as it was deployed. */
  versionFile: (processId: string, version: number, name: string) =>
    send("GET", `${processPath(processId)}/versions/${version}/files/${encodeURIComponent(name)}`, undefined, "*/*").then(
      (response) => response.text(),
    ),
  diff: (processId: string, from: number, to: number) =>
    call<VersionDiff>("GET", `${processPath(processId)}/diff?from=${from}&to=${to}`),
  migrationCheck: (processId: string, version: number) =>
    call<{ instances: MigrationCandidate[] }>("GET", `${processPath(processId)}/versions/${version}/migration`),
  migrate: (processId: string, version: number, instances: number[]) =>
    call<{ results: MigrationResult[] }>("POST", `${processPath(processId)}/versions/${version}/migration`, { instances }),
  trials: (processId: string) => call<Trial[]>("GET", `${processPath(processId)}/instances`),
  startTrial: (processId: string, data: Record<string, unknown>) =>
    call<TrialInstance>("POST", `${processPath(processId)}/instances`, { data }),
  trial: (id: number) => call<TrialInstance>("GET", `/instances/${id}`),
  trialTasks: (id: number) => call<Task[]>("GET", `/tasks?instance=${id}`),
  deliverMessage: (id: number, name: string, payload: Record<string, unknown>) =>
    call<TrialInstance>("POST", `/instances/${id}/messages/${encodeURIComponent(name)}`, { payload }),
  /** Deploy the newest version's package with `files` (name -> text) replaced, through the package checks. */
  deployEdit: (processId: string, baseVersion: number, files: Record<string, string>) =>
    call<Deployment>("POST", `${processPath(processId)}/versions`, { base_version: baseVersion, files }),
  vocabulary: (language: string) =>
    call<{ language: string; names: Vocabulary }>("GET", `/vocabulary?lang=${encodeURIComponent(language)}`),
  units: () => call<Unit[]>("GET", "/units"),
  users: () => call<Account[]>("GET", "/users"),
  addUser: (user: NewUser) => call<{ user: Account; link: PasswordLink }>("POST", "/users", user),
  revokeUser: (name: string) => call<Account>("POST", `${userPath(name)}/revoke`),
  /** A new one-time set-password link for the user (an earlier unused one stays valid until it expires). */
  issuePasswordLink: (name: string) => call<PasswordLink>("POST", `${userPath(name)}/password-link`),
};
