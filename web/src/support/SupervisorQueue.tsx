// A supervisor's worklist: the owner recoveries that agents sent to a supervisor because the
// answers couldn't verify the caller, oldest first. Shown on the console's first page, to
// supervisors only; each case waits there for up to 24 hours.
import { useEffect, useState } from "react";
import "./supervisor.css";
import { isAbortError } from "../api";
import { LoadError } from "../components/PagedTable";
import { describeError } from "../errors";
import { supportPaths } from "../paths";
import { Link } from "../router";
import { formatDateTime } from "./caseText";
import { supportApi, type EscalatedCase } from "./supportApi";
import { goToSupportLogin, isSupportSessionEnded } from "./supportSession";

type Load = { kind: "loading" } | { kind: "ready"; items: EscalatedCase[] } | { kind: "failed"; error: unknown };

export function SupervisorQueue() {
  const [load, setLoad] = useState<Load>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    supportApi
      .listCasesAwaitingSupervisor(controller.signal)
      .then(({ items }) => setLoad({ kind: "ready", items }))
      .catch((error: unknown) => {
        if (isAbortError(error)) return;
        if (isSupportSessionEnded(error)) goToSupportLogin();
        else setLoad({ kind: "failed", error });
      });
    return () => controller.abort();
  }, [attempt]);

  return (
    <section className="panel supervisor-queue" aria-labelledby="supervisor-queue-heading">
      <h2 id="supervisor-queue-heading">Cases waiting for a supervisor</h2>
      <p className="field-help">
        Agents couldn't verify these callers with the answers. Open a case to approve it or close it; you can't decide a
        case you opened yourself.
      </p>
      {load.kind === "loading" && <p className="loading">Loading the cases…</p>}
      {load.kind === "failed" && (
        <LoadError retry={() => setAttempt((n) => n + 1)}>
          The cases couldn't be loaded. {describeError(load.error)}
        </LoadError>
      )}
      {load.kind === "ready" && load.items.length === 0 && (
        <p className="empty-state-inline">No cases are waiting for a supervisor.</p>
      )}
      {load.kind === "ready" && load.items.length > 0 && (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">Cases waiting for a supervisor, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Business</th>
                <th scope="col">Caller</th>
                <th scope="col">Sent by</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {load.items.map((item) => (
                <tr key={item.id}>
                  <th scope="row">
                    <Link to={supportPaths.recoveryCase(item.id)}>
                      {item.account.name}
                      <span className="visually-hidden">, case of {item.callerName}</span>
                    </Link>
                  </th>
                  <td>{item.callerName}</td>
                  <td>
                    {item.escalatedBy}
                    <span className="cell-sub">{formatDateTime(item.escalatedAt)}</span>
                  </td>
                  <td className="queue-note">{item.note}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
