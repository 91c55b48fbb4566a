import type { ReactNode } from "react";
import { canViewStaff, hasAdminAccess, type Account, type Me } from "../api";
import { useSignOut } from "../hooks/useSignOut";
import { paths } from "../paths";
import { Link, useLocation } from "../router";
import { ErrorMessage } from "./Messages";

interface NavItem {
  label: string;
  to: string;
}

// Each entry shows only to the people who may use it. Settings is for everyone signed in:
// without Admin Access it is read-only.
function navItems(account: Account, me: Me): NavItem[] {
  const items: NavItem[] = [{ label: "Home", to: paths.home(account.slug) }];
  if (canViewStaff(me)) items.push({ label: "Staff", to: paths.staff(account.slug) });
  if (hasAdminAccess(me)) items.push({ label: "Audit log", to: paths.audit(account.slug) });
  items.push({ label: "Settings", to: paths.settings(account.slug) });
  return items;
}

/** The signed-in frame: business name, navigation, who is signed in, and "Sign out". */
export function PortalLayout({ account, me, children }: { account: Account; me: Me; children: ReactNode }) {
  const { pathname } = useLocation();
  const { signOut, pending, error } = useSignOut(account.slug);

  return (
    <div className="portal">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link to={paths.home(account.slug)} className="topbar-business">
            {account.name}
          </Link>
          <nav aria-label="Portal" className="topbar-nav">
            <ul>
              {navItems(account, me).map((item) => (
                <li key={item.to}>
                  <Link to={item.to} aria-current={pathname === item.to ? "page" : undefined}>
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <div className="topbar-user">
            <span className="signed-in-as">
              Signed in as {me.firstName} {me.lastName}
            </span>
            <button type="button" className="button button-secondary" onClick={() => void signOut()} disabled={pending}>
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
