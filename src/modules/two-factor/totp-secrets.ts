/**
 * Authenticator secrets are sealed at rest like outbox bodies (shared/secret-box.ts, the same
 * keys), bound to their subject: a secret copied to another person's row doesn't open.
 */
import type { Executor } from "../../db/database.js";
import type { SecretBox } from "../../shared/secret-box.js";
import type { TotpFactorRow } from "./two-factor.table.js";

const context = (subject: string) => JSON.stringify(["totp", subject]);

export function sealTotpSecret(box: SecretBox, subject: string, secretBase32: string): string {
  return box.seal(secretBase32, context(subject));
}

export function openTotpSecret(box: SecretBox, factor: Pick<TotpFactorRow, "subject" | "sealed_secret">): string {
  return box.open(factor.sealed_secret, context(factor.subject));
}

export async function resealTotpSecret(
  db: Executor,
  box: SecretBox,
  subject: string,
  secretBase32: string,
): Promise<void> {
  await db
    .updateTable("totp_factors")
    .set({ sealed_secret: sealTotpSecret(box, subject, secretBase32) })
    .where("subject", "=", subject)
    .execute();
}
