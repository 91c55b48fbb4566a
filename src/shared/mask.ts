/** How a destination is shown to an admin: enough to recognise, not enough to learn it. */

export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return "•••";
  return `${email.slice(0, 1)}•••${email.slice(at)}`;
}

export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, "");
  return `(•••) •••-${digits.slice(-4).padStart(4, "•")}`;
}

/**
 * A number in E.164 form for the SMS provider, or undefined. Numbers stored without a country
 * code are taken as North American when they have 10 digits (or 11 starting with 1).
 */
export function toE164(phone: string): string | undefined {
  const trimmed = phone.trim();
  const digits = trimmed.replace(/\D/g, "");
  if (trimmed.startsWith("+")) return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : undefined;
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith("1")) return `+${digits}`;
  return undefined;
}
