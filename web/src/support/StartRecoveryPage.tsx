import { useRef, useState, type FormEvent } from "react";
import { ApiError } from "../api";
import { ErrorMessage } from "../components/Messages";
import { PageHeading } from "../components/PageHeading";
import { TextField } from "../components/TextField";
import { describeError } from "../errors";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { supportPaths } from "../paths";
import { Link, navigate } from "../router";
import { fieldLabels } from "./caseText";
import { SummaryProblem, useSupportAccount } from "./SupportAccountPage";
import { SupportPage } from "./SupportLayout";
import {
  MIN_MATCHES,
  VERIFICATION_FIELDS,
  supportApi,
  type SupportAccountSummary,
  type VerificationAnswers,
  type VerificationField,
} from "./supportApi";
import { goToSupportLogin, isSupportSessionEnded } from "./supportSession";

/** /support/accounts/{slug}/recovery: the caller's answers, checked by the server. */
export function StartRecoveryPage({ slug }: { slug: string }) {
  return <SupportPage>{() => <StartRecovery slug={slug} />}</SupportPage>;
}

function StartRecovery({ slug }: { slug: string }) {
  const [state] = useSupportAccount(slug);
  useDocumentTitle(`Start owner recovery · ${state.kind === "ready" ? state.summary.name : "Support"}`);
  if (state.kind !== "ready") return <SummaryProblem state={state} />;
  return <RecoveryForm summary={state.summary} />;
}

const ANSWER_HELP = "Ask the caller; type exactly what they say.";

const fieldHelp: Record<VerificationField, string> = {
  ownerFullName: ANSWER_HELP,
  billingPostalCode: `${ANSWER_HELP} The postal code of the card the business pays with.`,
  cardLast4: `${ANSWER_HELP} The last 4 digits of the card the business pays with.`,
  businessPhone: `${ANSWER_HELP} The business's phone number as registered with Staffgate.`,
};

const MAX_ANSWER = 200;
const MAX_CALLER_NAME = 120;

interface Errors {
  callerName?: string;
  form?: string;
}

