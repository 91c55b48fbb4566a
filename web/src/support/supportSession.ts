// The signed-in agent, shared by the console's pages, and the way back to the sign-in page when
// the session ends (30 minutes without activity, or signed out elsewhere).
import { useEffect, useState } from "react";
import { ApiError, isAbortError } from "../api";
import { supportPaths } from "../paths";
import { navigate } from "../router";
import { supportApi, type SupportAgent } from "./supportApi";

/** Known after sign-in or the first GET session; forgotten at sign-out or on any 401. */
let knownAgent: SupportAgent | null = null;

export function rememberAgent(agent: SupportAgent): void {
  knownAgent = agent;
}

export function forgetAgent(): void {
  knownAgent = null;
}

export type SupportSessionState =
  | { kind: "loading" }
  | { kind: "signedIn"; agent: SupportAgent }
  | { kind: "signedOut" }
  | { kind: "failed"; error: unknown; retry: () => void };

/** Who is signed in to the console. Pages' own requests notice a session that ends later. */
export function useSupportSession(): SupportSessionState {
  const [state, setState] = useState<SupportSessionState>(() =>
    knownAgent ? { kind: "signedIn", agent: knownAgent } : { kind: "loading" },
  );
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (knownAgent && attempt === 0) return;
    const controller = new AbortController();
    setState({ kind: "loading" });
    supportApi
      .getSession(controller.signal)
      .then(({ agent }) => {
        rememberAgent(agent);
        setState({ kind: "signedIn", agent });
      })
      .catch((error: unknown) => {
        if (isAbortError(error)) return;
        if (error instanceof ApiError && error.status === 401) setState({ kind: "signedOut" });
        else setState({ kind: "failed", error, retry: () => setAttempt((n) => n + 1) });
      });
    return () => controller.abort();
  }, [attempt]);

  return state;
}

// Fixed notices for the sign-in page: history state can never put arbitrary text on the page.
const notices = {
  signedOut: "You have been signed out of the support console.",
  sessionEnded:
    "Your support session has ended (sessions end after 30 minutes without activity). Sign in again to continue.",
} as const;

export type SupportLoginNotice = keyof typeof notices;

export interface SupportLoginState {
  notice?: SupportLoginNotice;
  /** A console page to return to after signing in. */
  returnTo?: string;
}

/** Only pages of the console itself: never another site, never the sign-in page. */
export function isConsolePath(value: unknown): value is string {
  return (
    typeof value === "string" &&
    /^\/support(?:[/?]|$)/.test(value) &&
    !/^\/support\/login(?:[/?]|$)/.test(value) &&
    !value.includes("\\") &&
    !value.includes("//")
  );
}

export function readSupportLoginState(state: unknown): { notice: string | null; returnTo: string | null } {
  if (typeof state !== "object" || state === null) return { notice: null, returnTo: null };
  const { notice, returnTo } = state as Record<string, unknown>;
  return {
    notice: typeof notice === "string" && Object.hasOwn(notices, notice) ? notices[notice as SupportLoginNotice] : null,
    returnTo: isConsolePath(returnTo) ? returnTo : null,
  };
}

function currentConsolePath(): string | undefined {
  const here = `${window.location.pathname}${window.location.search}`;
  return isConsolePath(here) ? here : undefined;
}

/** The session is gone: the sign-in page, with a notice, and back here afterwards. */
export function isSupportSessionEnded(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

export function goToSupportLogin(notice: SupportLoginNotice = "sessionEnded"): void {
  forgetAgent();
  const state: SupportLoginState = { notice };
  const returnTo = notice === "sessionEnded" ? currentConsolePath() : undefined;
  if (returnTo) state.returnTo = returnTo;
  navigate(supportPaths.login, { replace: true, state });
}
