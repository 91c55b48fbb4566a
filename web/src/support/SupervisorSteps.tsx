// The supervisor's step of an owner recovery (case-flow.ts): when the answers can't verify the
// caller (facts not on file, too few matches, a mismatch), the agent sends the case to a
// supervisor with a note, rather than leaving the owner with no way back in. A supervisor who
// didn't open the case approves it (it then goes on as an approved case: two people still stand
// behind the recovery) or closes it. Each panel says where the case stands, in plain words.
import { useId, useRef, useState, type FormEvent, type RefObject } from "react";
import "./supervisor.css";
import { ConfirmDialog } from "../components/Dialog";
import { FieldError } from "../components/Field";
import { supportPaths } from "../paths";
import { Link } from "../router";
import { formatDateTime } from "./caseText";
import { NOTE_MAX_LENGTH, type RecoveryCase } from "./supportApi";

/** Resolves to null when done, or a message to show (null too when the page shows a refusal). */
export type NoteAction = (note: string) => Promise<string | null>;

function NoteField({
  label,
  help,
  value,
  onChange,
  error,
  textareaRef,
}: {
  label: string;
  help: string;
  value: string;
  onChange: (value: string) => void;
  error: string | null;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <p id={`${id}-help`} className="field-help">
        {help}
      </p>
      <textarea
        ref={textareaRef}
        id={id}
        className="note-input"
        rows={3}
        maxLength={NOTE_MAX_LENGTH}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-describedby={`${id}-help${error ? ` ${id}-error` : ""}`}
        aria-invalid={error ? true : undefined}
      />
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </div>
  );
}

/** Unverified or rejected, still open: the next step is a supervisor, with the agent's note. */
export function EscalatePanel({ recoveryCase, onEscalate }: { recoveryCase: RecoveryCase; onEscalate: NoteAction }) {
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const business = recoveryCase.account;

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    if (note.trim() === "") {
      setError("Write a note for the supervisor.");
      noteRef.current?.focus();
      return;
    }
    setPending(true);
    setError(null);
    const message = await onEscalate(note.trim());
    setPending(false);
    if (message) {
      setError(message);
      noteRef.current?.focus();
    }
  }

  return (
    <section className="panel next-step" aria-labelledby="next-heading">
      <h2 id="next-heading">Send to a supervisor</h2>
      <p>
        {recoveryCase.status === "rejected"
          ? "An answer didn't match, so this case can't verify the caller. "
          : "Too few answers matched, or the facts aren't on file, so this case can't verify the caller. "}
        If you believe the caller is the owner, a supervisor can decide: they may call the owner back on a number on
        file, or check other proof. Tell the caller that support will call back.
      </p>
      <form className="form" onSubmit={(event) => void handleSubmit(event)} noValidate aria-busy={pending}>
        <NoteField
          label="Note for the supervisor"
          help="What the supervisor should know: which facts are missing, what else the caller can prove, and a good time to call back. Don't write the caller's answers."
          value={note}
          onChange={(value) => {
            setNote(value);
            if (error) setError(null);
          }}
          error={error}
          textareaRef={noteRef}
        />
        <div className="actions-inline">
          <button type="submit" className="button button-primary" aria-disabled={pending || undefined}>
            {pending ? "Sending…" : "Send to a supervisor"}
          </button>
          {recoveryCase.status === "unverified" && (
            <Link to={supportPaths.startRecovery(business.slug)} className="button button-secondary">
              Start a new case
            </Link>
          )}
          <Link to={supportPaths.account(business.slug)}>Back to {business.name}</Link>
        </div>
      </form>
    </section>
  );
}

/** The agent's own words, quoted, with who wrote them and when. */
export function QuotedNote({ by, at, note, label }: { by: string; at: string; note: string; label: string }) {
  return (
    <figure className="case-note">
      <blockquote>
        <p>{note}</p>
      </blockquote>
      <figcaption>
        {label} {by}, {formatDateTime(at)}
      </figcaption>
    </figure>
  );
}

