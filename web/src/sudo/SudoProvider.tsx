import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from "react";
import { ApiError, api } from "../api";
import { Dialog } from "../components/Dialog";
import { ErrorMessage } from "../components/Messages";
import { PasswordField } from "../components/PasswordField";
import { describeError } from "../errors";
import { isSessionEnded } from "../session";
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
export function SudoProvider({ slug, username, children }: { slug: string; username: string; children: ReactNode }) {
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
      {open && <ConfirmItsYouDialog slug={slug} username={username} onFinish={finish} />}
    </SudoContext>
  );
}

const INCORRECT = "That password is incorrect. Try again.";

function ConfirmItsYouDialog({
  slug,
  username,
  onFinish,
}: {
  slug: string;
  username: string;
  onFinish: (outcome: Outcome) => void;
}) {
  const [password, setPassword] = useState("");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  function cancel() {
    onFinish({ confirmed: false, error: new ReauthenticationCancelled() });
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    if (password === "") {
      setFieldError("Enter your password.");
      inputRef.current?.focus();
      return;
    }
    setPending(true);
    setFieldError(null);
    setFormError(null);
    try {
      await api.reauthenticate(slug, password);
    } catch (caught) {
      setPending(false);
      if (isSessionEnded(caught)) {
        onFinish({ confirmed: false, error: caught });
        return;
      }
      if (caught instanceof ApiError && caught.code === "current_password_incorrect") {
        setPassword("");
        setFieldError(INCORRECT);
        inputRef.current?.focus();
        return;
      }
      setFormError(describeError(caught));
      return;
    }
    onFinish({ confirmed: true });
  }

  return (
    <Dialog
      title="Confirm it's you"
      description={
        <p>
          For your security, enter your password again before this change is made. You won't be asked again for the next
          10 minutes.
        </p>
      }
      onClose={cancel}
      initialFocus={inputRef}
    >
      <form className="form" onSubmit={(event) => void handleSubmit(event)} noValidate aria-busy={pending}>
        {formError && <ErrorMessage>{formError}</ErrorMessage>}
        {/* Lets a password manager offer the right entry. */}
        <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
        <PasswordField
          ref={inputRef}
          label="Your password"
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(value) => {
            setPassword(value);
            if (fieldError) setFieldError(null);
          }}
          error={fieldError}
        />
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
