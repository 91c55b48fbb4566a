import { useState } from "react";
import type { SignInResult } from "../api";
import { ErrorMessage } from "../components/Messages";
import { PASSKEY_WRONG, isInvalidSecondFactor } from "./codes";
import { describePasskeyError, passkeyAssertion, passkeysSupported } from "./passkeys";
import { twoFactorApi } from "./twoFactorApi";

/**
 * "Sign in with a passkey" on the sign-in page, for people who registered one: no password, and
 * every rule of a sign-in still holds (the server's). Nothing where the browser can't use passkeys.
 */
export function PasskeySignIn({
  slug,
  staySignedIn,
  onSignedIn,
}: {
  slug: string;
  staySignedIn: boolean;
  onSignedIn: (result: SignInResult) => void;
}) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function signIn() {
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      onSignedIn(await twoFactorApi.signInWithPasskey(slug, await passkeyAssertion(slug, staySignedIn)));
    } catch (caught) {
      setPending(false);
      setError(isInvalidSecondFactor(caught) ? PASSKEY_WRONG : describePasskeyError(caught));
    }
  }

  if (!passkeysSupported()) return null;
  return (
    <div className="secondary-actions">
      {error && <ErrorMessage>{error}</ErrorMessage>}
      <button
        type="button"
        className="button button-secondary"
        onClick={() => void signIn()}
        aria-disabled={pending || undefined}
      >
        Sign in with a passkey
      </button>
    </div>
  );
}
