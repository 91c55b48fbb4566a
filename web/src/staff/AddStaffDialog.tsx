import { useRef, useState, type FormEvent } from "react";
import { api, type Staff } from "../api";
import { Dialog } from "../components/Dialog";
import { ErrorMessage } from "../components/Messages";
import { TextField } from "../components/TextField";
import { describeError } from "../errors";
import { goToLogin, isSessionEnded } from "../session";
import {
  SmsOptInField,
  detailsFieldErrors,
  detailsInputs,
  useDetailsFieldRefs,
  type DetailsField,
  type DetailsFieldErrors,
} from "./DetailsFields";
import { detailsProblems, type DetailsValues } from "./staffRules";

/** As laid out in this form. */
const FIELD_ORDER: readonly DetailsField[] = ["firstName", "lastName", "username", "email", "mobilePhone"];

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
  const [errors, setErrors] = useState<DetailsFieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const fields = useDetailsFieldRefs();
  const firstRef = useRef<HTMLInputElement>(null);

  function edit<K extends keyof DetailsValues>(key: K, value: DetailsValues[K]) {
    setValues((previous) => ({ ...previous, [key]: value }));
    if (key in errors) setErrors((previous) => ({ ...previous, [key]: undefined }));
    setFormError(null);
  }

  function ref(key: DetailsField) {
    const register = fields.ref(key);
    return (element: HTMLInputElement | null) => {
      register(element);
      if (key === "firstName") firstRef.current = element;
    };
  }

  function show(found: DetailsFieldErrors) {
    setErrors(found);
    fields.focusFirstInvalid(found, FIELD_ORDER);
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
      const found = detailsFieldErrors(error);
      if (found) {
        show(found);
        return;
      }
      setFormError(describeError(error));
    }
  }

  const field = detailsInputs({ values, errors, edit, ref });

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
