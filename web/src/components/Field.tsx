// The frame every labelled input shares (TextField, PasswordField): label, help, error.
import type { ReactNode } from "react";

/** The label of the input `inputId`, and help under it (id `${inputId}-help`) when given. */
export function FieldLabel({ inputId, label, help }: { inputId: string; label: ReactNode; help?: ReactNode }) {
  return (
    <>
      <label htmlFor={inputId} className="field-label">
        {label}
      </label>
      {help && (
        <p id={`${inputId}-help`} className="field-help">
          {help}
        </p>
      )}
    </>
  );
}

/** An error about a field (nothing without one), announced at once; its input refers to `id`. */
export function FieldError({ id, children }: { id: string; children?: ReactNode }) {
  return (
    children && (
      <div id={id} role="alert" className="field-error">
        {children}
      </div>
    )
  );
}
