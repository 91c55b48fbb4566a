// Where a person's email stands (shared/API.md v2, email verification): an address someone types
// for themselves takes effect only once they open the link sent to it, so until then the old one
// still receives reset links. Shown on the Details tab, the STAFF list and the home page.
import type { Staff } from "../api";
import { CheckIcon } from "../components/Icons";

type EmailFacts = Pick<Staff, "email" | "pendingEmail" | "emailVerified" | "firstName">;

/** A confirmed email in force, and nothing waiting to replace it. */
export function isConfirmedEmail(person: EmailFacts): boolean {
  return person.email !== null && person.emailVerified && person.pendingEmail === null;
}

/** The small "Verified" mark beside a confirmed address. */
export function VerifiedMark() {
  return (
    <span className="verified-mark">
      <CheckIcon />
      Verified
    </span>
  );
}

/**
 * Under the email: the address waiting for confirmation and where reset links go meanwhile, or
 * "Verified". Nothing for an address that was never confirmed (older staff records).
 */
export function EmailStatus({ person, isSelf }: { person: EmailFacts; isSelf: boolean }) {
  const { email, pendingEmail } = person;
  if (pendingEmail !== null) {
    return (
      <p className="email-pending">
        Waiting for confirmation: <strong className="identity">{pendingEmail}</strong>.{" "}
        {email ? (
          <>
            Reset links go to <strong className="identity">{email}</strong> until it's confirmed.
          </>
        ) : (
          "Until it's confirmed, there's no email for reset links."
        )}{" "}
        {isSelf
          ? "Open the link we emailed to the new address to confirm it."
          : `${person.firstName} confirms it by opening the link we emailed to the new address.`}
      </p>
    );
  }
  return isConfirmedEmail(person) ? <VerifiedMark /> : null;
}
