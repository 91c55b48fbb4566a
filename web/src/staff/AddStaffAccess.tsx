// What "Add staff" can settle in the same step for someone with Admin Access: how the new person
// will sign in (a password now, a link emailed to them, or later) and their permissions.
import { useId } from "react";
import type { Account, Permission, PasswordPolicy } from "../api";
import { CheckboxField } from "../components/CheckboxField";
import { ErrorMessage, FieldMessages } from "../components/Messages";
import { PasswordField } from "../components/PasswordField";
import { describeError } from "../errors";
import { ADMIN_ACCESS_LABEL } from "./PermissionsForm";
import { ADMIN_INCLUDES_ALL } from "./staffRules";

export type FirstSignIn = "password" | "link" | "later";

export interface AccessChoices {
  firstSignIn: FirstSignIn;
  password: string;
  mustChange: boolean;
  admin: boolean;
  permissions: ReadonlySet<string>;
}

export const NO_ACCESS_YET: AccessChoices = {
  firstSignIn: "later",
  password: "",
  mustChange: true,
  admin: false,
  permissions: new Set(),
};

const FIRST_SIGN_IN: readonly (readonly [FirstSignIn, string])[] = [
  ["password", "Set a password now"],
  ["link", "Send them a link to choose their own"],
  ["later", "Later"],
];

export function AddStaffAccess({
  account,
  policy,
  catalogue,
  catalogueError,
  choices,
  onChange,
  personalWords,
  personName,
  errors,
  refused,
  passwordRef,
}: {
  account: Account;
  policy: PasswordPolicy | null;
  catalogue: Permission[] | null;
  catalogueError: unknown;
  choices: AccessChoices;
  onChange: (changes: Partial<AccessChoices>) => void;
  personalWords: readonly string[];
  /** The first name typed so far, for the checklist's words. */
  personName: string;
  errors: { password?: string[] | undefined; link?: string | undefined };
  refused: { value: string; reasons: readonly string[] } | null;
  passwordRef: (element: HTMLInputElement | null) => void;
}) {
  const id = useId();
  const who = personName.trim() || "they";
  return (
    <>
      <fieldset className="form-section" aria-describedby={`${id}-sign-in-help`}>
        <legend className="form-section-title">Signing in</legend>
        <p id={`${id}-sign-in-help`} className="field-help">
          How will {who === "they" ? "they" : who} sign in to the {account.name} Office Portal the first time?
        </p>
        <div className="radio-row">
          {FIRST_SIGN_IN.map(([value, label]) => (
            <label key={value} className="radio">
              <input
                type="radio"
                name={`${id}-first-sign-in`}
                value={value}
                checked={choices.firstSignIn === value}
                onChange={() => onChange({ firstSignIn: value })}
              />
              {label}
            </label>
          ))}
        </div>
        {choices.firstSignIn === "password" && (
          <div className="password-editor">
            <PasswordField
              ref={passwordRef}
              label="Password"
              help="Nobody can see a password, not even admins."
              value={choices.password}
              onChange={(value) => onChange({ password: value })}
              policy={policy}
              personName={personName.trim() || undefined}
              personalWords={personalWords}
              refused={refused}
              required={false}
              error={errors.password && <FieldMessages messages={errors.password} />}
            />
            <CheckboxField
              label="Must choose a new password at next sign-in"
              help="Recommended: then only they know their password."
              checked={choices.mustChange}
              onChange={(checked) => onChange({ mustChange: checked })}
            />
          </div>
        )}
        {choices.firstSignIn === "link" && (
          <p className={errors.link ? "field-error" : "field-help"} role={errors.link ? "alert" : undefined}>
            {errors.link ??
              "We'll email a reset link to the address above as soon as they're added. It works once, for 30 minutes."}
          </p>
        )}
        {choices.firstSignIn === "later" && (
          <p className="field-help">
            They can't sign in until someone with Admin Access sets a password or sends a reset link.
          </p>
        )}
      </fieldset>

      <fieldset className="form-section permission-list">
        <legend className="form-section-title">Permissions</legend>
        <CheckboxField
          label={ADMIN_ACCESS_LABEL}
          help="Everything in the Office Portal, including passwords, permissions and settings."
          checked={choices.admin}
          onChange={(checked) => onChange({ admin: checked })}
        />
        {choices.admin && <p className="field-help">{ADMIN_INCLUDES_ALL}</p>}
        {catalogue === null && !catalogueError && <p className="loading">Loading permissions…</p>}
        {catalogueError !== null && catalogueError !== undefined && (
          <ErrorMessage>The list of permissions couldn't be loaded. {describeError(catalogueError)}</ErrorMessage>
        )}
        {catalogue?.map((permission) => (
          <CheckboxField
            key={permission.key}
            label={permission.label}
            help={permission.description}
            checked={choices.admin || choices.permissions.has(permission.key)}
            disabled={choices.admin}
            onChange={(checked) => {
              const next = new Set(choices.permissions);
              if (checked) next.add(permission.key);
              else next.delete(permission.key);
              onChange({ permissions: next });
            }}
          />
        ))}
      </fieldset>
    </>
  );
}
