import { ApiError, REAUTHENTICATION_REQUIRED } from "./api";
import { loginNoticeState, type LoginNotice } from "./notices";
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

/** Shows the login page with one of the fixed notices. */
export function goToLogin(slug: string, notice: LoginNotice = "sessionEnded"): void {
  navigate(paths.login(slug), { replace: true, state: loginNoticeState(notice) });
}
