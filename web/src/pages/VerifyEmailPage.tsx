import { useState } from "react";
import { ApiError, api } from "../api";
import { CardLayout } from "../components/Layouts";
import { ErrorMessage } from "../components/Messages";
import { PageHeading } from "../components/PageHeading";
import { describeError } from "../errors";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { linkTokenStore, useLinkToken } from "../linkToken";
import { paths } from "../paths";
import { Link } from "../router";

const tokens = linkTokenStore("staffgate.emailVerification");

type Outcome = "confirmed" | "unusable" | "inUse";

/**
 * /verify-email#token=…: where email verification links land. Opening the link changes nothing
 * (mail scanners open links too); the button does. The token leaves the address bar at once.
 */
export function VerifyEmailPage() {
  const token = useLinkToken(tokens);
  if (token === null) return <LinkUnusable focusHeading={false} />;
  return <VerifyFlow key={token} token={token} />;
}

function VerifyFlow({ token }: { token: string }) {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  switch (outcome) {
    case null:
      return <ConfirmEmail token={token} onOutcome={setOutcome} />;
    case "confirmed":
      return <EmailConfirmed />;
    case "inUse":
      return <EmailInUse />;
    case "unusable":
      return <LinkUnusable focusHeading />;
  }
}

function ConfirmEmail({ token, onOutcome }: { token: string; onOutcome: (outcome: Outcome) => void }) {
  useDocumentTitle("Confirm your email address");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      await api.completeEmailVerification(token);
    } catch (caught) {
      setPending(false);
      if (caught instanceof ApiError) {
        // A token the API can't even parse (a mangled link) is as unusable as an expired one.
        if (caught.code === "verification_link_invalid" || caught.code === "validation_failed") {
          tokens.forget();
          onOutcome("unusable");
          return;
        }
        if (caught.code === "conflict") {
          tokens.forget();
          onOutcome("inUse");
          return;
        }
      }
      setError(describeError(caught));
      return;
    }
    tokens.forget();
    onOutcome("confirmed");
  }

  return (
    <CardLayout eyebrow="Office Portal">
      <PageHeading>Confirm your email address</PageHeading>
      <p className="lead">
        This makes the address this link was sent to the email of your Office Portal sign-in. Password reset links will
        then go to it.
      </p>
      <p>If you didn't ask for this, close this page: nothing changes.</p>
      {error && <ErrorMessage>{error}</ErrorMessage>}
      <div className="actions">
        <button
          type="button"
          className="button button-primary"
          onClick={() => void confirm()}
          aria-disabled={pending || undefined}
        >
          {pending ? "Confirming…" : "Confirm this email"}
        </button>
      </div>
    </CardLayout>
  );
}

function EmailConfirmed() {
  useDocumentTitle("Email address confirmed");
  return (
    <CardLayout eyebrow="Office Portal">
      <PageHeading focusOnMount>Your email address is confirmed</PageHeading>
      <p>It is now the email of your Office Portal sign-in, and password reset links go to it.</p>
      <p>
        <Link to={paths.landing} className="button button-primary">
          Go to sign in
        </Link>
      </p>
    </CardLayout>
  );
}

function EmailInUse() {
  useDocumentTitle("This email address is already in use");
  return (
    <CardLayout eyebrow="Office Portal">
      <PageHeading focusOnMount>This email address is already in use</PageHeading>
      <p>
        Another staff member of the business uses this address, so it can't become yours as well. Your email stays as it
        was.
      </p>
      <p>Ask your manager, or sign in and enter a different address.</p>
    </CardLayout>
  );
}

/** One page for every link that can't be used: unknown, expired, used, or replaced by a newer one. */
function LinkUnusable({ focusHeading }: { focusHeading: boolean }) {
  useDocumentTitle("This link can't be used any more");
  return (
    <CardLayout eyebrow="Confirm email">
      <PageHeading focusOnMount={focusHeading}>This link can't be used any more</PageHeading>
      <p>
        A confirmation link works once, for 24 hours, and only the newest one works. If it was already used, your email
        is confirmed and there is nothing more to do.
      </p>
      <p>
        To get a new link, sign in and enter the new email address again on the STAFF page (Edit next to your name).
        Until it is confirmed, your old address stays in use.
      </p>
      <p>
        <Link to={paths.landing}>Go to sign in</Link>
      </p>
    </CardLayout>
  );
}
