import { useEffect, useRef, useState, type FormEvent } from "react";
import { ApiError, api, type Account } from "../api";
import { AccountPage } from "../components/AccountPage";
import { CardLayout } from "../components/Layouts";
import { ErrorMessage, Notice } from "../components/Messages";
import { PageHeading } from "../components/PageHeading";
import { TextField } from "../components/TextField";
import { describeError } from "../errors";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { paths } from "../paths";
import { Link } from "../router";

/**
 * /a/{account}/forgot-password: asks for a reset link by email. The server answers the same for
 * every login (it never tells whether someone exists), so the page shows its message as it is.
 */
export function ForgotPasswordPage({ slug }: { slug: string }) {
  return <AccountPage slug={slug}>{(account) => <ForgotPassword account={account} />}</AccountPage>;
}

const EMPTY_LOGIN = "Enter your username or email address.";

function requestErrorMessage(error: unknown): string {
  if (error instanceof ApiError && error.code === "validation_failed") return EMPTY_LOGIN;
  return describeError(error);
}

function ForgotPassword({ account }: { account: Account }) {
  useDocumentTitle(`Reset your password · ${account.name}`);
  const [login, setLogin] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [sent, setSent] = useState<{ message: string; supportContact?: string } | null>(null);
  const loginRef = useRef<HTMLInputElement>(null);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const value = login.trim();
    if (value === "") {
      setError(null);
      setFieldError(EMPTY_LOGIN);
      loginRef.current?.focus();
      return;
    }

    setPending(true);
    setError(null);
    setFieldError(null);
    try {
      setSent(await api.requestPasswordReset(account.slug, value));
    } catch (caught) {
      setPending(false);
      if (caught instanceof ApiError && caught.code === "validation_failed") {
        setFieldError(requestErrorMessage(caught));
        loginRef.current?.focus();
      } else {
        setError(requestErrorMessage(caught));
      }
    }
  }

  return (
    <CardLayout eyebrow="Office Portal">
      <PageHeading>{account.name}</PageHeading>
      {sent === null ? (
        <>
          <h2>Reset your password</h2>
          <p className="lead">
            Enter your username or the email address on your staff profile. We'll email a link to reset your password.
          </p>
          <p className="lead">The Business Owner's password can't be reset this way — contact Staffgate support.</p>
          {error && <ErrorMessage>{error}</ErrorMessage>}
          <form className="form" onSubmit={(event) => void handleSubmit(event)} noValidate aria-busy={pending}>
            <TextField
              ref={loginRef}
              label="Username or email"
              name="username"
              value={login}
              onChange={(value) => {
                setLogin(value);
                setFieldError(null);
              }}
              error={fieldError}
              autoComplete="username"
              autoCapitalize="off"
              autoCorrect="off"
              spellCheck={false}
              required
            />
            <button type="submit" className="button button-primary" disabled={pending}>
              Email me a reset link
            </button>
          </form>
          <p>
            <Link to={paths.login(account.slug)}>Back to sign in</Link>
          </p>
        </>
      ) : (
        <ResetRequested message={sent.message} supportContact={sent.supportContact} account={account} />
      )}
    </CardLayout>
  );
}

/**
 * The same screen for everyone, owner or not (it never tells whose login it was): the owner gets
 * no link this way, so the vendor's support contact is on screen, not only in the owner's email.
 */
function ResetRequested({
  message,
  supportContact,
  account,
}: {
  message: string;
  supportContact: string | undefined;
  account: Account;
}) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  // The form that had focus is gone; start keyboard and screen-reader users at the outcome.
  useEffect(() => headingRef.current?.focus(), []);

  return (
    <>
      <h2 ref={headingRef} tabIndex={-1} className="page-heading">
        Check your email
      </h2>
      <Notice>{message}</Notice>
      <p className="lead">
        No email after a few minutes? Check your spam folder, or ask someone with Admin Access at {account.name} for
        help.
      </p>
      <div className="message message-info">
        <p>The Business Owner's password can't be reset by email.</p>
        <p className="last">{supportContact ?? "Contact Staffgate support to recover the owner account."}</p>
      </div>
      <p>
        <Link to={paths.login(account.slug)}>Back to sign in</Link>
      </p>
    </>
  );
}
