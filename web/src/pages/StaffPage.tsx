import { useEffect, useState } from "react";
import {
  api,
  canEditStaff,
  canViewStaff,
  fullName,
  isAbortError,
  type Account,
  type Me,
  type Permission,
  type Staff,
  type StaffStatusFilter,
} from "../api";
import { EyeIcon, PencilIcon } from "../components/Icons";
import { LoadError, LoadMore, PlaceholderRows, ToolbarField } from "../components/PagedTable";
import { PageHeading } from "../components/PageHeading";
import { SignedInPage } from "../components/SignedInPage";
import { describeError } from "../errors";
import { useDebouncedValue } from "../hooks/useDebouncedValue";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { usePagedList } from "../hooks/usePagedList";
import { AddStaffDialog } from "../staff/AddStaffDialog";
import { StaffBadges, StatusBadge } from "../staff/StaffBadges";
import { StaffEditDialog } from "../staff/StaffEditDialog";

const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 300;

/** /a/{account}/staff: the STAFF page. */
export function StaffPage({ slug }: { slug: string }) {
  return <SignedInPage slug={slug}>{(account, me) => <StaffScreen account={account} me={me} />}</SignedInPage>;
}

function StaffScreen({ account, me }: { account: Account; me: Me }) {
  useDocumentTitle(`Staff · ${account.name}`);
  const [forbidden, setForbidden] = useState(false);
  if (!canViewStaff(me) || forbidden) return <NoAccess />;
  return <StaffDirectory account={account} me={me} onForbidden={() => setForbidden(true)} />;
}

function NoAccess() {
  return (
    <div className="narrow">
      <PageHeading>Staff</PageHeading>
      <div className="message message-info">
        <p>You don't have access to the staff list.</p>
        <p className="last">
          Seeing staff needs the “View staff” permission. Ask the Business Owner or someone with Admin Access (Full
          Permissions) to give it to you.
        </p>
      </div>
    </div>
  );
}

const statusWords: Record<StaffStatusFilter, string> = { active: "active", inactive: "inactive", all: "" };

function summary(count: number, more: boolean, status: StaffStatusFilter, search: string): string {
  const kind = statusWords[status];
  const noun = `${kind ? `${kind} ` : ""}staff ${count === 1 ? "member" : "members"}`;
  if (count === 0) {
    return search ? `No ${kind ? `${kind} ` : ""}staff match “${search}”.` : `No ${kind ? `${kind} ` : ""}staff.`;
  }
  const matching = search ? ` matching “${search}”` : "";
  return more ? `Showing the first ${count} ${noun}${matching}.` : `Showing ${count} ${noun}${matching}.`;
}

interface StaffQuery {
  search: string;
  status: StaffStatusFilter;
}

