import { useEffect, useMemo, useState } from "react";
import { api, hasAdminAccess, type Account, type AuditEvent, type AuditQuery, type Me, type Permission } from "../api";
import { ACTION_GROUPS, describeActor, describeEvent, detailLines, sourceName } from "../audit/auditText";
import { StaffFilter, type ChosenStaff } from "../audit/StaffFilter";
import { LoadError, LoadMore, PlaceholderRows, ToolbarField, WhenCell } from "../components/PagedTable";
import { PageHeading } from "../components/PageHeading";
import { SignedInPage } from "../components/SignedInPage";
import { describeError } from "../errors";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { usePagedList } from "../hooks/usePagedList";

const PAGE_SIZE = 50;

const ADMIN_ONLY = "Only staff with Admin Access (Full Permissions) can see the audit log.";

/** /a/{account}/audit: who did what, newest first (Admin Access). */
export function AuditLogPage({ slug }: { slug: string }) {
  return <SignedInPage slug={slug}>{(account, me) => <AuditLog account={account} me={me} />}</SignedInPage>;
}

function AuditLog({ account, me }: { account: Account; me: Me }) {
  useDocumentTitle(`Audit log · ${account.name}`);
  const [forbidden, setForbidden] = useState(false);
  if (!hasAdminAccess(me) || forbidden) {
    return (
      <div className="narrow">
        <PageHeading>Audit log</PageHeading>
        <p className="message message-info">{ADMIN_ONLY}</p>
      </div>
    );
  }
  return <AuditEvents account={account} onForbidden={() => setForbidden(true)} />;
}

interface Filters {
  action: string;
  staff: ChosenStaff | null;
  /** yyyy-mm-dd from the date inputs, or "". */
  from: string;
  to: string;
}

const NO_FILTERS: Filters = { action: "", staff: null, from: "", to: "" };

/** A date input's value as the start of that day in the browser's time zone. */
function startOfDay(value: string, addDays = 0): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + addDays);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** `to` is exclusive on the server: "to 3 May" means until the start of 4 May. */
function toQuery(filters: Filters): AuditQuery | { error: string } {
  const from = startOfDay(filters.from);
  const to = startOfDay(filters.to, 1);
  if (from && to && from >= to) return { error: "The “From” date is after the “To” date." };
  return {
    ...(filters.action ? { action: filters.action } : {}),
    ...(filters.staff ? { staffId: filters.staff.id } : {}),
    ...(from ? { from: from.toISOString() } : {}),
    ...(to ? { to: to.toISOString() } : {}),
  };
}

const clockFormat = new Intl.DateTimeFormat(undefined, { timeStyle: "medium" });
const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
const formatTime = (date: Date) => timeFormat.format(date);

