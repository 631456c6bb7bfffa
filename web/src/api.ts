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
  form?: { schema: JsonSchema; ui: Record<string, unknown> };
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
  location: { address: string | null } | null;
  created_at: string;
  closed_at: string | null;
  tasks: Task[];
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
  | "event_types";

/** {kind: {code: name}} in one language. */
export type Vocabulary = Partial<Record<CodeKind, Record<string, string>>>;

export interface NewAppeal {
  channel: string;
  title: string;
  description: string;
  category?: string;
  reporter?: { name?: string; phone?: string };
  location?: { address?: string };
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

/** The contract's error document: a code, a message, and the fields at fault. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
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

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  const form = body instanceof FormData; // multipart: the browser writes its Content-Type and boundary
  if (body !== undefined && !form) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : form ? body : JSON.stringify(body),
    credentials: "same-origin",
  });
  if (response.status === 204) return undefined as T;
  const payload = await response.json().catch(() => null);
  if (!response.ok) {
    if (response.status === 401 && path !== "/session") onSignedOut();
    const error = payload?.error ?? {};
    throw new ApiError(response.status, error.code ?? "error", error.message ?? response.statusText, error.fields);
  }
  return payload as T;
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
  vocabulary: (language: string) =>
    call<{ language: string; names: Vocabulary }>("GET", `/vocabulary?lang=${encodeURIComponent(language)}`),
};
