// Who is signed in: asked of the API once when the page loads (the cookie is HttpOnly), then kept here.
import { createContext, useContext } from "react";

import type { Session } from "./api";

export interface SessionState {
  session: Session;
  signOut: () => void;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error("useSession outside a signed-in page");
  return state;
}
