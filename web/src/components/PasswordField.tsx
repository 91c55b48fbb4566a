import { useEffect, useId, useState, type ReactNode, type Ref } from "react";
import type { PasswordPolicy } from "../api";
import { usePasswordCheck, type PasswordCheck } from "../hooks/usePasswordCheck";
import {
  passwordRequirements,
  requirementsSummary,
  type PasswordRequirement,
  type RequirementStatus,
} from "../password";
import { FieldError, FieldLabel } from "./Field";
import { StrengthMeter } from "./StrengthMeter";

export type { PasswordCheck } from "../hooks/usePasswordCheck";

export interface PasswordFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  autoComplete?: "new-password" | "current-password";
  /**
   * Makes this a field for a new password: a live checklist of the rules and strength advice
   * appear under it. Pass `null` while the policy loads; the length rule shows once it is known.
   */
  policy?: PasswordPolicy | null;
  /**
   * Asks the server about the rules that need its lists (common passwords, personal words) while
   * the person types, debounced. Without it, or when it fails, those rules read "will be checked
   * when you save". Its identity may change between renders without causing extra requests.
   */
  check?: PasswordCheck;
  /** The person's own words (see `personalWords()`), so the strength advice recognises them. */
  personalWords?: readonly string[];
  /** Whose password this is, when it isn't the signed-in person's own (the checklist names them). */
  personName?: string;
  /**
   * The current password typed in the same form (a change of one's own password): the checklist
   * then also says whether the new one differs from it.
   */
  currentPassword?: string;
  /**
   * What the server said when it last refused this field's value (`password_rejected`): while the
   * value is still the refused one, the checklist shows those rules as failed, even where the
   * live check can't run (someone else's password).
   */
  refused?: { readonly value: string; readonly reasons: readonly string[] } | null;
  /** Strength advice under the checklist of a new-password field; on by default. */
  showStrength?: boolean;
  /** Help text under the label. */
  help?: ReactNode;
  /** An error about this field; rendered as an alert and tied to the input. */
  error?: ReactNode;
  name?: string;
  required?: boolean;
  ref?: Ref<HTMLInputElement>;
  /** Extra content below the field, described by the input too. */
  children?: ReactNode;
}

/** After typing pauses this long (and the server has answered), the summary is announced. */
const ANNOUNCE_DELAY_MS = 800;

const NO_WORDS: readonly string[] = [];

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
  check,
  personalWords = NO_WORDS,
  personName,
  currentPassword,
  refused,
  showStrength = true,
  help,
  error,
  name,
  required = true,
  ref,
  children,
}: PasswordFieldProps) {
  const id = useId();
  const [visible, setVisible] = useState(false);
  const isNewPassword = policy !== undefined || check !== undefined;
  const checked = usePasswordCheck(isNewPassword ? value : "", check);
  // The server's refusal of this very value is as good as a check of it.
  const server =
    refused && value !== "" && refused.value === value && checked.server.kind !== "done"
      ? { kind: "done" as const, reasons: refused.reasons }
      : checked.server;
  const requirements = isNewPassword
    ? passwordRequirements(value, checked.policy ?? policy ?? null, server, personName, currentPassword)
    : [];
  // Advice never calls a password strong that a rule refuses (or that is still too short).
  const ruleFailing = requirements.some(
    (requirement) => requirement.status === "failed" || requirement.status === "notYet",
  );
  const announcement = useSettledAnnouncement(isNewPassword, value, requirements);

  const helpId = `${id}-help`;
  const checklistId = `${id}-checklist`;
  const strengthId = `${id}-strength`;
  const extraId = `${id}-extra`;
  const errorId = `${id}-error`;
  const withStrength = isNewPassword && showStrength;
  const describedBy = [
    help ? helpId : null,
    isNewPassword ? checklistId : null,
    withStrength ? strengthId : null,
    children ? extraId : null,
    error ? errorId : null,
  ]
    .filter(Boolean)
    .join(" ");

  return (
    <div className="field">
      <FieldLabel inputId={id} label={label} help={help} />
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
      <FieldError id={errorId}>{error}</FieldError>
      {isNewPassword && (
        <div className="password-guidance">
          <ul id={checklistId} className="password-checklist">
            {requirements.map((requirement) => (
              <RequirementItem key={requirement.id} requirement={requirement} />
            ))}
          </ul>
          {withStrength && (
            <StrengthMeter id={strengthId} password={value} userInputs={personalWords} ruleFailing={ruleFailing} />
          )}
        </div>
      )}
      {isNewPassword && (
        // Announced politely, only once typing pauses and the server has answered.
        <p className="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
          {announcement}
        </p>
      )}
      {children && (
        <div id={extraId} className="field-extra">
          {children}
        </div>
      )}
    </div>
  );
}

const marks: Record<RequirementStatus, string> = {
  met: "✓",
  notYet: "○",
  failed: "✕",
  checking: "…",
  deferred: "–",
};

function RequirementItem({ requirement }: { requirement: PasswordRequirement }) {
  const { status, label } = requirement;
  return (
    <li className={`requirement requirement-${status}`} data-requirement={requirement.id} data-status={status}>
      <span className="checklist-mark" aria-hidden="true">
        {marks[status]}
      </span>
      <span>
        {label}
        {status === "met" && <span className="visually-hidden"> (met)</span>}
        {status === "notYet" && <span className="visually-hidden"> (not met yet)</span>}
        {status === "failed" && <span className="requirement-note"> (not met)</span>}
        {status === "checking" && <span className="requirement-note"> (checking…)</span>}
        {status === "deferred" && <span className="requirement-note"> (will be checked when you save)</span>}
      </span>
    </li>
  );
}

/**
 * The text for the live region: the checklist summary, set only after the value has stayed the
 * same for a moment with no check in flight, so screen readers hear one short sentence per pause
 * rather than every keystroke. Unchanged summaries are not repeated.
 */
function useSettledAnnouncement(enabled: boolean, value: string, requirements: readonly PasswordRequirement[]): string {
  const [announcement, setAnnouncement] = useState("");
  const summary = requirementsSummary(requirements);
  const pending = requirements.some((requirement) => requirement.status === "checking");

  useEffect(() => {
    if (!enabled || pending) return;
    const timer = setTimeout(() => setAnnouncement(value === "" ? "" : summary), ANNOUNCE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [enabled, pending, summary, value]);

  return announcement;
}
