import { ApiError, REAUTHENTICATION_REQUIRED, takeSessionEndReason } from "./api";
import { loginNoticeState, signedOutReasonState, type LoginNotice } from "./notices";
import { paths } from "./paths";
import { navigate } from "./router";

/** 401 answers about what was typed or asked, while the session itself is fine. */
const SESSION_FINE_401 = new Set([REAUTHENTICATION_REQUIRED, "invalid_second_factor"]);

/**
 * The session is gone (ended elsewhere, timed out, or signed out by a change). A 401 asking to
 * confirm the password again (sudo mode) is not that: the session is fine, and the password
 * prompt handles it (sudo/SudoProvider.tsx); nor is a wrong authenticator or recovery code.
 */
export function isSessionEnded(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && !SESSION_FINE_401.has(error.code);
}

/**
 * Shows the login page with one of the fixed notices. Without one, it says why the session
 * ended when the server's last 401 told (api.ts remembers it for a moment), e.g. "Your password
 * was changed — sign in with the new one."
 */
export function goToLogin(slug: string, notice?: LoginNotice): void {
  const reason = notice === undefined ? takeSessionEndReason() : null;
  const state = reason !== null ? signedOutReasonState(reason) : loginNoticeState(notice ?? "sessionEnded");
  navigate(paths.login(slug), { replace: true, state });
}
