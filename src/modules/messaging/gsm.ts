/**
 * GSM 03.38: the 7-bit alphabet in which one text segment holds 160 characters. Anything else
 * switches the whole message to UCS-2 (70 per segment), so texts are kept to this alphabet.
 */
const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENDED = "^{}\\[~]|€"; // two septets each
const basic = new Set(GSM_BASIC);
const extended = new Set(GSM_EXTENDED);

export const GSM_SEGMENT_SEPTETS = 160;

export function gsmSeptets(text: string): number | undefined {
  let count = 0;
  for (const character of text) {
    if (basic.has(character)) count += 1;
    else if (extended.has(character)) count += 2;
    else return undefined;
  }
  return count;
}

/** Replaces what the GSM alphabet lacks: accents dropped where possible, the rest removed. */
export function toGsm(text: string): string {
  let out = "";
  for (const character of text.normalize("NFC")) {
    if (basic.has(character)) {
      out += character;
      continue;
    }
    const stripped = character.normalize("NFD").replace(/\p{M}/gu, "");
    if (stripped.length > 0 && [...stripped].every((c) => basic.has(c))) out += stripped;
    else if (/[‘’]/.test(character)) out += "'";
    else if (/[“”]/.test(character)) out += '"';
    else if (/[–—]/.test(character)) out += "-";
  }
  return out;
}
