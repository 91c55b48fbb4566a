import { useCallback, useMemo, useRef, useState, type FormEvent } from "react";
import { ApiError, api, type Account, type Me, type PasswordPolicy } from "../api";
import { CardLayout, LoadingScreen } from "../components/Layouts";
import { ErrorMessage, FieldMessages } from "../components/Messages";
import { PageHeading } from "../components/PageHeading";
import { PasswordField, type PasswordCheck } from "../components/PasswordField";
import { PortalLayout } from "../components/PortalLayout";
import { describeError } from "../errors";
import { useAccountSession } from "../hooks/useAccountSession";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { usePasswordPolicy } from "../hooks/usePasswordPolicy";
import { useSignOut } from "../hooks/useSignOut";
import { loginNoticeState } from "../notices";
import {
  PASSWORDS_DO_NOT_MATCH,
  confirmationProblem,
  newPasswordProblems,
  personalWords,
  rejectionMessages,
} from "../password";
import { paths } from "../paths";
import { Link, Redirect, navigate } from "../router";
import { AccountNotFoundPage, LoadFailedPage } from "./ProblemPages";

/**
 * /a/{account}/change-password. The same form serves two cases: a signed-in staff member who
 * chose to change their password, and a session that must change a temporary password before it
 * may do anything else (`password_change_required`).
 */
export function ChangePasswordPage({ slug }: { slug: string }) {
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
        case "signedOut":
          return <Redirect to={paths.login(slug)} />;
        case "passwordChangeRequired":
          return <ForcedChange account={state.account} />;
        case "signedIn": {
          const { me } = state.session;
          return (
            <PortalLayout account={state.account} me={me}>
              <VoluntaryChange account={state.account} me={me} />
            </PortalLayout>
          );
        }
      }
  }
}

function VoluntaryChange({ account, me }: { account: Account; me: Me }) {
  useDocumentTitle(`Change password · ${account.name}`);
  return (
    <div className="narrow">
      <PageHeading>Change password</PageHeading>
      <p className="lead">
        After the change you'll be signed out everywhere, including here, and sign in again with your new password.
      </p>
      <ChangePasswordForm account={account} forced={false} me={me} />
      <p>
        <Link to={paths.home(account.slug)}>Cancel and go back</Link>
      </p>
    </div>
  );
}

function ForcedChange({ account }: { account: Account }) {
  useDocumentTitle(`Choose a new password · ${account.name}`);
  const { signOut, pending, error } = useSignOut(account.slug);
  return (
    <CardLayout eyebrow={account.name}>
      <PageHeading>Choose a new password</PageHeading>
      <p className="lead">
        You signed in with a temporary password. A new password is required before you can continue. Afterwards, sign in
        again with your new password.
      </p>
      <ChangePasswordForm account={account} forced />
      <div className="secondary-actions">
        {error && <ErrorMessage>{error}</ErrorMessage>}
        <button type="button" className="button button-link" onClick={() => void signOut()} disabled={pending}>
          Sign out
        </button>
      </div>
    </CardLayout>
  );
}

interface FieldErrors {
  current?: string;
  new?: string[];
  confirm?: string;
  form?: string;
}

function clientSideErrors(
  values: { current: string; new: string; confirm: string },
  forced: boolean,
  policy: PasswordPolicy | null,
): FieldErrors {
  const errors: FieldErrors = {};
  if (values.current === "") {
    errors.current = forced ? "Enter the temporary password." : "Enter your current password.";
  }
  const newProblems = newPasswordProblems(values.new, policy);
  if (newProblems) errors.new = newProblems;
  const confirmProblem = confirmationProblem(values.new, values.confirm);
  if (confirmProblem) errors.confirm = confirmProblem;
  return errors;
}

/**
 * `me` is known only for a voluntary change: while a password change is required, `GET …/me`
 * answers 403, so the strength advice then knows only the business's name.
 */
