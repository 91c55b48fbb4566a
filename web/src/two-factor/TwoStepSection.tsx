import { useRef, useState } from "react";
import { ApiError, api, type Account, type Me, type TwoFactorSummary } from "../api";
import { ConfirmDialog } from "../components/Dialog";
import { ErrorMessage } from "../components/Messages";
import { describeError } from "../errors";
import { goToLogin, isSessionEnded } from "../session";
import { useSudo, wasCancelled } from "../sudo/sudo";
import { recoveryCodesLeftText } from "./codes";
import { PasskeyList } from "./PasskeyList";
import { RecoveryCodes } from "./RecoveryCodes";
import { TotpSetup } from "./TotpSetup";
import { twoFactorApi } from "./twoFactorApi";

/** What the section shows: the status and its buttons, setting up the app, or new recovery codes. */
type View = { kind: "status" } | { kind: "setup" } | { kind: "codes"; codes: string[]; done: string };

type Asking = "newCodes" | "remove" | null;

const NOT_CONFIRMED = "Nothing was changed, because you didn't confirm it's you.";
const LAST_FACTOR =
  "Your business requires two-step sign-in, and this app is your only second step, so it can't be removed. " +
  "For a new phone, ask someone with Admin Access to reset your two-step sign-in: you'll set it up again at your next sign-in.";

/** Few enough that it's time to make new ones. */
const FEW_CODES_LEFT = 3;

