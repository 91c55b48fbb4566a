import { useRef, useState, type FormEvent } from "react";
import { ApiError, api, type Staff } from "../api";
import { CheckboxField } from "../components/CheckboxField";
import { Dialog } from "../components/Dialog";
import { ErrorMessage } from "../components/Messages";
import { TextField } from "../components/TextField";
import { describeError } from "../errors";
import { goToLogin, isSessionEnded } from "../session";
import { DETAILS_FIELD_ORDER, detailsProblems, fieldMessages, type DetailsValues } from "./staffRules";

type FieldKey = (typeof DETAILS_FIELD_ORDER)[number];

/** As laid out in this form. */
const FIELD_ORDER: readonly FieldKey[] = ["firstName", "lastName", "username", "email", "mobilePhone"];

const EMPTY: DetailsValues = { username: "", firstName: "", lastName: "", email: "", mobilePhone: "", smsOptIn: false };

export function AddStaffDialog({
  slug,
  onAdded,
  onClose,
}: {
  slug: string;
  onAdded: (staff: Staff) => void;
  onClose: () => void;
}) {
  const [values, setValues] = useState<DetailsValues>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<FieldKey, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const refs = useRef(new Map<FieldKey, HTMLInputElement>());
  const firstRef = useRef<HTMLInputElement>(null);

  function edit<K extends keyof DetailsValues>(key: K, value: DetailsValues[K]) {
    setValues((previous) => ({ ...previous, [key]: value }));
    if (key in errors) setErrors((previous) => ({ ...previous, [key]: undefined }));
    setFormError(null);
  }

  function ref(key: FieldKey) {
    return (element: HTMLInputElement | null) => {
      if (element) refs.current.set(key, element);
      else refs.current.delete(key);
      if (key === "firstName") firstRef.current = element;
    };
  }

  function show(found: Partial<Record<FieldKey, string>>) {
    setErrors(found);
    const first = FIELD_ORDER.find((key) => found[key]);
    if (first) refs.current.get(first)?.focus();
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const problems = detailsProblems(values);
    if (Object.keys(problems).length > 0) {
      show(problems);
      return;
    }
    setPending(true);
    setFormError(null);
    const email = values.email.trim();
    const phone = values.mobilePhone.trim();
    try {
      const created = await api.createStaff(slug, {
        username: values.username.trim(),
        firstName: values.firstName.trim(),
        lastName: values.lastName.trim(),
        ...(email ? { email } : {}),
        ...(phone ? { mobilePhone: phone } : {}),
        smsOptIn: values.smsOptIn,
      });
      onAdded(created);
    } catch (error) {
      setPending(false);
      if (isSessionEnded(error)) {
        goToLogin(slug);
        return;
      }
      if (error instanceof ApiError && (error.code === "validation_failed" || error.code === "conflict")) {
        const messages = fieldMessages(error.details);
        const found: Partial<Record<FieldKey, string>> = {};
        for (const key of DETAILS_FIELD_ORDER) if (messages[key]) found[key] = messages[key];
        if (Object.keys(found).length > 0) {
          show(found);
          return;
        }
      }
      setFormError(describeError(error));
    }
  }

  return (
    <Dialog
      title="Add staff"
      description="They can sign in once they have a password: set one for them afterwards, or send them a reset link."
      onClose={onClose}
      initialFocus={firstRef}
      size="medium"
    >
      <form className="staff-form" onSubmit={(event) => void handleSubmit(event)} noValidate aria-busy={pending}>
        {formError && <ErrorMessage>{formError}</ErrorMessage>}
        <div className="form-grid">
          <TextField
            ref={ref("firstName")}
            label="First name"
            value={values.firstName}
            onChange={(value) => edit("firstName", value)}
            error={errors.firstName}
            autoComplete="off"
            required
          />
          <TextField
            ref={ref("lastName")}
            label="Last name"
            value={values.lastName}
            onChange={(value) => edit("lastName", value)}
            error={errors.lastName}
            autoComplete="off"
            required
          />
          <TextField
            ref={ref("username")}
            label="Username"
            help="For signing in. Letters, digits, dots, hyphens or underscores."
            value={values.username}
            onChange={(value) => edit("username", value)}
            error={errors.username}
            autoComplete="off"
            autoCapitalize="off"
            autoCorrect="off"
            spellCheck={false}
            required
          />
          <TextField
            ref={ref("email")}
            label="Email (optional)"
            help="For reset links and notices. Also works for signing in."
            type="email"
            value={values.email}
            onChange={(value) => edit("email", value)}
            error={errors.email}
            autoComplete="off"
            spellCheck={false}
          />
          <TextField
            ref={ref("mobilePhone")}
            label="Mobile phone (optional)"
            type="tel"
            value={values.mobilePhone}
            onChange={(value) => edit("mobilePhone", value)}
            error={errors.mobilePhone}
            autoComplete="off"
          />
        </div>
        <CheckboxField
          label="Can receive text messages (SMS)"
          help="Tick only if they agreed to receive texts, such as password reset links, on this mobile number."
          checked={values.smsOptIn}
          onChange={(checked) => edit("smsOptIn", checked)}
        />
        <div className="dialog-actions">
          <button type="submit" className="button button-primary" disabled={pending}>
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
