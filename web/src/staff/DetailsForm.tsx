import { useId, useLayoutEffect, useMemo, useRef, useState, type FormEvent } from "react";
import {
  ApiError,
  api,
  fullName,
  type Account,
  type AccountSettings,
  type Me,
  type PasswordPolicy,
  type Staff,
  type StaffChanges,
} from "../api";
import { ConfirmDialog } from "../components/Dialog";
import { ErrorMessage } from "../components/Messages";
import { TextField } from "../components/TextField";
import { describeError } from "../errors";
import { useOwnPasswordCheck } from "../hooks/usePasswordCheck";
import { newPasswordProblems, rejectionMessages, sameAsCurrentProblem, staffPersonalWords } from "../password";
import { goToLogin, isSessionEnded } from "../session";
import { NOT_CONFIRMED, useSudo, wasCancelled } from "../sudo/sudo";
import {
  SmsOptInField,
  detailsFieldErrors,
  detailsInputs,
  useDetailsFieldRefs,
  type DetailsFieldErrors,
} from "./DetailsFields";
import { EmailStatus } from "./EmailStatus";
import { PasswordSection, showsPasswordInput, type PasswordEditorState } from "./PasswordSection";
import { SaveFooter } from "./SaveFooter";
import {
  DETAILS_FIELD_ORDER,
  canChangeDetails,
  canChangePassword,
  canChangeStatus,
  detailsProblems,
  type DetailsValues,
} from "./staffRules";

function valuesOf(staff: Staff): DetailsValues {
  return {
    username: staff.username,
    firstName: staff.firstName,
    lastName: staff.lastName,
    email: staff.email ?? "",
    mobilePhone: staff.mobilePhone ?? "",
    smsOptIn: staff.smsOptIn,
  };
}

const orNull = (text: string) => (text.trim() === "" ? null : text.trim());

/** Only what differs from the saved record. */
function changesOf(values: DetailsValues, status: Staff["status"], staff: Staff): StaffChanges {
  const changes: StaffChanges = {};
  if (values.username.trim() !== staff.username) changes.username = values.username.trim();
  if (values.firstName.trim() !== staff.firstName) changes.firstName = values.firstName.trim();
  if (values.lastName.trim() !== staff.lastName) changes.lastName = values.lastName.trim();
  if (orNull(values.email) !== staff.email) changes.email = orNull(values.email);
  if (orNull(values.mobilePhone) !== staff.mobilePhone) changes.mobilePhone = orNull(values.mobilePhone);
  if (values.smsOptIn !== staff.smsOptIn) changes.smsOptIn = values.smsOptIn;
  if (status !== staff.status) changes.status = status;
  return changes;
}

interface Errors {
  fields: DetailsFieldErrors;
  /** Asked for when the signed-in person sets their own password here. */
  currentPassword?: string;
  password?: string[];
  form?: string;
}

const CURRENT_PASSWORD_MISSING = "Enter your current password.";
const CURRENT_PASSWORD_INCORRECT = "Your current password is incorrect.";

const NO_ERRORS: Errors = { fields: {} };

const STATUS_CHOICES: readonly (readonly [Staff["status"], string])[] = [
  ["active", "Active"],
  ["inactive", "Inactive"],
];

