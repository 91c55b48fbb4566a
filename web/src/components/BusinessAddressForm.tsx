import { useState, type FormEvent } from "react";
import { isSlug, slugFromInput } from "../paths";
import { navigate } from "../router";
import { TextField } from "./TextField";

/** Asks which business (its address, or a pasted link) and goes to `destination` of it. */
export function BusinessAddressForm({
  help,
  submitLabel,
  destination,
}: {
  help: string;
  submitLabel: string;
  destination: (slug: string) => string;
}) {
  const [address, setAddress] = useState("");
  const [error, setError] = useState<string | null>(null);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const slug = slugFromInput(address);
    if (slug === "") setError("Enter your business address.");
    else if (!isSlug(slug)) setError("A business address uses only lowercase letters, digits and hyphens.");
    else navigate(destination(slug));
  }

  return (
    <form className="form" onSubmit={handleSubmit} noValidate>
      <TextField
        label="Business address"
        help={help}
        value={address}
        onChange={(value) => {
          setAddress(value);
          setError(null);
        }}
        error={error}
        autoComplete="off"
        autoCapitalize="off"
        spellCheck={false}
      />
      <button type="submit" className="button button-primary">
        {submitLabel}
      </button>
    </form>
  );
}
