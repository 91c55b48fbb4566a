import { useState } from "react";
import { ApiError, api } from "../api";
import { describeError } from "../errors";
import { loginNoticeState } from "../notices";
import { paths } from "../paths";
import { navigate } from "../router";

export interface SignOut {
  signOut: () => Promise<void>;
  pending: boolean;
  error: string | null;
}

/**
 * Ends a session with `end` (the API's sign-out), then runs `done`. A 401 means the session had
 * already ended, which is what the person asked for; any other failure is kept in `error`.
 */
export function useEndSession(end: () => Promise<unknown>, done: () => void): SignOut {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function signOut() {
    setPending(true);
    setError(null);
    try {
      await end();
    } catch (caught) {
      if (!(caught instanceof ApiError && caught.status === 401)) {
        setError(describeError(caught));
        setPending(false);
        return;
      }
    }
    done();
  }

  return { signOut, pending, error };
}

/** Ends the session and shows the login page with "You have been signed out." */
export function useSignOut(slug: string): SignOut {
  return useEndSession(
    () => api.signOut(slug),
    () => navigate(paths.login(slug), { replace: true, state: loginNoticeState("signedOut") }),
  );
}
