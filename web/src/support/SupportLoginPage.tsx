import { useState } from "react";
import { LoadingScreen } from "../components/Layouts";
import { PageHeading } from "../components/PageHeading";
import { SignInForm } from "../components/SignInForm";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { LoadFailedPage } from "../pages/ProblemPages";
import { supportPaths } from "../paths";
import { Redirect, navigate, useLocation } from "../router";
import { SupportCardLayout } from "./SupportLayout";
import { SupportSecondStep } from "./SupportSecondStep";
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

function SupportLoginForm() {
  useDocumentTitle("Support console sign-in");
  const { notice: pageNotice, returnTo } = readSupportLoginState(useLocation().state);
  const [secondStep, setSecondStep] = useState<{ enrollmentRequired: boolean } | null>(null);
  const [notice, setNotice] = useState(pageNotice);

  if (secondStep) {
    return (
      <SupportCardLayout>
        <PageHeading>Staffgate support console</PageHeading>
        <SupportSecondStep
          enrollmentRequired={secondStep.enrollmentRequired}
          onSignedIn={(agent) => {
            rememberAgent(agent);
            navigate(returnTo ?? supportPaths.home, { replace: true });
          }}
          onRestart={(message) => {
            setNotice(message);
            setSecondStep(null);
          }}
        />
      </SupportCardLayout>
    );
  }

  return (
    <SupportCardLayout>
      <PageHeading>Staffgate support console</PageHeading>
      <p className="lead">
        For Staffgate support agents. Staff of a business sign in at their own Office Portal address, not here.
      </p>
      <SignInForm
        notice={notice}
        login={{ label: "Email", name: "email", type: "email" }}
        missing="Enter your support email and your password."
        incorrect="The email or password is incorrect."
        signIn={async (email, password) => {
          const { enrollmentRequired } = await supportApi.signIn({ email, password });
          setSecondStep({ enrollmentRequired });
        }}
      />
    </SupportCardLayout>
  );
}
