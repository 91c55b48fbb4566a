import { useMemo } from "react";
import { api, type Account, type Me } from "../api";
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

/**
 * `me` is known only for a voluntary change: while a password change is required, `GET …/me`
 * answers 403, so the strength advice then knows only the business's name.
 */
function ChangePasswordForm({ account, forced, me }: { account: Account; forced: boolean; me?: Me }) {
  const policy = usePasswordPolicy(account.slug);
  const check = useOwnPasswordCheck(account.slug);
  const ownWords = useMemo(() => staffPersonalWords(me, account), [me, account]);

  async function changePassword({ current, newPassword, confirm }: NewPasswords) {
    try {
      await api.changeMyPassword(account.slug, {
        currentPassword: current,
        newPassword,
        newPasswordConfirmation: confirm,
      });
    } catch (caught) {
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
      current={forced ? TEMPORARY_PASSWORD : CURRENT_PASSWORD}
      submitLabel="Change password"
      onSubmit={changePassword}
    />
  );
}
