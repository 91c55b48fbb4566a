import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, isAbortError } from "../api";
import { ConfirmDialog } from "../components/Dialog";
import { CheckIcon, CrossIcon, WarningIcon } from "../components/Icons";
import { ErrorMessage, Notice } from "../components/Messages";
import { PageHeading } from "../components/PageHeading";
import { describeError } from "../errors";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { supportPaths } from "../paths";
import { Link } from "../router";
import { fieldLabels, formatDateTime, formatRelative, verdictOf, type Verdict } from "./caseText";
import { SupportPage } from "./SupportLayout";
import { CaseStatusBadge, CheckResultMark, CopyButton, useNow } from "./SupportBits";
import { ClosedPanel, DecidePanel, EscalatePanel, WaitingForSupervisor } from "./SupervisorSteps";
import { TemporaryPasswordResult } from "./TemporaryPassword";
import {
  VERIFICATION_FIELDS,
  supportApi,
  type CompletionResult,
  type Delivery,
  type RecoveryCase,
  type SupportAgent,
} from "./supportApi";
import { goToSupportLogin, isSupportSessionEnded } from "./supportSession";

/** /support/cases/{id}: one owner recovery case, from verdict to recovery. */
export function SupportCasePage({ caseId }: { caseId: string }) {
  return <SupportPage>{(agent) => <CaseScreen caseId={caseId} agent={agent} />}</SupportPage>;
}

type LoadState =
  | { kind: "loading" }
  | { kind: "ready"; recoveryCase: RecoveryCase }
  | { kind: "notFound" }
  | { kind: "failed"; error: unknown };

/** Answers that mean "the case changed or can't do that": shown on the page, then the case is reloaded. */
function isRefusal(error: unknown): error is ApiError {
  return error instanceof ApiError && [403, 404, 409, 422, 429].includes(error.status);
}

/** A note the server refused (empty once trimmed, or with control characters). */
const NOTE_REFUSED = "Write the note as plain text, without special characters such as line-direction marks.";

function isOpener(recoveryCase: RecoveryCase, agent: SupportAgent): boolean {
  // The server names the opener; it may also send their id, which is the safer comparison.
  return recoveryCase.openedById ? recoveryCase.openedById === agent.id : recoveryCase.openedBy === agent.name;
}

