import { composeEmail, type ComposedEmail } from "../messaging/index.js";

export function resetLinkEmail(input: {
  businessName: string;
  firstName: string;
  username: string;
  link: string;
  validMinutes: number;
  requestedBy: "self" | "admin";
}): ComposedEmail {
  const why =
    input.requestedBy === "self"
      ? `Someone (we hope you) asked to reset the password of your Office Portal sign-in at ${input.businessName}.`
      : `An administrator at ${input.businessName} sent you a link to set a new password for your Office Portal sign-in.`;
  return composeEmail({
    businessName: input.businessName,
    subject: `Reset your ${input.businessName} Office Portal password`,
    blocks: [
      { kind: "paragraph", text: `Hi ${input.firstName},` },
      { kind: "paragraph", text: why },
      { kind: "facts", rows: [["Username", input.username]] },
      { kind: "button", label: "Choose a new password", url: input.link },
      {
        kind: "paragraph",
        text: `The link works once, for ${input.validMinutes} minutes. If you didn't ask for it, ignore this email: your password stays as it is.`,
      },
    ],
  });
}

export function ownerResetNoticeEmail(input: {
  businessName: string;
  firstName: string;
  supportContact: string;
  /** Present while the owner's sign-in is locked or slowed down by someone's wrong passwords. */
  unlockLink?: string | undefined;
}): ComposedEmail {
  return composeEmail({
    businessName: input.businessName,
    subject: `Password reset for the ${input.businessName} Business Owner`,
    blocks: [
      { kind: "paragraph", text: `Hi ${input.firstName},` },
      {
        kind: "paragraph",
        text: `Someone asked to reset the password of the Business Owner sign-in (admin) at ${input.businessName}. To protect your business, the Business Owner's password can't be reset by email.`,
      },
      ...(input.unlockLink
        ? [
            {
              kind: "paragraph" as const,
              text: "Your sign-in is locked or slowed down after many wrong passwords. If you still know your password, this link unlocks it (it changes no password, works once, for 24 hours):",
            },
            { kind: "button" as const, label: "Unlock my sign-in", url: input.unlockLink },
          ]
        : []),
      {
        kind: "paragraph",
        text: `If you can't sign in, Staffgate support will confirm that you own the business and recover the account with you: ${input.supportContact}`,
      },
      { kind: "paragraph", text: "If you didn't ask for this, you can ignore this email: nothing has changed." },
    ],
  });
}
