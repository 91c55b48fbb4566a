import { useMemo, useState, type ReactNode } from "react";
import { ApiError } from "../api";
import { CardLayout, LoadingScreen } from "../components/Layouts";
import { ErrorMessage } from "../components/Messages";
import { describeError } from "../errors";
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

function useSupportSignOut() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function signOut() {
    setPending(true);
    setError(null);
    try {
      await supportApi.signOut();
    } catch (caught) {
      if (!(caught instanceof ApiError && caught.status === 401)) {
        setError(describeError(caught));
        setPending(false);
        return;
      }
    }
    forgetAgent();
    goToSupportLogin("signedOut");
  }

  return { signOut, pending, error };
}

/** The signed-in frame: the console's name, navigation, the agent, and "Sign out". */
export function SupportLayout({ agent, children }: { agent: SupportAgent; children: ReactNode }) {
  const { pathname } = useLocation();
  const { signOut, pending, error } = useSupportSignOut();
  const onSearch = pathname === supportPaths.home;

  return (
    <div className="portal support-console">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar support-topbar">
        <div className="topbar-inner">
          <Link to={supportPaths.home} className="support-home-link" aria-label="Staffgate support console: home">
            <SupportBrand />
          </Link>
          <nav aria-label="Support console" className="topbar-nav">
            <ul>
              <li>
                <Link to={supportPaths.home} aria-current={onSearch ? "page" : undefined}>
                  Find a business
                </Link>
              </li>
            </ul>
          </nav>
          <div className="topbar-user">
            <span className="signed-in-as">Signed in as {agent.name}</span>
            <button
              type="button"
              className="button button-on-dark button-small"
              onClick={() => void signOut()}
              disabled={pending}
            >
              Sign out
            </button>
          </div>
        </div>
      </header>
      {error && (
        <div className="portal-banner">
          <ErrorMessage>{error}</ErrorMessage>
        </div>
      )}
      <main id="main" className="portal-main" tabIndex={-1}>
        {children}
      </main>
    </div>
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