function StaffDirectory({ account, me, onForbidden }: { account: Account; me: Me; onForbidden: () => void }) {
  const [search, setSearch] = useState("");
  const searchTerm = useDebouncedValue(search.trim(), SEARCH_DELAY_MS);
  const [status, setStatus] = useState<StaffStatusFilter>("active");
  const [catalogue, setCatalogue] = useState<Permission[] | null>(null);
  const [catalogueError, setCatalogueError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Staff | null>(null);
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const canAdd = canEditStaff(me);

  const query: StaffQuery = { search: searchTerm, status };
  const list = usePagedList<Staff, StaffQuery>({
    slug: account.slug,
    query,
    fetchPage: (shown, cursor, signal) => api.listStaff(account.slug, { ...shown, limit: PAGE_SIZE, cursor }, signal),
    onForbidden,
  });
  // What the list shows: the search and filter it was loaded for.
  const shown = list.shownQuery ?? query;

  useEffect(() => {
    const controller = new AbortController();
    api
      .getPermissionCatalogue(controller.signal)
      .then(setCatalogue)
      .catch((caught: unknown) => {
        if (!isAbortError(caught)) setCatalogueError(caught);
      });
    return () => controller.abort();
  }, []);

  function added(staff: Staff) {
    setAdding(false);
    setNotice(
      `${fullName(staff)} was added. To let them sign in, open Edit next to their name and set a password or send a reset link.`,
    );
    list.reload();
  }

  const { page, error } = list;
  const items = page?.items ?? [];

  return (
    <div className="staff-page">
      <div className="page-header">
        <div>
          <PageHeading>Staff</PageHeading>
          <p className="lead">Everyone who can sign in to the {account.name} Office Portal.</p>
        </div>
        {canAdd && (
          <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
            Add staff
          </button>
        )}
      </div>

      <div role="status" className="page-status">
        {notice && <p className="message message-notice">{notice}</p>}
      </div>

      <div role="search" className="toolbar" aria-label="Find staff">
        <ToolbarField id="staff-search" label="Search" className="toolbar-search">
          <input
            id="staff-search"
            type="search"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            placeholder="Name, username or email"
            autoComplete="off"
            spellCheck={false}
            aria-controls="staff-table"
          />
        </ToolbarField>
        <ToolbarField id="staff-status" label="Show" className="toolbar-filter">
          <select
            id="staff-status"
            value={status}
            onChange={(event) => setStatus(event.target.value as StaffStatusFilter)}
            aria-controls="staff-table"
          >
            <option value="active">Active staff</option>
            <option value="inactive">Inactive staff</option>
            <option value="all">All staff</option>
          </select>
        </ToolbarField>
      </div>

      <p className="list-summary" role="status">
        {list.firstLoad
          ? "Loading staff…"
          : page
            ? summary(items.length, page.nextCursor !== null, shown.status, shown.search)
            : ""}
      </p>

      {error !== null && (
        <LoadError retry={list.reload}>The staff list couldn't be loaded. {describeError(error)}</LoadError>
      )}

      <div className="table-wrap">
        <table id="staff-table" className="data-table staff-table" aria-busy={list.loading}>
          <caption className="visually-hidden">Staff of {account.name}</caption>
          <thead>
            <tr>
              <th scope="col" className="cell-action">
                <span className="visually-hidden">Edit</span>
              </th>
              <th scope="col">Name</th>
              <th scope="col" className="wide-only">
                Username
              </th>
              <th scope="col">Email</th>
              <th scope="col">Mobile</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            <PlaceholderRows
              list={list}
              columns={6}
              loading="Loading staff…"
              empty={
                <EmptyState
                  status={shown.status}
                  search={shown.search}
                  onClear={() => setSearch("")}
                  onShowAll={() => setStatus("all")}
                />
              }
            />
            {items.map((person) => (
              <StaffRow
                key={person.id}
                staff={person}
                me={me}
                onOpen={() => {
                  setNotice(null);
                  setEditing(person);
                }}
              />
            ))}
          </tbody>
        </table>
      </div>

      <LoadMore list={list} label="Load more staff" failed="More staff couldn't be loaded." />

      {adding && <AddStaffDialog slug={account.slug} onAdded={added} onClose={() => setAdding(false)} />}
      {editing && (
        <StaffEditDialog
          key={editing.id}
          account={account}
          me={me}
          staff={editing}
          catalogue={catalogue}
          catalogueError={catalogueError}
          onChanged={list.replaceItem}
          onClose={() => setEditing(null)}
          returnFocus={() => document.querySelector<HTMLElement>(`[data-staff-edit="${CSS.escape(editing.id)}"]`)}
        />
      )}
    </div>
  );
}

function EmptyState({
  status,
  search,
  onClear,
  onShowAll,
}: {
  status: StaffStatusFilter;
  search: string;
  onClear: () => void;
  onShowAll: () => void;
}) {
  if (search) {
    return (
      <div className="empty-state">
        <p>
          Nobody {status === "all" ? "" : `${statusWords[status]} `}matches “{search}”.
        </p>
        <p className="empty-actions">
          <button type="button" className="button button-link" onClick={onClear}>
            Clear the search
          </button>
          {status !== "all" && (
            <button type="button" className="button button-link" onClick={onShowAll}>
              Search all staff
            </button>
          )}
        </p>
      </div>
    );
  }
  if (status === "inactive") {
    return (
      <div className="empty-state">
        <p>No inactive staff. People you make inactive appear here; they can't sign in until they're active again.</p>
      </div>
    );
  }
  return (
    <div className="empty-state">
      <p>No staff yet.</p>
    </div>
  );
}

function StaffRow({ staff, me, onOpen }: { staff: Staff; me: Me; onOpen: () => void }) {
  const name = fullName(staff);
  const canEdit = canEditStaff(me);
  return (
    <tr className={staff.status === "inactive" ? "is-inactive" : undefined}>
      <td className="cell-action">
        <button
          type="button"
          className="icon-button"
          aria-label={canEdit ? `Edit ${name}` : `View ${name}`}
          title={canEdit ? `Edit ${name}` : `View ${name}`}
          data-staff-edit={staff.id}
          onClick={onOpen}
        >
          {canEdit ? <PencilIcon /> : <EyeIcon />}
        </button>
      </td>
      <th scope="row" className="cell-name">
        <span className="staff-name">{name}</span>
        {staff.id === me.id && <span className="you"> (you)</span>}
        <StaffBadges staff={staff} />
        {/* On narrow screens the Username column folds into this cell. */}
        <span className="cell-sub narrow-only">
          <span className="visually-hidden">Username: </span>
          {staff.username}
        </span>
      </th>
      <td className="cell-username wide-only">{staff.username}</td>
      <td className="cell-email">
        {staff.email ? <Email address={staff.email} /> : <Missing />}
        {staff.pendingEmail && (
          <span className="cell-note cell-note-wrap">
            Waiting for confirmation: <Email address={staff.pendingEmail} />
          </span>
        )}
      </td>
      <td className="cell-phone">{staff.mobilePhone ?? <Missing />}</td>
      <td className="cell-status">
        <StatusBadge status={staff.status} />
        {staff.status === "active" && !staff.passwordSet && <span className="cell-note">No password yet</span>}
      </td>
    </tr>
  );
}

/** Lets a long address wrap before the "@" rather than mid-word. */
function Email({ address }: { address: string }) {
  const at = address.lastIndexOf("@");
  if (at <= 0) return address;
  return (
    <>
      {address.slice(0, at)}
      <wbr />
      {address.slice(at)}
    </>
  );
}

function Missing() {
  return (
    <>
      <span aria-hidden="true" className="missing">
        —
      </span>
      <span className="visually-hidden">none</span>
    </>
  );
}