function AuditEvents({ account, onForbidden }: { account: Account; onForbidden: () => void }) {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [catalogue, setCatalogue] = useState<Permission[]>([]);

  const query = useMemo(() => toQuery(filters), [filters]);
  const list = usePagedList<AuditEvent, AuditQuery>({
    slug: account.slug,
    query: "error" in query ? null : query,
    fetchPage: (shown, cursor, signal) =>
      api.listAuditEvents(account.slug, { ...shown, limit: PAGE_SIZE, cursor }, signal),
    onForbidden,
  });

  useEffect(() => {
    const controller = new AbortController();
    api
      .getPermissionCatalogue(controller.signal)
      .then(setCatalogue)
      .catch(() => {});
    return () => controller.abort();
  }, [account.slug]);

  const permissionLabel = useMemo(() => {
    const labels = new Map(catalogue.map((permission) => [permission.key, permission.label]));
    return (key: string) => labels.get(key) ?? key;
  }, [catalogue]);

  function set<K extends keyof Filters>(key: K, value: Filters[K]) {
    setFilters((previous) => ({ ...previous, [key]: value }));
  }

  const filtered = filters.action !== "" || filters.staff !== null || filters.from !== "" || filters.to !== "";
  const { page, error } = list;
  const items = page?.items ?? [];
  const dateError = "error" in query ? query.error : null;

  return (
    <div className="audit-page">
      <div className="page-header">
        <div>
          <PageHeading>Audit log</PageHeading>
          <p className="lead">
            Who did what in the {account.name} Office Portal, newest first. Times are in your time zone.
          </p>
        </div>
      </div>

      <div role="search" aria-label="Filter the audit log" className="toolbar toolbar-wrap">
        <ToolbarField id="audit-action" label="What happened">
          <select id="audit-action" value={filters.action} onChange={(event) => set("action", event.target.value)}>
            <option value="">Everything</option>
            {ACTION_GROUPS.map((group) => (
              <optgroup key={group.label} label={group.label}>
                {group.actions.map(([action, name]) => (
                  <option key={action} value={action}>
                    {name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </ToolbarField>
        <StaffFilter slug={account.slug} chosen={filters.staff} onChoose={(person) => set("staff", person)} />
        <DateFilter
          id="audit-from"
          label="From"
          value={filters.from}
          max={filters.to}
          onChange={(value) => set("from", value)}
          invalid={dateError !== null}
        />
        <DateFilter
          id="audit-to"
          label="To"
          value={filters.to}
          min={filters.from}
          onChange={(value) => set("to", value)}
          invalid={dateError !== null}
        />
        {filtered && (
          <div className="toolbar-end">
            <button type="button" className="button button-link" onClick={() => setFilters(NO_FILTERS)}>
              Clear filters
            </button>
          </div>
        )}
      </div>
      {dateError && (
        <div id="audit-date-error" role="alert" className="field-error toolbar-error">
          {dateError}
        </div>
      )}

      <p className="list-summary" role="status">
        {list.firstLoad
          ? "Loading the audit log…"
          : page
            ? items.length === 0
              ? filtered
                ? "Nothing matches these filters."
                : "Nothing has been recorded yet."
              : `Showing ${page.nextCursor ? "the latest " : ""}${items.length} ${items.length === 1 ? "event" : "events"}${filtered ? " matching the filters" : ""}.`
            : ""}
      </p>

      {error !== null && (
        <LoadError retry={list.reload}>The audit log couldn't be loaded. {describeError(error)}</LoadError>
      )}

      <div className="table-wrap">
        <table className="data-table audit-table" aria-busy={list.loading}>
          <caption className="visually-hidden">Audit log of {account.name}, newest first</caption>
          <thead>
            <tr>
              <th scope="col" className="cell-when">
                When
              </th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Target</th>
              <th scope="col">Source</th>
              <th scope="col" className="wide-only">
                IP
              </th>
            </tr>
          </thead>
          <tbody>
            <PlaceholderRows
              list={list}
              columns={6}
              loading="Loading the audit log…"
              empty={
                <div className="empty-state">
                  {filtered ? (
                    <>
                      <p>Nothing matches these filters.</p>
                      <p className="empty-actions">
                        <button type="button" className="button button-link" onClick={() => setFilters(NO_FILTERS)}>
                          Clear filters
                        </button>
                      </p>
                    </>
                  ) : (
                    <p>Nothing has been recorded yet.</p>
                  )}
                </div>
              }
            />
            {items.map((event) => (
              <AuditRow key={event.id} event={event} permissionLabel={permissionLabel} />
            ))}
          </tbody>
        </table>
      </div>

      <LoadMore list={list} label="Load more events" failed="Older events couldn't be loaded." />
    </div>
  );
}

/** A date input of the toolbar; `min` and `max` are "" or yyyy-mm-dd. */
function DateFilter({
  id,
  label,
  value,
  min = "",
  max = "",
  onChange,
  invalid,
}: {
  id: string;
  label: string;
  value: string;
  min?: string;
  max?: string;
  onChange: (value: string) => void;
  /** The two dates contradict each other (see "audit-date-error"). */
  invalid: boolean;
}) {
  return (
    <ToolbarField id={id} label={label} className="field-date">
      <input
        id={id}
        type="date"
        value={value}
        min={min || undefined}
        max={max || undefined}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={invalid ? "audit-date-error" : undefined}
      />
    </ToolbarField>
  );
}

function AuditRow({ event, permissionLabel }: { event: AuditEvent; permissionLabel: (key: string) => string }) {
  const lines = detailLines(event.details, formatTime, permissionLabel);
  return (
    <tr>
      <WhenCell at={event.at} clockFormat={clockFormat} />
      <td>{describeActor(event)}</td>
      <td className="cell-what">
        <span className="event-sentence">{describeEvent(event, permissionLabel)}</span>
        {lines.length > 0 && (
          <details className="event-details">
            <summary>Details</summary>
            <dl>
              {lines.map((line) => (
                <div key={line.key} className="detail-line">
                  <dt>{line.key}:</dt> <dd>{line.value}</dd>
                </div>
              ))}
            </dl>
          </details>
        )}
      </td>
      <td>{event.target?.name ?? <span className="missing">—</span>}</td>
      <td>
        {sourceName(event.source)}
        {/* On narrow screens the IP column folds into this cell. */}
        {event.ip && (
          <span className="cell-sub narrow-only">
            <span className="visually-hidden">IP: </span>
            {event.ip}
          </span>
        )}
      </td>
      <td className="cell-ip wide-only">{event.ip ?? <span className="missing">—</span>}</td>
    </tr>
  );
}
