import type { ReactNode } from "react";

/** An error people must notice; screen readers announce it at once. */
export function ErrorMessage({ id, children }: { id?: string; children: ReactNode }) {
  return (
    <div id={id} role="alert" className="message message-error">
      {children}
    </div>
  );
}

/** A calm confirmation (signed out, password changed); announced politely. */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <div role="status" className="message message-notice">
      {children}
    </div>
  );
}
