import { useEffect, useState } from "react";
import { ApiError, api, isAbortError, type Page, type SmsLedgerEntry } from "../api";
import { ErrorMessage } from "../components/Messages";
import { describeError } from "../errors";
import { goToLogin, isSessionEnded } from "../session";

const PAGE_SIZE = 25;

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const clockFormat = new Intl.DateTimeFormat(undefined, { timeStyle: "short" });

export const NO_CREDITS_NOTE = "You have no SMS credits left. Staffgate support can add credits to your account.";

function formatChange(change: number): string {
  // A real minus sign reads better than a hyphen next to numbers.
  return change > 0 ? `+${change}` : change < 0 ? `−${Math.abs(change)}` : "0";
}

const kindNames: Record<string, string> = { grant: "Added", debit: "Used", refund: "Refunded" };

/** The SMS credit balance and its history, newest first (Admin Access). */
export function SmsCreditLedger({ slug, balance }: { slug: string; balance: number }) {
  const [page, setPage] = useState<Page<SmsLedgerEntry> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    api
      .getSmsLedger(slug, { limit: PAGE_SIZE }, controller.signal)
      .then(setPage)
      .catch((caught: unknown) => {
        if (isAbortError(caught)) return;
        if (isSessionEnded(caught)) goToLogin(slug);
        else setError(caught);
      });
    return () => controller.abort();
  }, [slug, attempt]);

  async function loadMore() {
    if (!page?.nextCursor || loadingMore) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const next = await api.getSmsLedger(slug, { limit: PAGE_SIZE, cursor: page.nextCursor });
      setPage((previous) => ({
        items: [...(previous?.items ?? []), ...next.items],
        nextCursor: next.nextCursor,
      }));
    } catch (caught) {
      if (isSessionEnded(caught)) goToLogin(slug);
      else setMoreError(caught);
    } finally {
      setLoadingMore(false);
    }
  }

  const items = page?.items ?? [];
  return (
    <section className="panel ledger-panel" aria-labelledby="settings-credits">
      <h2 id="settings-credits">SMS credits</h2>
      <p className="credit-balance">
        <span className="credit-balance-number">{balance}</span>{" "}
        <span className="credit-balance-label">{balance === 1 ? "credit" : "credits"} left</span>
      </p>
      <p className="field-help">
        Each text message Staffgate sends for this business, such as a reset link, uses 1 credit.
      </p>
      {balance <= 0 && <p className="message message-warning">{NO_CREDITS_NOTE}</p>}

      <h3 className="subheading">History</h3>
      {page === null && error === null && <p className="loading">Loading the credit history…</p>}
      {error !== null && (
        <div className="load-error">
          <ErrorMessage>
            The credit history couldn't be loaded.{" "}
            {error instanceof ApiError && error.status === 404 ? "Please try again later." : describeError(error)}
          </ErrorMessage>
          <button type="button" className="button button-secondary" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      )}
      {page !== null && items.length === 0 && (
        <p className="empty-state-inline">No credits have been added or used yet.</p>
      )}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="data-table ledger-table">
            <caption className="visually-hidden">SMS credit history, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col" className="cell-number">
                  Change
                </th>
                <th scope="col" className="cell-number">
                  Balance
                </th>
                <th scope="col">Reason</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {items.map((entry) => {
                const at = new Date(entry.at);
                return (
                  <tr key={entry.id}>
                    <td className="cell-when">
                      {Number.isNaN(at.getTime()) ? (
                        entry.at
                      ) : (
                        <time dateTime={entry.at} title={at.toString()}>
                          <span className="when-date">{dateFormat.format(at)}</span>{" "}
                          <span className="when-time">{clockFormat.format(at)}</span>
                        </time>
                      )}
                    </td>
                    <td className={`cell-number change ${entry.change > 0 ? "change-plus" : "change-minus"}`}>
                      <span aria-hidden="true">{formatChange(entry.change)}</span>
                      <span className="visually-hidden">
                        {kindNames[entry.kind] ?? entry.kind} {Math.abs(entry.change)}
                      </span>
                    </td>
                    <td className="cell-number">{entry.balance}</td>
                    <td>{entry.reason}</td>
                    <td>{entry.by ?? <span className="missing">—</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {page?.nextCursor && (
        <div className="load-more">
          {moreError !== null && (
            <ErrorMessage>Older entries couldn't be loaded. {describeError(moreError)}</ErrorMessage>
          )}
          <button
            type="button"
            className="button button-secondary"
            onClick={() => void loadMore()}
            disabled={loadingMore}
          >
            {loadingMore ? "Loading…" : "Load more entries"}
          </button>
        </div>
      )}
    </section>
  );
}
