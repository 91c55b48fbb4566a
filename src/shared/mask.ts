/** How a destination is shown to an admin: enough to recognise, not enough to learn it. */
import { DEFAULT_COUNTRY, callingCodeOf, parsePhone } from "./phone.js";

export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return "•••";
  return `${email.slice(0, 1)}•••${email.slice(at)}`;
}

/** Every digit but the last four hidden; spacing and punctuation kept, so the number keeps its shape. */
function hideAllButLastFour(formatted: string): string {
  const digits = formatted.replace(/\D/g, "").length;
  let seen = 0;
  return formatted.replace(/\d/g, (digit) => (++seen > digits - 4 ? digit : "•"));
}

/**
 * A number in its own country's written form with all but the last four digits hidden: a US
 * number as `(•••) •••-0100`, a UK mobile as `••••• ••0123`. A number of another country than
 * the business's keeps its country code (`+44 •••• ••0123`), so an admin sees where it goes.
 * Numbers stored without a "+" are read as the business's; what can't be read shows its last four.
 */
export function maskPhone(phone: string, businessCountry: string = DEFAULT_COUNTRY): string {
  const number = parsePhone(phone, businessCountry);
  if (!number?.isPossible()) return `•••${phone.replace(/\D/g, "").slice(-4)}`;
  // A number in no range in service has no country, only a calling code.
  const home = number.country
    ? number.country === businessCountry
    : number.countryCallingCode === callingCodeOf(businessCountry);
  if (home) return hideAllButLastFour(number.formatNational());
  const international = number.formatInternational();
  const countryCode = `+${number.countryCallingCode}`;
  return international.startsWith(`${countryCode} `)
    ? `${countryCode} ${hideAllButLastFour(international.slice(countryCode.length + 1))}`
    : hideAllButLastFour(international);
}
