import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { ApiError, api, isAbortError, type ResetLinkInfo } from "../api";
import { CardLayout, LoadingScreen } from "../components/Layouts";
import { ErrorMessage, FieldMessages } from "../components/Messages";
import { PageHeading } from "../components/PageHeading";
import { PasswordField, type PasswordCheck } from "../components/PasswordField";
import { TextField } from "../components/TextField";
import { describeError } from "../errors";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { loginNoticeState } from "../notices";
import {
  PASSWORDS_DO_NOT_MATCH,
  confirmationProblem,
  newPasswordProblems,
  personalWords,
  rejectionMessages,
} from "../password";
import { isSlug, paths, slugFromInput } from "../paths";
import { forgetReset, initialResetToken, readStoredReset, storeReset, takeTokenFromAddress } from "../resetToken";
import { Link, navigate } from "../router";
import { LoadFailedPage } from "./ProblemPages";

/**
 * /reset-password#token=…: where reset links land. Opening the link changes nothing; only
 * submitting a new password does. The token leaves the address bar as soon as the page runs.
 */
export function ResetPasswordPage() {
  const [token, setToken] = useState(initialResetToken);

  // Before the first paint, and again if another link is pasted into this tab.
  useLayoutEffect(() => {
    const take = () => {
      const fresh = takeTokenFromAddress();
      if (fresh !== null) setToken(fresh);
    };
    take();
    window.addEventListener("hashchange", take);
    return () => window.removeEventListener("hashchange", take);
  }, []);

  if (token === null) return <LinkUnusable slug={null} />;
  return <ResetFlow key={token} token={token} />;
}

type FlowState =
  | { kind: "loading" }
  | { kind: "ready"; info: ResetLinkInfo }
  | { kind: "done"; info: ResetLinkInfo }
  /** `replaced`: the screen took the place of the form, so its heading takes focus. */
  | { kind: "unusable"; slug: string | null; replaced: boolean }
  | { kind: "failed"; error: unknown };

function isUnusableLink(error: unknown): boolean {
  // A token the API can't even parse (mangled link) is as unusable as an expired one.
  return error instanceof ApiError && (error.code === "reset_link_invalid" || error.code === "validation_failed");
}

function ResetFlow({ token }: { token: string }) {
  const [state, setState] = useState<FlowState>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState({ kind: "loading" });
    api
      .lookupPasswordReset(token, controller.signal)
      .then((info) => {
        storeReset({ token, slug: info.account.slug });
        setState({ kind: "ready", info });
      })
      .catch((error: unknown) => {
        if (isAbortError(error)) return;
        if (isUnusableLink(error)) {
          const slug = readStoredReset()?.slug ?? null;
          forgetReset();
          setState({ kind: "unusable", slug, replaced: false });
        } else {
          setState({ kind: "failed", error });
        }
      });
    return () => controller.abort();
  }, [token, attempt]);

  const onUnusable = useCallback((slug: string) => {
    forgetReset();
    setState({ kind: "unusable", slug, replaced: true });
  }, []);
  const onDone = useCallback((info: ResetLinkInfo) => {
    forgetReset();
    setState({ kind: "done", info });
  }, []);

  switch (state.kind) {
    case "loading":
      return <LoadingScreen />;
    case "failed":
      return <LoadFailedPage error={state.error} retry={() => setAttempt((n) => n + 1)} />;
    case "unusable":
      return <LinkUnusable slug={state.slug} focusHeading={state.replaced} />;
    case "done":
      return <PasswordChanged info={state.info} />;
    case "ready":
      return <ResetForm token={token} info={state.info} onDone={onDone} onUnusable={onUnusable} />;
  }
}

interface FieldErrors {
  new?: string[];
  confirm?: string;
  form?: string;
}

function formatTime(iso: string): string | null {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  return date.toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
}

