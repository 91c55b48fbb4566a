import { describe, expect, it } from "vitest";
import { maskPhone } from "./mask.js";
import { isCountryCode, normalizePhoneEntry, phoneFormatHint, smsDestination } from "./phone.js";

describe("phone numbers typed in", () => {
  it("stores national input in E.164, read as the business's country", () => {
    expect(normalizePhoneEntry("07700 900123", "GB")).toEqual({ ok: true, e164: "+447700900123" });
    expect(normalizePhoneEntry("07400 123456", "GB")).toEqual({ ok: true, e164: "+447400123456" });
    expect(normalizePhoneEntry("(415) 555-0100", "US")).toEqual({ ok: true, e164: "+14155550100" });
    expect(normalizePhoneEntry("0412 345 678", "AU")).toEqual({ ok: true, e164: "+61412345678" });
    // A "+" (or an international prefix) names the country, whatever the business's is.
    expect(normalizePhoneEntry("+44 7400 123456", "US")).toEqual({ ok: true, e164: "+447400123456" });
    expect(normalizePhoneEntry("011 44 7400 123456", "US")).toEqual({ ok: true, e164: "+447400123456" });
  });

  it("refuses what can't be a number of its country, with a hint in that country's own format", () => {
    for (const [input, country] of [
      ["12345", "GB"],
      ["+1 123 456 7890", "US"], // no North American area code starts with 1
      ["+1 415 555 01", "US"],
      ["call me", "US"],
      ["+1 415 555 0100 x12", "US"], // an extension: no text reaches it
    ] as const) {
      expect(normalizePhoneEntry(input, country), input).toEqual({ ok: false, hint: phoneFormatHint(country) });
    }
    expect(phoneFormatHint("GB")).toBe(
      "a phone number in the national format of United Kingdom (GB), such as 07400 123456, " +
        "or in international format, such as +44 7400 123456",
    );
    expect(phoneFormatHint("US")).toContain("such as (201) 555-0123");
  });

  it("knows country codes only as ISO 3166-1 alpha-2 in capitals", () => {
    expect(["US", "GB", "JM", "DE"].every(isCountryCode)).toBe(true);
    expect(["gb", "UK", "XX", "USA", ""].some(isCountryCode)).toBe(false);
  });
});

describe("where a text may go", () => {
  const gb = { country: "GB", allowedCountries: ["GB"] };
  const us = { country: "US", allowedCountries: ["US"] };

  it("allows mobiles of allowed countries, national or international, old rows without a + included", () => {
    expect(smsDestination("+447400123456", gb)).toEqual({ allowed: true, e164: "+447400123456", country: "GB" });
    expect(smsDestination("07400 123456", gb)).toMatchObject({ allowed: true, e164: "+447400123456" });
    expect(smsDestination("(415) 555-0100", us)).toMatchObject({ allowed: true, e164: "+14155550100" });
  });

  it("refuses premium, shared-cost, personal, UAN, pager, VoIP, toll-free and landline numbers", () => {
    const refusals: Array<[string, typeof gb, string]> = [
      ["+19002345678", us, "PREMIUM_RATE"],
      ["+15002345678", us, "PERSONAL_NUMBER"],
      ["+18002345678", us, "TOLL_FREE"],
      ["+449090123456", gb, "PREMIUM_RATE"],
      ["+448712345678", gb, "PREMIUM_RATE"],
      ["+445512345678", gb, "UAN"],
      ["+447012345678", gb, "PERSONAL_NUMBER"],
      ["+447600123456", gb, "PAGER"],
      ["+445612345678", gb, "VOIP"],
      ["+442079460958", gb, "FIXED_LINE"],
      ["+611300123456", { country: "AU", allowedCountries: ["AU"] }, "SHARED_COST"],
    ];
    for (const [number, policy, numberType] of refusals) {
      expect(smsDestination(number, policy), number).toMatchObject({
        allowed: false,
        reason: "not_mobile",
        numberType,
      });
    }
  });

  it("refuses satellite and international networks whatever their type, and numbers not in service", () => {
    for (const number of ["+881612345678", "+870773123456", "+8821612345678", "+979123456789", "+80012345678"]) {
      expect(smsDestination(number, us), number).toMatchObject({ allowed: false, reason: "international_network" });
    }
    // 07700 900xxx is held back for fiction: well formed, but nobody's.
    expect(smsDestination("+447700900123", gb)).toMatchObject({ allowed: false, reason: "not_in_service" });
    expect(smsDestination("not a number", gb)).toMatchObject({ allowed: false, reason: "not_in_service" });
  });

  it("refuses mobiles of countries the business hasn't allowed, even behind the same +1 or +44", () => {
    expect(smsDestination("+18762101234", us)).toMatchObject({
      allowed: false,
      reason: "country_not_allowed",
      country: "JM",
      description: "a number in Jamaica (JM)",
    });
    expect(smsDestination("+447624123456", gb)).toMatchObject({ reason: "country_not_allowed", country: "IM" });
    expect(smsDestination("+18762101234", { country: "US", allowedCountries: ["US", "JM"] })).toMatchObject({
      allowed: true,
    });
  });
});

describe("masked numbers", () => {
  it("keep the number's own national form, hiding all but the last four digits", () => {
    expect(maskPhone("+14155550100", "US")).toBe("(•••) •••-0100");
    expect(maskPhone("(415) 555-0100", "US")).toBe("(•••) •••-0100");
    expect(maskPhone("+447400123456", "GB")).toBe("••••• ••3456");
    expect(maskPhone("07400 123456", "GB")).toBe("••••• ••3456");
    expect(maskPhone("+447700900123", "GB")).toBe("••••• ••0123");
    expect(maskPhone("+4915123456789", "DE")).toBe("••••• •••6789");
  });

  it("show the country code of a number from another country than the business's", () => {
    expect(maskPhone("+447400123456", "US")).toBe("+44 •••• ••3456");
    expect(maskPhone("+18762101234", "US")).toBe("+1 ••• ••• 1234");
  });

  it("show only the last four digits of what can't be read", () => {
    expect(maskPhone("ext 12", "US")).toBe("•••12");
    expect(maskPhone("+1 (555) 0100", "US")).toBe("•••0100");
  });
});
