import { useEffect, useState } from "react";
import { ApiError, api, isAbortError, type Account } from "../api";

export type AccountState =
  | { kind: "loading" }
  | { kind: "ready"; account: Account }
  | { kind: "accountNotFound" }
  | { kind: "failed"; error: unknown; retry: () => void };

/** The account's public details (name) for pages used without a session. */
export function useAccount(slug: string): AccountState {
  const [state, setState] = useState<AccountState>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState({ kind: "loading" });
    api
      .getAccount(slug, controller.signal)
      .then((account) => setState({ kind: "ready", account }))
      .catch((error: unknown) => {
        if (isAbortError(error)) return;
        if (error instanceof ApiError && error.code === "not_found") {
          setState({ kind: "accountNotFound" });
        } else {
          setState({ kind: "failed", error, retry: () => setAttempt((n) => n + 1) });
        }
      });
    return () => controller.abort();
  }, [slug, attempt]);

  return state;
}