function ChangePasswordForm({ account, forced, me }: { account: Account; forced: boolean; me?: Me }) {
  const policy = usePasswordPolicy(account.slug);
  const username = me?.username;
  const check = useCallback<PasswordCheck>(
    (password, signal) => api.checkPassword(account.slug, password, signal),
    [account.slug],
  );
  const ownWords = useMemo(
    () =>
      personalWords({
        username: me?.username,
        firstName: me?.firstName,
        lastName: me?.lastName,
        email: me?.email,
        accountName: account.name,
        accountSlug: account.slug,
      }),
    [me, account],
  );
  const [current, setCurrent] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, setPending] = useState(false);
  const currentRef = useRef<HTMLInputElement>(null);
  const newRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);

  function showErrors(found: FieldErrors) {
    setErrors(found);
    const firstInvalid = found.current ? currentRef : found.new ? newRef : found.confirm ? confirmRef : null;
    firstInvalid?.current?.focus();
  }

  function serverErrors(error: unknown): FieldErrors {
    if (!(error instanceof ApiError)) return { form: describeError(error) };
    switch (error.code) {
      case "current_password_incorrect":
        return {
          current: forced ? "The temporary password is incorrect." : "Your current password is incorrect.",
        };
      case "passwords_do_not_match":
        return { confirm: PASSWORDS_DO_NOT_MATCH };
      case "password_rejected":
        return { new: rejectionMessages(error.details, policy) };
      case "validation_failed":
        return {
          form: "Some fields are missing or invalid. Check them and try again.",
        };
      default:
        return { form: describeError(error) };
    }
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const found = clientSideErrors({ current, new: newPassword, confirm }, forced, policy);
    if (Object.keys(found).length > 0) {
      showErrors(found);
      return;
    }

    setPending(true);
    setErrors({});
    try {
      await api.changeMyPassword(account.slug, {
        currentPassword: current,
        newPassword,
        newPasswordConfirmation: confirm,
      });
      // 204: every session of this staff member has ended, this one included.
      navigate(paths.login(account.slug), {
        replace: true,
        state: loginNoticeState("passwordChanged"),
      });
    } catch (caught) {
      setPending(false);
      if (caught instanceof ApiError && caught.status === 401) {
        navigate(paths.login(account.slug), {
          replace: true,
          state: loginNoticeState("sessionEnded"),
        });
        return;
      }
      if (caught instanceof ApiError && caught.code === "current_password_incorrect") {
        setCurrent("");
      }
      showErrors(serverErrors(caught));
    }
  }

  function clearError(field: keyof FieldErrors) {
    if (errors[field]) setErrors((previous) => ({ ...previous, [field]: undefined }));
  }

  return (
    <form className="form" onSubmit={(event) => void handleSubmit(event)} noValidate aria-busy={pending}>
      {errors.form && <ErrorMessage>{errors.form}</ErrorMessage>}
      {username && (
        // Lets password managers file the new password under the right username.
        <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
      )}
      <PasswordField
        ref={currentRef}
        label={forced ? "Temporary password" : "Current password"}
        help={forced ? "The password you just signed in with" : undefined}
        autoComplete="current-password"
        value={current}
        onChange={(value) => {
          setCurrent(value);
          clearError("current");
        }}
        error={errors.current}
      />
      <PasswordField
        ref={newRef}
        label="New password"
        policy={policy}
        check={check}
        personalWords={ownWords}
        value={newPassword}
        onChange={(value) => {
          setNewPassword(value);
          clearError("new");
        }}
        error={errors.new && <FieldMessages messages={errors.new} />}
      />
      <PasswordField
        ref={confirmRef}
        label="Confirm new password"
        value={confirm}
        onChange={(value) => {
          setConfirm(value);
          clearError("confirm");
        }}
        error={errors.confirm}
      />
      <button type="submit" className="button button-primary" disabled={pending}>
        Change password
      </button>
    </form>
  );
}
