import { useRef, useState, type FormEvent } from "react";
import { ApiError, type PasswordPolicy } from "../api";
import { describeError } from "../errors";
import {
  PASSWORDS_DO_NOT_MATCH,
  confirmationProblem,
  newPasswordProblems,
  rejectionMessages,
  sameAsCurrentProblem,
} from "../password";
import { ErrorMessage, FieldMessages } from "./Messages";
import { PasswordField, type PasswordCheck } from "./PasswordField";

/** The current (or temporary) password a change asks for first, and what to say about it. */
export interface CurrentPasswordField {
  label: string;
  help?: string;
  /** When it is left empty. */
  missing: string;
  /** When the server answers `current_password_incorrect`. */
  incorrect: string;
}

export interface NewPasswords {
  /** "" when the form has no current-password field. */
  current: string;
  newPassword: string;
  confirm: string;
}

interface FieldErrors {
  current?: string;
  new?: string[];
  confirm?: string;
  form?: string;
}

/**
 * A new password and its confirmation (after the current password, for a change): checked here
 * first, then sent with `onSubmit`. `onSubmit` resolves once the page moves on, or rejects with
 * the server's error, which the form then shows by the field it is about.
 */
export function NewPasswordForm({
  username,
  policy,
  check,
  personalWords,
  current,
  submitLabel,
  onSubmit,
}: {
  /** Lets password managers file the new password under the right username. */
  username?: string;
  policy: PasswordPolicy | null;
  check: PasswordCheck;
  personalWords: readonly string[];
  current?: CurrentPasswordField;
  submitLabel: string;
  onSubmit: (passwords: NewPasswords) => Promise<void>;
}) {
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, setPending] = useState(false);
  // The server's refusal of a new password: the checklist shows its rules failed while it stands.
  const [refused, setRefused] = useState<{ value: string; reasons: readonly string[] } | null>(null);
  const currentRef = useRef<HTMLInputElement>(null);
  const newRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);

  function clientSideErrors(): FieldErrors {
    const found: FieldErrors = {};
    if (current && currentPassword === "") found.current = current.missing;
    const newProblems =
      newPasswordProblems(newPassword, policy) ??
      (current ? sameAsCurrentProblem(newPassword, currentPassword) : undefined);
    if (newProblems) found.new = newProblems;
    const confirmProblem = confirmationProblem(newPassword, confirm);
    if (confirmProblem) found.confirm = confirmProblem;
    return found;
  }

  function serverErrors(error: unknown): FieldErrors {
    if (!(error instanceof ApiError)) return { form: describeError(error) };
    if (current && error.code === "current_password_incorrect") return { current: current.incorrect };
    switch (error.code) {
      case "passwords_do_not_match":
        return { confirm: PASSWORDS_DO_NOT_MATCH };
      case "password_rejected":
        return { new: rejectionMessages(error.details, policy) };
      case "validation_failed":
        return { form: "Some fields are missing or invalid. Check them and try again." };
      default:
        return { form: describeError(error) };
    }
  }

  function showErrors(found: FieldErrors) {
    setErrors(found);
    const firstInvalid = found.current ? currentRef : found.new ? newRef : found.confirm ? confirmRef : null;
    firstInvalid?.current?.focus();
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const found = clientSideErrors();
    if (Object.keys(found).length > 0) {
      showErrors(found);
      return;
    }

    setPending(true);
    setErrors({});
    try {
      await onSubmit({ current: currentPassword, newPassword, confirm });
    } catch (caught) {
      setPending(false);
      if (current && caught instanceof ApiError && caught.code === "current_password_incorrect") {
        setCurrentPassword("");
      }
      if (caught instanceof ApiError && caught.code === "password_rejected") {
        const reasons = Array.isArray(caught.details.reasons) ? caught.details.reasons.map(String) : [];
        setRefused({ value: newPassword, reasons });
      }
      showErrors(serverErrors(caught));
    }
  }

  /** Takes a field's new value, and clears its error. */
  function editor(set: (value: string) => void, field: keyof FieldErrors) {
    return (value: string) => {
      set(value);
      if (errors[field]) setErrors((previous) => ({ ...previous, [field]: undefined }));
    };
  }

  return (
    <form className="form" onSubmit={(event) => void handleSubmit(event)} noValidate aria-busy={pending}>
      {errors.form && <ErrorMessage>{errors.form}</ErrorMessage>}
      {username && <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />}
      {current && (
        <PasswordField
          ref={currentRef}
          label={current.label}
          help={current.help}
          autoComplete="current-password"
          value={currentPassword}
          onChange={editor(setCurrentPassword, "current")}
          error={errors.current}
        />
      )}
      <PasswordField
        ref={newRef}
        label="New password"
        policy={policy}
        check={check}
        personalWords={personalWords}
        currentPassword={current ? currentPassword : undefined}
        refused={refused}
        value={newPassword}
        onChange={editor(setNewPassword, "new")}
        error={errors.new && <FieldMessages messages={errors.new} />}
      />
      <PasswordField
        ref={confirmRef}
        label="Confirm new password"
        value={confirm}
        onChange={editor(setConfirm, "confirm")}
        error={errors.confirm}
      />
      <button type="submit" className="button button-primary" disabled={pending}>
        {submitLabel}
      </button>
    </form>
  );
}
