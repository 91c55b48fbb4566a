import { useMemo, useState } from "react";
import { ApiError, api, type Account, type Me } from "../api";
import { CardLayout } from "../components/Layouts";
import { ErrorMessage } from "../components/Messages";
import { NewPasswordForm, type CurrentPasswordField, type NewPasswords } from "../components/NewPasswordForm";
import { PageHeading } from "../components/PageHeading";
import { SignedInPage } from "../components/SignedInPage";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { useOwnPasswordCheck } from "../hooks/usePasswordCheck";
import { usePasswordPolicy } from "../hooks/usePasswordPolicy";
import { useSignOut } from "../hooks/useSignOut";
import { staffPersonalWords } from "../password";
import { paths } from "../paths";
import { Link } from "../router";
import { goToLogin, isSessionEnded } from "../session";

/**
 * /a/{account}/change-password. The same form serves two cases: a signed-in staff member who
 * chose to change their password, and a session that must change a temporary password before it
 * may do anything else (`password_change_required`).
 */
export function ChangePasswordPage({ slug }: { slug: string }) {
  return (
    <SignedInPage slug={slug} passwordChangeRequired={(account) => <ForcedChange account={account} />}>
      {(account, me) => <VoluntaryChange account={account} me={me} />}
    </SignedInPage>
  );
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
        You signed in with a temporary password. Choose your own before you continue; afterwards, sign in again with it.
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

const TEMPORARY_PASSWORD: CurrentPasswordField = {
  label: "Temporary password",
  help: "The password you just signed in with",
  missing: "Enter the temporary password.",
  incorrect: "The temporary password is incorrect.",
};

const CURRENT_PASSWORD: CurrentPasswordField = {
  label: "Current password",
  missing: "Enter your current password.",
  incorrect: "Your current password is incorrect.",
};

const FORCED_CHANGE_TOO_LATE =
  "It's been more than 10 minutes since you signed in, so enter the temporary password too, then choose Change password again.";

/**
 * `me` is known only for a voluntary change: while a password change is required, `GET …/me`
 * answers 403, so the strength advice then knows only the business's name.
 *
 * A forced change doesn't ask again for the temporary password just typed: within 10 minutes of
 * signing in the server takes the change without it. Later, it answers
 * `current_password_incorrect`, and the form asks for the temporary password after all.
 */
function ChangePasswordForm({ account, forced, me }: { account: Account; forced: boolean; me?: Me }) {
  const policy = usePasswordPolicy(account.slug);
  const check = useOwnPasswordCheck(account.slug);
  const ownWords = useMemo(() => staffPersonalWords(me, account), [me, account]);
  const [askTemporary, setAskTemporary] = useState(false);
  const current = forced ? (askTemporary ? TEMPORARY_PASSWORD : undefined) : CURRENT_PASSWORD;

  async function changePassword({ current: typed, newPassword, confirm }: NewPasswords) {
    try {
      await api.changeMyPassword(account.slug, {
        ...(current ? { currentPassword: typed } : {}),
        newPassword,
        newPasswordConfirmation: confirm,
      });
    } catch (caught) {
      if (forced && !current && caught instanceof ApiError && caught.code === "current_password_incorrect") {
        setAskTemporary(true);
        throw new ApiError(caught.status, caught.code, FORCED_CHANGE_TOO_LATE);
      }
      if (!isSessionEnded(caught)) throw caught;
      goToLogin(account.slug);
      return;
    }
    // 204: every session of this staff member has ended, this one included.
    goToLogin(account.slug, "passwordChanged");
  }

  return (
    <NewPasswordForm
      username={me?.username}
      policy={policy}
      check={check}
      personalWords={ownWords}
      current={current}
      submitLabel="Change password"
      onSubmit={changePassword}
    />
  );
}
