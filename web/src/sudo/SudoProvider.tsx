import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from "react";
import { ApiError, api, type TwoFactorSummary } from "../api";
import { Dialog } from "../components/Dialog";
import { ErrorMessage } from "../components/Messages";
import { PasswordField } from "../components/PasswordField";
import { describeError } from "../errors";
import { isSessionEnded } from "../session";
import { CODE_WRONG, PASSKEY_WRONG, RECOVERY_CODE_WRONG, isInvalidSecondFactor } from "../two-factor/codes";
import { describePasskeyError, passkeyAssertion, passkeysSupported } from "../two-factor/passkeys";
import { SecondFactorField, proofOf, type CodeKind } from "../two-factor/SecondFactorField";
import { ReauthenticationCancelled, SudoContext, isReauthenticationRequired, type Sudo } from "./sudo";

interface Waiting {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

type Outcome = { confirmed: true } | { confirmed: false; error: unknown };

/**
 * Gives the signed-in pages of one account `useSudo()`, and shows "Confirm it's you" when a
 * request needs it. Requests that meet the refusal while the prompt is open wait for the same
 * confirmation. The prompt's outcome is handed back only once it has closed and returned focus,
 * so that the form that asked can then move focus itself (to a field with an error, say).
 */
export function SudoProvider({
  slug,
  username,
  twoFactor,
  children,
}: {
  slug: string;
  username: string;
  /** The person's second factors as the page loaded them: the prompt offers a code where they have one. */
  twoFactor: TwoFactorSummary;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const waiting = useRef<Waiting | null>(null);
  const handOver = useRef<(() => void) | null>(null);

  useEffect(() => {
    if (open) return;
    const settle = handOver.current;
    handOver.current = null;
    settle?.();
  }, [open]);

  // Leaving the page while the prompt is open: whoever waits hears "cancelled", not nothing.
  useEffect(
    () => () => {
      waiting.current?.reject(new ReauthenticationCancelled());
      waiting.current = null;
    },
    [],
  );

  const confirm = useCallback((): Promise<void> => {
    if (waiting.current) return waiting.current.promise;
    let resolve: () => void = () => {};
    let reject: (error: unknown) => void = () => {};
    const promise = new Promise<void>((yes, no) => {
      resolve = yes;
      reject = no;
    });
    waiting.current = { promise, resolve, reject };
    setOpen(true);
    return promise;
  }, []);

  const finish = useCallback((outcome: Outcome) => {
    const current = waiting.current;
    waiting.current = null;
    if (!current) return;
    handOver.current = outcome.confirmed ? current.resolve : () => current.reject(outcome.error);
    setOpen(false);
  }, []);

  const sudo = useMemo<Sudo>(() => {
    async function run<T>(request: () => Promise<T>): Promise<T> {
      try {
        return await request();
      } catch (error) {
        if (!isReauthenticationRequired(error)) throw error;
      }
      await confirm();
      // Once only: should the server refuse again, that is an ordinary error for the form.
      return request();
    }
    return run;
  }, [confirm]);

  return (
    <SudoContext value={sudo}>
      {children}
      {open && <ConfirmItsYouDialog slug={slug} username={username} twoFactor={twoFactor} onFinish={finish} />}
    </SudoContext>
  );
}

const INCORRECT = "That password is incorrect. Try again.";

/** How the person proves it's them: the password, or a second factor where they have one. */
type Proof = "password" | CodeKind;

const DESCRIPTIONS: Record<Proof, string> = {
  password: "For your security, enter your password again before this change is made.",
  totpCode: "For your security, enter a code from your authenticator app before this change is made.",
  recoveryCode: "For your security, enter one of your recovery codes before this change is made.",
};

/**
 * The person's factors now: set up or removed since the page loaded (on the home page, say), they
 * still show rightly. Until the answer comes, what the page loaded.
 */
function useCurrentTwoFactor(slug: string, loaded: TwoFactorSummary): TwoFactorSummary {
  const [current, setCurrent] = useState(loaded);
  useEffect(() => {
    const controller = new AbortController();
    api
      .getMe(slug, controller.signal)
      .then((me) => setCurrent(me.twoFactor))
      .catch(() => {}); // then what the page loaded stands
    return () => controller.abort();
  }, [slug]);
  return current;
}

const ALTERNATIVE_LABELS: Record<Proof, string> = {
  password: "Use your password instead",
  totpCode: "Use a code from your authenticator app instead",
  recoveryCode: "Use a recovery code instead",
};

/** The other ways the person can confirm it's them, as links under the field. */
function alternatives(current: Proof, twoFactor: TwoFactorSummary): (readonly [Proof, string])[] {
  const codes: Proof[] = [
    ...(twoFactor.totp ? (["totpCode"] as const) : []),
    ...(twoFactor.recoveryCodesLeft > 0 ? (["recoveryCode"] as const) : []),
  ];
  // From the password, the one code a person most likely has; from a code, the rest.
  const offered = current === "password" ? codes.slice(0, 1) : [...codes, "password" as const];
  return offered.filter((proof) => proof !== current).map((proof) => [proof, ALTERNATIVE_LABELS[proof]] as const);
}

function ConfirmItsYouDialog({
  slug,
  username,
  twoFactor: loaded,
  onFinish,
}: {
  slug: string;
  username: string;
  twoFactor: TwoFactorSummary;
  onFinish: (outcome: Outcome) => void;
}) {
  const twoFactor = useCurrentTwoFactor(slug, loaded);
  const [proof, setProof] = useState<Proof>("password");
  const [value, setValue] = useState("");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  function cancel() {
    onFinish({ confirmed: false, error: new ReauthenticationCancelled() });
  }

  function switchTo(next: Proof) {
    setProof(next);
    setValue("");
    setFieldError(null);
    setFormError(null);
    // The new input appears on the next render.
    setTimeout(() => inputRef.current?.focus(), 0);
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const parsed =
      proof === "password"
        ? value === ""
          ? { problem: "Enter your password." }
          : { proof: { password: value } }
        : proofOf(proof, value);
    if ("problem" in parsed) {
      setFieldError(parsed.problem);
      inputRef.current?.focus();
      return;
    }
    setPending(true);
    setFieldError(null);
    setFormError(null);
    try {
      await api.reauthenticate(slug, parsed.proof);
    } catch (caught) {
      setPending(false);
      // A wrong code is a 401 too, but the session is fine: checked before "signed out".
      const wrong =
        caught instanceof ApiError && caught.code === "current_password_incorrect"
          ? INCORRECT
          : isInvalidSecondFactor(caught)
            ? proof === "recoveryCode"
              ? RECOVERY_CODE_WRONG
              : CODE_WRONG
            : null;
      if (wrong) {
        setValue("");
        setFieldError(wrong);
        inputRef.current?.focus();
        return;
      }
      if (isSessionEnded(caught)) {
        onFinish({ confirmed: false, error: caught });
        return;
      }
      setFormError(describeError(caught));
      return;
    }
    onFinish({ confirmed: true });
  }

  /** A passkey confirms at once: the browser asks for it, no field to fill. */
  async function handlePasskey() {
    if (pending) return;
    setPending(true);
    setFieldError(null);
    setFormError(null);
    try {
      await api.reauthenticate(slug, { passkey: await passkeyAssertion(slug) });
    } catch (caught) {
      setPending(false);
      if (isSessionEnded(caught)) onFinish({ confirmed: false, error: caught });
      else setFormError(isInvalidSecondFactor(caught) ? PASSKEY_WRONG : describePasskeyError(caught));
      return;
    }
    onFinish({ confirmed: true });
  }

  const edit = (next: string) => {
    setValue(next);
    if (fieldError) setFieldError(null);
  };
  const others = alternatives(proof, twoFactor);
  const offerPasskey = twoFactor.passkeys > 0 && passkeysSupported();

  return (
    <Dialog
      title="Confirm it's you"
      description={<p>{DESCRIPTIONS[proof]} You won't be asked again for the next 10 minutes.</p>}
      onClose={cancel}
      initialFocus={inputRef}
    >
      <form className="form" onSubmit={(event) => void handleSubmit(event)} noValidate aria-busy={pending}>
        {formError && <ErrorMessage>{formError}</ErrorMessage>}
        {proof === "password" ? (
          <>
            {/* Lets a password manager offer the right entry. */}
            <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
            <PasswordField
              ref={inputRef}
              label="Your password"
              name="password"
              autoComplete="current-password"
              value={value}
              onChange={edit}
              error={fieldError}
            />
          </>
        ) : (
          <SecondFactorField ref={inputRef} kind={proof} value={value} onChange={edit} error={fieldError} />
        )}
        {(others.length > 0 || offerPasskey) && (
          <p className="dialog-alternatives">
            {offerPasskey && (
              <button type="button" className="button button-link" onClick={() => void handlePasskey()}>
                Use a passkey instead
              </button>
            )}
            {others.map(([next, label]) => (
              <button key={next} type="button" className="button button-link" onClick={() => switchTo(next)}>
                {label}
              </button>
            ))}
          </p>
        )}
        <div className="dialog-actions">
          <button type="submit" className="button button-primary" aria-disabled={pending || undefined}>
            {pending ? "Confirming…" : "Confirm"}
          </button>
          <button type="button" className="button button-secondary" onClick={cancel}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
