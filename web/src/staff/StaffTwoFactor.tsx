import { useId, useRef, useState } from "react";
import {
  ApiError,
  api,
  fullName,
  hasAdminAccess,
  type AccountSettings,
  type Me,
  type Staff,
  type TwoFactorSummary,
} from "../api";
import { ConfirmDialog } from "../components/Dialog";
import { ErrorMessage } from "../components/Messages";
import { describeError } from "../errors";
import { paths } from "../paths";
import { Link } from "../router";
import { goToLogin, isSessionEnded } from "../session";
import { useSudo, wasCancelled } from "../sudo/sudo";
import { recoveryCodesLeftText } from "../two-factor/codes";
import { twoFactorApi } from "../two-factor/twoFactorApi";
import { OWNER_ONLY, type Allowed } from "./staffRules";
import "../two-factor/two-factor.css";

const NO_FACTORS: TwoFactorSummary = { totp: false, passkeys: 0, recoveryCodesLeft: 0 };

/** Who may reset someone's two-step sign-in: Admin Access, the owner's only by the owner, not one's own. */
export function canResetTwoFactor(me: Me, target: Staff): Allowed {
  if (!hasAdminAccess(me)) {
    return { ok: false, reason: "Only staff with Admin Access (Full Permissions) can reset two-step sign-in." };
  }
  if (target.isOwner && !me.isOwner) return { ok: false, reason: OWNER_ONLY };
  return { ok: true };
}

function hasFactors(factors: TwoFactorSummary): boolean {
  return factors.totp || factors.passkeys > 0 || factors.recoveryCodesLeft > 0;
}

function describeFactors(factors: TwoFactorSummary): string {
  const kinds = [
    ...(factors.totp ? ["authenticator app"] : []),
    ...(factors.passkeys > 0 ? [factors.passkeys === 1 ? "1 passkey" : `${factors.passkeys} passkeys`] : []),
  ];
  if (kinds.length === 0) return "Off: signs in with a password alone";
  return `On: ${kinds.join(" and ")} · ${recoveryCodesLeftText(factors.recoveryCodesLeft)}`;
}

/**
 * Two-step sign-in in the staff window: whether the person has it, and — for a lost phone —
 * Admin Access resets it (sudo mode), after which the person signs in with their password alone
 * (and sets it up again straight away if the business requires it).
 */
export function StaffTwoFactor({
  slug,
  me,
  staff,
  settings,
  onReset,
}: {
  slug: string;
  me: Me;
  staff: Staff;
  settings: AccountSettings | null;
  onReset: (staff: Staff) => void;
}) {
  const labelId = useId();
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const statusRef = useRef<HTMLDivElement>(null);
  const sudo = useSudo();
  const isSelf = staff.id === me.id;
  const allowed = canResetTwoFactor(me, staff);
  const required = settings?.requireTwoFactor === true;
  const first = staff.firstName;

  async function reset() {
    setPending(true);
    setError(null);
    setDone(null);
    try {
      await sudo(() => twoFactorApi.resetStaff(slug, staff.id));
    } catch (caught) {
      setPending(false);
      setConfirming(false);
      if (isSessionEnded(caught)) {
        goToLogin(slug);
        return;
      }
      setError(
        wasCancelled(caught)
          ? "Nothing was reset, because you didn't confirm it's you."
          : caught instanceof ApiError && caught.code === "owner_protected"
            ? "Only the Business Owner can reset the Business Owner's two-step sign-in."
            : describeError(caught),
      );
      return;
    }
    setPending(false);
    setConfirming(false);
    setDone(
      required
        ? `Two-step sign-in was reset. ${first} will set it up again at their next sign-in, after their password.`
        : `Two-step sign-in was reset. ${first} now signs in with their password alone.`,
    );
    let updated: Staff = { ...staff, twoFactor: NO_FACTORS };
    try {
      updated = await api.getStaff(slug, staff.id);
    } catch {
      // The reset went through; the list shows the rest next time it loads.
    }
    onReset(updated);
    // The button went with the factors: focus moves to the outcome, the next thing to read.
    setTimeout(() => statusRef.current?.focus(), 0);
  }

  return (
    <div className="field staff-two-step" role="group" aria-labelledby={labelId}>
      <span id={labelId} className="field-label">
        Two-step sign-in
      </span>
      <div className="password-status">
        <span className="password-status-text">{describeFactors(staff.twoFactor)}</span>
        {!isSelf && allowed.ok && hasFactors(staff.twoFactor) && (
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => {
              setDone(null);
              setError(null);
              setConfirming(true);
            }}
          >
            Reset two-step sign-in
          </button>
        )}
      </div>
      {isSelf ? (
        <p className="field-help">
          Manage your own on your <Link to={paths.home(slug)}>Home page</Link>.
        </p>
      ) : (
        !hasFactors(staff.twoFactor) &&
        required && (
          <p className="field-help">This business requires it: {first} will set it up at their next sign-in.</p>
        )
      )}
      {!isSelf && !allowed.ok && hasFactors(staff.twoFactor) && <p className="field-help reason">{allowed.reason}</p>}
      <div role="status" ref={statusRef} tabIndex={-1}>
        {done && <p className="message message-notice">{done}</p>}
      </div>
      {error && <ErrorMessage>{error}</ErrorMessage>}
      {confirming && (
        <ConfirmDialog
          title={`Reset ${fullName(staff)}'s two-step sign-in?`}
          confirmLabel="Reset two-step sign-in"
          cancelLabel="Don't reset"
          tone="danger"
          pending={pending}
          onConfirm={() => void reset()}
          onCancel={() => setConfirming(false)}
        >
          <p>
            For a lost or replaced phone: this removes {first}'s authenticator app
            {staff.twoFactor.passkeys > 0 ? ", passkeys" : ""} and recovery codes.
          </p>
          <p>
            {required
              ? `${first} then signs in with their password and sets up two-step sign-in again straight away, as this business requires.`
              : `${first} then signs in with their password alone, until they set up two-step sign-in again.`}{" "}
            {first} and everyone with Admin Access get an email about it.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
