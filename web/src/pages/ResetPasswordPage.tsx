import { useCallback, useEffect, useLayoutEffect, useMemo, useState } from "react";
import { ApiError, api, isAbortError, type Account, type ResetLinkInfo } from "../api";
import { BusinessAddressForm } from "../components/BusinessAddressForm";
import { CardLayout, LoadingScreen } from "../components/Layouts";
import { NewLinkOffer } from "../components/NewLinkOffer";
import { NewPasswordForm, type NewPasswords } from "../components/NewPasswordForm";
import { PageHeading } from "../components/PageHeading";
import type { PasswordCheck } from "../components/PasswordField";
import { linkBusiness } from "../errors";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { loginNoticeState } from "../notices";
import { personalWords } from "../password";
import { paths } from "../paths";
import { forgetReset, initialResetToken, storeReset, takeTokenFromAddress } from "../resetToken";
import { Link } from "../router";
import { LoadFailedPage } from "./ProblemPages";

/**
 * /reset-password#token=…: where reset links land. Opening the link changes nothing; only
 * submitting a new password does. The token leaves the address bar as soon as the page runs.
 */
export function ResetPasswordPage() {
  const [token, setToken] = useState(initialResetToken);

  // Before the first paint, and again if another link is pasted into this tab.
  useLayoutEffect(() => {
    const take = () => {
      const fresh = takeTokenFromAddress();
      if (fresh !== null) setToken(fresh);
    };
    take();
    window.addEventListener("hashchange", take);
    return () => window.removeEventListener("hashchange", take);
  }, []);

  if (token === null) return <LinkUnusable account={null} login={null} />;
  return <ResetFlow key={token} token={token} />;
}

type FlowState =
  | { kind: "loading" }
  | { kind: "ready"; info: ResetLinkInfo }
  | { kind: "done"; info: ResetLinkInfo }
  /**
   * `account`: the link's business, when known (the server names it for a link it issued), for
   * "Send me a new link"; `login`: whose link it was, when the form had opened. `replaced`: the
   * screen took the place of the form, so its heading takes focus.
   */
  | { kind: "unusable"; account: Account | null; login: string | null; replaced: boolean }
  | { kind: "failed"; error: unknown };

function isUnusableLink(error: unknown): boolean {
  // A token the API can't even parse (mangled link) is as unusable as an expired one.
  return error instanceof ApiError && (error.code === "reset_link_invalid" || error.code === "validation_failed");
}

function ResetFlow({ token }: { token: string }) {
  const [state, setState] = useState<FlowState>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState({ kind: "loading" });
    api
      .lookupPasswordReset(token, controller.signal)
      .then((info) => {
        storeReset({ token, slug: info.account.slug });
        setState({ kind: "ready", info });
      })
      .catch((error: unknown) => {
        if (isAbortError(error)) return;
        if (isUnusableLink(error)) {
          forgetReset();
          setState({ kind: "unusable", account: linkBusiness(error), login: null, replaced: false });
        } else {
          setState({ kind: "failed", error });
        }
      });
    return () => controller.abort();
  }, [token, attempt]);

  const onUnusable = useCallback((info: ResetLinkInfo) => {
    forgetReset();
    setState({ kind: "unusable", account: info.account, login: info.username, replaced: true });
  }, []);
  const onDone = useCallback((info: ResetLinkInfo) => {
    forgetReset();
    setState({ kind: "done", info });
  }, []);

  switch (state.kind) {
    case "loading":
      return <LoadingScreen />;
    case "failed":
      return <LoadFailedPage error={state.error} retry={() => setAttempt((n) => n + 1)} />;
    case "unusable":
      return <LinkUnusable account={state.account} login={state.login} focusHeading={state.replaced} />;
    case "done":
      return <PasswordChanged info={state.info} />;
    case "ready":
      return <ResetForm token={token} info={state.info} onDone={onDone} onUnusable={onUnusable} />;
  }
}

function formatTime(iso: string): string | null {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  return date.toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
}

