import { useRef, useState, type FormEvent } from "react";
import { ApiError } from "../api";
import { ConfirmDialog } from "../components/Dialog";
import { TextField } from "../components/TextField";
import { describeError } from "../errors";
import { supportApi } from "./supportApi";
import { goToSupportLogin, isSupportSessionEnded } from "./supportSession";

/** What POST …/sms-credits accepts (shared/API.md). */
const MAX_AMOUNT = 100_000;
const MAX_REASON = 200;

interface Errors {
  amount?: string;
  reason?: string;
}

function parseAmount(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return value >= 1 && value <= MAX_AMOUNT ? value : null;
}

const plural = (n: number) => `${n.toLocaleString()} ${n === 1 ? "credit" : "credits"}`;

/** Support adds SMS credits to a business, with a reason that goes into its ledger and audit log. */
export function GrantCreditsForm({
  slug,
  businessName,
  balance,
  onGranted,
}: {
  slug: string;
  businessName: string;
  balance: number;
  onGranted: (smsCredits: number) => void;
}) {
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [confirming, setConfirming] = useState<{ amount: number; reason: string } | null>(null);
  const [pending, setPending] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const [granted, setGranted] = useState<{ amount: number; balance: number } | null>(null);
  const amountRef = useRef<HTMLInputElement>(null);
  const reasonRef = useRef<HTMLInputElement>(null);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = parseAmount(amount);
    const found: Errors = {};
    if (value === null) found.amount = `Enter a whole number from 1 to ${MAX_AMOUNT.toLocaleString()}.`;
    if (reason.trim() === "") found.reason = "Enter the reason, for the business's credit history.";
    setErrors(found);
    setGranted(null);
    if (found.amount) amountRef.current?.focus();
    else if (found.reason) reasonRef.current?.focus();
    if (value === null || found.reason) return;
    setServerError(null);
    setConfirming({ amount: value, reason: reason.trim() });
  }

  async function grant() {
    if (!confirming || pending) return;
    setPending(true);
    setServerError(null);
    try {
      const { smsCredits } = await supportApi.grantSmsCredits(slug, confirming);
      onGranted(smsCredits);
      setGranted({ amount: confirming.amount, balance: smsCredits });
      setConfirming(null);
      setAmount("");
      setReason("");
    } catch (caught) {
      if (isSupportSessionEnded(caught)) {
        goToSupportLogin();
        return;
      }
      setServerError(
        caught instanceof ApiError && caught.code === "validation_failed"
          ? `Check the amount (1 to ${MAX_AMOUNT.toLocaleString()}) and the reason (up to ${MAX_REASON} characters).`
          : describeError(caught),
      );
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="grant-credits">
      <h3 className="subheading">Grant SMS credits</h3>
      <form className="grant-form" onSubmit={handleSubmit} noValidate>
        <TextField
          ref={amountRef}
          label="Amount"
          type="number"
          inputMode="numeric"
          min={1}
          max={MAX_AMOUNT}
          step={1}
          className="input-short"
          value={amount}
          onChange={(value) => {
            setAmount(value);
            setErrors((previous) => ({ ...previous, amount: undefined }));
          }}
          error={errors.amount}
        />
        <TextField
          ref={reasonRef}
          label="Reason"
          help="Shown in the business's credit history, for example “Goodwill: failed texts on 3 May”."
          maxLength={MAX_REASON}
          value={reason}
          onChange={(value) => {
            setReason(value);
            setErrors((previous) => ({ ...previous, reason: undefined }));
          }}
          error={errors.reason}
        />
        <div className="form-actions">
          <button type="submit" className="button button-secondary">
            Grant credits
          </button>
        </div>
      </form>
      <div role="status" className="form-status grant-status">
        {granted && (
          <p className="message message-notice">
            Granted {plural(granted.amount)}. New balance: <strong>{plural(granted.balance)}</strong>.
          </p>
        )}
      </div>
      {confirming && (
        <ConfirmDialog
          title={`Grant ${plural(confirming.amount)} to ${businessName}?`}
          confirmLabel="Grant credits"
          onConfirm={() => void grant()}
          onCancel={() => setConfirming(null)}
          pending={pending}
          error={serverError}
        >
          <p>
            The balance goes from {plural(balance)} to {plural(balance + confirming.amount)}.
          </p>
          <p>
            Reason: <strong>{confirming.reason}</strong>
          </p>
          <p>The business sees the grant and its reason in its credit history and audit log.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
