// The audit log's "Staff member" filter: a search box over the whole staff (the server's STAFF
// search, so a business of any size is searchable, with no list cut off at some count), its matches
// as buttons to pick, and what went wrong said in the page.
import { useEffect, useState } from "react";
import "./audit.css";
import { api, fullName, isAbortError, type Staff } from "../api";
import { describeError } from "../errors";
import { useDebouncedValue } from "../hooks/useDebouncedValue";

const MATCHES_SHOWN = 8;

export interface ChosenStaff {
  readonly id: string;
  readonly name: string;
}

type Search =
  | { kind: "idle" }
  | { kind: "loading" }
  | { kind: "done"; people: Staff[]; more: boolean }
  | { kind: "failed"; message: string };

export function StaffFilter({
  slug,
  chosen,
  onChoose,
}: {
  slug: string;
  chosen: ChosenStaff | null;
  onChoose: (person: ChosenStaff | null) => void;
}) {
  const [text, setText] = useState("");
  const [attempt, setAttempt] = useState(0);
  const search = useDebouncedValue(text.trim(), 250);
  const [state, setState] = useState<Search>({ kind: "idle" });

  useEffect(() => {
    if (search === "" || chosen) {
      setState({ kind: "idle" });
      return;
    }
    const controller = new AbortController();
    setState({ kind: "loading" });
    api
      .listStaff(slug, { search, status: "all", limit: MATCHES_SHOWN }, controller.signal)
      .then((page) => setState({ kind: "done", people: page.items, more: page.nextCursor !== null }))
      .catch((error: unknown) => {
        if (isAbortError(error)) return;
        setState({ kind: "failed", message: `Staff couldn't be searched. ${describeError(error)}` });
      });
    return () => controller.abort();
  }, [slug, search, chosen, attempt]);

  if (chosen) {
    return (
      <div className="field staff-filter">
        <span className="field-label" id="audit-staff-label">
          Staff member
        </span>
        <p className="staff-filter-chosen" aria-labelledby="audit-staff-label">
          <span>{chosen.name}</span>{" "}
          <button
            type="button"
            className="button button-link"
            onClick={() => {
              onChoose(null);
              setText("");
            }}
          >
            Show everyone<span className="visually-hidden"> instead of {chosen.name}</span>
          </button>
        </p>
      </div>
    );
  }

  return (
    <div className="field staff-filter">
      <label htmlFor="audit-staff" className="field-label">
        Staff member
      </label>
      <input
        id="audit-staff"
        type="search"
        value={text}
        autoComplete="off"
        placeholder="Anyone — type a name"
        aria-describedby="audit-staff-status"
        onChange={(event) => setText(event.target.value)}
      />
      <div id="audit-staff-status" role="status" className="field-hint">
        {state.kind === "loading" && "Searching…"}
        {state.kind === "done" &&
          (state.people.length === 0
            ? "Nobody matches."
            : `${state.people.length}${state.more ? "+" : ""} ${state.people.length === 1 ? "match" : "matches"}: choose one.`)}
      </div>
      {state.kind === "failed" && (
        <div role="alert" className="field-error">
          {state.message}{" "}
          <button type="button" className="button button-link" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      )}
      {state.kind === "done" && state.people.length > 0 && (
        <ul className="staff-filter-matches" aria-label="Matching staff">
          {state.people.map((person) => (
            <li key={person.id}>
              <button
                type="button"
                className="button button-link"
                onClick={() => onChoose({ id: person.id, name: fullName(person) })}
              >
                {fullName(person)}
                <span className="cell-sub"> {person.username}</span>
                {person.status === "inactive" ? " (inactive)" : ""}
              </button>
            </li>
          ))}
        </ul>
      )}
      {state.kind === "done" && state.more && <p className="field-hint">More people match: type more of the name.</p>}
    </div>
  );
}