function ResetForm({
  token,
  info,
  onDone,
  onUnusable,
}: {
  token: string;
  info: ResetLinkInfo;
  onDone: (info: ResetLinkInfo) => void;
  onUnusable: (info: ResetLinkInfo) => void;
}) {
  const { account, username, policy } = info;
  useDocumentTitle(`Choose a new password · ${account.name}`);
  const until = formatTime(info.expiresAt);

  const check = useCallback<PasswordCheck>(
    async (password, signal) => {
      try {
        return await api.checkResetPassword(token, password, signal);
      } catch (error) {
        // The link ran out (or a newer one replaced it) while the person was typing: say so now
        // rather than after they have filled in both fields.
        if (error instanceof ApiError && error.code === "reset_link_invalid") onUnusable(info);
        throw error;
      }
    },
    [token, info, onUnusable],
  );
  const ownWords = useMemo(
    () => personalWords({ username, accountName: account.name, accountSlug: account.slug }),
    [username, account],
  );

  async function completeReset({ newPassword, confirm }: NewPasswords) {
    try {
      await api.completePasswordReset({ token, password: newPassword, passwordConfirmation: confirm });
    } catch (caught) {
      if (!(caught instanceof ApiError && caught.code === "reset_link_invalid")) throw caught;
      onUnusable(info);
      return;
    }
    onDone(info);
  }

  return (
    <CardLayout eyebrow={account.name}>
      <PageHeading>Choose a new password</PageHeading>
      <p className="lead">
        For <strong className="identity">{username}</strong> at <strong className="identity">{account.name}</strong>.
        Afterwards you'll be signed out everywhere and sign in again with the new password.
      </p>
      {until && <p className="field-help">This link works until {until}.</p>}
      <NewPasswordForm
        username={username}
        policy={policy}
        check={check}
        personalWords={ownWords}
        submitLabel="Set new password"
        onSubmit={completeReset}
      />
    </CardLayout>
  );
}

function PasswordChanged({ info }: { info: ResetLinkInfo }) {
  const { account, username } = info;
  useDocumentTitle(`Password changed · ${account.name}`);
  return (
    <CardLayout eyebrow={account.name}>
      <PageHeading focusOnMount>Your password has been changed</PageHeading>
      <p>
        Sign in as <strong className="identity">{username}</strong> with your new password.
      </p>
      <p className="lead">
        For your safety, you've been signed out on every device where you were signed in, and any other reset links you
        asked for no longer work.
      </p>
      <Link
        to={paths.login(account.slug)}
        state={loginNoticeState("passwordChanged")}
        className="button button-primary"
      >
        Go to sign in
      </Link>
    </CardLayout>
  );
}

/**
 * One page for every link that can't be used: unknown, expired, used, replaced by a newer one, or
 * no token at all (the server gives one answer for all of them, on purpose). A link the server
 * issued comes back with its business, so a new one is a click away; for any other, the page asks
 * which business.
 */
function LinkUnusable({
  account,
  login,
  focusHeading = false,
}: {
  account: Account | null;
  login: string | null;
  focusHeading?: boolean;
}) {
  useDocumentTitle("This link can't be used any more");
  return (
    <CardLayout eyebrow="Reset password">
      <PageHeading focusOnMount={focusHeading}>This link can't be used any more</PageHeading>
      <p>
        A password reset link works once, and for 30 minutes. When you ask for a new link, any older one stops working —
        so if you asked more than once, use the newest email.
      </p>
      {account !== null ? <NewLinkOffer account={account} login={login} /> : <RequestNewLinkForm />}
    </CardLayout>
  );
}

function RequestNewLinkForm() {
  return (
    <>
      <p>To ask for a new link, first tell us which business you work for.</p>
      <BusinessAddressForm
        help="The short name in your sign-in page's web address, for example sunny-swim in /a/sunny-swim/login."
        submitLabel="Request a new link"
        destination={paths.forgotPassword}
      />
    </>
  );
}
