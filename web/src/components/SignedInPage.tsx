import type { ReactNode } from "react";
import type { Account, Me } from "../api";
import { useAccountSession } from "../hooks/useAccountSession";
import { AccountNotFoundPage, LoadFailedPage } from "../pages/ProblemPages";
import { paths } from "../paths";
import { Redirect } from "../router";
import { LoadingScreen } from "./Layouts";
import { PortalLayout } from "./PortalLayout";

/**
 * A portal page: loads the account and session, sends signed-out people to the login page and
 * people who must change their password to that form, and frames the page for everyone else.
 */
export function SignedInPage({ slug, children }: { slug: string; children: (account: Account, me: Me) => ReactNode }) {
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
          return (
            <PortalLayout account={state.account} me={state.session.me}>
              {children(state.account, state.session.me)}
            </PortalLayout>
          );
      }
  }
}
