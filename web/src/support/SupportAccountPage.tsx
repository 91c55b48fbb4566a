import { useEffect, useState } from "react";
import { ApiError, isAbortError } from "../api";
import { ErrorMessage } from "../components/Messages";
import { PageHeading } from "../components/PageHeading";
import { describeError } from "../errors";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { paths, supportPaths } from "../paths";
import { Link, navigate } from "../router";
import { fieldLabels, formatDate, formatDateTime } from "./caseText";
import { GrantCreditsForm } from "./GrantCreditsForm";
import { SupportPage } from "./SupportLayout";
import { CaseStatusBadge } from "./SupportBits";
import { MIN_MATCHES, VERIFICATION_FIELDS, supportApi, type SupportAccountSummary } from "./supportApi";
import { goToSupportLogin, isSupportSessionEnded } from "./supportSession";

export type SummaryState =
  | { kind: "loading" }
  | { kind: "ready"; summary: SupportAccountSummary }
  | { kind: "notFound" }
  | { kind: "failed"; error: unknown; retry: () => void };

/** A business's summary as the console sees it (owner contact masked, no verification facts). */
export function useSupportAccount(slug: string): [SummaryState, (summary: SupportAccountSummary) => void] {
  const [state, setState] = useState<SummaryState>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState({ kind: "loading" });
    supportApi
      .getAccount(slug, controller.signal)
      .then((summary) => setState({ kind: "ready", summary }))
      .catch((error: unknown) => {
        if (isAbortError(error)) return;
        if (isSupportSessionEnded(error)) goToSupportLogin();
        else if (error instanceof ApiError && error.code === "not_found") setState({ kind: "notFound" });
        else setState({ kind: "failed", error, retry: () => setAttempt((n) => n + 1) });
      });
    return () => controller.abort();
  }, [slug, attempt]);

  return [state, (summary) => setState({ kind: "ready", summary })];
}

/** What the other states of a business's page show. */
export function SummaryProblem({ state }: { state: Exclude<SummaryState, { kind: "ready" }> }) {
  switch (state.kind) {
    case "loading":
      return <p className="loading">Loading the business…</p>;
    case "notFound":
      return (
        <>
          <PageHeading>No such business</PageHeading>
          <p>There is no business at this address. It may have been typed wrongly.</p>
          <p>
            <Link to={supportPaths.home}>Find a business</Link>
          </p>
        </>
      );
    case "failed":
      return (
        <>
          <PageHeading>This business couldn't be loaded</PageHeading>
          <ErrorMessage>{describeError(state.error)}</ErrorMessage>
          <button type="button" className="button button-secondary" onClick={state.retry}>
            Try again
          </button>
        </>
      );
  }
}

/** /support/accounts/{slug} */
export function SupportAccountPage({ slug }: { slug: string }) {
  return <SupportPage>{() => <AccountSummary slug={slug} />}</SupportPage>;
}

function AccountSummary({ slug }: { slug: string }) {
  const [state, setSummary] = useSupportAccount(slug);
  useDocumentTitle(`${state.kind === "ready" ? state.summary.name : "Business"} · Support`);
  if (state.kind !== "ready") return <SummaryProblem state={state} />;
  const { summary } = state;
  const factsOnFile = VERIFICATION_FIELDS.filter((field) => summary.verificationFactsOnFile[field]).length;

  return (
    <div className="support-account">
      <div className="page-header">
        <div>
          <p className="eyebrow">Business</p>
          <PageHeading>{summary.name}</PageHeading>
          <p className="lead">
            Address <code>{paths.home(summary.slug)}</code> · Customer since {formatDate(summary.createdAt)}
          </p>
        </div>
        <button
          type="button"
          className="button button-primary"
          onClick={() => navigate(supportPaths.startRecovery(summary.slug))}
        >
          Start owner recovery
        </button>
      </div>

      <div className="support-columns">
        <div className="support-column">
          <section className="panel" aria-labelledby="owner-heading">
            <h2 id="owner-heading">Business Owner</h2>
            <dl className="details">
              <dt>Name</dt>
              <dd>{summary.ownerName || <span className="missing">—</span>}</dd>
              <dt>Email</dt>
              <dd className="masked">{summary.ownerEmail ?? <span className="missing">None on file</span>}</dd>
              <dt>Phone</dt>
              <dd className="masked">{summary.ownerPhone ?? <span className="missing">None on file</span>}</dd>
              <dt>Sign-in</dt>
              <dd>
                {summary.ownerStatus === "active" ? (
                  <span className="badge badge-active">Active</span>
                ) : summary.ownerStatus === "inactive" ? (
                  <span className="badge badge-inactive">Inactive</span>
                ) : (
                  <span className="missing">No owner on file</span>
                )}
              </dd>
            </dl>
            <p className="field-help">Contact details are masked. Never read them out to a caller.</p>
          </section>
          <section className="panel" aria-labelledby="facts-heading">
            <h2 id="facts-heading">Verification facts on file</h2>
            <ul className="facts-list">
              {VERIFICATION_FIELDS.map((field) => {
                const onFile = summary.verificationFactsOnFile[field];
                return (
                  <li key={field} className={onFile ? "fact fact-on-file" : "fact fact-missing"}>
                    <span className="fact-mark" aria-hidden="true">
                      {onFile ? "✓" : "—"}
                    </span>
                    <span className="fact-name">{fieldLabels[field]}</span>
                    <span className="fact-state">{onFile ? "On file" : "Not on file"}</span>
                  </li>
                );
              })}
            </ul>
            {factsOnFile < MIN_MATCHES ? (
              <p className="message message-warning">
                Only {factsOnFile} of {VERIFICATION_FIELDS.length} facts are on file, and a recovery needs {MIN_MATCHES}{" "}
                matching answers. Start a recovery with what the caller knows, then send the case to a supervisor.
              </p>
            ) : (
              <p className="field-help">
                The facts themselves are never shown. Staffgate compares the caller's answers with them.
              </p>
            )}
          </section>
        </div>
        <div className="support-column">
          <section className="panel" aria-labelledby="cases-heading">
            <h2 id="cases-heading">Recent recovery cases</h2>
            {summary.recentCases.length === 0 ? (
              <p className="empty-state-inline">No recovery cases for this business.</p>
            ) : (
              <ul className="case-list">
                {summary.recentCases.map((item) => (
                  <li key={item.id} className="case-list-item">
                    <Link to={supportPaths.recoveryCase(item.id)} className="case-list-link">
                      {formatDateTime(item.openedAt)}
                    </Link>
                    <span className="case-list-caller">Caller: {item.callerName}</span>
                    <CaseStatusBadge status={item.status} />
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="panel" aria-labelledby="usage-heading">
            <h2 id="usage-heading">Staff and text messages</h2>
            <dl className="details">
              <dt>Staff members</dt>
              <dd>{summary.staffCount}</dd>
              <dt>SMS/Voice messaging</dt>
              <dd>{summary.smsVoiceEnabled ? "On" : "Off"}</dd>
              <dt>SMS credits</dt>
              <dd>
                <strong className="credit-inline">{summary.smsCredits}</strong>
              </dd>
            </dl>
            <GrantCreditsForm
              slug={summary.slug}
              businessName={summary.name}
              balance={summary.smsCredits}
              onGranted={(smsCredits) => setSummary({ ...summary, smsCredits })}
            />
          </section>
        </div>
      </div>
    </div>
  );
}