function CaseScreen({ caseId, agent }: { caseId: string; agent: SupportAgent }) {
  const [load, setLoad] = useState<LoadState>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);
  const [result, setResult] = useState<CompletionResult | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [checkedAt, setCheckedAt] = useState<number | null>(null);
  const [checking, setChecking] = useState(false);
  const now = useNow();
  const recoveryCase = load.kind === "ready" ? load.recoveryCase : null;
  useDocumentTitle(`Recovery case${recoveryCase ? ` · ${recoveryCase.account.name}` : ""} · Support`);

  useEffect(() => {
    const controller = new AbortController();
    supportApi
      .getRecoveryCase(caseId, controller.signal)
      .then((loaded) => setLoad({ kind: "ready", recoveryCase: loaded }))
      .catch((error: unknown) => {
        if (isAbortError(error)) return;
        if (isSupportSessionEnded(error)) goToSupportLogin();
        else if (error instanceof ApiError && error.code === "not_found") setLoad({ kind: "notFound" });
        else setLoad({ kind: "failed", error });
      });
    return () => controller.abort();
  }, [caseId, attempt]);

  /** Reads the case again (after a refusal, or to see whether a second agent approved it). */
  const refresh = useCallback(async () => {
    try {
      const loaded = await supportApi.getRecoveryCase(caseId);
      setLoad({ kind: "ready", recoveryCase: loaded });
      return loaded;
    } catch (error) {
      if (isSupportSessionEnded(error)) goToSupportLogin();
      return null;
    }
  }, [caseId]);

  // Coming back to this tab while waiting for the second agent or a supervisor: look again.
  const waiting =
    ((recoveryCase?.status === "verified" && recoveryCase.dualControl) ||
      recoveryCase?.status === "needs_supervisor") &&
    result === null;
  useEffect(() => {
    if (!waiting) return;
    const onVisible = () => {
      if (document.visibilityState === "visible") void refresh();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, [waiting, refresh]);

  async function checkForApproval() {
    setChecking(true);
    setRefusal(null);
    const loaded = await refresh();
    setChecking(false);
    if (loaded) setCheckedAt(Date.now());
  }

  /** Runs an approve/complete request; refusals go on the page, other errors stay in the dialog. */
  async function act<T>(
    run: () => Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false; message: string | null }> {
    setRefusal(null);
    try {
      return { ok: true, value: await run() };
    } catch (error) {
      if (isSupportSessionEnded(error)) {
        goToSupportLogin();
        return { ok: false, message: null };
      }
      if (error instanceof ApiError && error.code === "validation_failed") {
        return { ok: false, message: NOTE_REFUSED };
      }
      if (isRefusal(error)) {
        setRefusal(describeError(error));
        await refresh();
        return { ok: false, message: null };
      }
      return { ok: false, message: describeError(error) };
    }
  }

  if (load.kind === "loading") return <p className="loading">Loading the case…</p>;
  if (load.kind === "notFound") {
    return (
      <>
        <PageHeading>No such recovery case</PageHeading>
        <p>
          There is no recovery case <code>{caseId}</code>. Check the link or case ID you were given.
        </p>
        <p>
          <Link to={supportPaths.home}>Find a business</Link>
        </p>
      </>
    );
  }
  if (load.kind === "failed") {
    return (
      <>
        <PageHeading>This case couldn't be loaded</PageHeading>
        <ErrorMessage>{describeError(load.error)}</ErrorMessage>
        <button type="button" className="button button-secondary" onClick={() => setAttempt((n) => n + 1)}>
          Try again
        </button>
      </>
    );
  }

  const current = load.recoveryCase;
  const expired = current.status !== "completed" && now >= Date.parse(current.expiresAt);
  const verdict = verdictOf(current);
  const mine = isOpener(current, agent);

  return (
    <div className="support-case">
      <p className="eyebrow">
        <Link to={supportPaths.account(current.account.slug)}>{current.account.name}</Link>
      </p>
      <div className="case-heading">
        <PageHeading>Owner recovery case</PageHeading>
        <CaseStatusBadge status={current.status} expired={expired} />
      </div>

      {/* Shown once, so it comes first: the agent reads it to the caller now. */}
      {result && <CompletionResultPanel result={result} recoveryCase={current} />}

      <VerdictBox verdict={verdict} />

      <div className="support-grid case-grid">
        <section className="panel" aria-labelledby="answers-heading">
          <h2 id="answers-heading">The caller's answers</h2>
          <ul className="check-list">
            {VERIFICATION_FIELDS.map((field) => (
              <li key={field} className="check-row">
                <span className="check-field">{fieldLabels[field]}</span>
                <CheckResultMark result={current.checks[field]} />
              </li>
            ))}
          </ul>
          <p className="field-help">Only whether each answer matched is recorded, never the answers.</p>
        </section>

        <section className="panel" aria-labelledby="details-heading">
          <h2 id="details-heading">Case details</h2>
          <dl className="details case-details">
            <dt>Caller</dt>
            <dd>{current.callerName}</dd>
            <dt>Opened by</dt>
            <dd>
              {current.openedBy}
              {mine && <span className="you"> (you)</span>}
              <span className="cell-sub">{formatDateTime(current.openedAt)}</span>
            </dd>
            {current.dualControl && current.verified && (
              <>
                <dt>Approved by</dt>
                <dd>
                  {current.approvedBy ?? <span className="missing">Not yet</span>}
                  {current.approvedBy !== null && current.approvedBy === agent.name && !mine && (
                    <span className="you"> (you)</span>
                  )}
                </dd>
              </>
            )}
            {current.escalation && (
              <>
                <dt>Sent to a supervisor by</dt>
                <dd>
                  {current.escalation.by}
                  <span className="cell-sub">{formatDateTime(current.escalation.at)}</span>
                </dd>
              </>
            )}
            {current.decision && (
              <>
                <dt>{current.decision.outcome === "approve" ? "Approved by supervisor" : "Closed by supervisor"}</dt>
                <dd>
                  {current.decision.by}
                  <span className="cell-sub">{formatDateTime(current.decision.at)}</span>
                </dd>
              </>
            )}
            {current.completedBy && (
              <>
                <dt>Completed by</dt>
                <dd>{current.completedBy}</dd>
              </>
            )}
            {(current.status === "needs_supervisor" || (current.status !== "completed" && current.verified)) && (
              <>
                <dt>{expired ? "Expired" : "Expires"}</dt>
                <dd>
                  {formatDateTime(current.expiresAt)}{" "}
                  <span className="cell-sub">{formatRelative(current.expiresAt, now)}</span>
                </dd>
              </>
            )}
            <dt>Case ID</dt>
            <dd>
              <code>{current.id}</code>
            </dd>
          </dl>
        </section>
      </div>

      {refusal && <ErrorMessage>{refusal}</ErrorMessage>}

      <NextStep
        recoveryCase={current}
        agent={agent}
        mine={mine}
        expired={expired}
        result={result}
        waitingCheck={{ checking, checkedAt, check: () => void checkForApproval() }}
        onApprove={async () => {
          const outcome = await act(() => supportApi.approveRecoveryCase(current.id));
          if (outcome.ok) setLoad({ kind: "ready", recoveryCase: outcome.value });
          return outcome.ok ? null : outcome.message;
        }}
        onEscalate={async (note) => {
          const outcome = await act(() => supportApi.escalateRecoveryCase(current.id, note));
          if (outcome.ok) setLoad({ kind: "ready", recoveryCase: outcome.value });
          return outcome.ok ? null : outcome.message;
        }}
        onDecide={async (decision, note) => {
          const outcome = await act(() => supportApi.decideRecoveryCase(current.id, decision, note));
          if (outcome.ok) setLoad({ kind: "ready", recoveryCase: outcome.value });
          return outcome.ok ? null : outcome.message;
        }}
        onComplete={async (delivery) => {
          const outcome = await act(() => supportApi.completeRecoveryCase(current.id, delivery));
          if (outcome.ok) {
            setResult(outcome.value);
            void refresh();
          }
          return outcome.ok ? null : outcome.message;
        }}
      />
    </div>
  );
}

function VerdictBox({ verdict }: { verdict: Verdict }) {
  return (
    <div className={`verdict verdict-${verdict.tone}`}>
      <span className="verdict-icon" aria-hidden="true">
        {verdict.tone === "verified" ? <CheckIcon /> : verdict.tone === "rejected" ? <CrossIcon /> : <WarningIcon />}
      </span>
      <div>
        <p className="verdict-title">{verdict.title}</p>
        <p className="verdict-detail">{verdict.detail}</p>
      </div>
    </div>
  );
}

/** Resolves to null on success, or a message to show in the dialog (null and closed for refusals). */
type Action = () => Promise<string | null>;

interface NextStepProps {
  recoveryCase: RecoveryCase;
  agent: SupportAgent;
  mine: boolean;
  expired: boolean;
  result: CompletionResult | null;
  waitingCheck: { checking: boolean; checkedAt: number | null; check: () => void };
  onApprove: Action;
  onEscalate: (note: string) => Promise<string | null>;
  onDecide: (decision: "approve" | "close", note: string) => Promise<string | null>;
  onComplete: (delivery: Delivery) => Promise<string | null>;
}

/** What can happen next, for this agent, in this state. */
function NextStep({
  recoveryCase,
  agent,
  mine,
  expired,
  result,
  waitingCheck,
  onApprove,
  onEscalate,
  onDecide,
  onComplete,
}: NextStepProps) {
  const business = recoveryCase.account;
  // The outcome of this agent's own completion is shown at the top of the page.
  if (result) return null;

  switch (recoveryCase.status) {
    case "completed":
      return <CompletedPanel recoveryCase={recoveryCase} />;
    case "closed":
      return <ClosedPanel recoveryCase={recoveryCase} />;
  }

  if (expired) {
    return (
      <section className="panel next-step" aria-labelledby="next-heading">
        <h2 id="next-heading">This case has expired</h2>
        <p>
          A case must be completed within an hour of opening it (a day, while it waits for a supervisor). Open a new
          case and verify the caller again.
        </p>
        <Link to={supportPaths.startRecovery(business.slug)} className="button button-secondary">
          Start a new case
        </Link>
      </section>
    );
  }

  switch (recoveryCase.status) {
    case "rejected":
    case "unverified":
      return <EscalatePanel recoveryCase={recoveryCase} onEscalate={onEscalate} />;
    case "needs_supervisor":
      // A supervisor decides, never the agent who opened the case: two people behind every recovery.
      return agent.supervisor && !mine ? (
        <DecidePanel recoveryCase={recoveryCase} onDecide={onDecide} />
      ) : (
        <WaitingForSupervisor recoveryCase={recoveryCase} isSupervisor={agent.supervisor === true} {...waitingCheck} />
      );
  }

  if (recoveryCase.status === "verified" && recoveryCase.dualControl) {
    return mine ? (
      <WaitingForApproval recoveryCase={recoveryCase} {...waitingCheck} />
    ) : (
      <ApprovePanel recoveryCase={recoveryCase} onApprove={onApprove} />
    );
  }

  return (
    <RecoverPanel recoveryCase={recoveryCase} approvedByMe={recoveryCase.approvedBy === agent.name && !mine}>
      {(delivery) => onComplete(delivery)}
    </RecoverPanel>
  );
}

function WaitingForApproval({
  recoveryCase,
  checking,
  checkedAt,
  check,
}: {
  recoveryCase: RecoveryCase;
  checking: boolean;
  checkedAt: number | null;
  check: () => void;
}) {
  const link = `${window.location.origin}${supportPaths.recoveryCase(recoveryCase.id)}`;
  return (
    <section className="panel next-step next-step-waiting" aria-labelledby="next-heading">
      <h2 id="next-heading">A second agent must approve this case</h2>
      <p>
        You opened this case, so another support agent must review it and approve it before the account can be
        recovered. Send them this link, and keep the caller on the line.
      </p>
      <div className="copy-row">
        <label className="field-label" htmlFor="case-link">
          Case link
        </label>
        <div className="copy-row-input">
          <input
            id="case-link"
            type="text"
            readOnly
            value={link}
            onFocus={(event) => event.currentTarget.select()}
            aria-describedby="case-id-note"
          />
          <CopyButton text={link} label="Copy link" what="Case link" />
        </div>
        <p id="case-id-note" className="field-help">
          Case ID <code>{recoveryCase.id}</code>
        </p>
      </div>
      <div className="form-actions">
        <button type="button" className="button button-secondary" onClick={check} disabled={checking}>
          {checking ? "Checking…" : "Check for approval"}
        </button>
        <div role="status" className="form-status">
          {checkedAt !== null && !checking && (
            <span className="message message-info">
              Not approved yet (checked at {new Date(checkedAt).toLocaleTimeString([], { timeStyle: "short" })}).
            </span>
          )}
        </div>
      </div>
    </section>
  );
}

function ApprovePanel({ recoveryCase, onApprove }: { recoveryCase: RecoveryCase; onApprove: Action }) {
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function approve() {
    setPending(true);
    setError(null);
    const message = await onApprove();
    setPending(false);
    if (message) setError(message);
    else setConfirming(false);
  }

  return (
    <section className="panel next-step" aria-labelledby="next-heading">
      <h2 id="next-heading">Approve this case</h2>
      <p>
        {recoveryCase.openedBy} verified the caller, {recoveryCase.callerName}, and needs a second agent to approve the
        case. Check the answers above. Approve only if the case looks right to you.
      </p>
      <button
        type="button"
        className="button button-primary"
        onClick={() => {
          setError(null);
          setConfirming(true);
        }}
      >
        Approve
      </button>
      {confirming && (
        <ConfirmDialog
          title="Approve this recovery case?"
          confirmLabel="Approve case"
          onConfirm={() => void approve()}
          onCancel={() => setConfirming(false)}
          pending={pending}
          error={error}
        >
          <p>
            You confirm, as the second agent, that the caller {recoveryCase.callerName} may recover the Business Owner's
            sign-in of {recoveryCase.account.name}.
          </p>
          <p>
            After approval, either agent can recover the account. Your name is recorded in the business's audit log.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

const choices: Record<Delivery, { title: string; confirm: string; body: string }> = {
  email: {
    title: "Email a reset link to the owner?",
    confirm: "Send reset link",
    body: "Staffgate emails a reset link to the Business Owner's address on file. The link works for 30 minutes.",
  },
  temporary_password: {
    title: "Create a temporary password?",
    confirm: "Create temporary password",
    body: "The owner's current password stops working at once. The temporary password is shown to you once: read it to the verified caller.",
  },
  two_factor_reset: {
    title: "Remove the owner's two-step sign-in?",
    confirm: "Remove two-step sign-in",
    body: "The owner's authenticator app, passkeys and recovery codes are removed. The password stays as it is: the owner signs in with it and sets up two-step sign-in again.",
  },
};

function RecoverPanel({
  recoveryCase,
  approvedByMe,
  children: complete,
}: {
  recoveryCase: RecoveryCase;
  approvedByMe: boolean;
  children: (delivery: Delivery) => Promise<string | null>;
}) {
  const [confirming, setConfirming] = useState<Delivery | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(delivery: Delivery) {
    setPending(true);
    setError(null);
    const message = await complete(delivery);
    setPending(false);
    if (message) setError(message);
    else setConfirming(null);
  }

  function open(delivery: Delivery) {
    setError(null);
    setConfirming(delivery);
  }

  const approvedNote =
    recoveryCase.status === "approved"
      ? approvedByMe
        ? "You approved this case."
        : `Approved by ${recoveryCase.approvedBy ?? "a second agent"}.`
      : null;

  return (
    <section className="panel next-step next-step-recover" aria-labelledby="next-heading">
      {approvedNote && <Notice>{approvedNote}</Notice>}
      <h2 id="next-heading">Recover the account</h2>
      <p>
        Choose how the Business Owner gets back in. Either way the owner is signed out everywhere, and the owner and the
        business's admins are emailed about it.
      </p>
      <div className="recover-options">
        <div className="recover-option">
          <h3>By email</h3>
          <p>Best when the owner can still read their email. The link works for 30 minutes.</p>
          <button type="button" className="button button-secondary" onClick={() => open("email")}>
            Email a reset link to the owner's address on file
          </button>
        </div>
        <div className="recover-option">
          <h3>Over the phone</h3>
          <p>
            When the owner can't get to their email. You read the password to the verified caller; they must change it
            the first time they sign in.
          </p>
          <button type="button" className="button button-secondary" onClick={() => open("temporary_password")}>
            Create a temporary password
          </button>
        </div>
        <div className="recover-option">
          <h3>Lost phone</h3>
          <p>
            When the owner knows their password but lost the phone or key for two-step sign-in. Their password doesn't
            change.
          </p>
          <button type="button" className="button button-secondary" onClick={() => open("two_factor_reset")}>
            Remove the owner's two-step sign-in
          </button>
        </div>
      </div>
      {confirming && (
        <ConfirmDialog
          title={choices[confirming].title}
          confirmLabel={choices[confirming].confirm}
          onConfirm={() => void run(confirming)}
          onCancel={() => setConfirming(null)}
          pending={pending}
          error={error}
        >
          <p>{choices[confirming].body}</p>
          <p>
            Every session of the owner of {recoveryCase.account.name} ends, and the case is completed. This can't be
            undone.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function CompletionResultPanel({ result, recoveryCase }: { result: CompletionResult; recoveryCase: RecoveryCase }) {
  if ("temporaryPassword" in result) {
    return <TemporaryPasswordResult password={result.temporaryPassword} callerName={recoveryCase.callerName} />;
  }
  if ("twoFactorReset" in result) return <TwoFactorResetPanel />;
  return <EmailSentPanel sentTo={result.sentTo} />;
}

function TwoFactorResetPanel() {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <section className="panel next-step next-step-done" aria-labelledby="next-heading">
      <h2 id="next-heading" ref={headingRef} tabIndex={-1}>
        Two-step sign-in removed
      </h2>
      <Notice>The owner's authenticator app, passkeys and recovery codes were removed.</Notice>
      <p>
        Ask the caller to sign in with their password now. If the business requires two-step sign-in, they set it up
        again at that sign-in. The case is complete.
      </p>
    </section>
  );
}

function EmailSentPanel({ sentTo }: { sentTo: string }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <section className="panel next-step next-step-done" aria-labelledby="next-heading">
      <h2 id="next-heading" ref={headingRef} tabIndex={-1}>
        Reset link sent
      </h2>
      <Notice>
        A reset link was emailed to <strong className="masked">{sentTo}</strong>.
      </Notice>
      <p>
        Ask the caller to open it within 30 minutes and choose a new password; it may be in their spam folder. The case
        is complete.
      </p>
    </section>
  );
}

function CompletedPanel({ recoveryCase }: { recoveryCase: RecoveryCase }) {
  const who = recoveryCase.completedBy ?? "A support agent";
  return (
    <section className="panel next-step next-step-done" aria-labelledby="next-heading">
      <h2 id="next-heading">Recovery completed</h2>
      {recoveryCase.delivery === "email" ? (
        <p>{who} emailed a reset link to the Business Owner's address on file.</p>
      ) : recoveryCase.delivery === "temporary_password" ? (
        <>
          <p>
            {who} created a temporary password for the verified caller. The owner must change it the first time they
            sign in.
          </p>
          <p className="field-help">
            The temporary password was shown once and can't be shown again. If the caller didn't get it, open a new
            case.
          </p>
        </>
      ) : recoveryCase.delivery === "two_factor_reset" ? (
        <p>{who} removed the Business Owner's two-step sign-in (lost phone). The password didn't change.</p>
      ) : (
        <p>{who} recovered the Business Owner's sign-in.</p>
      )}
    </section>
  );
}
