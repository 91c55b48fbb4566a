import { useId, type ReactNode, type Ref } from "react";

/** A checkbox with its label to the right and optional help (and reason) under the label. */
export function CheckboxField({
  label,
  checked,
  onChange,
  help,
  disabled = false,
  name,
  ref,
  className,
}: {
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  help?: ReactNode;
  disabled?: boolean;
  name?: string;
  ref?: Ref<HTMLInputElement>;
  className?: string;
}) {
  const id = useId();
  const helpId = `${id}-help`;
  return (
    <div className={`checkbox-field${disabled ? " is-disabled" : ""}${className ? ` ${className}` : ""}`}>
      <input
        ref={ref}
        id={id}
        name={name}
        type="checkbox"
        checked={checked}
        disabled={disabled}
        onChange={(event) => onChange(event.target.checked)}
        aria-describedby={help ? helpId : undefined}
      />
      <label htmlFor={id}>{label}</label>
      {help && (
        <div id={helpId} className="field-help">
          {help}
        </div>
      )}
    </div>
  );
}
