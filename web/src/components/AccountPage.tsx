import type { ReactNode } from "react";
import type { Account } from "../api";
import { useAccount, type AccountLoadState } from "../hooks/useAccount";
import { useAccountSession, type Session } from "../hooks/useAccountSession";
import { AccountNotFoundPage, LoadFailedPage } from "../pages/ProblemPages";
import { LoadingScreen } from "./Layouts";

/** What shows until the account is loaded: "Loading…", "No business at this address", or a retry. */
function Loaded<T extends { account: Account }>({
  state,
  children,
}: {
  state: AccountLoadState<T>;
  children: (loaded: T) => ReactNode;
}) {
  switch (state.kind) {
    case "loading":
      return <LoadingScreen />;
    case "accountNotFound":
      return <AccountNotFoundPage />;
    case "failed":
      return <LoadFailedPage error={state.error} retry={state.retry} />;
    case "ready":
      return children(state);
  }
}

/** A page of an account used without a session (forgot password): loads the account's public details. */
export function AccountPage({ slug, children }: { slug: string; children: (account: Account) => ReactNode }) {
  return <Loaded state={useAccount(slug)}>{({ account }) => children(account)}</Loaded>;
}

/** A page of an account that depends on who is signed in: loads the account and the session. */
export function AccountSessionPage({
  slug,
  children,
}: {
  slug: string;
  children: (account: Account, session: Session) => ReactNode;
}) {
  return <Loaded state={useAccountSession(slug)}>{({ account, session }) => children(account, session)}</Loaded>;
}
