// Sudo mode (shared/API.md v2): sensitive changes need a sign-in or a re-authentication within
// the last 10 minutes, or the server answers `401 reauthentication_required`. Forms send those
// requests through `useSudo()`, which asks for the password in place and retries once; the prompt
// itself lives in SudoProvider.tsx, once for every signed-in page.
import { createContext, useContext } from "react";
import { ApiError, REAUTHENTICATION_REQUIRED } from "../api";

/**
 * Runs `request`; if the server wants the password confirmed first, asks for it, then runs
 * `request` once more. Rejects with `ReauthenticationCancelled` when the person cancels the
 * prompt, and with the API's error when the session has ended meanwhile.
 */
export type Sudo = <T>(request: () => Promise<T>) => Promise<T>;

/** The person closed "Confirm it's you" without confirming: nothing was sent again. */
export class ReauthenticationCancelled extends Error {
  override readonly name = "ReauthenticationCancelled";

  constructor() {
    super("The password wasn't confirmed.");
  }
}

/** What a form says when the prompt was cancelled: its fields stay as they were. */
export const NOT_CONFIRMED = "Not saved, because your password wasn't confirmed. Your changes are still here.";

export function isReauthenticationRequired(error: unknown): boolean {
  return error instanceof ApiError && error.code === REAUTHENTICATION_REQUIRED;
}

export function wasCancelled(error: unknown): error is ReauthenticationCancelled {
  return error instanceof ReauthenticationCancelled;
}

/** Outside a SudoProvider a request just runs: a refusal is then an ordinary error. */
export const SudoContext = createContext<Sudo>((request) => request());

export function useSudo(): Sudo {
  return useContext(SudoContext);
}
