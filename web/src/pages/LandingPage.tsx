import { useState, type FormEvent } from "react";
import { CardLayout } from "../components/Layouts";
import { PageHeading } from "../components/PageHeading";
import { TextField } from "../components/TextField";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { isSlug, paths, slugFromInput } from "../paths";
import { navigate } from "../router";

export function LandingPage() {
  useDocumentTitle("Sign in to your business");
  const [address, setAddress] = useState("");
  const [error, setError] = useState<string | null>(null);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const slug = slugFromInput(address);
    if (slug === "") {
      setError("Enter your business address.");
    } else if (!isSlug(slug)) {
      setError("A business address uses only lowercase letters, digits and hyphens.");
    } else {
      navigate(paths.login(slug));
    }
  }

  return (
    <CardLayout eyebrow="Staffgate">
      <PageHeading>Office Portal staff sign-in</PageHeading>
      <p>Staffgate is where staff of gyms, swim schools and other businesses sign in to their Office Portal.</p>
      <p>
        Every business has its own sign-in page at <code>/a/&lt;business&gt;/login</code>, for example{" "}
        <code>/a/sunny-swim/login</code>. If you don't know your business's address, ask the person who manages your
        Office Portal.
      </p>
      <form className="form" onSubmit={handleSubmit} noValidate>
        <TextField
          label="Business address"
          help="The short name in your portal's web address, for example sunny-swim."
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
          Go to sign-in
        </button>
      </form>
    </CardLayout>
  );
}
