import type { ReactNode } from "react";
import type { SignOut } from "../hooks/useSignOut";
import { Link, useLocation } from "../router";
import { ErrorMessage } from "./Messages";

export interface NavItem {
  label: string;
  to: string;
}

/**
 * A signed-in frame (Office Portal or support console): a top bar with `brand`, the navigation,
 * who is signed in and "Sign out", then the page's content as the main landmark.
 */
export function TopbarLayout({
  className,
  topbarClassName,
  brand,
  navLabel,
  navItems,
  signedInAs,
  signOut: { signOut, pending, error },
  signOutClassName,
  children,
}: {
  /** Extra classes on the frame and on its top bar (the support console's). */
  className?: string;
  topbarClassName?: string;
  brand: ReactNode;
  navLabel: string;
  navItems: readonly NavItem[];
  signedInAs: ReactNode;
  signOut: SignOut;
  signOutClassName: string;
  children: ReactNode;
}) {
  const { pathname } = useLocation();

  return (
    <div className={className ? `portal ${className}` : "portal"}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className={topbarClassName ? `topbar ${topbarClassName}` : "topbar"}>
        <div className="topbar-inner">
          {brand}
          <nav aria-label={navLabel} className="topbar-nav">
            <ul>
              {navItems.map((item) => (
                <li key={item.to}>
                  <Link to={item.to} aria-current={pathname === item.to ? "page" : undefined}>
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <div className="topbar-user">
            <span className="signed-in-as">Signed in as {signedInAs}</span>
            <button type="button" className={signOutClassName} onClick={() => void signOut()} disabled={pending}>
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
