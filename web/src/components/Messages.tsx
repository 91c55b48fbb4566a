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

/** One or more messages for a field's `error`: a single sentence, or a short list. */
export function FieldMessages({ messages }: { messages: readonly string[] }) {
  if (messages.length === 1) return messages[0];
  return (
    <ul className="error-list">
      {messages.map((message) => (
        <li key={message}>{message}</li>
      ))}
    </ul>
  );
}
