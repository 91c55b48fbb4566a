// The STAFF list on a narrow screen (a phone held upright): one card per person, in the list's
// order, instead of a table that would scroll sideways. Each card is a list item headed by the
// person's name, with their details as a description list and the same Edit / View button.
import type { ReactNode } from "react";
import { canEditStaff, fullName, type Me, type StaffListItem, type StaffSort } from "../api";
import { EyeIcon, PencilIcon } from "../components/Icons";
import type { PagedList } from "../hooks/usePagedList";
import { StaffBadges, StatusBadge } from "./StaffBadges";
import { Email, LastSignIn, Missing, SignInNote } from "./StaffListBits";

export function StaffCards({
  items,
  me,
  list,
  sort,
  onSort,
  onOpen,
  empty,
}: {
  items: readonly StaffListItem[];
  me: Me;
  list: Pick<PagedList<unknown, unknown>, "firstLoad" | "error" | "loading">;
  sort: StaffSort;
  onSort: (sort: StaffSort) => void;
  onOpen: (person: StaffListItem) => void;
  empty: ReactNode;
}) {
  return (
    <div className="staff-cards-wrap">
      <p className="staff-cards-sort">
        <button
          type="button"
          className="button button-secondary button-small"
          onClick={() => onSort(sort === "name" ? "-name" : "name")}
        >
          {sort === "name" ? "Sort Z to A" : "Sort A to Z"}
        </button>
      </p>
      {list.firstLoad ? (
        <p className="staff-cards-placeholder">Loading staff…</p>
      ) : items.length === 0 && list.error === null ? (
        <div className="staff-cards-placeholder">{empty}</div>
      ) : (
        <ul id="staff-table" className="staff-cards" aria-busy={list.loading}>
          {items.map((person) => (
            <StaffCard key={person.id} staff={person} me={me} onOpen={() => onOpen(person)} />
          ))}
        </ul>
      )}
    </div>
  );
}

function StaffCard({ staff, me, onOpen }: { staff: StaffListItem; me: Me; onOpen: () => void }) {
  const name = fullName(staff);
  const canEdit = canEditStaff(me);
  const headingId = `staff-card-${staff.id}`;
  return (
    <li className={staff.status === "inactive" ? "staff-card is-inactive" : "staff-card"} aria-labelledby={headingId}>
      <div className="staff-card-header">
        <h2 id={headingId} className="staff-card-name">
          {name}
          {staff.id === me.id && <span className="you"> (you)</span>}
        </h2>
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
      </div>
      <StaffBadges staff={staff} />
      <dl className="staff-card-details">
        <div>
          <dt>Username</dt>
          <dd>{staff.username}</dd>
        </div>
        <div>
          <dt>Email</dt>
          <dd>
            {staff.email ? <Email address={staff.email} /> : <Missing />}
            {staff.pendingEmail && (
              <span className="cell-note cell-note-wrap">
                Waiting for confirmation: <Email address={staff.pendingEmail} />
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>Mobile</dt>
          <dd>{staff.mobilePhone ?? <Missing />}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <StatusBadge status={staff.status} />
            <SignInNote staff={staff} />
          </dd>
        </div>
        <div>
          <dt>Last signed in</dt>
          <dd>
            <LastSignIn at={staff.lastSignedInAt} />
          </dd>
        </div>
      </dl>
    </li>
  );
}
