import { useEffect, useRef, useState, type FormEvent } from "react";
import type { SecondFactorKind, SignInResult } from "../api";
import { ErrorMessage } from "../components/Messages";
import {
  CODE_WRONG,
  PASSKEY_WRONG,
  RECOVERY_CODE_WRONG,
  SIGN_IN_TOOK_TOO_LONG,
  isInvalidSecondFactor,
  isPendingSignInOver,
} from "./codes";
import { describePasskeyError, passkeyAssertion, passkeysSupported } from "./passkeys";
import { SecondFactorField, proofOf, type CodeKind } from "./SecondFactorField";
import { twoFactorApi } from "./twoFactorApi";

/** How the step is done: a code typed, or a passkey. */
type Way = CodeKind | "passkey";

/** The codes a person may type, in the order offered, with the link that switches to each. */
const CODE_KINDS: readonly (readonly [CodeKind, string])[] = [
  ["totpCode", "Use a code from your authenticator app instead"],
  ["recoveryCode", "Use a recovery code instead"],
];

/**
 * The second step of a sign-in: a code from the authenticator app, a recovery code, or a passkey.
 * Resolves through `onSignedIn` as a sign-in does; `onStartAgain` goes back to the password, with why.
 */
export function SecondStep({
  slug,
  business,
  methods,
  onSignedIn,
  onStartAgain,
}: {
  slug: string;
  /** The business's name, as the authenticator app shows it. */
  business: string;
  methods: readonly SecondFactorKind[];
  onSignedIn: (result: SignInResult) => void;
  onStartAgain: (notice: string | null) => void;
}) {
  const codeKinds = CODE_KINDS.filter(([kind]) => methods.includes(kind === "totpCode" ? "totp" : "recovery_code"));
  const canUsePasskey = methods.includes("passkey") && passkeysSupported();
  // The app's code first, where there is an app; else the passkey; else a recovery code.
  const [way, setWay] = useState<Way>(
    methods.includes("totp") ? "totpCode" : canUsePasskey ? "passkey" : "recoveryCode",
  );
  const [value, setValue] = useState("");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const passkeyRef = useRef<HTMLButtonElement>(null);

  // The field (or the passkey button) takes focus when the step appears and whenever the way changes.
  useEffect(() => {
    (way === "passkey" ? passkeyRef : inputRef).current?.focus();
  }, [way]);

  function switchTo(next: Way) {
    setWay(next);
    setValue("");
    setFieldError(null);
    setFormError(null);
  }

  /** What every way of completing the step does with its outcome. */
  async function complete(attempt: () => Promise<SignInResult>, wrong: () => void) {
    setPending(true);
    setFieldError(null);
    setFormError(null);
    try {
      onSignedIn(await attempt());
    } catch (error) {
      setPending(false);
      if (isInvalidSecondFactor(error)) wrong();
      else if (isPendingSignInOver(error)) onStartAgain(SIGN_IN_TOOK_TOO_LONG);
      else setFormError(describePasskeyError(error));
    }
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending || way === "passkey") return;
    const kind = way;
    const parsed = proofOf(kind, value);
    if ("problem" in parsed) {
      setFieldError(parsed.problem);
      inputRef.current?.focus();
      return;
    }
    void complete(
      () => twoFactorApi.completeSignIn(slug, parsed.proof),
      () => {
        setValue("");
        setFieldError(kind === "totpCode" ? CODE_WRONG : RECOVERY_CODE_WRONG);
        inputRef.current?.focus();
      },
    );
  }

  function handlePasskey() {
    if (pending) return;
    void complete(
      async () => twoFactorApi.signInWithPasskey(slug, await passkeyAssertion(slug)),
      () => setFormError(PASSKEY_WRONG),
    );
  }

  if (codeKinds.length === 0 && !canUsePasskey) {
    return (
      <>
        <p>
          This browser can't use passkeys. Sign in on the device that holds your passkey, or ask someone with Admin
          Access to reset your two-step sign-in.
        </p>
        <button type="button" className="button button-secondary" onClick={() => onStartAgain(null)}>
          Back to sign-in
        </button>
      </>
    );
  }

  return (
    <>
      <p className="lead">
        {way === "passkey"
          ? "Confirm it's you with your passkey: your device asks for your fingerprint, face, PIN or security key."
          : way === "totpCode"
            ? `Open the authenticator app on your phone and enter the 6-digit code it shows for ${business}.`
            : "Enter one of the recovery codes you saved when you set up two-step sign-in."}
      </p>
      {formError && <ErrorMessage>{formError}</ErrorMessage>}
      {way === "passkey" ? (
        <div className="form-actions">
          <button
            ref={passkeyRef}
            type="button"
            className="button button-primary"
            onClick={handlePasskey}
            aria-disabled={pending || undefined}
          >
            Use your passkey
          </button>
        </div>
      ) : (
        <form className="form" onSubmit={handleSubmit} noValidate aria-busy={pending}>
          <SecondFactorField
            ref={inputRef}
            kind={way}
            value={value}
            onChange={(next) => {
              setValue(next);
              if (fieldError) setFieldError(null);
            }}
            error={fieldError}
          />
          <div className="form-actions">
            <button type="submit" className="button button-primary" aria-disabled={pending || undefined}>
              {pending ? "Checking…" : "Continue"}
            </button>
            {canUsePasskey && (
              <button
                type="button"
                className="button button-secondary"
                onClick={handlePasskey}
                aria-disabled={pending || undefined}
              >
                Use a passkey instead
              </button>
            )}
          </div>
        </form>
      )}
      <div className="secondary-actions two-step-links">
        {codeKinds
          .filter(([kind]) => kind !== way)
          .map(([kind, label]) => (
            <button key={kind} type="button" className="button button-link" onClick={() => switchTo(kind)}>
              {label}
            </button>
          ))}
        <button type="button" className="button button-link" onClick={() => onStartAgain(null)}>
          Back to sign-in
        </button>
      </div>
    </>
  );
}
