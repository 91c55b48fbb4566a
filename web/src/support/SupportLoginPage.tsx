import { useRef, useState, type FormEvent } from "react";
import { ApiError } from "../api";
import { LoadingScreen } from "../components/Layouts";
import { ErrorMessage, Notice } from "../components/Messages";
import { PageHeading } from "../components/PageHeading";
import { PasswordField } from "../components/PasswordField";
import { TextField } from "../components/TextField";
import { describeError } from "../errors";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { LoadFailedPage } from "../pages/ProblemPages";
import { supportPaths } from "../paths";
import { Redirect, navigate, useLocation } from "../router";
import { SupportCardLayout } from "./SupportLayout";
import { supportApi } from "./supportApi";
import { readSupportLoginState, rememberAgent, useSupportSession } from "./supportSession";

/** /support/login: Staffgate's support agents sign in here, never at a business's Office Portal. */
export function SupportLoginPage() {
  const session = useSupportSession();
  const { returnTo } = readSupportLoginState(useLocation().state);

  switch (session.kind) {
    case "loading":
      return <LoadingScreen />;
    case "failed":
      return <LoadFailedPage error={session.error} retry={session.retry} />;
    case "signedIn":
      return <Redirect to={returnTo ?? supportPaths.home} />;
    case "signedOut":
      return <SupportLoginForm />;
  }
}

function signInErrorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    switch (error.code) {
      case "invalid_credentials":
        return "The email or password is incorrect.";
      case "validation_failed":
        return "Enter your support email and your password.";
    }
  }
  return describeError(error);
}

function SupportLoginForm() {
  useDocumentTitle("Support console sign-in");
  const { notice, returnTo } = readSupportLoginState(useLocation().state);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    if (email.trim() === "" || password === "") {
      setError("Enter your support email and your password.");
      (email.trim() === "" ? emailRef : passwordRef).current?.focus();
      return;
    }
    setPending(true);
    setError(null);
    try {
      const { agent } = await supportApi.signIn({ email: email.trim(), password });
      rememberAgent(agent);
      navigate(returnTo ?? supportPaths.home, { replace: true });
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
    <SupportCardLayout>
      <PageHeading>Staffgate support console</PageHeading>
      <p className="lead">
        For Staffgate support agents. Staff of a business sign in at their own Office Portal address, not here.
      </p>
      {notice && !error && <Notice>{notice}</Notice>}
      {error && <ErrorMessage>{error}</ErrorMessage>}
      <form className="form" onSubmit={(event) => void handleSubmit(event)} noValidate aria-busy={pending}>
        <TextField
          ref={emailRef}
          label="Email"
          name="email"
          type="email"
          value={email}
          onChange={setEmail}
          autoComplete="username"
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          required
        />
        <PasswordField
          ref={passwordRef}
          label="Password"
          name="password"
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
        />
        <button type="submit" className="button button-primary" disabled={pending}>
          Sign in
        </button>
      </form>
    </SupportCardLayout>
  );
}
