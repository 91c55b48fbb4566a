// What the Add staff and Edit staff forms share about a staff member's details: the inputs (their
// labels and help differ), the SMS consent checkbox, focusing the first invalid field, and the
// server's answers about particular fields.
import { useRef, type ComponentProps } from "react";
import { ApiError } from "../api";
import { CheckboxField } from "../components/CheckboxField";
import type { TextField } from "../components/TextField";
import { DETAILS_FIELD_ORDER, fieldMessages, type DetailsValues } from "./staffRules";

export type DetailsField = (typeof DETAILS_FIELD_ORDER)[number];
export type DetailsFieldErrors = Partial<Record<DetailsField, string>>;

type TextFieldProps = ComponentProps<typeof TextField>;

/** How each input behaves, in either form. */
const INPUTS: Record<DetailsField, Partial<TextFieldProps>> = {
  username: { autoCapitalize: "off", autoCorrect: "off", spellCheck: false, required: true },
  firstName: { required: true },
  lastName: { required: true },
  email: { type: "email", spellCheck: false },
  mobilePhone: { type: "tel" },
};

/**
 * The props of each details input but its label and help, tied to the form's values and errors:
 * `<TextField {...field("email")} label="Email" />`.
 */
export function detailsInputs({
  values,
  errors,
  edit,
  ref,
}: {
  values: DetailsValues;
  errors: DetailsFieldErrors;
  edit: (key: DetailsField, value: string) => void;
  ref: (key: DetailsField) => (element: HTMLInputElement | null) => void;
}) {
  return (key: DetailsField) => ({
    ref: ref(key),
    value: values[key],
    onChange: (value: string) => edit(key, value),
    error: errors[key],
    autoComplete: "off",
    ...INPUTS[key],
  });
}

export function SmsOptInField({ checked, onChange }: { checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <CheckboxField
      label="Can receive text messages (SMS)"
      help="Tick only if they agreed to receive texts, such as password reset links, on this mobile number."
      checked={checked}
      onChange={onChange}
    />
  );
}

/** The details inputs by field, to focus the first invalid one. */
export function useDetailsFieldRefs() {
  const elements = useRef(new Map<DetailsField, HTMLInputElement>());

  function ref(key: DetailsField) {
    return (element: HTMLInputElement | null) => {
      if (element) elements.current.set(key, element);
      else elements.current.delete(key);
    };
  }

  /** Focuses the first field in `order` that has an error; false when none has. */
  function focusFirstInvalid(errors: DetailsFieldErrors, order: readonly DetailsField[]): boolean {
    const first = order.find((key) => errors[key]);
    if (first) elements.current.get(first)?.focus();
    return first !== undefined;
  }

  return { ref, focusFirstInvalid };
}

/** What a validation_failed or conflict answer says about particular fields; null when nothing. */
export function detailsFieldErrors(error: unknown): DetailsFieldErrors | null {
  if (!(error instanceof ApiError && (error.code === "validation_failed" || error.code === "conflict"))) return null;
  const messages = fieldMessages(error.details);
  const found: DetailsFieldErrors = {};
  for (const key of DETAILS_FIELD_ORDER) if (messages[key]) found[key] = messages[key];
  return Object.keys(found).length > 0 ? found : null;
}
