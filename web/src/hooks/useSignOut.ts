import { useState } from "react";
import { ApiError, api } from "../api";
import { describeError } from "../errors";
import { loginNoticeState } from "../notices";
import { paths } from "../paths";
import { navigate } from "../router";

/** Ends the session and shows the login page with "You have been signed out." */
export function useSignOut(slug: string) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function signOut() {
    setPending(true);
    setError(null);
    try {
      await api.signOut(slug);
    } catch (caught) {
      // 401: the session had already ended, which is what the person asked for.
      if (!(caught instanceof ApiError && caught.status === 401)) {
        setError(describeError(caught));
        setPending(false);
        return;
      }
    }
    navigate(paths.login(slug), {
      replace: true,
      state: loginNoticeState("signedOut"),
    });
  }

  return { signOut, pending, error };
}
