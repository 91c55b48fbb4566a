import { useEffect } from "react";
import type { Account, Me } from "../api";
import { PageHeading } from "../components/PageHeading";
import { continueIfWaiting } from "../continueTo";
import { SignedInPage } from "../components/SignedInPage";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { paths } from "../paths";
import { navigate } from "../router";
import { EmailStatus, VerifiedMark, isConfirmedEmail } from "../staff/EmailStatus";
import { TwoStepSection } from "../two-factor/TwoStepSection";

export function HomePage({ slug }: { slug: string }) {
  return <SignedInPage slug={slug}>{(account, me) => <Home account={account} me={me} />}</SignedInPage>;
}

function Home({ account, me }: { account: Account; me: Me }) {
  useDocumentTitle(account.name);
  // Every sign-in ends here (after a second step or a forced change too): back to the app that asked.
  useEffect(() => void continueIfWaiting(), []);
  return (
    <>
      <PageHeading>Welcome, {me.firstName}</PageHeading>
      <p className="lead">You're signed in to the {account.name} Office Portal.</p>
      <section className="panel" aria-labelledby="your-account">
        <h2 id="your-account">Your account</h2>
        <dl className="details">
          <dt>Name</dt>
          <dd>
            {me.firstName} {me.lastName}
          </dd>
          <dt>Username</dt>
          <dd>{me.username}</dd>
          {me.email && (
            <>
              <dt>Email</dt>
              <dd>
                {me.email} {isConfirmedEmail(me) && <VerifiedMark />}
              </dd>
            </>
          )}
          {me.pendingEmail && (
            <>
              <dt>New email</dt>
              <dd>
                <EmailStatus person={me} isSelf />
              </dd>
            </>
          )}
        </dl>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => navigate(paths.changePassword(account.slug))}
        >
          Change password
        </button>
      </section>
      <TwoStepSection account={account} me={me} />
    </>
  );
}
