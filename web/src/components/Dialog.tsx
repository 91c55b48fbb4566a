import { useEffect, useId, useLayoutEffect, useRef, type ReactNode, type RefObject } from "react";
import { CloseIcon } from "./Icons";
import { ErrorMessage } from "./Messages";

const FOCUSABLE = [
  "a[href]",
  "button:not([disabled])",
  "input:not([disabled]):not([type='hidden'])",
  "select:not([disabled])",
  "textarea:not([disabled])",
  "summary",
  "[tabindex]:not([tabindex='-1'])",
].join(",");

/** The elements Tab reaches inside `dialog`, leaving out those of a dialog opened on top of it. */
function tabbables(dialog: HTMLDialogElement): HTMLElement[] {
  return [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) =>
      element.closest("dialog") === dialog && !element.closest("[hidden]") && element.getClientRects().length > 0,
  );
}

export interface DialogProps {
  title: ReactNode;
  /** Under the title; also the dialog's accessible description. */
  description?: ReactNode;
  onClose: () => void;
  children: ReactNode;
  size?: "small" | "medium" | "large";
  /** `alertdialog` for confirmations that interrupt. */
  role?: "dialog" | "alertdialog";
  /** What gets focus on opening; otherwise the first focusable element after the close button. */
  initialFocus?: RefObject<HTMLElement | null>;
  /**
   * Where focus goes on closing. By default, the element that had focus when the dialog opened;
   * pass a function when that element may have been re-rendered meanwhile.
   */
  returnFocus?: () => HTMLElement | null;
  /** Shown at the top of the header, above the title. */
  eyebrow?: ReactNode;
}

/**
 * A modal dialog on the native <dialog> (top layer, the page behind it inert, nested dialogs
 * stack). Labelled by its title; Tab and Shift+Tab stay inside; Esc and the close button call
 * `onClose`; focus returns to where it came from.
 */
export function Dialog({
  title,
  description,
  onClose,
  children,
  size = "small",
  role = "dialog",
  initialFocus,
  returnFocus,
  eyebrow,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const titleId = `${id}-title`;
  const descriptionId = `${id}-description`;
  const onCloseRef = useRef(onClose);
  const returnFocusRef = useRef(returnFocus);
  const initialFocusRef = useRef(initialFocus);

  // Updated as part of each commit (not in a passive effect, which may run after the next key
  // press): Esc must reach the `onClose` of what is on screen, e.g. one that knows about unsaved
  // changes typed a moment ago.
  useLayoutEffect(() => {
    onCloseRef.current = onClose;
    returnFocusRef.current = returnFocus;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const first = initialFocusRef.current?.current ?? tabbables(dialog).find((el) => !el.dataset.dialogClose);
    (first ?? dialog).focus();

    // Esc: the browser would close the dialog itself; let the owner decide (it unmounts it).
    const handleCancel = (event: Event) => {
      event.preventDefault();
      onCloseRef.current();
    };
    // Closed by the browser anyway (e.g. a repeated Esc): keep React's state in step. (A close
    // event queued by an earlier close() is ignored once the dialog is open again.)
    const handleClose = () => {
      if (!dialog.open) onCloseRef.current();
    };
    const handleKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Tab" || !(event.target instanceof Element) || event.target.closest("dialog") !== dialog)
        return;
      const items = tabbables(dialog);
      const firstItem = items[0];
      const lastItem = items.at(-1);
      if (!firstItem || !lastItem) {
        event.preventDefault();
        return;
      }
      if (event.shiftKey && (document.activeElement === firstItem || document.activeElement === dialog)) {
        event.preventDefault();
        lastItem.focus();
      } else if (!event.shiftKey && document.activeElement === lastItem) {
        event.preventDefault();
        firstItem.focus();
      }
    };
    dialog.addEventListener("cancel", handleCancel);
    dialog.addEventListener("close", handleClose);
    dialog.addEventListener("keydown", handleKeyDown);
    return () => {
      dialog.removeEventListener("cancel", handleCancel);
      dialog.removeEventListener("close", handleClose);
      dialog.removeEventListener("keydown", handleKeyDown);
      if (dialog.open) dialog.close();
      const target = returnFocusRef.current?.() ?? opener;
      if (target?.isConnected) target.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={`dialog dialog-${size}`}
      role={role}
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      tabIndex={-1}
    >
      <div className="dialog-header">
        <div className="dialog-heading">
          {eyebrow && <p className="dialog-eyebrow">{eyebrow}</p>}
          <h2 id={titleId} className="dialog-title">
            {title}
          </h2>
          {description && (
            <div id={descriptionId} className="dialog-description">
              {description}
            </div>
          )}
        </div>
        <button type="button" className="icon-button dialog-close" data-dialog-close="true" onClick={() => onClose()}>
          <CloseIcon />
          <span className="visually-hidden">Close</span>
        </button>
      </div>
      <div className="dialog-body">{children}</div>
    </dialog>
  );
}

/** A yes/no question before something with consequences. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  cancelLabel = "Cancel",
  onConfirm,
  onCancel,
  pending = false,
  error,
  tone = "primary",
  confirmDisabled = false,
}: {
  title: ReactNode;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  onConfirm: () => void;
  onCancel: () => void;
  pending?: boolean;
  error?: ReactNode;
  /** `danger`: the safe choice (cancel) gets focus first. */
  tone?: "primary" | "danger";
  confirmDisabled?: boolean;
}) {
  const confirmRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      title={title}
      description={children}
      onClose={onCancel}
      role="alertdialog"
      initialFocus={tone === "danger" ? cancelRef : confirmRef}
    >
      {error && <ErrorMessage>{error}</ErrorMessage>}
      <div className="dialog-actions">
        <button
          ref={confirmRef}
          type="button"
          className={`button ${tone === "danger" ? "button-danger" : "button-primary"}`}
          onClick={onConfirm}
          disabled={pending || confirmDisabled}
          aria-busy={pending || undefined}
        >
          {pending ? `${confirmLabel}…` : confirmLabel}
        </button>
        <button ref={cancelRef} type="button" className="button button-secondary" onClick={onCancel}>
          {cancelLabel}
        </button>
      </div>
    </Dialog>
  );
}
