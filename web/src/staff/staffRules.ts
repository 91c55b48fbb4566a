// Who may do what on the STAFF page, in the words the page uses. The server enforces all of it;
// these rules only decide which controls are offered and explain the ones that are not.
import { canEditStaff, hasAdminAccess, type AccountSettings, type Me, type Staff } from "../api";

export const OWNER_ONLY = "Only the Business Owner can change the Business Owner.";
export const ADMIN_ONLY_PASSWORDS = "Only staff with Admin Access (Full Permissions) can change passwords.";
export const ADMIN_ONLY_PERMISSIONS = "Only staff with Admin Access (Full Permissions) can change permissions.";
export const ADMIN_ONLY_ADMINS =
  "Only staff with Admin Access (Full Permissions) can change someone who has Admin Access.";
export const OWNER_ALWAYS_ADMIN = "The Business Owner always has Admin Access.";
export const OWNER_ALWAYS_ACTIVE = "The Business Owner is always active.";
export const ADMIN_INCLUDES_ALL = "Admin Access already includes every permission.";
export const NO_CREDITS_SUPPORT = "Staffgate support can add credits.";

/** A yes, or a no with the reason to show beside the control. */
export type Allowed = { ok: true } | { ok: false; reason: string };

const yes: Allowed = { ok: true };
const no = (reason: string): Allowed => ({ ok: false, reason });

export function isAdmin(person: Staff): boolean {
  return person.isOwner || person.adminFullAccess;
}

export function canChangeDetails(me: Me, target: Staff): Allowed {
  if (target.isOwner && !me.isOwner) return no(OWNER_ONLY);
  if (!canEditStaff(me)) {
    return no(
      `You can see ${target.firstName}'s details but not change them. That needs the “Add and edit staff” permission.`,
    );
  }
  if (isAdmin(target) && !hasAdminAccess(me)) return no(ADMIN_ONLY_ADMINS);
  return yes;
}

export function canChangeStatus(me: Me, target: Staff): Allowed {
  const details = canChangeDetails(me, target);
  if (!details.ok) return details;
  if (target.isOwner) return no(OWNER_ALWAYS_ACTIVE);
  return yes;
}

export function canChangePassword(me: Me, target: Staff): Allowed {
  if (!hasAdminAccess(me)) return no(ADMIN_ONLY_PASSWORDS);
  if (target.isOwner && !me.isOwner) return no(OWNER_ONLY);
  return yes;
}

export function canChangePermissions(me: Me, target: Staff): Allowed {
  if (!hasAdminAccess(me)) return no(ADMIN_ONLY_PERMISSIONS);
  if (target.isOwner && !me.isOwner) return no(OWNER_ONLY);
  return yes;
}

export { canEditStaff };

/** "jane@example.com" → "j•••@example.com": the first character and the domain only. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return "•••";
  return `${[...email][0] ?? ""}•••${email.slice(at)}`;
}

export interface ResetContext {
  me: Me;
  /** As saved on the server: links go to the saved address and number. */
  staff: Staff;
  settings: AccountSettings | null;
  /** The form holds unsaved changes to the email address, or to the mobile number or SMS consent. */
  unsavedEmail: boolean;
  unsavedSms: boolean;
}

function commonResetRule({ me, staff }: ResetContext): Allowed {
  const password = canChangePassword(me, staff);
  if (!password.ok) return password;
  if (staff.status !== "active") {
    return no(`${staff.firstName} is inactive. Reset links can only be sent to active staff.`);
  }
  return yes;
}

export function canSendResetEmail(context: ResetContext): Allowed {
  const common = commonResetRule(context);
  if (!common.ok) return common;
  const { staff } = context;
  if (context.unsavedEmail) return no("Save the new email address first.");
  if (!staff.email) return no(`${staff.firstName} has no email address. Add one and save first.`);
  return yes;
}

/** In the order the server checks them, so the reason shown is the one the server would give. */
export function canSendResetSms(context: ResetContext): Allowed {
  const common = commonResetRule(context);
  if (!common.ok) return common;
  const { staff, settings } = context;
  if (settings && !settings.smsVoiceEnabled) {
    return no("SMS/Voice messaging is turned off for this business. It can be turned on in Settings.");
  }
  if (context.unsavedSms) return no("Save the changes to the mobile number and text messages first.");
  if (!staff.mobilePhone) return no(`${staff.firstName} has no mobile phone number.`);
  if (!staff.smsOptIn) return no(`${staff.firstName} hasn't agreed to receive text messages (SMS).`);
  if (settings && settings.smsCredits <= 0) return no(`No SMS credits left. ${NO_CREDITS_SUPPORT}`);
  return yes;
}

export function creditsText(credits: number): string {
  return `${credits} ${credits === 1 ? "credit" : "credits"}`;
}

const FIELD_LABELS: Record<string, string> = {
  username: "Username",
  firstName: "First name",
  lastName: "Last name",
  email: "Email",
  mobilePhone: "Mobile phone",
  smsOptIn: "Text messages",
  status: "Status",
};

/** A sentence from a field's short server phrase ("already in use", "a valid email address", …). */
export function fieldMessage(field: string, phrase: string): string {
  const label = FIELD_LABELS[field] ?? field;
  const lower = label.toLowerCase();
  const text = phrase.trim();
  if (text === "already in use") return `Another staff member already uses this ${lower}.`;
  if (text.startsWith("required")) {
    const rest = text.replace(/^required,?\s*/, "");
    return rest ? `Enter the ${lower} (${rest}).` : `Enter the ${lower}.`;
  }
  if (/^an? /.test(text)) return `Enter ${text}.`;
  if (/^\d/.test(text)) return `Use ${text}.`;
  return `${label}: ${text}.`;
}

/** `details.fields` of a validation_failed or conflict answer, as sentences by field. */
export function fieldMessages(details: Readonly<Record<string, unknown>>): Record<string, string> {
  const fields = details.fields;
  if (typeof fields !== "object" || fields === null) return {};
  return Object.fromEntries(
    Object.entries(fields).map(([field, phrase]) => [
      field,
      fieldMessage(field, typeof phrase === "string" ? phrase : "is not valid"),
    ]),
  );
}

export const USERNAME_PATTERN = /^[\p{L}\p{N}._-]{2,40}$/u;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_PATTERN = /^\+?[0-9 ().-]{7,24}$/;

export interface DetailsValues {
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  mobilePhone: string;
  smsOptIn: boolean;
}

/** What the browser can tell before asking the server (which checks the same and more). */
export function detailsProblems(values: DetailsValues): Record<string, string> {
  const problems: Record<string, string> = {};
  const username = values.username.trim();
  if (username === "") problems.username = "Enter a username.";
  else if (!USERNAME_PATTERN.test(username)) {
    problems.username = "Use 2–40 letters, digits, dots, hyphens or underscores (no spaces).";
  }
  if (values.firstName.trim() === "") problems.firstName = "Enter the first name.";
  if (values.lastName.trim() === "") problems.lastName = "Enter the last name.";
  const email = values.email.trim();
  if (email !== "" && !EMAIL_PATTERN.test(email)) problems.email = "Enter a valid email address, or leave it empty.";
  const phone = values.mobilePhone.trim();
  if (phone !== "" && !PHONE_PATTERN.test(phone)) {
    problems.mobilePhone = "Enter a phone number such as +1 415 555 0100, or leave it empty.";
  }
  return problems;
}

export const DETAILS_FIELD_ORDER = ["username", "firstName", "lastName", "email", "mobilePhone"] as const;
