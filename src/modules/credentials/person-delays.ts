/**
 * Sign-in delays are keyed on the login as typed (password-attempt.ts), so a person's delays
 * live under each of their logins: the username and the primary email. What lifts them — an
 * unlock link, a reset — clears both; what asks about them asks about both.
 */
import { normalizeLogin, type StaffRow } from "../staff/index.js";
import { loginSubject, type LoginThrottle } from "../throttling/index.js";

type Person = Pick<StaffRow, "account_id" | "username" | "email">;

export function personLoginSubjects(person: Person): string[] {
  const logins = [person.username, ...(person.email ? [person.email] : [])];
  return logins.map((login) => loginSubject(person.account_id, normalizeLogin(login)));
}

export async function clearPersonDelays(throttle: LoginThrottle, person: Person): Promise<void> {
  for (const subject of personLoginSubjects(person)) await throttle.clear(subject);
}

/** A stranger's failures are slowing down one of the person's logins right now. */
export async function isPersonSlowedDown(throttle: LoginThrottle, person: Person): Promise<boolean> {
  for (const subject of personLoginSubjects(person)) {
    if ((await throttle.secondsToWait({ subject, ip: "" })) > 0) return true;
  }
  return false;
}
