import { useState } from "react";
import { api, type Account } from "../api";
import { AccountSessionPage } from "../components/AccountPage";
import { CardLayout } from "../components/Layouts";
import { PageHeading } from "../components/PageHeading";
import { SignInForm } from "../components/SignInForm";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { readLoginNotice } from "../notices";
import { paths } from "../paths";
import { Link, Redirect, navigate, useLocation } from "../router";

export function LoginPage({ slug }: { slug: string }) {
  return (
    <AccountSessionPage slug={slug}>
      {(account, session) => {
        switch (session.kind) {
          case "signedIn":
            return <Redirect to={paths.home(slug)} />;
          case "passwordChangeRequired":
            return <Redirect to={paths.changePassword(slug)} />;
          case "signedOut":
            return <LoginForm account={account} />;
        }
      }}
    </AccountSessionPage>
  );
}

function LoginForm({ account }: { account: Account }) {
  useDocumentTitle(`Sign in · ${account.name}`);
  const notice = readLoginNotice(useLocation().state);
  const [staySignedIn, setStaySignedIn] = useState(false);

  return (
    <CardLayout eyebrow="Office Portal">
      <PageHeading>{account.name}</PageHeading>
      <p className="lead">Sign in with your staff username or email.</p>
      <SignInForm
        notice={notice}
        login={{ label: "Username or email", name: "username" }}
        missing="Enter your username or email and your password."
        incorrect="The username/email or password is incorrect."
        signIn={async (login, password) => {
          const result = await api.signIn(account.slug, { login, password, staySignedIn });
          navigate(result.passwordChangeRequired ? paths.changePassword(account.slug) : paths.home(account.slug), {
            replace: true,
          });
        }}
        passwordLink={<Link to={paths.forgotPassword(account.slug)}>Forgot password?</Link>}
      >
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
      </SignInForm>
    </CardLayout>
  );
}
