import { useRef, useState, type FormEvent } from "react";
import { ApiError, api, type Account } from "../api";
import { CardLayout, LoadingScreen } from "../components/Layouts";
import { ErrorMessage, Notice } from "../components/Messages";
import { PageHeading } from "../components/PageHeading";
import { PasswordField } from "../components/PasswordField";
import { TextField } from "../components/TextField";
import { describeError } from "../errors";
import { useAccountSession } from "../hooks/useAccountSession";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { readLoginNotice } from "../notices";
import { paths } from "../paths";
import { Link, Redirect, navigate, useLocation } from "../router";
import { AccountNotFoundPage, LoadFailedPage } from "./ProblemPages";

export function LoginPage({ slug }: { slug: string }) {
  const state = useAccountSession(slug);

  switch (state.kind) {
    case "loading":
      return <LoadingScreen />;
    case "accountNotFound":
      return <AccountNotFoundPage />;
    case "failed":
      return <LoadFailedPage error={state.error} retry={state.retry} />;
    case "ready":
      switch (state.session.kind) {
        case "signedIn":
          return <Redirect to={paths.home(slug)} />;
        case "passwordChangeRequired":
          return <Redirect to={paths.changePassword(slug)} />;
        case "signedOut":
          return <LoginForm account={state.account} />;
      }
  }
}

function signInErrorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    switch (error.code) {
      case "invalid_credentials":
        return "The username/email or password is incorrect.";
      case "validation_failed":
        return "Enter your username or email and your password.";
    }
  }
  return describeError(error);
}

function LoginForm({ account }: { account: Account }) {
  useDocumentTitle(`Sign in · ${account.name}`);
  const notice = readLoginNotice(useLocation().state);
  const [login, setLogin] = useState("");
  const [password, setPassword] = useState("");
  const [staySignedIn, setStaySignedIn] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const loginRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    if (login.trim() === "" || password === "") {
      setError("Enter your username or email and your password.");
      (login.trim() === "" ? loginRef : passwordRef).current?.focus();
      return;
    }

    setPending(true);
    setError(null);
    try {
      const result = await api.signIn(account.slug, {
        login: login.trim(),
        password,
        staySignedIn,
      });
      navigate(result.passwordChangeRequired ? paths.changePassword(account.slug) : paths.home(account.slug), {
        replace: true,
      });
    } catch (caught) {
      setPending(false);
      setError(signInErrorMessage(caught));
      if (caught instanceof ApiError && caught.code === "invalid_credentials") {
        setPassword("");
        passwordRef.current?.focus();
      }
    }
  }

  return (
    <CardLayout eyebrow="Office Portal">
      <PageHeading>{account.name}</PageHeading>
      <p className="lead">Sign in with your staff username or email.</p>
      {notice && !error && <Notice>{notice}</Notice>}
      {error && <ErrorMessage>{error}</ErrorMessage>}
      <form className="form" onSubmit={(event) => void handleSubmit(event)} noValidate aria-busy={pending}>
        <TextField
          ref={loginRef}
          label="Username or email"
          name="username"
          value={login}
          onChange={setLogin}
          autoComplete="username"
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          required
        />
        <div className="field-group">
          <PasswordField
            ref={passwordRef}
            label="Password"
            name="password"
            value={password}
            onChange={setPassword}
            autoComplete="current-password"
          />
          <p className="field-link">
            <Link to={paths.forgotPassword(account.slug)}>Forgot password?</Link>
          </p>
        </div>
        <div className="checkbox-field">
          <input
            id="stay-signed-in"
            type="checkbox"
            checked={staySignedIn}
            onChange={(event) => setStaySignedIn(event.target.checked)}
            aria-describedby="stay-signed-in-help"
          />
          <label htmlFor="stay-signed-in">Stay signed in</label>
          <p id="stay-signed-in-help" className="field-help">
            Keeps you signed in on this device after you close the browser. Not for shared computers.
          </p>
        </div>
        <button type="submit" className="button button-primary" disabled={pending}>
          Sign in
        </button>
      </form>
    </CardLayout>
  );
}
