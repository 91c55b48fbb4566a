import { ApiError, api, type SmsLedgerEntry } from "../api";
import { LoadError, LoadMore, WhenCell } from "../components/PagedTable";
import { describeError } from "../errors";
import { usePagedList } from "../hooks/usePagedList";

const PAGE_SIZE = 25;

const clockFormat = new Intl.DateTimeFormat(undefined, { timeStyle: "short" });

export const NO_CREDITS_NOTE = "You have no SMS credits left. Staffgate support can add credits to your account.";

function formatChange(change: number): string {
  // A real minus sign reads better than a hyphen next to numbers.
  return change > 0 ? `+${change}` : change < 0 ? `−${Math.abs(change)}` : "0";
}

const kindNames: Record<string, string> = { grant: "Added", debit: "Used", refund: "Refunded" };

/** The SMS credit balance and its history, newest first (Admin Access). */
export function SmsCreditLedger({ slug, balance }: { slug: string; balance: number }) {
  const list = usePagedList<SmsLedgerEntry, Record<string, never>>({
    slug,
    query: {},
    fetchPage: (_query, cursor, signal) => api.getSmsLedger(slug, { limit: PAGE_SIZE, cursor }, signal),
  });
  const { page, error } = list;

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
        <LoadError retry={list.reload}>
          The credit history couldn't be loaded.{" "}
          {error instanceof ApiError && error.status === 404 ? "Please try again later." : describeError(error)}
        </LoadError>
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
              {items.map((entry) => (
                <tr key={entry.id}>
                  <WhenCell at={entry.at} clockFormat={clockFormat} />
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
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore list={list} label="Load more entries" failed="Older entries couldn't be loaded." />
    </section>
  );
}
