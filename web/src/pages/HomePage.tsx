import { LoadingScreen } from "../components/Layouts";
import { PageHeading } from "../components/PageHeading";
import { PortalLayout } from "../components/PortalLayout";
import { useAccountSession } from "../hooks/useAccountSession";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { paths } from "../paths";
import { Redirect, navigate } from "../router";
import type { Account, Me } from "../api";
import { AccountNotFoundPage, LoadFailedPage } from "./ProblemPages";

export function HomePage({ slug }: { slug: string }) {
  const state = useAccountSession(slug);

  switch (state.kind) {
    case "loading":
      return <LoadingScreen />;
    case "accountNotFound":
      return <AccountNotFoundPage />;
    case "failed":
      return <LoadFailedPage error={state.error} retry={state.retry} />;
    case "ready":
      switch (state.session.kind) {
        case "signedOut":
          return <Redirect to={paths.login(slug)} />;
        case "passwordChangeRequired":
          return <Redirect to={paths.changePassword(slug)} />;
        case "signedIn":
          return <Home account={state.account} me={state.session.me} />;
      }
  }
}

function Home({ account, me }: { account: Account; me: Me }) {
  useDocumentTitle(account.name);
  return (
    <PortalLayout account={account} me={me}>
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
              <dd>{me.email}</dd>
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
    </PortalLayout>
  );
}
