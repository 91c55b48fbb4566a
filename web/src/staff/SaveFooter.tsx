import type { Ref } from "react";

/**
 * The Save button of a tab in the staff window, and what saving did (announced politely). While
 * saving, the button stays focusable (aria-disabled, the form ignores a second submit), so that
 * focus can come back to it from "Confirm it's you". After a save the form moves focus to the
 * result (`resultRef`), so keyboard users land on what happened, not on a field that went away.
 */
export function SaveFooter({
  label,
  pending,
  saved,
  resultRef,
}: {
  label: string;
  pending: boolean;
  saved: string | null;
  resultRef?: Ref<HTMLDivElement>;
}) {
  return (
    <div className="form-actions dialog-footer">
      <button type="submit" className="button button-primary" aria-disabled={pending || undefined}>
        {pending ? "Saving…" : label}
      </button>
      <div ref={resultRef} role="status" className="form-status" tabIndex={-1}>
        {saved && <span className="message message-notice">{saved}</span>}
      </div>
    </div>
  );
}
