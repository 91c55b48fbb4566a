import type { ReactNode } from "react";
import { Link } from "../router";

/** A single centred card: landing, sign-in, forced password change, "not found" pages. */
export function CardLayout({ eyebrow, children }: { eyebrow?: ReactNode; children: ReactNode }) {
  return (
    <div className="card-layout">
      <main className="card">
        {eyebrow && <p className="eyebrow">{eyebrow}</p>}
        {children}
      </main>
      <footer className="card-footer">
        <Link to="/">Staffgate</Link> · Office Portal staff sign-in
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
