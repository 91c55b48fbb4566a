// The edit window's "Signing in" section: the write-only password (a field when none is set, or
// the fixed mask with "Change"), "must choose a new password", the reset link buttons and
// two-step sign-in. The help article puts the password here, near the top of the Details tab.
import { useId, type ReactNode, type Ref } from "react";
import type { Account, AccountSettings, Me, PasswordPolicy, Staff } from "../api";
import { CheckboxField } from "../components/CheckboxField";
import { FieldMessages } from "../components/Messages";
import { PasswordField, type PasswordCheck } from "../components/PasswordField";
import { ResetLinkActions } from "./ResetLinks";
import { StaffTwoFactor } from "./StaffTwoFactor";
import type { Allowed } from "./staffRules";

/** Always eight, whatever the password's length: the mask says "there is one", nothing more. */
export const PASSWORD_MASK = "••••••••";

export interface PasswordEditorState {
  password: string;
  currentPassword: string;
  mustChange: boolean;
  /** The Change button was pressed (a password exists), so the field shows. */
  changing: boolean;
}

export interface PasswordSectionProps {
  account: Account;
  me: Me;
  staff: Staff;
  settings: AccountSettings | null;
  policy: PasswordPolicy | null;
  allowed: Allowed;
  /** The status chosen in the form (not yet saved, perhaps). */
  status: Staff["status"];
  editor: PasswordEditorState;
  onEditor: (changes: Partial<PasswordEditorState>) => void;
  errors: { password?: string[] | undefined; currentPassword?: string | undefined };
  refused: { value: string; reasons: readonly string[] } | null;
  ownCheck: PasswordCheck;
  personalWords: readonly string[];
  passwordRef: Ref<HTMLInputElement>;
  currentPasswordRef: Ref<HTMLInputElement>;
  changeButtonRef: Ref<HTMLButtonElement>;
  onCancelChange: () => void;
  unsavedEmail: boolean;
  unsavedSms: boolean;
  onSaved: (staff: Staff) => void;
  onSettingsChanged: (changes: Partial<AccountSettings>) => void;
}

/** Whether the password input shows: allowed, active, and no password yet or "Change" pressed. */
export function showsPasswordInput(allowed: Allowed, status: Staff["status"], staff: Staff, changing: boolean) {
  return allowed.ok && status === "active" && (!staff.passwordSet || changing);
}

export function PasswordSection(props: PasswordSectionProps) {
  const { account, me, staff, settings, allowed, status, editor, onEditor } = props;
  let body: ReactNode;
  if (!allowed.ok) {
    body = (
      <>
        <PasswordStatus staff={staff} />
        <p className="field-help reason">{allowed.reason}</p>
      </>
    );
  } else if (status === "inactive") {
    body = (
      <p className="field-help reason">
        {staff.status === "inactive"
          ? `${staff.firstName} is inactive and can't sign in. To let them back in, choose Active under Status, then set a new password and save.`
          : `${staff.firstName} will be inactive, so their password will be removed when you save.`}
      </p>
    );
  } else if (showsPasswordInput(allowed, status, staff, editor.changing)) {
    body = <PasswordEditor {...props} />;
  } else {
    body = (
      <PasswordStatus staff={staff} onChange={() => onEditor({ changing: true })} changeRef={props.changeButtonRef} />
    );
  }
  return (
    <div className="form-section">
      <h3 className="form-section-title">Signing in</h3>
      {body}
      {allowed.ok && (
        <ResetLinkActions
          slug={account.slug}
          me={me}
          staff={staff}
          settings={settings}
          unsavedEmail={props.unsavedEmail}
          unsavedSms={props.unsavedSms}
          onSettingsChanged={props.onSettingsChanged}
        />
      )}
      <StaffTwoFactor slug={account.slug} me={me} staff={staff} settings={settings} onReset={props.onSaved} />
    </div>
  );
}

function PasswordEditor({
  me,
  staff,
  policy,
  editor,
  onEditor,
  errors,
  refused,
  ownCheck,
  personalWords,
  passwordRef,
  currentPasswordRef,
  onCancelChange,
}: PasswordSectionProps) {
  const isSelf = staff.id === me.id;
  return (
    <div className="password-editor">
      {isSelf && (
        <PasswordField
          ref={currentPasswordRef}
          label="Current password"
          help="To change your own password, enter the one you use now."
          autoComplete="current-password"
          value={editor.currentPassword}
          onChange={(value) => onEditor({ currentPassword: value })}
          required={false}
          error={errors.currentPassword}
        />
      )}
      <PasswordField
        ref={passwordRef}
        label={isSelf ? "New password" : "Password"}
        help={`Set a new password for ${isSelf ? "yourself" : staff.firstName}. Nobody can see a password, not even admins.`}
        value={editor.password}
        onChange={(value) => onEditor({ password: value })}
        policy={policy}
        check={isSelf ? ownCheck : undefined}
        personName={isSelf ? undefined : staff.firstName}
        currentPassword={isSelf ? editor.currentPassword : undefined}
        personalWords={personalWords}
        refused={refused}
        required={false}
        error={errors.password && <FieldMessages messages={errors.password} />}
      />
      <CheckboxField
        label="Must choose a new password at next sign-in"
        help={
          isSelf
            ? "Saving your own password signs you out; you then sign in with the new one."
            : `Recommended: then only ${staff.firstName} knows their password.`
        }
        checked={editor.mustChange}
        onChange={(checked) => onEditor({ mustChange: checked })}
      />
      {staff.passwordSet && (
        <p>
          <button type="button" className="button button-link" onClick={onCancelChange}>
            Keep the current password
          </button>
        </p>
      )}
    </div>
  );
}

/** The fixed mask when a password exists (never its length), or that there is none yet. */
function PasswordStatus({
  staff,
  onChange,
  changeRef,
}: {
  staff: Staff;
  onChange?: () => void;
  changeRef?: Ref<HTMLButtonElement>;
}) {
  const labelId = useId();
  return (
    <div className="field" role="group" aria-labelledby={labelId}>
      <span id={labelId} className="field-label">
        Password
      </span>
      {staff.passwordSet ? (
        <div className="password-status">
          <span className="password-mask" aria-hidden="true">
            {PASSWORD_MASK}
          </span>
          <span className="password-status-text">Password set</span>
          {onChange && (
            <button ref={changeRef} type="button" className="button button-secondary button-small" onClick={onChange}>
              Change<span className="visually-hidden"> {staff.firstName}'s password</span>
            </button>
          )}
        </div>
      ) : (
        <div className="password-status">
          <span className="password-status-text">No password yet</span>
        </div>
      )}
    </div>
  );
}
