import { ApiError, api, type Account, type Me } from "../api";
import { useAccountLoad, type AccountLoadState } from "./useAccount";

/** Who is signed in to this account, as the server sees it (GET me). */
export type Session =
  | { kind: "signedIn"; me: Me }
  | { kind: "passwordChangeRequired" }
  /** `reason`: why the server ended this browser's session, when it said (see session.ts). */
  | { kind: "signedOut"; reason: string | null };

export type AccountSessionState = AccountLoadState<{ account: Account; session: Session }>;

async function loadSession(slug: string, signal: AbortSignal): Promise<Session> {
  try {
    return { kind: "signedIn", me: await api.getMe(slug, signal) };
  } catch (error) {
    if (error instanceof ApiError && error.code === "password_change_required") {
      return { kind: "passwordChangeRequired" };
    }
    if (error instanceof ApiError && error.status === 401) {
      const reason = error.details.reason;
      return { kind: "signedOut", reason: typeof reason === "string" ? reason : null };
    }
    throw error;
  }
}

async function loadAccountAndSession(
  slug: string,
  signal: AbortSignal,
): Promise<{ account: Account; session: Session }> {
  const [account, session] = await Promise.all([api.getAccount(slug, signal), loadSession(slug, signal)]);
  return { account, session };
}

/** Loads the account (public) and the current session in parallel. */
export function useAccountSession(slug: string): AccountSessionState {
  return useAccountLoad(slug, loadAccountAndSession);
}
