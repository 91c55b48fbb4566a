import { useEffect, useState } from "react";
import { ApiError, api, isAbortError, type Account, type Me } from "../api";

/** Who is signed in to this account, as the server sees it (GET me). */
export type Session = { kind: "signedIn"; me: Me } | { kind: "passwordChangeRequired" } | { kind: "signedOut" };

export type AccountSessionState =
  | { kind: "loading" }
  | { kind: "ready"; account: Account; session: Session }
  | { kind: "accountNotFound" }
  | { kind: "failed"; error: unknown; retry: () => void };

async function loadSession(slug: string, signal: AbortSignal): Promise<Session> {
  try {
    return { kind: "signedIn", me: await api.getMe(slug, signal) };
  } catch (error) {
    if (error instanceof ApiError && error.code === "password_change_required") {
      return { kind: "passwordChangeRequired" };
    }
    if (error instanceof ApiError && error.status === 401) return { kind: "signedOut" };
    throw error;
  }
}

/** Loads the account (public) and the current session in parallel. */
export function useAccountSession(slug: string): AccountSessionState {
  const [state, setState] = useState<AccountSessionState>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState({ kind: "loading" });
    Promise.all([api.getAccount(slug, controller.signal), loadSession(slug, controller.signal)])
      .then(([account, session]) => setState({ kind: "ready", account, session }))
      .catch((error: unknown) => {
        if (isAbortError(error)) return;
        if (error instanceof ApiError && error.code === "not_found") {
          setState({ kind: "accountNotFound" });
        } else {
          setState({
            kind: "failed",
            error,
            retry: () => setAttempt((n) => n + 1),
          });
        }
      });
    return () => controller.abort();
  }, [slug, attempt]);

  return state;
}
