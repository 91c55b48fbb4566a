import { useId, type InputHTMLAttributes, type ReactNode, type Ref } from "react";
import { FieldError, FieldLabel } from "./Field";

interface TextFieldProps extends Omit<
  InputHTMLAttributes<HTMLInputElement>,
  "id" | "value" | "onChange" | "aria-describedby" | "aria-invalid"
> {
  label: string;
  value: string;
  onChange: (value: string) => void;
  help?: ReactNode;
  error?: ReactNode;
  /** A short status under the input (e.g. an email waiting for confirmation); describes it too. */
  note?: ReactNode;
  ref?: Ref<HTMLInputElement>;
}

export function TextField({ label, value, onChange, help, error, note, ref, ...inputProps }: TextFieldProps) {
  const id = useId();
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const noteId = `${id}-note`;
  const describedBy = [help ? helpId : null, error ? errorId : null, note ? noteId : null].filter(Boolean).join(" ");

  return (
    <div className="field">
      <FieldLabel inputId={id} label={label} help={help} />
      <input
        type="text"
        {...inputProps}
        ref={ref}
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
      />
      <FieldError id={errorId}>{error}</FieldError>
      {note && (
        <div id={noteId} className="field-note">
          {note}
        </div>
      )}
    </div>
  );
}
