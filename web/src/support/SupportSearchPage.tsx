import { useEffect, useState } from "react";
import { isAbortError } from "../api";
import { ErrorMessage } from "../components/Messages";
import { PageHeading } from "../components/PageHeading";
import { TextField } from "../components/TextField";
import { describeError } from "../errors";
import { useDebouncedValue } from "../hooks/useDebouncedValue";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { paths, supportPaths } from "../paths";
import { Link, useLocation } from "../router";
import { SupervisorQueue } from "./SupervisorQueue";
import { SupportPage } from "./SupportLayout";
import { supportApi, type AccountListing } from "./supportApi";
import { goToSupportLogin, isSupportSessionEnded } from "./supportSession";

const SEARCH_DELAY_MS = 300;
/** The API answers at most this many businesses per search. */
const RESULT_LIMIT = 50;

/** /support: find a business by name, address or owner; for supervisors, the cases waiting for them. */
export function SupportSearchPage() {
  // A fresh search box whenever the console navigates here (e.g. "Find a business" in the top bar).
  const { navigationCount } = useLocation();
  return (
    <SupportPage>
      {(agent) => (
        <>
          <AccountSearch key={navigationCount} />
          {/* Supervisors start here: the cases the answers couldn't settle wait for them. */}
          {agent.supervisor && <SupervisorQueue />}
        </>
      )}
    </SupportPage>
  );
}

type Results =
  | { kind: "idle" }
  | { kind: "loading"; term: string; previous: AccountListing[] | null }
  | { kind: "ready"; term: string; items: AccountListing[] }
  | { kind: "failed"; term: string; error: unknown };

function initialTerm(): string {
  return new URLSearchParams(window.location.search).get("q") ?? "";
}

function AccountSearch() {
  useDocumentTitle("Find a business · Support");
  const [term, setTerm] = useState(initialTerm);
  const settled = useDebouncedValue(term.trim(), SEARCH_DELAY_MS);
  const [results, setResults] = useState<Results>({ kind: "idle" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    // Keep the term in the address (without a new history entry), so Back returns to these results.
    const target = supportPaths.search(settled);
    if (`${window.location.pathname}${window.location.search}` !== target) {
      window.history.replaceState(window.history.state, "", target);
    }
    if (settled === "") {
      setResults({ kind: "idle" });
      return;
    }
    const controller = new AbortController();
    setResults((current) => ({
      kind: "loading",
      term: settled,
      previous: current.kind === "ready" ? current.items : current.kind === "loading" ? current.previous : null,
    }));
    supportApi
      .searchAccounts(settled, controller.signal)
      .then(({ items }) => setResults({ kind: "ready", term: settled, items }))
      .catch((error: unknown) => {
        if (isAbortError(error)) return;
        if (isSupportSessionEnded(error)) goToSupportLogin();
        else setResults({ kind: "failed", term: settled, error });
      });
    return () => controller.abort();
  }, [settled, attempt]);

  const items = results.kind === "ready" ? results.items : results.kind === "loading" ? results.previous : null;

  return (
    <div className="support-search">
      <PageHeading>Find a business</PageHeading>
      <p className="lead">Search by business name, address (such as acme-swim) or the Business Owner's name.</p>
      <form className="toolbar" role="search" onSubmit={(event) => event.preventDefault()}>
        <div className="toolbar-search support-search-field">
          <TextField
            label="Search businesses"
            type="search"
            value={term}
            onChange={setTerm}
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
          />
        </div>
      </form>
      <p className="list-summary" role="status">
        {summaryText(results)}
      </p>
      {results.kind === "failed" && (
        <div className="load-error">
          <ErrorMessage>The search failed. {describeError(results.error)}</ErrorMessage>
          <button type="button" className="button button-secondary" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      )}
      {items && items.length > 0 && (
        <div className="table-wrap" aria-busy={results.kind === "loading"}>
          <table className="data-table support-results">
            <caption className="visually-hidden">Businesses matching the search</caption>
            <thead>
              <tr>
                <th scope="col">Business</th>
                <th scope="col">Address</th>
                <th scope="col">Business Owner</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.slug}>
                  <th scope="row">
                    <Link to={supportPaths.account(item.slug)} className="result-name">
                      {item.name}
                    </Link>
                  </th>
                  <td className="cell-address">
                    <code>{paths.home(item.slug)}</code>
                  </td>
                  <td>{item.ownerName || <span className="missing">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function summaryText(results: Results): string {
  switch (results.kind) {
    case "idle":
      return "Type at least one letter to search.";
    case "loading":
      return "Searching…";
    case "failed":
      return "";
    case "ready": {
      const count = results.items.length;
      if (count === 0) return `No business matches “${results.term}”. Check the spelling, or try the owner's name.`;
      if (count >= RESULT_LIMIT) return `Showing the first ${RESULT_LIMIT} matches. Type more to narrow the search.`;
      return `${count} ${count === 1 ? "business matches" : "businesses match"} “${results.term}”.`;
    }
  }
}
