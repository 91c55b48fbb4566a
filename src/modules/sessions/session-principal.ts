/**
 * The signed-in person as every request sees them: the staff columns a session carries, named
 * one by one (Lucia's session lookup selects only what a request needs). `has_password` (0/1)
 * stands in for the hash, which never rides on a request. Declared here, not taken from the staff
 * module, so that sessions depend on no module above them; staff's `StaffPrincipal` is this type.
 */
export interface SessionPrincipal {
  readonly id: string;
  readonly account_id: string;
  readonly username: string;
  readonly first_name: string;
  readonly last_name: string;
  readonly email: string | null;
  readonly pending_email: string | null;
  readonly email_verified: number;
  readonly mobile_phone: string | null;
  readonly sms_opt_in: number;
  readonly status: "active" | "inactive";
  readonly is_owner: number;
  readonly admin_full_access: number;
  /** JSON array of permission keys. */
  readonly permissions: string;
  readonly must_change_password: number;
  readonly has_password: number;
}