export function DetailsForm({
  account,
  me,
  staff,
  policy,
  settings,
  onSaved,
  onSettingsChanged,
  onDirtyChange,
}: {
  account: Account;
  me: Me;
  staff: Staff;
  policy: PasswordPolicy | null;
  settings: AccountSettings | null;
  onSaved: (staff: Staff) => void;
  onSettingsChanged: (changes: Partial<AccountSettings>) => void;
  /** Whether anything typed here is not saved yet (the window asks before closing). */
  onDirtyChange?: (dirty: boolean) => void;
}) {
  const id = useId();
  const isSelf = staff.id === me.id;
  const detailsAllowed = canChangeDetails(me, staff);
  const statusAllowed = canChangeStatus(me, staff);
  const passwordAllowed = canChangePassword(me, staff);

  const [values, setValues] = useState<DetailsValues>(() => valuesOf(staff));
  const [status, setStatus] = useState<Staff["status"]>(staff.status);
  const [editor, setEditor] = useState<PasswordEditorState>({
    password: "",
    currentPassword: "",
    mustChange: !isSelf,
    changing: false,
  });
  const { password, currentPassword, mustChange } = editor;
  // The server's last refusal of a password typed here: the checklist shows its rules failed.
  const [refused, setRefused] = useState<{ value: string; reasons: readonly string[] } | null>(null);
  const [errors, setErrors] = useState<Errors>(NO_ERRORS);
  const [pending, setPending] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [confirmingDeactivation, setConfirmingDeactivation] = useState(false);

  const fields = useDetailsFieldRefs();
  const sudo = useSudo();
  const currentPasswordRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const changeButtonRef = useRef<HTMLButtonElement>(null);
  const resultRef = useRef<HTMLDivElement>(null);

  const changes = changesOf(values, status, staff);
  const showPasswordInput = showsPasswordInput(passwordAllowed, status, staff, editor.changing);
  const passwordToSave = showPasswordInput && password !== "" ? password : null;
  const dirty = Object.keys(changes).length > 0 || password !== "" || currentPassword !== "";
  // Reported as part of the commit that shows the change, so an Esc or a tab switch right after
  // typing already knows about it (a passive effect may run only after the next key press).
  useLayoutEffect(() => onDirtyChange?.(dirty), [dirty, onDirtyChange]);
  // The live check knows only the signed-in person's own words, so it helps only with their own
  // password; anyone else's is checked in full when it is saved.
  const ownCheck = useOwnPasswordCheck(account.slug);
  const words = useMemo(() => staffPersonalWords(staff, account), [staff, account]);

  function edit<K extends keyof DetailsValues>(key: K, value: DetailsValues[K]) {
    setValues((previous) => ({ ...previous, [key]: value }));
    setSaved(null);
    if (key in errors.fields || errors.form) {
      setErrors((previous) => ({ ...previous, fields: { ...previous.fields, [key]: undefined }, form: undefined }));
    }
  }

  function editPassword(changes: Partial<PasswordEditorState>) {
    setEditor((previous) => ({ ...previous, ...changes }));
    setSaved(null);
    if (changes.password !== undefined && errors.password) {
      setErrors((previous) => ({ ...previous, password: undefined }));
    }
    if (changes.currentPassword !== undefined && errors.currentPassword) {
      setErrors((previous) => ({ ...previous, currentPassword: undefined }));
    }
    // "Change" pressed: the input appears on the next render.
    if (changes.changing) setTimeout(() => passwordRef.current?.focus(), 0);
  }

  /** What saving did, with focus on it: the fields the person was in may have gone away. */
  function showResult(message: string) {
    setSaved(message);
    setTimeout(() => resultRef.current?.focus(), 0);
  }

  function showErrors(found: Errors) {
    setErrors(found);
    if (fields.focusFirstInvalid(found.fields, DETAILS_FIELD_ORDER)) return;
    if (found.currentPassword) currentPasswordRef.current?.focus();
    else if (found.password) passwordRef.current?.focus();
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void save(false);
  }

  async function save(deactivationConfirmed: boolean) {
    if (pending) return;
    setSaved(null);
    const found: Errors = { fields: detailsAllowed.ok ? detailsProblems(values) : {} };
    if (passwordToSave !== null) {
      const problems =
        newPasswordProblems(passwordToSave, policy) ??
        (isSelf ? sameAsCurrentProblem(passwordToSave, currentPassword) : undefined);
      if (problems) found.password = problems;
      if (isSelf && currentPassword === "") found.currentPassword = CURRENT_PASSWORD_MISSING;
    }
    if (Object.keys(found.fields).length > 0 || found.password || found.currentPassword) {
      showErrors(found);
      return;
    }
    if (Object.keys(changes).length === 0 && passwordToSave === null) {
      setErrors(NO_ERRORS);
      showResult("There are no changes to save.");
      return;
    }
    if (changes.status === "inactive" && !deactivationConfirmed) {
      setConfirmingDeactivation(true);
      return;
    }
    setConfirmingDeactivation(false);
    setErrors(NO_ERRORS);
    setPending(true);

    const messages: string[] = [];
    let current = staff;
    if (Object.keys(changes).length > 0) {
      try {
        // Emails, mobiles and making someone inactive may first ask "Confirm it's you".
        current = await sudo(() => api.updateStaff(account.slug, staff.id, changes));
      } catch (error) {
        setPending(false);
        handleDetailsError(error);
        return;
      }
      if (isSelf && current.status === "inactive") {
        goToLogin(account.slug, "accessChanged");
        return;
      }
      setValues(valuesOf(current));
      setStatus(current.status);
      onSaved(current);
      if (changes.status === "inactive") {
        messages.push(`${current.firstName} is now inactive and has been signed out everywhere.`);
      } else if (changes.status === "active") {
        messages.push(
          passwordToSave === null
            ? `${current.firstName} is active again. Set a password or send a reset link so they can sign in.`
            : `${current.firstName} is active again.`,
        );
      } else {
        messages.push(savedMessage(changes, current, isSelf));
      }
    }

    if (passwordToSave !== null && current.status === "active") {
      try {
        const result = await sudo(() =>
          api.setStaffPassword(account.slug, staff.id, {
            password: passwordToSave,
            mustChangeAtNextLogin: mustChange,
            ...(isSelf ? { currentPassword } : {}),
          }),
        );
        if (result.signedOut) {
          goToLogin(account.slug, "passwordChanged");
          return;
        }
        // Write-only: nothing of the password stays in the page.
        setEditor((previous) => ({ ...previous, password: "", currentPassword: "", changing: false }));
        setRefused(null);
        current = { ...current, passwordSet: true, mustChangePassword: mustChange };
        onSaved(current);
        messages.push(
          mustChange
            ? `Password set. ${current.firstName} must choose a new password at next sign-in.`
            : "Password set.",
        );
      } catch (error) {
        setPending(false);
        if (isSessionEnded(error)) {
          goToLogin(account.slug);
          return;
        }
        const before = messages.length > 0 ? `${messages.join(" ")} ` : "";
        if (wasCancelled(error)) {
          // The form stays as it was, password included: Save again to be asked again.
          showResult(
            before ? `${before}The password wasn't set, because your password wasn't confirmed.` : NOT_CONFIRMED,
          );
        } else if (error instanceof ApiError && error.code === "current_password_incorrect") {
          setEditor((previous) => ({ ...previous, currentPassword: "" }));
          showErrors({ fields: {}, currentPassword: CURRENT_PASSWORD_INCORRECT });
          if (before) setSaved(`${before}The password wasn't set.`);
        } else if (error instanceof ApiError && error.code === "password_rejected") {
          const reasons = Array.isArray(error.details.reasons) ? error.details.reasons.map(String) : [];
          setRefused({ value: passwordToSave, reasons });
          showErrors({
            fields: {},
            password: rejectionMessages(error.details, policy, isSelf ? undefined : staff.firstName),
          });
          if (before) setSaved(`${before}The password wasn't set.`);
        } else {
          setErrors({ fields: {}, form: `${before}The password wasn't set: ${describeError(error)}` });
        }
        return;
      }
    }
    setPending(false);
    showResult(messages.join(" "));
  }

  function handleDetailsError(error: unknown) {
    if (isSessionEnded(error)) {
      goToLogin(account.slug);
      return;
    }
    if (wasCancelled(error)) {
      setErrors(NO_ERRORS);
      showResult(NOT_CONFIRMED);
      return;
    }
    const found = detailsFieldErrors(error);
    if (found) {
      showErrors({ fields: found });
      return;
    }
    if (error instanceof ApiError && error.code === "not_found") {
      setErrors({ fields: {}, form: `${fullName(staff)} is no longer in this business's staff list.` });
      return;
    }
    setErrors({ fields: {}, form: describeError(error) });
  }

  function cancelChangingPassword() {
    setEditor((previous) => ({ ...previous, password: "", currentPassword: "", changing: false }));
    setRefused(null);
    setErrors((previous) => ({ ...previous, password: undefined, currentPassword: undefined }));
    setTimeout(() => changeButtonRef.current?.focus(), 0);
  }

  const readOnly = !detailsAllowed.ok;
  const field = detailsInputs({ values, errors: errors.fields, edit, ref: fields.ref });
  const unsavedEmail = changes.email !== undefined;
  const unsavedSms = changes.mobilePhone !== undefined || changes.smsOptIn !== undefined;

  return (
    <>
      <form className="staff-form" onSubmit={handleSubmit} noValidate aria-busy={pending}>
        {!detailsAllowed.ok && <p className="message message-info">{detailsAllowed.reason}</p>}
        {errors.form && <ErrorMessage>{errors.form}</ErrorMessage>}
        {/* Name and username first, then the password (where the help article puts it, in view
            without scrolling), then contact details and status. */}
        <fieldset className="form-section" disabled={readOnly}>
          <legend className="visually-hidden">Name and username</legend>
          <div className="form-grid">
            <TextField {...field("firstName")} label="First name" />
            <TextField {...field("lastName")} label="Last name" />
            <TextField {...field("username")} label="Username" help="Used to sign in (as is the email address)." />
          </div>
        </fieldset>

        <PasswordSection
          account={account}
          me={me}
          staff={staff}
          settings={settings}
          policy={policy}
          allowed={passwordAllowed}
          status={status}
          editor={editor}
          onEditor={editPassword}
          errors={errors}
          refused={refused}
          ownCheck={ownCheck}
          personalWords={words}
          passwordRef={passwordRef}
          currentPasswordRef={currentPasswordRef}
          changeButtonRef={changeButtonRef}
          onCancelChange={cancelChangingPassword}
          unsavedEmail={unsavedEmail}
          unsavedSms={unsavedSms}
          onSaved={onSaved}
          onSettingsChanged={onSettingsChanged}
        />

        <fieldset className="form-section" disabled={readOnly}>
          <legend className="form-section-title">Contact details</legend>
          <div className="form-grid">
            <TextField
              {...field("email")}
              label="Email"
              note={
                // About the saved address: hidden while a different one is being typed.
                !unsavedEmail || staff.pendingEmail !== null ? <EmailStatus person={staff} isSelf={isSelf} /> : null
              }
            />
            <TextField {...field("mobilePhone")} label="Mobile phone" />
          </div>
          <SmsOptInField checked={values.smsOptIn} onChange={(checked) => edit("smsOptIn", checked)} />
        </fieldset>

        <fieldset className="form-section" disabled={!statusAllowed.ok} aria-describedby={`${id}-status-help`}>
          <legend className="form-section-title">Status</legend>
          <div className="radio-row">
            {STATUS_CHOICES.map(([value, label]) => (
              <label key={value} className="radio">
                <input
                  type="radio"
                  name={`${id}-status`}
                  value={value}
                  checked={status === value}
                  onChange={() => {
                    setStatus(value);
                    setSaved(null);
                  }}
                />
                {label}
              </label>
            ))}
          </div>
          <p id={`${id}-status-help`} className="field-help">
            {statusAllowed.ok
              ? "Inactive staff can't sign in. Their password is removed; they keep their history."
              : detailsAllowed.ok
                ? statusAllowed.reason
                : null}
          </p>
        </fieldset>

        {(detailsAllowed.ok || statusAllowed.ok || passwordAllowed.ok) && (
          <SaveFooter label="Save changes" pending={pending} saved={saved} resultRef={resultRef} />
        )}
      </form>

      {confirmingDeactivation && (
        <ConfirmDialog
          title={`Make ${fullName(staff)} inactive?`}
          confirmLabel="Make inactive"
          cancelLabel="Keep active"
          tone="danger"
          onConfirm={() => void save(true)}
          onCancel={() => setConfirmingDeactivation(false)}
        >
          <p>
            {isSelf ? "You" : staff.firstName} will be signed out everywhere straight away and won't be able to sign in.
            {isSelf ? " Your" : " Their"} password will be removed and any reset links stop working.
          </p>
          <p>
            To let {isSelf ? "you" : "them"} back in later, make {isSelf ? "yourself" : "them"} active again and set a
            new password or send a reset link. Nothing else is deleted.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** What saving details did, in words: a new email of one's own waits for its confirmation link. */
function savedMessage(changes: StaffChanges, saved: Staff, isSelf: boolean): string {
  if (changes.email === undefined || changes.email === null) return "Changes saved.";
  if (isSelf && saved.pendingEmail !== null) {
    const meanwhile = saved.email ? ` Until then, reset links still go to ${saved.email}.` : "";
    return `Changes saved. To finish changing your email, open the link we sent to ${saved.pendingEmail}.${meanwhile}`;
  }
  if (!isSelf && saved.email !== null) {
    return `Changes saved. We sent ${saved.firstName} a link to confirm ${saved.email}.`;
  }
  return "Changes saved.";
}
