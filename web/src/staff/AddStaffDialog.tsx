import { useMemo, useRef, useState, type FormEvent } from "react";
import { ApiError, api, fullName, type Account, type Me, type NewStaff, type Permission, type Staff } from "../api";
import { Dialog } from "../components/Dialog";
import { ErrorMessage } from "../components/Messages";
import { TextField } from "../components/TextField";
import { describeError } from "../errors";
import { usePasswordPolicy } from "../hooks/usePasswordPolicy";
import { newPasswordProblems, personalWords, rejectionMessages } from "../password";
import { goToLogin, isSessionEnded } from "../session";
import { NOT_CONFIRMED, useSudo, wasCancelled } from "../sudo/sudo";
import { AddStaffAccess, NO_ACCESS_YET, type AccessChoices } from "./AddStaffAccess";
import {
  SmsOptInField,
  detailsFieldErrors,
  detailsInputs,
  useDetailsFieldRefs,
  type DetailsField,
  type DetailsFieldErrors,
} from "./DetailsFields";
import { newIdempotencyKey } from "./idempotency";
import { detailsProblems, isAdmin, type DetailsValues } from "./staffRules";

/** As laid out in this form. */
const FIELD_ORDER: readonly DetailsField[] = ["firstName", "lastName", "username", "email", "mobilePhone"];

const EMPTY: DetailsValues = { username: "", firstName: "", lastName: "", email: "", mobilePhone: "", smsOptIn: false };

const NEEDS_EMAIL_FOR_LINK = "Enter their email above to send a link, or choose another way.";

interface AccessErrors {
  password?: string[];
  link?: string;
}

/**
 * "Add staff": the details, and — for someone with Admin Access — the first password (or a reset
 * link emailed at once) and the permissions, in one step. The person, their password and their
 * permissions are created together or not at all (one request); the link goes out right after.
 */
