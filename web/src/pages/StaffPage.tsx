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
  type StaffListItem,
  type StaffSort,
  type StaffStatusFilter,
} from "../api";
import { EyeIcon, PencilIcon } from "../components/Icons";
import { LoadError, LoadMore, PlaceholderRows, ToolbarField } from "../components/PagedTable";
import { PageHeading } from "../components/PageHeading";
import { SignedInPage } from "../components/SignedInPage";
import { describeError } from "../errors";
import { useDebouncedValue } from "../hooks/useDebouncedValue";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { useMediaQuery } from "../staff/useMediaQuery";
import { usePagedList } from "../hooks/usePagedList";
import { AddStaffDialog } from "../staff/AddStaffDialog";
import { StaffBadges, StatusBadge } from "../staff/StaffBadges";
import { StaffCards } from "../staff/StaffCards";
import { StaffEditDialog } from "../staff/StaffEditDialog";
import { Email, LastSignIn, Missing, SignInNote } from "../staff/StaffListBits";

const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 300;
/** Narrower than this, the list is a column of cards (a phone held upright), not a table. */
const CARDS_QUERY = "(max-width: 40rem)";

const SORT_WORDS: Record<StaffSort, string> = {
  name: "Sorted by last name, A to Z.",
  "-name": "Sorted by last name, Z to A.",
};

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
  sort: StaffSort;
}

function StaffDirectory({ account, me, onForbidden }: { account: Account; me: Me; onForbidden: () => void }) {
  const [search, setSearch] = useState("");
  const searchTerm = useDebouncedValue(search.trim(), SEARCH_DELAY_MS);
  const [status, setStatus] = useState<StaffStatusFilter>("active");
  const [sort, setSort] = useState<StaffSort>("name");
  const cards = useMediaQuery(CARDS_QUERY);
  const [catalogue, setCatalogue] = useState<Permission[] | null>(null);
  const [catalogueError, setCatalogueError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Staff | null>(null);
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const canAdd = canEditStaff(me);

  const query: StaffQuery = { search: searchTerm, status, sort };
  const list = usePagedList<StaffListItem, StaffQuery>({
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

  function added(_staff: Staff, message: string) {
    setAdding(false);
    setNotice(message);
    list.reload();
  }

  /** The "was added" notice is about the last action: the next one clears it. */
  function act(action: () => void) {
    setNotice(null);
    action();
  }

  function open(person: StaffListItem) {
    act(() => setEditing(person));
  }

  /** The edit window's answer is a `Staff`; the list keeps what only it knows (the last sign-in). */
  function changed(updated: Staff) {
    const before = list.page?.items.find((item) => item.id === updated.id);
    list.replaceItem({ ...updated, lastSignedInAt: before?.lastSignedInAt ?? null });
  }

  const { page, error } = list;
  const items = page?.items ?? [];
  const emptyState = (
    <EmptyState
      status={shown.status}
      search={shown.search}
      onClear={() => act(() => setSearch(""))}
      onShowAll={() => act(() => setStatus("all"))}
    />
  );

  return (
    <div className="staff-page">
      <div className="page-header">
        <div>
          <PageHeading>Staff</PageHeading>
          <p className="lead">Everyone who can sign in to the {account.name} Office Portal.</p>
        </div>
        {canAdd && (
          <button type="button" className="button button-primary" onClick={() => act(() => setAdding(true))}>
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
            onChange={(event) => act(() => setSearch(event.target.value))}
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
            onChange={(event) => act(() => setStatus(event.target.value as StaffStatusFilter))}
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
            ? `${summary(items.length, page.nextCursor !== null, shown.status, shown.search)} ${SORT_WORDS[shown.sort]}`
            : ""}
      </p>

      {error !== null && (
        <LoadError retry={list.reload}>The staff list couldn't be loaded. {describeError(error)}</LoadError>
      )}

      {cards ? (
        <StaffCards
          items={items}
          me={me}
          list={list}
          sort={sort}
          onSort={(next) => act(() => setSort(next))}
          onOpen={open}
          empty={emptyState}
        />
      ) : (
        <div className="table-wrap">
          <table id="staff-table" className="data-table staff-table" aria-busy={list.loading}>
            <caption className="visually-hidden">Staff of {account.name}</caption>
            <thead>
              <tr>
                <th scope="col" className="cell-action">
                  <span className="visually-hidden">Edit</span>
                </th>
                <th scope="col" aria-sort={sort === "name" ? "ascending" : "descending"}>
                  <SortButton sort={sort} onSort={(next) => act(() => setSort(next))} />
                </th>
                <th scope="col" className="wide-only">
                  Username
                </th>
                <th scope="col">Email</th>
                <th scope="col">Mobile</th>
                <th scope="col">Status</th>
                <th scope="col">Last signed in</th>
              </tr>
            </thead>
            <tbody>
              <PlaceholderRows list={list} columns={7} loading="Loading staff…" empty={emptyState} />
              {items.map((person) => (
                <StaffRow key={person.id} staff={person} me={me} onOpen={() => open(person)} />
              ))}
            </tbody>
          </table>
        </div>
      )}

      <LoadMore
        list={{
          ...list,
          loadMore: () => {
            setNotice(null);
            return list.loadMore();
          },
        }}
        label="Load more staff"
        failed="More staff couldn't be loaded."
      />

      {adding && (
        <AddStaffDialog
          account={account}
          me={me}
          catalogue={catalogue}
          catalogueError={catalogueError}
          onAdded={added}
          onClose={() => setAdding(false)}
        />
      )}
      {editing && (
        <StaffEditDialog
          key={editing.id}
          account={account}
          me={me}
          staff={editing}
          catalogue={catalogue}
          catalogueError={catalogueError}
          onChanged={changed}
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

/** The Name column's header: the list's order, and the button that turns it round. */
function SortButton({ sort, onSort }: { sort: StaffSort; onSort: (sort: StaffSort) => void }) {
  return (
    <button type="button" className="sort-button" onClick={() => onSort(sort === "name" ? "-name" : "name")}>
      Name
      <span className="sort-order" aria-hidden="true">
        {sort === "name" ? " A–Z ↓" : " Z–A ↑"}
      </span>
      <span className="visually-hidden">, sorted by last name {sort === "name" ? "A to Z" : "Z to A"}. Reverse</span>
    </button>
  );
}

function StaffRow({ staff, me, onOpen }: { staff: StaffListItem; me: Me; onOpen: () => void }) {
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
        <SignInNote staff={staff} />
      </td>
      <td className="cell-when">
        <LastSignIn at={staff.lastSignedInAt} />
      </td>
    </tr>
  );
}
