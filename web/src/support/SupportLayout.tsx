import { useMemo, type ReactNode } from "react";
import { CardLayout, LoadingScreen } from "../components/Layouts";
import { TopbarLayout, type NavItem } from "../components/TopbarLayout";
import { useEndSession } from "../hooks/useSignOut";
import { LoadFailedPage } from "../pages/ProblemPages";
import { supportPaths } from "../paths";
import { Link, Redirect, useLocation } from "../router";
import { supportApi, type SupportAgent } from "./supportApi";
import { forgetAgent, goToSupportLogin, useSupportSession, type SupportLoginState } from "./supportSession";

/** The console's mark: the same on the sign-in card and in the top bar. */
export function SupportBrand() {
  return (
    <span className="support-brand">
      <span className="support-brand-mark" aria-hidden="true">
        SG
      </span>
      <span className="support-brand-text">
        Staffgate <span className="support-brand-tag">Support console</span>
      </span>
    </span>
  );
}

/** A centred card for the console (sign-in): marked as Staffgate's own tool, not a business's portal. */
export function SupportCardLayout({ children }: { children: ReactNode }) {
  return (
    <CardLayout
      className="support-card-layout"
      eyebrow={<SupportBrand />}
      footer={<>Staffgate vendor support · For Staffgate staff only · Every action is recorded</>}
    >
      {children}
    </CardLayout>
  );
}

const CONSOLE_NAV: readonly NavItem[] = [{ label: "Find a business", to: supportPaths.home }];

/** The signed-in frame: the console's name, navigation, the agent, and "Sign out". */
export function SupportLayout({ agent, children }: { agent: SupportAgent; children: ReactNode }) {
  const signOut = useEndSession(
    () => supportApi.signOut(),
    () => {
      forgetAgent();
      goToSupportLogin("signedOut");
    },
  );
  return (
    <TopbarLayout
      className="support-console"
      topbarClassName="support-topbar"
      brand={
        <Link to={supportPaths.home} className="support-home-link">
          <SupportBrand />
        </Link>
      }
      navLabel="Support console"
      navItems={CONSOLE_NAV}
      signedInAs={agent.name}
      signOut={signOut}
      signOutClassName="button button-on-dark button-small"
    >
      {children}
    </TopbarLayout>
  );
}

/**
 * A console page: checks the agent's session, sends signed-out visitors to the sign-in page (and
 * back here afterwards), and frames the page for the agent.
 */
export function SupportPage({ children }: { children: (agent: SupportAgent) => ReactNode }) {
  const session = useSupportSession();
  const { pathname, search } = useLocation();
  const loginState = useMemo<SupportLoginState>(() => ({ returnTo: `${pathname}${search}` }), [pathname, search]);

  switch (session.kind) {
    case "loading":
      return <LoadingScreen />;
    case "failed":
      return <LoadFailedPage error={session.error} retry={session.retry} />;
    case "signedOut":
      return <Redirect to={supportPaths.login} state={loginState} />;
    case "signedIn":
      return <SupportLayout agent={session.agent}>{children(session.agent)}</SupportLayout>;
  }
}
