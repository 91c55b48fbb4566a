import type { ReactNode } from "react";
import type { Account, Me } from "../api";
import { signedOutReasonState } from "../notices";
import { paths } from "../paths";
import { Redirect } from "../router";
import { AccountSessionPage } from "./AccountPage";
import { PortalLayout } from "./PortalLayout";

/**
 * A portal page: loads the account and session, sends signed-out people to the login page and
 * people who must change their password to that form (or shows `passwordChangeRequired`, on that
 * form's own page), and frames the page for everyone else.
 */
export function SignedInPage({
  slug,
  children,
  passwordChangeRequired,
}: {
  slug: string;
  children: (account: Account, me: Me) => ReactNode;
  passwordChangeRequired?: (account: Account) => ReactNode;
}) {
  return (
    <AccountSessionPage slug={slug}>
      {(account, session) => {
        switch (session.kind) {
          case "signedOut":
            // Say why, when the server said the session ended for a reason (a password change…).
            return (
              <Redirect
                to={paths.login(slug)}
                state={session.reason ? signedOutReasonState(session.reason) : undefined}
              />
            );
          case "passwordChangeRequired":
            return passwordChangeRequired ? (
              passwordChangeRequired(account)
            ) : (
              <Redirect to={paths.changePassword(slug)} />
            );
          case "signedIn":
            return (
              <PortalLayout account={account} me={session.me}>
                {children(account, session.me)}
              </PortalLayout>
            );
        }
      }}
    </AccountSessionPage>
  );
}
