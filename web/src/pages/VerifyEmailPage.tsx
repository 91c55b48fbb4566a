import { useState } from "react";
import { ApiError, api, type Account } from "../api";
import { CardLayout } from "../components/Layouts";
import { ErrorMessage } from "../components/Messages";
import { PageHeading } from "../components/PageHeading";
import { describeError, linkBusiness } from "../errors";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { linkTokenStore, useLinkToken } from "../linkToken";
import { paths } from "../paths";
import { Link } from "../router";

const tokens = linkTokenStore("staffgate.emailVerification");

/** `account` (unusable): the link's business, when the server named it (a link it issued). */
type Outcome = { kind: "confirmed" } | { kind: "unusable"; account: Account | null } | { kind: "inUse" };

/**
 * /verify-email#token=…: where email verification links land. Opening the link changes nothing
 * (mail scanners open links too); the button does. The token leaves the address bar at once.
 */
export function VerifyEmailPage() {
  const token = useLinkToken(tokens);
  if (token === null) return <LinkUnusable account={null} focusHeading={false} />;
  return <VerifyFlow key={token} token={token} />;
}

function VerifyFlow({ token }: { token: string }) {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  if (outcome === null) return <ConfirmEmail token={token} onOutcome={setOutcome} />;
  switch (outcome.kind) {
    case "confirmed":
      return <EmailConfirmed />;
    case "inUse":
      return <EmailInUse />;
    case "unusable":
      return <LinkUnusable account={outcome.account} focusHeading />;
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
          onOutcome({ kind: "unusable", account: linkBusiness(caught) });
          return;
        }
        if (caught.code === "conflict") {
          tokens.forget();
          onOutcome({ kind: "inUse" });
          return;
        }
      }
      setError(describeError(caught));
      return;
    }
    tokens.forget();
    onOutcome({ kind: "confirmed" });
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

/**
 * One page for every link that can't be used: unknown, expired, used, or replaced by a newer one.
 * A new link goes to an address typed again while signed in (nobody may send one to an address
 * from a page without a session), so for a link the server issued the page leads straight to its
 * business's sign-in, without asking for the business address.
 */
function LinkUnusable({ account, focusHeading }: { account: Account | null; focusHeading: boolean }) {
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
      {account !== null ? (
        <div className="actions">
          <Link to={paths.login(account.slug)} className="button button-primary">
            Sign in to {account.name} for a new link
          </Link>
        </div>
      ) : (
        <p>
          <Link to={paths.landing}>Go to sign in</Link>
        </p>
      )}
    </CardLayout>
  );
}
