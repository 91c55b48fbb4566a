import { useId, type InputHTMLAttributes, type ReactNode, type Ref } from "react";

interface TextFieldProps extends Omit<
  InputHTMLAttributes<HTMLInputElement>,
  "id" | "value" | "onChange" | "aria-describedby" | "aria-invalid"
> {
  label: string;
  value: string;
  onChange: (value: string) => void;
  help?: ReactNode;
  error?: ReactNode;
  ref?: Ref<HTMLInputElement>;
}

export function TextField({ label, value, onChange, help, error, ref, ...inputProps }: TextFieldProps) {
  const id = useId();
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const describedBy = [help ? helpId : null, error ? errorId : null].filter(Boolean).join(" ");

  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {help && (
        <p id={helpId} className="field-help">
          {help}
        </p>
      )}
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
      {error && (
        <div id={errorId} role="alert" className="field-error">
          {error}
        </div>
      )}
    </div>
  );
}
