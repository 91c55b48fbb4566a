import { ApiError } from "./api";
import { loginNoticeState, type LoginNotice } from "./notices";
import { paths } from "./paths";
import { navigate } from "./router";

/** The session is gone (ended elsewhere, timed out, or signed out by a change). */
export function isSessionEnded(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

/** Shows the login page with one of the fixed notices. */
export function goToLogin(slug: string, notice: LoginNotice = "sessionEnded"): void {
  navigate(paths.login(slug), { replace: true, state: loginNoticeState(notice) });
}
