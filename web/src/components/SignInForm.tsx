import { useRef, useState, type FormEvent, type ReactNode } from "react";
import { ApiError } from "../api";
import { describeError } from "../errors";
import { ErrorMessage, Notice } from "./Messages";
import { PasswordField } from "./PasswordField";
import { TextField } from "./TextField";

/**
 * A sign-in form (Office Portal or support console), with the page's notice above it while there
 * is no error. It checks that both fields are filled, calls `signIn` with the trimmed login (it
 * resolves once the page moves on), and after a wrong password clears it and puts focus there.
 */
export function SignInForm({
  notice,
  login: loginField,
  missing,
  incorrect,
  signIn,
  passwordLink,
  children,
}: {
  notice: string | null;
  /** The login input: its label, and its name and type for password managers. */
  login: { label: string; name: string; type?: "email" };
  /** When a field is empty (or the server finds one missing). */
  missing: string;
  /** When the server answers `invalid_credentials`. */
  incorrect: string;
  signIn: (login: string, password: string) => Promise<void>;
  /** A link under the password (e.g. "Forgot password?"). */
  passwordLink?: ReactNode;
  /** More fields, after the password. */
  children?: ReactNode;
}) {
  const [login, setLogin] = useState("");
  const [password, setPassword] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const loginRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  function errorMessage(caught: unknown): string {
    if (caught instanceof ApiError) {
      switch (caught.code) {
        case "invalid_credentials":
          return incorrect;
        case "validation_failed":
          return missing;
      }
    }
    return describeError(caught);
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    if (login.trim() === "" || password === "") {
      setError(missing);
      (login.trim() === "" ? loginRef : passwordRef).current?.focus();
      return;
    }

    setPending(true);
    setError(null);
    try {
      await signIn(login.trim(), password);
    } catch (caught) {
      setPending(false);
      setError(errorMessage(caught));
      if (caught instanceof ApiError && caught.code === "invalid_credentials") {
        setPassword("");
        passwordRef.current?.focus();
      }
    }
  }

  const passwordField = (
    <PasswordField
      ref={passwordRef}
      label="Password"
      name="password"
      value={password}
      onChange={setPassword}
      autoComplete="current-password"
    />
  );

  return (
    <>
      {notice && !error && <Notice>{notice}</Notice>}
      {error && <ErrorMessage>{error}</ErrorMessage>}
      <form className="form" onSubmit={(event) => void handleSubmit(event)} noValidate aria-busy={pending}>
        <TextField
          ref={loginRef}
          label={loginField.label}
          name={loginField.name}
          type={loginField.type ?? "text"}
          value={login}
          onChange={setLogin}
          autoComplete="username"
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          required
        />
        {passwordLink ? (
          <div className="field-group">
            {passwordField}
            <p className="field-link">{passwordLink}</p>
          </div>
        ) : (
          passwordField
        )}
        {children}
        <button type="submit" className="button button-primary" disabled={pending}>
          Sign in
        </button>
      </form>
    </>
  );
}
