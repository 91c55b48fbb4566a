import type { ReactNode } from "react";
import { canViewStaff, hasAdminAccess, type Account, type Me } from "../api";
import { useSignOut } from "../hooks/useSignOut";
import { paths } from "../paths";
import { Link } from "../router";
import { SudoProvider } from "../sudo/SudoProvider";
import { TopbarLayout, type NavItem } from "./TopbarLayout";

// Each entry shows only to the people who may use it. Settings is for everyone signed in:
// without Admin Access it is read-only.
function navItems(account: Account, me: Me): NavItem[] {
  const items: NavItem[] = [{ label: "Home", to: paths.home(account.slug) }];
  if (canViewStaff(me)) items.push({ label: "Staff", to: paths.staff(account.slug) });
  if (hasAdminAccess(me)) items.push({ label: "Security", to: paths.security(account.slug) });
  if (hasAdminAccess(me)) items.push({ label: "Audit log", to: paths.audit(account.slug) });
  items.push({ label: "Settings", to: paths.settings(account.slug) });
  return items;
}

/**
 * The signed-in frame: business name, navigation, who is signed in, and "Sign out". Its pages
 * may ask for the password again before a sensitive change (sudo mode).
 */
export function PortalLayout({ account, me, children }: { account: Account; me: Me; children: ReactNode }) {
  const signOut = useSignOut(account.slug);
  return (
    <TopbarLayout
      brand={
        <Link to={paths.home(account.slug)} className="topbar-business">
          {account.name}
        </Link>
      }
      navLabel="Portal"
      navItems={navItems(account, me)}
      signedInAs={
        <>
          {me.firstName} {me.lastName}
        </>
      }
      signOut={signOut}
      signOutClassName="button button-secondary"
    >
      <SudoProvider slug={account.slug} username={me.username} twoFactor={me.twoFactor}>
        {children}
      </SudoProvider>
    </TopbarLayout>
  );
}
