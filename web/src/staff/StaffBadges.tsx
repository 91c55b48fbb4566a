import type { Staff } from "../api";

/** "Owner" for the Business Owner, "Admin" for Admin Access; optionally the status. */
export function StaffBadges({ staff, withStatus = false }: { staff: Staff; withStatus?: boolean }) {
  return (
    <span className="badges">
      {staff.isOwner && (
        <span className="badge badge-owner" title="Business Owner">
          Owner
        </span>
      )}
      {(staff.isOwner || staff.adminFullAccess) && (
        <span className="badge badge-admin" title="Admin Access (Full Permissions)">
          Admin
        </span>
      )}
      {withStatus && <StatusBadge status={staff.status} />}
    </span>
  );
}

export function StatusBadge({ status }: { status: Staff["status"] }) {
  return <span className={`badge badge-status badge-${status}`}>{status === "active" ? "Active" : "Inactive"}</span>;
}
