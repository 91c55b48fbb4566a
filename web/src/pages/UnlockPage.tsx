import { useState } from "react";
import { ApiError, api, type Account, type UnlockResult } from "../api";
import { CardLayout } from "../components/Layouts";
import { ErrorMessage } from "../components/Messages";
import { NewLinkOffer } from "../components/NewLinkOffer";
import { PageHeading } from "../components/PageHeading";
import { describeError, linkBusiness } from "../errors";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { linkTokenStore, useLinkToken } from "../linkToken";
import { paths } from "../paths";
import { Link } from "../router";

const tokens = linkTokenStore("staffgate.loginUnlock");

/** `account`: the unusable link's business, when the server named it (a link it issued). */
type Outcome = { kind: "unlocked"; result: UnlockResult } | { kind: "unusable"; account: Account | null };

/**
 * /unlock#token=…: where the link in "Your sign-in was locked" lands. Opening the link changes
 * nothing; the button lifts the lock (no password changes) and makes this browser a trusted one.
 * The token leaves the address bar at once.
 */
export function UnlockPage() {
  const token = useLinkToken(tokens);
  if (token === null) return <LinkUnusable account={null} focusHeading={false} />;
  return <UnlockFlow key={token} token={token} />;
}

function UnlockFlow({ token }: { token: string }) {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  if (outcome === null) return <Unlock token={token} onOutcome={setOutcome} />;
  if (outcome.kind === "unusable") return <LinkUnusable account={outcome.account} focusHeading />;
  return <Unlocked result={outcome.result} />;
}

function Unlock({ token, onOutcome }: { token: string; onOutcome: (outcome: Outcome) => void }) {
  useDocumentTitle("Unlock your sign-in");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function unlock() {
    if (pending) return;
    setPending(true);
    setError(null);
    let result: UnlockResult;
    try {
      result = await api.completeLoginUnlock(token);
    } catch (caught) {
      setPending(false);
      // A token the API can't even parse (a mangled link) is as unusable as an expired one.
      if (
        caught instanceof ApiError &&
        (caught.code === "unlock_link_invalid" || caught.code === "validation_failed")
      ) {
        tokens.forget();
        onOutcome({ kind: "unusable", account: linkBusiness(caught) });
        return;
      }
      setError(describeError(caught));
      return;
    }
    tokens.forget();
    onOutcome({ kind: "unlocked", result });
  }

  return (
    <CardLayout eyebrow="Office Portal">
      <PageHeading>Unlock your sign-in</PageHeading>
      <p className="lead">
        Your Office Portal sign-in was locked after 100 wrong passwords in a row. Unlocking doesn't change your
        password: afterwards you sign in with it as usual.
      </p>
      <p>
        This browser will also be trusted for your sign-in, so wrong passwords typed anywhere else can't lock you out of
        it. Unlock on a device you use yourself, not a shared one.
      </p>
      {error && <ErrorMessage>{error}</ErrorMessage>}
      <div className="actions">
        <button
          type="button"
          className="button button-primary"
          onClick={() => void unlock()}
          aria-disabled={pending || undefined}
        >
          {pending ? "Unlocking…" : "Unlock my sign-in"}
        </button>
      </div>
    </CardLayout>
  );
}

function Unlocked({ result }: { result: UnlockResult }) {
  const { account, username } = result;
  useDocumentTitle(`Sign-in unlocked · ${account.name}`);
  return (
    <CardLayout eyebrow={account.name}>
      <PageHeading focusOnMount>Your sign-in at {account.name} is unlocked</PageHeading>
      <p>
        This browser is now trusted: wrong passwords typed elsewhere won't lock you out here. Sign in as{" "}
        <strong className="identity">{username}</strong> with your usual password.
      </p>
      <p className="lead">
        If you didn't type those wrong passwords yourself, someone may be guessing your password. Choose a new one after
        you sign in (Change password on your home page).
      </p>
      <Link to={paths.login(account.slug)} className="button button-primary">
        Go to sign in
      </Link>
    </CardLayout>
  );
}

/**
 * One page for every link that can't be used: unknown, expired, used, or no token at all. For a
 * link the server issued, it knows the business: a password reset link (which also lifts a lock)
 * is a click away there.
 */
function LinkUnusable({ account, focusHeading }: { account: Account | null; focusHeading: boolean }) {
  useDocumentTitle("This link can't be used any more");
  return (
    <CardLayout eyebrow="Unlock sign-in">
      <PageHeading focusOnMount={focusHeading}>This link can't be used any more</PageHeading>
      <p>An unlock link works once, for 24 hours. If it was already used, your sign-in is unlocked: just sign in.</p>
      {account !== null ? (
        <>
          <p>If your sign-in is still locked, a password reset link unlocks it too.</p>
          <NewLinkOffer account={account} login={null} />
        </>
      ) : (
        <>
          <p>
            If your sign-in is still locked, use “Forgot password?” on your business's sign-in page, or ask your manager
            to send you a password reset link.
          </p>
          <p>
            <Link to={paths.landing}>Go to sign in</Link>
          </p>
        </>
      )}
    </CardLayout>
  );
}
