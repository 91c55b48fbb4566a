import { GSM_SEGMENT_SEPTETS, gsmSeptets, toGsm } from "../messaging/index.js";

/**
 * The reset text: the business's name and the link, in one 160-character GSM segment. The name
 * is shortened (never the link) when both don't fit.
 */
export function resetLinkSms(businessName: string, link: string, validMinutes: number): string {
  const tail = ` password reset link (valid ${validMinutes} min): ${link}`;
  const room = GSM_SEGMENT_SEPTETS - (gsmSeptets(tail) ?? GSM_SEGMENT_SEPTETS);
  let name = toGsm(businessName).trim() || "Office Portal";
  while (name.length > 1 && (gsmSeptets(name) ?? Infinity) > room) name = `${name.slice(0, -2).trimEnd()}.`;
  return `${name}${tail}`;
}