/** Waiting, as seen by anyone who can't decide it (the agent who sent it, or the opener). */
export function WaitingForSupervisor({
  recoveryCase,
  isSupervisor,
  checking,
  checkedAt,
  check,
}: {
  recoveryCase: RecoveryCase;
  isSupervisor: boolean;
  checking: boolean;
  checkedAt: number | null;
  check: () => void;
}) {
  const escalation = recoveryCase.escalation;
  return (
    <section className="panel next-step next-step-waiting" aria-labelledby="next-heading">
      <h2 id="next-heading">Waiting for a supervisor</h2>
      <p>
        {isSupervisor
          ? "You opened this case, so another supervisor must decide it. "
          : "A supervisor who didn't open this case will approve it or close it. "}
        Supervisors see it in their list of cases waiting for them. It waits up to 24 hours; nothing can be recovered
        until then.
      </p>
      {escalation && <QuotedNote by={escalation.by} at={escalation.at} note={escalation.note} label="Note from" />}
      <div className="form-actions">
        <button type="button" className="button button-secondary" onClick={check} disabled={checking}>
          {checking ? "Checking…" : "Check for a decision"}
        </button>
        <div role="status" className="form-status">
          {checkedAt !== null && !checking && (
            <span className="message message-info">
              No decision yet (checked at {new Date(checkedAt).toLocaleTimeString([], { timeStyle: "short" })}).
            </span>
          )}
        </div>
      </div>
    </section>
  );
}

const DECISIONS = {
  approve: {
    title: "Approve this case?",
    confirm: "Approve case",
    body: "As the second person, you confirm that the caller may recover the Business Owner's sign-in. Either agent can then recover the account within the hour.",
  },
  close: {
    title: "Close this case?",
    confirm: "Close case",
    body: "The case ends and nothing is recovered. If the owner calls again, an agent opens a new case.",
  },
} as const;

/** A supervisor who didn't open the case decides it, with a note for the audit log. */
export function DecidePanel({
  recoveryCase,
  onDecide,
}: {
  recoveryCase: RecoveryCase;
  onDecide: (decision: "approve" | "close", note: string) => Promise<string | null>;
}) {
  const [note, setNote] = useState("");
  const [noteError, setNoteError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<"approve" | "close" | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const escalation = recoveryCase.escalation;

  function ask(decision: "approve" | "close") {
    if (note.trim() === "") {
      setNoteError("Write a note: why you approve or close this case.");
      noteRef.current?.focus();
      return;
    }
    setError(null);
    setConfirming(decision);
  }

  async function decide(decision: "approve" | "close") {
    setPending(true);
    setError(null);
    const message = await onDecide(decision, note.trim());
    setPending(false);
    if (message) setError(message);
    else setConfirming(null);
  }

  return (
    <section className="panel next-step" aria-labelledby="next-heading">
      <h2 id="next-heading">Decide this case</h2>
      <p>
        {escalation?.by ?? "An agent"} couldn't verify the caller, {recoveryCase.callerName}, with the answers and asks
        you to decide. Approve only if you are sure the caller is the Business Owner of {recoveryCase.account.name}.
      </p>
      {escalation && <QuotedNote by={escalation.by} at={escalation.at} note={escalation.note} label="Note from" />}
      <NoteField
        label="Your note"
        help="Why you approve or close the case, such as “Called the owner back on the number on file”. It goes in the business's audit log."
        value={note}
        onChange={(value) => {
          setNote(value);
          if (noteError) setNoteError(null);
        }}
        error={noteError}
        textareaRef={noteRef}
      />
      <div className="actions-inline">
        <button type="button" className="button button-primary" onClick={() => ask("approve")}>
          Approve
        </button>
        <button type="button" className="button button-secondary" onClick={() => ask("close")}>
          Close case
        </button>
      </div>
      {confirming && (
        <ConfirmDialog
          title={DECISIONS[confirming].title}
          confirmLabel={DECISIONS[confirming].confirm}
          tone={confirming === "close" ? "danger" : "primary"}
          onConfirm={() => void decide(confirming)}
          onCancel={() => setConfirming(null)}
          pending={pending}
          error={error}
        >
          <p>{DECISIONS[confirming].body}</p>
          <p>Your name and note are recorded in the business's audit log.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/** A supervisor closed the case: where it ends, and what to do if the owner calls again. */
export function ClosedPanel({ recoveryCase }: { recoveryCase: RecoveryCase }) {
  const business = recoveryCase.account;
  const decision = recoveryCase.decision;
  return (
    <section className="panel next-step" aria-labelledby="next-heading">
      <h2 id="next-heading">Closed by a supervisor</h2>
      <p>Nothing was recovered. If the owner calls again, open a new case.</p>
      {decision && <QuotedNote by={decision.by} at={decision.at} note={decision.note} label="Closed by" />}
      <Link to={supportPaths.account(business.slug)}>Back to {business.name}</Link>
    </section>
  );
}
