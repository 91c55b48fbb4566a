// Small pieces the STAFF list shows in its table and in its cards alike.
import type { StaffListItem } from "../api";

const whenFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** When the person last signed in, or "Never". */
export function LastSignIn({ at }: { at: string | null }) {
  if (at === null) return <span className="cell-note-plain">Never</span>;
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return <>{at}</>;
  return (
    <time dateTime={at} title={date.toString()}>
      {whenFormat.format(date)}
    </time>
  );
}

/** What stands between the person and signing in: no password yet, or a one-time one to replace. */
export function SignInNote({ staff }: { staff: StaffListItem }) {
  if (staff.status !== "active") return null;
  if (!staff.passwordSet) return <span className="cell-note">No password yet</span>;
  if (staff.mustChangePassword) return <span className="cell-note">Must change password</span>;
  return null;
}

/** Lets a long address wrap before the "@" rather than mid-word. */
export function Email({ address }: { address: string }) {
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

export function Missing() {
  return (
    <>
      <span aria-hidden="true" className="missing">
        —
      </span>
      <span className="visually-hidden">none</span>
    </>
  );
}
