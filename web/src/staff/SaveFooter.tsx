/**
 * The Save button of a tab in the staff window, and what saving did (announced politely). While
 * saving, the button stays focusable (aria-disabled, the form ignores a second submit), so that
 * focus can come back to it from "Confirm it's you".
 */
export function SaveFooter({ label, pending, saved }: { label: string; pending: boolean; saved: string | null }) {
  return (
    <div className="form-actions dialog-footer">
      <button type="submit" className="button button-primary" aria-disabled={pending || undefined}>
        {pending ? "Saving…" : label}
      </button>
      <div role="status" className="form-status">
        {saved && <span className="message message-notice">{saved}</span>}
      </div>
    </div>
  );
}
