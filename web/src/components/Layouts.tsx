import type { ReactNode } from "react";
import { Link } from "../router";

/** A single centred card: landing, sign-in, forced password change, "not found" pages. */
export function CardLayout({
  eyebrow,
  children,
  footer,
  className,
}: {
  eyebrow?: ReactNode;
  children: ReactNode;
  /** Replaces the Office Portal footer (the support console has its own). */
  footer?: ReactNode;
  /** Extra class on the layout, for a variant such as the support console's. */
  className?: string;
}) {
  return (
    <div className={className ? `card-layout ${className}` : "card-layout"}>
      <main className="card">
        {eyebrow && <p className="eyebrow">{eyebrow}</p>}
        {children}
      </main>
      <footer className="card-footer">
        {footer ?? (
          <>
            <Link to="/">Staffgate</Link> · Office Portal staff sign-in
          </>
        )}
      </footer>
    </div>
  );
}

export function LoadingScreen() {
  return (
    <div className="card-layout" aria-busy="true">
      <p className="loading">Loading…</p>
    </div>
  );
}
