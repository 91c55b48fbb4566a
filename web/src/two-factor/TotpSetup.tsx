import type { Sudo } from "../sudo/sudo";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { ApiError } from "../api";
import { ErrorMessage } from "../components/Messages";
import { describeError } from "../errors";
import { CODE_MISSING, CODE_WRONG, isInvalidSecondFactor, totpCodeFrom } from "./codes";
import { CopyButton } from "./CopyButton";
import { SecondFactorField } from "./SecondFactorField";
import { twoFactorApi, type TotpConfirmed, type TotpEnrolment } from "./twoFactorApi";
import "./two-factor.css";

type Load = { kind: "starting" } | { kind: "ready"; enrolment: TotpEnrolment } | { kind: "failed"; error: unknown };

/** A 401 that isn't about the code: the session, or the pending sign-in, is over. */
const isUnauthenticated = (error: unknown) => error instanceof ApiError && error.status === 401;

/** The QR code as an image: the CSP allows `data:` images, not an inline <svg> with its styles. */
function qrImageSource(svg: string): string {
  return `data:image/svg+xml;utf8,${encodeURIComponent(svg)}`;
}

/**
 * Setting up an authenticator app: the QR code (or the key to type), then the app's first code.
 * Used signed in (opting in) and during a sign-in the business requires it for; `onUnauthenticated`
 * hears a 401 that isn't about the code (the session or the pending sign-in is over).
 */
export function TotpSetup({
  slug,
  confirmLabel,
  onConfirmed,
  onUnauthenticated,
  run = (request) => request(),
}: {
  slug: string;
  confirmLabel: string;
  onConfirmed: (result: TotpConfirmed) => void;
  onUnauthenticated: (error: unknown) => void;
  /** Signed in, setting up a factor is a sensitive change: the requests go through sudo mode. */
  run?: Sudo;
}) {
  const [load, setLoad] = useState<Load>({ kind: "starting" });
  const [attempt, setAttempt] = useState(0);
  const [code, setCode] = useState("");
  const [codeError, setCodeError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);
  const startedAttempt = useRef(-1);
  const alive = useRef(true);
  const onUnauthenticatedRef = useRef(onUnauthenticated);

  useEffect(() => {
    onUnauthenticatedRef.current = onUnauthenticated;
  });

  // Each start replaces the key waiting on the server, so it runs once per attempt (not twice
  // under StrictMode, which would leave the page showing a key the server no longer holds).
  useEffect(() => {
    alive.current = true;
    if (startedAttempt.current !== attempt) {
      startedAttempt.current = attempt;
      run(() => twoFactorApi.startTotp(slug))
        .then((enrolment) => {
          if (alive.current) setLoad({ kind: "ready", enrolment });
        })
        .catch((error: unknown) => {
          if (!alive.current) return;
          if (isUnauthenticated(error)) onUnauthenticatedRef.current(error);
          else setLoad({ kind: "failed", error });
        });
    }
    return () => {
      alive.current = false;
    };
  }, [slug, attempt]);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const totpCode = totpCodeFrom(code);
    if (totpCode === null) {
      setCodeError(CODE_MISSING);
      codeRef.current?.focus();
      return;
    }
    setPending(true);
    setCodeError(null);
    setFormError(null);
    try {
      onConfirmed(await run(() => twoFactorApi.confirmTotp(slug, totpCode)));
    } catch (error) {
      setPending(false);
      if (isInvalidSecondFactor(error)) {
        setCode("");
        setCodeError(CODE_WRONG);
        codeRef.current?.focus();
      } else if (isUnauthenticated(error)) {
        onUnauthenticated(error);
      } else {
        setFormError(describeError(error));
      }
    }
  }

  if (load.kind === "starting") return <p className="loading">Getting your setup key…</p>;
  if (load.kind === "failed") {
    return (
      <>
        <ErrorMessage>{describeError(load.error)}</ErrorMessage>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => {
            setLoad({ kind: "starting" });
            setAttempt((n) => n + 1);
          }}
        >
          Try again
        </button>
      </>
    );
  }

  const { enrolment } = load;
  return (
    <ol className="setup-steps">
      <li>
        <p>
          <strong>Open an authenticator app on your phone.</strong> Any app that shows 6-digit sign-in codes works, such
          as Google Authenticator, Microsoft Authenticator or 1Password. Install one first if you need to.
        </p>
      </li>
      <li>
        <p>
          <strong>In the app, add an account and scan this QR code.</strong>
        </p>
        <img
          className="qr-code"
          src={qrImageSource(enrolment.qrSvg)}
          alt="QR code for your authenticator app (the setup key below holds the same)"
          width={200}
          height={200}
        />
        <p className="field-help">
          On this phone already? <a href={enrolment.otpauthUri}>Open the setup in your authenticator app</a>.
        </p>
        <p>Can't scan it? Choose to enter a setup key in the app, and type this key:</p>
        <p className="secret-key-row">
          <code className="secret-key">{enrolment.secret}</code>{" "}
          <CopyButton text={enrolment.secret.replace(/\s+/g, "")} label="Copy key" copied="Key copied." />
        </p>
      </li>
      <li>
        <p>
          <strong>Enter the 6-digit code the app now shows.</strong>
        </p>
        <form className="form" onSubmit={(event) => void handleSubmit(event)} noValidate aria-busy={pending}>
          {formError && <ErrorMessage>{formError}</ErrorMessage>}
          <SecondFactorField
            ref={codeRef}
            kind="totpCode"
            value={code}
            onChange={(value) => {
              setCode(value);
              if (codeError) setCodeError(null);
            }}
            error={codeError}
          />
          <div className="form-actions">
            <button type="submit" className="button button-primary" aria-disabled={pending || undefined}>
              {pending ? "Checking…" : confirmLabel}
            </button>
          </div>
        </form>
      </li>
    </ol>
  );
}
