import { useEffect, useRef, useState, type FormEvent } from "react";
import { ApiError, isAbortError } from "../api";
import { ErrorMessage } from "../components/Messages";
import { TextField } from "../components/TextField";
import { describeError } from "../errors";
import { supportApi, type SupportAgent, type TotpSetup } from "./supportApi";

/**
 * The support console's second step: every agent uses an authenticator app. An agent without
 * one sets it up here (QR code or the key typed in, then the first code); the others type a code.
 */
export function SupportSecondStep({
  enrollmentRequired,
  onSignedIn,
  onRestart,
}: {
  enrollmentRequired: boolean;
  onSignedIn: (agent: SupportAgent) => void;
  onRestart: (message: string) => void;
}) {
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!enrollmentRequired) return undefined;
    const controller = new AbortController();
    supportApi
      .startTotp(controller.signal)
      .then(setSetup)
      .catch((caught: unknown) => {
        if (!isAbortError(caught)) setError(describeError(caught));
      });
    return () => controller.abort();
  }, [enrollmentRequired]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    if (!/^\d{6}$/.test(code.replace(/\s/g, ""))) {
      setError("Enter the 6-digit code from your authenticator app.");
      codeRef.current?.focus();
      return;
    }
    setPending(true);
    setError(null);
    try {
      const { agent } = enrollmentRequired
        ? await supportApi.confirmTotp(code)
        : await supportApi.completeSecondFactor(code);
      onSignedIn(agent);
    } catch (caught) {
      setPending(false);
      if (caught instanceof ApiError && caught.code === "unauthenticated") {
        onRestart("Your sign-in took too long. Sign in again.");
        return;
      }
      setCode("");
      setError(
        caught instanceof ApiError && caught.code === "invalid_second_factor"
          ? "That code didn't work. Check your authenticator app and try again."
          : describeError(caught),
      );
      codeRef.current?.focus();
    }
  }

  return (
    <form onSubmit={(event) => void submit(event)} noValidate className="support-second-step">
      {enrollmentRequired ? (
        <>
          <h2>Set up two-step sign-in</h2>
          <p>
            Support agents can reach every business, so every agent signs in with an authenticator app too. Scan this
            code with Google Authenticator or any compatible app, or type the key in, then enter the code it shows.
          </p>
          {setup ? (
            <div className="totp-setup">
              <img
                src={`data:image/svg+xml;utf8,${encodeURIComponent(setup.qrSvg)}`}
                alt="QR code for your authenticator app"
                width={200}
                height={200}
              />
              <p>
                Key: <code className="totp-secret">{setup.secret}</code>
              </p>
            </div>
          ) : (
            !error && <p aria-busy="true">Preparing your key…</p>
          )}
        </>
      ) : (
        <>
          <h2>Two-step sign-in</h2>
          <p>Enter the 6-digit code from your authenticator app.</p>
        </>
      )}
      {error && <ErrorMessage>{error}</ErrorMessage>}
      <TextField
        ref={codeRef}
        label="Code from your authenticator app"
        value={code}
        onChange={setCode}
        inputMode="numeric"
        autoComplete="one-time-code"
        name="totpCode"
        autoFocus
      />
      <button type="submit" className="button" aria-disabled={pending || undefined}>
        {pending ? "Checking…" : enrollmentRequired ? "Confirm and sign in" : "Sign in"}
      </button>
    </form>
  );
}
