import { useEffect, useState } from "react";
import { ApiError, api, isAbortError, type Account } from "../api";

/** Loading something about an account: `ready` carries what was loaded (always the account). */
export type AccountLoadState<T extends { account: Account }> =
  | { kind: "loading" }
  | ({ kind: "ready" } & T)
  | { kind: "accountNotFound" }
  | { kind: "failed"; error: unknown; retry: () => void };

/**
 * Runs `load` for the account at `slug` (again on retry), telling an unknown account apart from
 * other failures. `load` must keep its identity between renders (a module-level function).
 */
export function useAccountLoad<T extends { account: Account }>(
  slug: string,
  load: (slug: string, signal: AbortSignal) => Promise<T>,
): AccountLoadState<T> {
  const [state, setState] = useState<AccountLoadState<T>>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState({ kind: "loading" });
    load(slug, controller.signal)
      .then((loaded) => setState({ kind: "ready", ...loaded }))
      .catch((error: unknown) => {
        if (isAbortError(error)) return;
        if (error instanceof ApiError && error.code === "not_found") {
          setState({ kind: "accountNotFound" });
        } else {
          setState({ kind: "failed", error, retry: () => setAttempt((n) => n + 1) });
        }
      });
    return () => controller.abort();
  }, [slug, attempt, load]);

  return state;
}

export type AccountState = AccountLoadState<{ account: Account }>;

async function loadAccount(slug: string, signal: AbortSignal): Promise<{ account: Account }> {
  return { account: await api.getAccount(slug, signal) };
}

/** The account's public details (name) for pages used without a session. */
export function useAccount(slug: string): AccountState {
  return useAccountLoad(slug, loadAccount);
}