function ResetForm({
  token,
  info,
  onDone,
  onUnusable,
}: {
  token: string;
  info: ResetLinkInfo;
  onDone: (info: ResetLinkInfo) => void;
  onUnusable: (slug: string) => void;
}) {
  const { account, username, policy } = info;
  useDocumentTitle(`Choose a new password · ${account.name}`);
  const [newPassword, setNewPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, setPending] = useState(false);
  const newRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);
  const until = formatTime(info.expiresAt);

  const check = useCallback<PasswordCheck>(
    async (password, signal) => {
      try {
        return await api.checkResetPassword(token, password, signal);
      } catch (error) {
        // The link ran out (or a newer one replaced it) while the person was typing: say so now
        // rather than after they have filled in both fields.
        if (error instanceof ApiError && error.code === "reset_link_invalid") onUnusable(account.slug);
        throw error;
      }
    },
    [token, account.slug, onUnusable],
  );
  const ownWords = useMemo(
    () => personalWords({ username, accountName: account.name, accountSlug: account.slug }),
    [username, account],
  );

  function showErrors(found: FieldErrors) {
    setErrors(found);
    const firstInvalid = found.new ? newRef : found.confirm ? confirmRef : null;
    firstInvalid?.current?.focus();
  }

  function serverErrors(error: unknown): FieldErrors {
    if (!(error instanceof ApiError)) return { form: describeError(error) };
    switch (error.code) {
      case "password_rejected":
        return { new: rejectionMessages(error.details, policy) };
      case "passwords_do_not_match":
        return { confirm: PASSWORDS_DO_NOT_MATCH };
      case "validation_failed":
        return { form: "Some fields are missing or invalid. Check them and try again." };
      default:
        return { form: describeError(error) };
    }
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const found: FieldErrors = {};
    const newProblems = newPasswordProblems(newPassword, policy);
    if (newProblems) found.new = newProblems;
    const confirmProblem = confirmationProblem(newPassword, confirm);
    if (confirmProblem) found.confirm = confirmProblem;
    if (Object.keys(found).length > 0) {
      showErrors(found);
      return;
    }

    setPending(true);
    setErrors({});
    try {
      await api.completePasswordReset({ token, password: newPassword, passwordConfirmation: confirm });
      onDone(info);
    } catch (caught) {
      setPending(false);
      if (caught instanceof ApiError && caught.code === "reset_link_invalid") {
        onUnusable(account.slug);
        return;
      }
      showErrors(serverErrors(caught));
    }
  }

  function clearError(field: keyof FieldErrors) {
    if (errors[field]) setErrors((previous) => ({ ...previous, [field]: undefined }));
  }

  return (
    <CardLayout eyebrow={account.name}>
      <PageHeading>Choose a new password</PageHeading>
      <p className="lead">
        For <strong className="identity">{username}</strong> at <strong className="identity">{account.name}</strong>.
        Afterwards you'll be signed out everywhere and sign in again with the new password.
      </p>
      {until && <p className="field-help">This link works until {until}.</p>}
      <form className="form" onSubmit={(event) => void handleSubmit(event)} noValidate aria-busy={pending}>
        {errors.form && <ErrorMessage>{errors.form}</ErrorMessage>}
        {/* Lets password managers file the new password under the right username. */}
        <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
        <PasswordField
          ref={newRef}
          label="New password"
          policy={policy}
          check={check}
          personalWords={ownWords}
          value={newPassword}
          onChange={(value) => {
            setNewPassword(value);
            clearError("new");
          }}
          error={errors.new && <FieldMessages messages={errors.new} />}
        />
        <PasswordField
          ref={confirmRef}
          label="Confirm new password"
          value={confirm}
          onChange={(value) => {
            setConfirm(value);
            clearError("confirm");
          }}
          error={errors.confirm}
        />
        <button type="submit" className="button button-primary" disabled={pending}>
          Set new password
        </button>
      </form>
    </CardLayout>
  );
}

function PasswordChanged({ info }: { info: ResetLinkInfo }) {
  const { account, username } = info;
  useDocumentTitle(`Password changed · ${account.name}`);
  return (
    <CardLayout eyebrow={account.name}>
      <PageHeading focusOnMount>Your password has been changed</PageHeading>
      <p>
        Sign in as <strong className="identity">{username}</strong> with your new password.
      </p>
      <p className="lead">
        For your safety, you've been signed out on every device where you were signed in, and any other reset links you
        asked for no longer work.
      </p>
      <Link
        to={paths.login(account.slug)}
        state={loginNoticeState("passwordChanged")}
        className="button button-primary"
      >
        Go to sign in
      </Link>
    </CardLayout>
  );
}

/**
 * One page for every link that can't be used: unknown, expired, used, replaced by a newer one, or
 * no token at all (the server gives one answer for all of them, on purpose).
 */
function LinkUnusable({ slug, focusHeading = false }: { slug: string | null; focusHeading?: boolean }) {
  useDocumentTitle("This link can't be used any more");
  return (
    <CardLayout eyebrow="Reset password">
      <PageHeading focusOnMount={focusHeading}>This link can't be used any more</PageHeading>
      <p>
        A password reset link works once, and for 30 minutes. When you ask for a new link, any older one stops working —
        so if you asked more than once, use the newest email.
      </p>
      {slug !== null ? (
        <>
          <p>You can ask for a new link now.</p>
          <div className="actions">
            <Link to={paths.forgotPassword(slug)} className="button button-primary">
              Request a new link
            </Link>
            <Link to={paths.login(slug)}>Back to sign in</Link>
          </div>
        </>
      ) : (
        <RequestNewLinkForm />
      )}
    </CardLayout>
  );
}

function RequestNewLinkForm() {
  const [address, setAddress] = useState("");
  const [error, setError] = useState<string | null>(null);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const slug = slugFromInput(address);
    if (slug === "") setError("Enter your business address.");
    else if (!isSlug(slug)) setError("A business address uses only lowercase letters, digits and hyphens.");
    else navigate(paths.forgotPassword(slug));
  }

  return (
    <>
      <p>To ask for a new link, first tell us which business you work for.</p>
      <form className="form" onSubmit={handleSubmit} noValidate>
        <TextField
          label="Business address"
          help="The short name in your sign-in page's web address, for example sunny-swim in /a/sunny-swim/login."
          value={address}
          onChange={(value) => {
            setAddress(value);
            setError(null);
          }}
          error={error}
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
        />
        <button type="submit" className="button button-primary">
          Request a new link
        </button>
      </form>
    </>
  );
}
