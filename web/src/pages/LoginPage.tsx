import { useState, type ReactNode } from "react";
import {
  api,
  isSecondFactorRequired,
  type Account,
  type SecondFactorKind,
  type SecondFactorRequired,
  type SignInResult,
} from "../api";
import { AccountSessionPage } from "../components/AccountPage";
import { CardLayout } from "../components/Layouts";
import { pendingContinue } from "../continueTo";
import { PageHeading } from "../components/PageHeading";
import { SignInForm } from "../components/SignInForm";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { readLoginNotice, signedOutReasonState } from "../notices";
import { paths } from "../paths";
import { Link, Redirect, navigate, useLocation } from "../router";
import { SIGN_IN_TOOK_TOO_LONG, isPendingSignInOver } from "../two-factor/codes";
import { PasskeySignIn } from "../two-factor/PasskeySignIn";
import { RecoveryCodes } from "../two-factor/RecoveryCodes";
import { SecondStep } from "../two-factor/SecondStep";
import { TotpSetup } from "../two-factor/TotpSetup";

export function LoginPage({ slug }: { slug: string }) {
  return (
    <AccountSessionPage slug={slug}>
      {(account, session) => {
        switch (session.kind) {
          case "signedIn":
            // An app sent the person to sign in afresh (its server decided so): the form, even now.
            return pendingContinue() ? (
              <LoginForm account={account} endedReason={null} />
            ) : (
              <Redirect to={paths.home(slug)} />
            );
          case "passwordChangeRequired":
            return <Redirect to={paths.changePassword(slug)} />;
          case "signedOut":
            return <LoginForm account={account} endedReason={session.reason} />;
        }
      }}
    </AccountSessionPage>
  );
}

/**
 * Where a sign-in stands: the password; then, when a second step is due, a code (or setting up an
 * authenticator app, when the business requires one and the person has none yet, followed by
 * the recovery codes shown once).
 */
type Step =
  | { kind: "password"; notice: string | null }
  | { kind: "secondFactor"; methods: SecondFactorKind[] }
  | { kind: "enrol" }
  | { kind: "recoveryCodes"; codes: string[]; result: SignInResult };

/** `endedReason`: why the server ended this browser's last session, when it said (a password change…). */
function LoginForm({ account, endedReason }: { account: Account; endedReason: string | null }) {
  const locationNotice =
    readLoginNotice(useLocation().state) ?? (endedReason ? readLoginNotice(signedOutReasonState(endedReason)) : null);
  const [step, setStep] = useState<Step>({ kind: "password", notice: locationNotice });
  const startAgain = (notice: string | null) => setStep({ kind: "password", notice });

  /** Where every sign-in continues once it is complete: the portal, or the forced password change. */
  function signedIn(result: SignInResult) {
    navigate(result.passwordChangeRequired ? paths.changePassword(account.slug) : paths.home(account.slug), {
      replace: true,
    });
  }

  switch (step.kind) {
    case "password":
      return (
        <PasswordStep
          account={account}
          notice={step.notice}
          onSignedIn={signedIn}
          onSecondStep={(answer) =>
            setStep(answer.enrollmentRequired ? { kind: "enrol" } : { kind: "secondFactor", methods: answer.methods })
          }
        />
      );
    case "secondFactor":
      return (
        <StepCard key={step.kind} account={account} title="Two-step sign-in">
          <SecondStep
            slug={account.slug}
            business={account.name}
            methods={step.methods}
            onSignedIn={signedIn}
            onStartAgain={startAgain}
          />
        </StepCard>
      );
    case "enrol":
      return (
        <StepCard key={step.kind} account={account} title="Set up two-step sign-in">
          <p className="lead">
            Your business requires a second step when you sign in: after your password, a 6-digit code from an app on
            your phone. It keeps your account safe even if someone learns your password. Setting it up takes about a
            minute.
          </p>
          <TotpSetup
            slug={account.slug}
            confirmLabel="Turn on two-step sign-in"
            onConfirmed={(result) => {
              if (result.signedIn) setStep({ kind: "recoveryCodes", codes: result.recoveryCodes, result });
              else startAgain(null);
            }}
            onUnauthenticated={(error) => startAgain(isPendingSignInOver(error) ? SIGN_IN_TOOK_TOO_LONG : null)}
          />
          <div className="secondary-actions">
            <button type="button" className="button button-link" onClick={() => startAgain(null)}>
              Back to sign-in
            </button>
          </div>
        </StepCard>
      );
    case "recoveryCodes":
      return (
        <StepCard key={step.kind} account={account} title="Save your recovery codes">
          <p className="lead">Two-step sign-in is on. One last thing before you continue.</p>
          <RecoveryCodes
            codes={step.codes}
            username={step.result.staff.username}
            business={account.name}
            continueLabel="Continue to the Office Portal"
            onContinue={() => signedIn(step.result)}
          />
        </StepCard>
      );
  }
}

/**
 * A step after the password, on the sign-in card; its heading takes focus as the step appears
 * (each step has its own `key`, so that it appears anew).
 */
function StepCard({ account, title, children }: { account: Account; title: string; children: ReactNode }) {
  useDocumentTitle(`${title} · ${account.name}`);
  return (
    <CardLayout eyebrow={account.name}>
      <PageHeading focusOnMount>{title}</PageHeading>
      {children}
    </CardLayout>
  );
}

function PasswordStep({
  account,
  notice,
  onSignedIn,
  onSecondStep,
}: {
  account: Account;
  notice: string | null;
  onSignedIn: (result: SignInResult) => void;
  onSecondStep: (answer: SecondFactorRequired) => void;
}) {
  useDocumentTitle(`Sign in · ${account.name}`);
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
          const answer = await api.signIn(account.slug, { login, password, staySignedIn });
          if (isSecondFactorRequired(answer)) onSecondStep(answer);
          else onSignedIn(answer);
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
      <PasskeySignIn slug={account.slug} staySignedIn={staySignedIn} onSignedIn={onSignedIn} />
    </CardLayout>
  );
}