function RecoveryForm({ summary }: { summary: SupportAccountSummary }) {
  const onFile = VERIFICATION_FIELDS.filter((field) => summary.verificationFactsOnFile[field]);
  const [callerName, setCallerName] = useState("");
  const [answers, setAnswers] = useState<Record<VerificationField, string>>({
    ownerFullName: "",
    billingPostalCode: "",
    cardLast4: "",
    businessPhone: "",
  });
  const [errors, setErrors] = useState<Errors>({});
  const [pending, setPending] = useState(false);
  const callerRef = useRef<HTMLInputElement>(null);
  const formErrorRef = useRef<HTMLDivElement>(null);
  // Too few facts on file for the answers to verify anyone: the case is still opened, with every
  // answer that can be checked, so that a supervisor can decide it (the next step on the case page).
  const cannotVerify = onFile.length < MIN_MATCHES;
  const answersNeeded = cannotVerify ? onFile.length : MIN_MATCHES;

  function showFormError(message: string) {
    setErrors({ form: message });
    // After React has rendered the message.
    setTimeout(() => formErrorRef.current?.scrollIntoView({ block: "nearest" }), 0);
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    if (callerName.trim() === "") {
      setErrors({ callerName: "Enter the caller's name as they give it." });
      callerRef.current?.focus();
      return;
    }
    const given: VerificationAnswers = {};
    for (const field of onFile) {
      if (answers[field].trim() !== "") given[field] = answers[field];
    }
    // A case with fewer answers can't be verified, yet it would count as a failed case for today.
    if (Object.keys(given).length < answersNeeded) {
      showFormError(
        cannotVerify
          ? "Ask every question that can be checked and type the answers: the supervisor decides with them."
          : `Enter at least ${MIN_MATCHES} answers: a case is verified only when at least ${MIN_MATCHES} answers match.`,
      );
      return;
    }

    setPending(true);
    setErrors({});
    try {
      const opened = await supportApi.openRecoveryCase(summary.slug, { callerName: callerName.trim(), answers: given });
      navigate(supportPaths.recoveryCase(opened.id), { replace: true });
    } catch (caught) {
      setPending(false);
      if (isSupportSessionEnded(caught)) {
        goToSupportLogin();
        return;
      }
      if (caught instanceof ApiError && caught.code === "validation_failed") {
        const fields = (caught.details.fields ?? {}) as Record<string, unknown>;
        if ("callerName" in fields) {
          setErrors({ callerName: "Enter the caller's name as they give it." });
          callerRef.current?.focus();
        } else {
          showFormError(`An answer is too long: at most ${MAX_ANSWER} characters each.`);
        }
        return;
      }
      // 429: too many failed cases today. The server's message says what to do (escalate).
      showFormError(caught instanceof ApiError && caught.status === 429 ? caught.message : describeError(caught));
    }
  }

  return (
    <div className="narrow-wide">
      <p className="eyebrow">
        <Link to={supportPaths.account(summary.slug)}>{summary.name}</Link>
      </p>
      <PageHeading>Start owner recovery</PageHeading>
      <p className="lead">
        Check that the caller is the Business Owner of {summary.name}. Ask each question and type the answer. Capitals,
        spaces and punctuation don't matter. Leave a field empty if the caller doesn't know.
      </p>
      <div className="message message-info recovery-rules">
        <p>
          At least {MIN_MATCHES} answers must match, and <strong>any wrong answer rejects the case</strong>. Never read
          out or hint at the details on file.
        </p>
      </div>
      {cannotVerify && (
        <p className="message message-warning">
          Only {onFile.length} verification {onFile.length === 1 ? "fact is" : "facts are"} on file for this business,
          so the answers alone can't verify its owner. Ask the questions that can be checked: the case then goes to a
          supervisor, who decides.
        </p>
      )}
      <form
        className="form recovery-form"
        onSubmit={(event) => void handleSubmit(event)}
        noValidate
        aria-busy={pending}
      >
        <TextField
          ref={callerRef}
          label="Caller's name"
          help="The name the caller gives you."
          value={callerName}
          maxLength={MAX_CALLER_NAME}
          onChange={(value) => {
            setCallerName(value);
            if (errors.callerName) setErrors({});
          }}
          error={errors.callerName}
          autoComplete="off"
          required
        />
        <fieldset className="form-section answers">
          <legend className="form-section-title">The caller's answers</legend>
          <div className="answers-fields">
            {VERIFICATION_FIELDS.map((field) => {
              const available = summary.verificationFactsOnFile[field];
              return (
                <TextField
                  key={field}
                  label={fieldLabels[field]}
                  help={available ? fieldHelp[field] : "Not on file for this business, so it can't be checked."}
                  value={available ? answers[field] : ""}
                  maxLength={MAX_ANSWER}
                  onChange={(value) => {
                    setAnswers((previous) => ({ ...previous, [field]: value }));
                    if (errors.form) setErrors({});
                  }}
                  inputMode={field === "cardLast4" ? "numeric" : field === "businessPhone" ? "tel" : undefined}
                  className={field === "cardLast4" || field === "billingPostalCode" ? "input-medium" : undefined}
                  autoComplete="off"
                  autoCapitalize="off"
                  autoCorrect="off"
                  spellCheck={false}
                  disabled={!available}
                />
              );
            })}
          </div>
        </fieldset>
        {errors.form && (
          <div ref={formErrorRef}>
            <ErrorMessage>{errors.form}</ErrorMessage>
          </div>
        )}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={pending}>
            {pending ? "Checking…" : "Check answers"}
          </button>
          <Link to={supportPaths.account(summary.slug)}>Cancel</Link>
        </div>
      </form>
    </div>
  );
}
