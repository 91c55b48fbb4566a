/** The Save button of a tab in the staff window, and what saving did (announced politely). */
export function SaveFooter({ label, pending, saved }: { label: string; pending: boolean; saved: string | null }) {
  return (
    <div className="form-actions dialog-footer">
      <button type="submit" className="button button-primary" disabled={pending}>
        {pending ? "Saving…" : label}
      </button>
      <div role="status" className="form-status">
        {saved && <span className="message message-notice">{saved}</span>}
      </div>
    </div>
  );
}
