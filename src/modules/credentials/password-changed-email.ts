import { composeEmail, type ComposedEmail } from "../messaging/index.js";

/** "Your password was changed": when, from where, how, and what to do if it wasn't them. */
export function passwordChangedEmail(input: {
  businessName: string;
  firstName: string;
  username: string;
  isOwner: boolean;
  at: number;
  ip: string | null;
  how: string;
  supportContact: string;
}): ComposedEmail {
  const ifNotYou = input.isOwner
    ? `If you did not make this change, contact Staffgate support at once: ${input.supportContact}`
    : `If you did not make this change, tell your manager or ${input.businessName}'s Business Owner at once, and ask them to reset your password.`;
  return composeEmail({
    businessName: input.businessName,
    subject: `Your ${input.businessName} Office Portal password was changed`,
    blocks: [
      { kind: "paragraph", text: `Hi ${input.firstName},` },
      {
        kind: "paragraph",
        text: `The password of your Office Portal sign-in at ${input.businessName} was just changed, and every session of yours was signed out.`,
      },
      {
        kind: "facts",
        rows: [
          ["Username", input.username],
          ["When", new Date(input.at).toUTCString()],
          ["From IP address", input.ip ?? "unknown"],
          ["How", input.how],
        ],
      },
      { kind: "paragraph", text: ifNotYou },
    ],
  });
}