export function AddStaffDialog({
  account,
  me,
  catalogue,
  catalogueError,
  onAdded,
  onClose,
}: {
  account: Account;
  me: Me;
  catalogue: Permission[] | null;
  catalogueError: unknown;
  /** `message`: what was done, in words, for the page's notice. */
  onAdded: (staff: Staff, message: string) => void;
  onClose: () => void;
}) {
  const slug = account.slug;
  const admin = isAdmin(me);
  const policy = usePasswordPolicy(slug);
  const sudo = useSudo();
  const [values, setValues] = useState<DetailsValues>(EMPTY);
  const [access, setAccess] = useState<AccessChoices>(NO_ACCESS_YET);
  const [errors, setErrors] = useState<DetailsFieldErrors>({});
  const [accessErrors, setAccessErrors] = useState<AccessErrors>({});
  const [refused, setRefused] = useState<{ value: string; reasons: readonly string[] } | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const fields = useDetailsFieldRefs();
  const firstRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement | null>(null);
  const words = useMemo(
    () =>
      personalWords({
        username: values.username,
        firstName: values.firstName,
        lastName: values.lastName,
        email: values.email,
        accountName: account.name,
        accountSlug: slug,
      }),
    [values.username, values.firstName, values.lastName, values.email, account.name, slug],
  );

  function edit<K extends keyof DetailsValues>(key: K, value: DetailsValues[K]) {
    setValues((previous) => ({ ...previous, [key]: value }));
    if (key in errors) setErrors((previous) => ({ ...previous, [key]: undefined }));
    if (key === "email") setAccessErrors((previous) => ({ ...previous, link: undefined }));
    setFormError(null);
  }

  function editAccess(changes: Partial<AccessChoices>) {
    setAccess((previous) => ({ ...previous, ...changes }));
    if (changes.password !== undefined || changes.firstSignIn !== undefined) setAccessErrors({});
    setFormError(null);
  }

  function ref(key: DetailsField) {
    const register = fields.ref(key);
    return (element: HTMLInputElement | null) => {
      register(element);
      if (key === "firstName") firstRef.current = element;
    };
  }

  function show(found: DetailsFieldErrors, foundAccess: AccessErrors = {}) {
    setErrors(found);
    setAccessErrors(foundAccess);
    if (fields.focusFirstInvalid(found, FIELD_ORDER)) return;
    if (foundAccess.password) passwordRef.current?.focus();
  }

  /** What the form asks the server for, beyond the details. */
  function accessRequest(): Partial<NewStaff> {
    if (!admin) return {};
    return {
      ...(access.firstSignIn === "password" && access.password !== ""
        ? { password: access.password, mustChangeAtNextLogin: access.mustChange }
        : {}),
      adminFullAccess: access.admin,
      permissions: access.admin ? [] : [...access.permissions].sort(),
    };
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const problems = detailsProblems(values);
    const foundAccess: AccessErrors = {};
    if (admin && access.firstSignIn === "password") {
      const passwordProblems = newPasswordProblems(access.password, policy);
      if (passwordProblems) foundAccess.password = passwordProblems;
    }
    if (admin && access.firstSignIn === "link" && values.email.trim() === "") foundAccess.link = NEEDS_EMAIL_FOR_LINK;
    if (Object.keys(problems).length > 0 || Object.keys(foundAccess).length > 0) {
      show(problems, foundAccess);
      return;
    }
    setPending(true);
    setFormError(null);
    const email = values.email.trim();
    const phone = values.mobilePhone.trim();
    const body: NewStaff = {
      username: values.username.trim(),
      firstName: values.firstName.trim(),
      lastName: values.lastName.trim(),
      ...(email ? { email } : {}),
      ...(phone ? { mobilePhone: phone } : {}),
      smsOptIn: values.smsOptIn,
      ...accessRequest(),
    };
    let created: Staff;
    try {
      // A password or a permission may first ask "Confirm it's you".
      created = await sudo(() => api.createStaff(slug, body));
    } catch (error) {
      setPending(false);
      handleError(error);
      return;
    }
    const name = fullName(created);
    if (admin && access.firstSignIn === "link") {
      onAdded(created, await sendLink(created));
      return;
    }
    if (created.passwordSet) {
      onAdded(
        created,
        created.mustChangePassword
          ? `${name} was added with the password you set. They'll choose their own at their first sign-in.`
          : `${name} was added with the password you set.`,
      );
      return;
    }
    onAdded(
      created,
      `${name} was added. To let them sign in, open Edit next to their name and set a password or send a reset link.`,
    );
  }

  async function sendLink(created: Staff): Promise<string> {
    const name = fullName(created);
    try {
      const sent = await api.sendResetLink(slug, created.id, "email", newIdempotencyKey());
      return `${name} was added, and a link to choose their password was emailed to ${sent.sentTo}.`;
    } catch (error) {
      return `${name} was added, but the link wasn't sent: ${describeError(error)} Open Edit next to their name to try again.`;
    }
  }

  function handleError(error: unknown) {
    if (isSessionEnded(error)) {
      goToLogin(slug);
      return;
    }
    if (wasCancelled(error)) {
      setFormError(`Nobody was added: ${NOT_CONFIRMED}`);
      return;
    }
    if (error instanceof ApiError && error.code === "password_rejected") {
      const reasons = Array.isArray(error.details.reasons) ? error.details.reasons.map(String) : [];
      setRefused({ value: access.password, reasons });
      show({}, { password: rejectionMessages(error.details, policy, values.firstName.trim() || undefined) });
      return;
    }
    const found = detailsFieldErrors(error);
    if (found) {
      show(found);
      return;
    }
    setFormError(describeError(error));
  }

  const field = detailsInputs({ values, errors, edit, ref });

  return (
    <Dialog
      title="Add staff"
      description={
        admin
          ? "Their details, how they'll sign in the first time, and what they may do: all in one step."
          : "They can sign in once someone with Admin Access sets a password or sends them a reset link."
      }
      onClose={onClose}
      initialFocus={firstRef}
      size={admin ? "large" : "medium"}
    >
      <form className="staff-form" onSubmit={(event) => void handleSubmit(event)} noValidate aria-busy={pending}>
        {formError && <ErrorMessage>{formError}</ErrorMessage>}
        <fieldset className="form-section">
          <legend className="visually-hidden">Details</legend>
          <div className="form-grid">
            <TextField {...field("firstName")} label="First name" />
            <TextField {...field("lastName")} label="Last name" />
            <TextField
              {...field("username")}
              label="Username"
              help="For signing in. Letters, digits, dots, hyphens or underscores."
            />
            <TextField
              {...field("email")}
              label="Email (optional)"
              help="For reset links and notices. Also works for signing in."
            />
            <TextField {...field("mobilePhone")} label="Mobile phone (optional)" />
          </div>
          <SmsOptInField checked={values.smsOptIn} onChange={(checked) => edit("smsOptIn", checked)} />
        </fieldset>
        {admin && (
          <AddStaffAccess
            account={account}
            policy={policy}
            catalogue={catalogue}
            catalogueError={catalogueError}
            choices={access}
            onChange={editAccess}
            personalWords={words}
            personName={values.firstName}
            errors={accessErrors}
            refused={refused}
            passwordRef={(element) => {
              passwordRef.current = element;
            }}
          />
        )}
        <div className="dialog-actions">
          <button type="submit" className="button button-primary" aria-disabled={pending || undefined}>
            {pending ? "Adding…" : "Add staff member"}
          </button>
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