/** "Two-step sign-in" on the home page: its status, and opting in, new recovery codes, removal. */
export function TwoStepSection({ account, me }: { account: Account; me: Me }) {
  const [factors, setFactors] = useState<TwoFactorSummary>(me.twoFactor);
  const [view, setView] = useState<View>({ kind: "status" });
  const [asking, setAsking] = useState<Asking>(null);
  const [pending, setPending] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const sudo = useSudo();
  const headingRef = useRef<HTMLHeadingElement>(null);

  /** The factors as the server has them now; `expected` stands if that can't be learned. */
  async function refresh(expected: TwoFactorSummary) {
    setFactors(expected);
    try {
      setFactors((await api.getMe(account.slug)).twoFactor);
    } catch {
      // The change itself went through; the next page load shows the rest.
    }
  }

  /**
   * Shows another view, with focus on the section's heading: the button that led there is gone,
   * and the next thing read is what the section now says.
   */
  function show(next: View) {
    setView(next);
    setTimeout(() => headingRef.current?.focus(), 0);
  }

  function showStatus(message: string | null) {
    setNotice(message);
    show({ kind: "status" });
  }

  function failed(caught: unknown) {
    if (isSessionEnded(caught)) {
      goToLogin(account.slug);
      return;
    }
    if (wasCancelled(caught)) setError(NOT_CONFIRMED);
    else if (caught instanceof ApiError && caught.code === "two_factor_required") setError(LAST_FACTOR);
    else setError(describeError(caught));
  }

  async function makeNewCodes() {
    setPending(true);
    setError(null);
    setNotice(null);
    try {
      const { recoveryCodes } = await sudo(() => twoFactorApi.newRecoveryCodes(account.slug));
      setAsking(null);
      void refresh({ ...factors, recoveryCodesLeft: recoveryCodes.length });
      show({
        kind: "codes",
        codes: recoveryCodes,
        done: "Your new recovery codes are ready to use. The old ones no longer work.",
      });
    } catch (caught) {
      setAsking(null);
      failed(caught);
    } finally {
      setPending(false);
    }
  }

  async function removeApp() {
    setPending(true);
    setError(null);
    setNotice(null);
    try {
      await sudo(() => twoFactorApi.removeTotp(account.slug));
      setAsking(null);
      // Recovery codes stand in for a lost factor: with no passkey left, they went too.
      void refresh({
        ...factors,
        totp: false,
        recoveryCodesLeft: factors.passkeys > 0 ? factors.recoveryCodesLeft : 0,
      });
      showStatus("The authenticator app was removed from your sign-in.");
    } catch (caught) {
      setAsking(null);
      failed(caught);
    } finally {
      setPending(false);
    }
  }

  const on = factors.totp || factors.passkeys > 0;

  return (
    <section className="panel" aria-labelledby="two-step-sign-in">
      <h2 id="two-step-sign-in" ref={headingRef} tabIndex={-1}>
        Two-step sign-in
      </h2>
      {view.kind === "setup" && (
        <>
          <p>
            After your password, you'll enter a 6-digit code from an app on your phone. Someone who learns your password
            still can't sign in as you.
          </p>
          <TotpSetup
            slug={account.slug}
            confirmLabel="Turn on two-step sign-in"
            run={sudo}
            onConfirmed={({ recoveryCodes }) => {
              void refresh({ ...factors, totp: true, recoveryCodesLeft: recoveryCodes.length });
              show({
                kind: "codes",
                codes: recoveryCodes,
                done: "Two-step sign-in is on. From your next sign-in, you'll enter a code from your app after your password.",
              });
            }}
            onUnauthenticated={() => goToLogin(account.slug)}
          />
          <button type="button" className="button button-link" onClick={() => showStatus(null)}>
            Cancel
          </button>
        </>
      )}
      {view.kind === "codes" && (
        <>
          <h3 className="subheading">Save your recovery codes</h3>
          <RecoveryCodes
            codes={view.codes}
            username={me.username}
            business={account.name}
            continueLabel="Done"
            onContinue={() => showStatus(view.done)}
          />
        </>
      )}
      {view.kind === "status" && (
        <>
          <div role="status">{notice && <p className="message message-notice">{notice}</p>}</div>
          {error && <ErrorMessage>{error}</ErrorMessage>}
          <FactorStatus factors={factors} />
          <div className="actions two-step-actions">
            {!factors.totp && (
              <button
                type="button"
                className="button button-primary"
                onClick={() => {
                  setNotice(null);
                  setError(null);
                  show({ kind: "setup" });
                }}
              >
                Set up an authenticator app
              </button>
            )}
            {on && (
              <button type="button" className="button button-secondary" onClick={() => setAsking("newCodes")}>
                Make new recovery codes
              </button>
            )}
            {factors.totp && (
              <button type="button" className="button button-secondary" onClick={() => setAsking("remove")}>
                Remove authenticator app
              </button>
            )}
          </div>
          <PasskeyList slug={account.slug} onChanged={() => void refresh(factors)} />
        </>
      )}
      {asking === "newCodes" && (
        <ConfirmDialog
          title="Make new recovery codes?"
          confirmLabel="Make new codes"
          pending={pending}
          onConfirm={() => void makeNewCodes()}
          onCancel={() => setAsking(null)}
        >
          <p>Your current recovery codes will stop working. You'll see the new ones once, to save them.</p>
        </ConfirmDialog>
      )}
      {asking === "remove" && (
        <ConfirmDialog
          title="Remove your authenticator app?"
          confirmLabel="Remove app"
          cancelLabel="Keep it"
          tone="danger"
          pending={pending}
          onConfirm={() => void removeApp()}
          onCancel={() => setAsking(null)}
        >
          <p>
            {factors.passkeys > 0
              ? "You'll sign in with your passkey as the second step."
              : "You'll sign in with your password alone, and your recovery codes will stop working."}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function FactorStatus({ factors }: { factors: TwoFactorSummary }) {
  const on = factors.totp || factors.passkeys > 0;
  if (!on) {
    return (
      <p>
        <strong>Off.</strong> Your password alone signs you in. Add a second step, so that a stolen password isn't
        enough to get in.
      </p>
    );
  }
  const kinds = [
    ...(factors.totp ? ["an authenticator app"] : []),
    ...(factors.passkeys > 0 ? [factors.passkeys === 1 ? "a passkey" : `${factors.passkeys} passkeys`] : []),
  ];
  return (
    <>
      <p>
        <strong>On.</strong> After your password, you confirm it's you with {kinds.join(" or ")}.
      </p>
      {factors.recoveryCodesLeft > FEW_CODES_LEFT ? (
        <p>{recoveryCodesLeftText(factors.recoveryCodesLeft)}</p>
      ) : (
        <p className="message message-warning">
          {factors.recoveryCodesLeft === 0
            ? "No recovery codes. Make some, so that you can still sign in if you lose your phone or passkey."
            : `Only ${recoveryCodesLeftText(factors.recoveryCodesLeft)}. Make new ones, so that you can still sign in if you lose your phone or passkey.`}
        </p>
      )}
    </>
  );
}
