import { Fragment, Suspense, lazy, type ReactNode } from "react";
import { LoadingScreen } from "./components/Layouts";
import { isSlug } from "./paths";
import { ChangePasswordPage } from "./pages/ChangePasswordPage";
import { ForgotPasswordPage } from "./pages/ForgotPasswordPage";
import { HomePage } from "./pages/HomePage";
import { LandingPage } from "./pages/LandingPage";
import { LoginPage } from "./pages/LoginPage";
import { AccountNotFoundPage, NotFoundPage } from "./pages/ProblemPages";
import { ResetPasswordPage } from "./pages/ResetPasswordPage";
import { SettingsPage } from "./pages/SettingsPage";
import { StaffPage } from "./pages/StaffPage";
import { AuditLogPage } from "./pages/AuditLogPage";
import { SecurityOverviewPage } from "./pages/SecurityOverviewPage";
import { UnlockPage } from "./pages/UnlockPage";
import { VerifyEmailPage } from "./pages/VerifyEmailPage";
import { useLocation } from "./router";

// The support console is for Staffgate's own agents: its code loads only when it is used.
const SupportApp = lazy(() => import("./support/SupportApp").then((module) => ({ default: module.SupportApp })));

/** Where links sent by email land; each takes its token from the address's fragment. */
const linkPages: Record<string, () => ReactNode> = {
  "reset-password": () => <ResetPasswordPage />,
  "verify-email": () => <VerifyEmailPage />,
  unlock: () => <UnlockPage />,
};

const accountPages: Record<string, (slug: string) => ReactNode> = {
  "": (slug) => <HomePage slug={slug} />,
  login: (slug) => <LoginPage slug={slug} />,
  "forgot-password": (slug) => <ForgotPasswordPage slug={slug} />,
  "change-password": (slug) => <ChangePasswordPage slug={slug} />,
  settings: (slug) => <SettingsPage slug={slug} />,
  staff: (slug) => <StaffPage slug={slug} />,
  audit: (slug) => <AuditLogPage slug={slug} />,
  security: (slug) => <SecurityOverviewPage slug={slug} />,
};

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** Maps a pathname to a page. A trailing slash is ignored: /a/acme/ is /a/acme. */
function route(pathname: string): ReactNode {
  const segments = pathname.split("/").filter((segment) => segment !== "");
  if (segments.length === 0) return <LandingPage />;
  const [only] = segments;
  if (segments.length === 1 && only !== undefined && Object.hasOwn(linkPages, only)) return linkPages[only]?.();
  if (segments[0] === "support") {
    return (
      <Suspense fallback={<LoadingScreen />}>
        <SupportApp segments={segments.slice(1)} />
      </Suspense>
    );
  }

  const [first, rawSlug, page = "", ...rest] = segments;
  if (first === "a" && rawSlug !== undefined && rest.length === 0) {
    const render = Object.hasOwn(accountPages, page) ? accountPages[page] : undefined;
    if (render) {
      const slug = decode(rawSlug);
      if (slug === null || !isSlug(slug)) return <AccountNotFoundPage />;
      // `key` gives each account and page fresh state when navigating between them.
      return <Fragment key={`${slug}/${page}`}>{render(slug)}</Fragment>;
    }
  }
  return <NotFoundPage />;
}

export function App() {
  const { pathname } = useLocation();
  return route(pathname);
}
