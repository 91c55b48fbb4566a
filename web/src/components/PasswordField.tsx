import { useId, useState, type ReactNode, type Ref } from "react";
import type { PasswordPolicy } from "../api";
import { passwordRequirements } from "../password";

export interface PasswordFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  autoComplete?: "new-password" | "current-password";
  /** When given, a live checklist shows which policy rules the value already meets. */
  policy?: PasswordPolicy | null;
  /** Help text under the label. */
  help?: ReactNode;
  /** An error about this field; rendered as an alert and tied to the input. */
  error?: ReactNode;
  name?: string;
  required?: boolean;
  ref?: Ref<HTMLInputElement>;
  /** Extra content below the field (e.g. a strength meter), described by the input too. */
  children?: ReactNode;
}

/**
 * A password input with a show/hide toggle. Pasting is allowed (password managers need it) and
 * nothing is trimmed: the value goes to the server exactly as typed.
 */
export function PasswordField({
  label,
  value,
  onChange,
  autoComplete = "new-password",
  policy,
  help,
  error,
  name,
  required = true,
  ref,
  children,
}: PasswordFieldProps) {
  const id = useId();
  const [visible, setVisible] = useState(false);
  const helpId = `${id}-help`;
  const checklistId = `${id}-checklist`;
  const extraId = `${id}-extra`;
  const errorId = `${id}-error`;
  const describedBy = [
    help ? helpId : null,
    policy ? checklistId : null,
    children ? extraId : null,
    error ? errorId : null,
  ]
    .filter(Boolean)
    .join(" ");

  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {help && (
        <p id={helpId} className="field-help">
          {help}
        </p>
      )}
      <div className="password-input">
        <input
          ref={ref}
          id={id}
          name={name}
          type={visible ? "text" : "password"}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          autoComplete={autoComplete}
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          required={required}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy || undefined}
        />
        <button
          type="button"
          className="password-toggle"
          aria-controls={id}
          aria-pressed={visible}
          onClick={() => setVisible((shown) => !shown)}
        >
          {visible ? "Hide" : "Show"}
          <span className="visually-hidden"> {label}</span>
        </button>
      </div>
      {policy && (
        <ul id={checklistId} className="password-checklist">
          {passwordRequirements(value, policy).map((requirement) => (
            <li key={requirement.id} className={requirement.met ? "met" : undefined}>
              <span className="checklist-mark" aria-hidden="true">
                {requirement.met ? "✓" : "○"}
              </span>
              {requirement.label}
              <span className="visually-hidden">{requirement.met ? " (done)" : " (not yet)"}</span>
            </li>
          ))}
        </ul>
      )}
      {children && (
        <div id={extraId} className="field-extra">
          {children}
        </div>
      )}
      {error && (
        <div id={errorId} role="alert" className="field-error">
          {error}
        </div>
      )}
    </div>
  );
}
