// The business's country and the countries texts may go to (Settings, "Phone numbers and texts").
import { useId, useState } from "react";
import type { AccountSettings } from "../api";
import { FieldError } from "../components/Field";
import { COUNTRIES_BY_NAME, countryName } from "./countries";

/** What GET …/settings adds to `AccountSettings` for phone numbers and texts. */
export interface CountrySettingsValue {
  country: string;
  smsAllowedCountries: string[];
}

/** The settings as the server sends them, country fields included (older servers: US only). */
export function countrySettingsOf(settings: AccountSettings): CountrySettingsValue {
  const extra = settings as AccountSettings & Partial<CountrySettingsValue>;
  const country = extra.country ?? "US";
  return { country, smsAllowedCountries: extra.smsAllowedCountries ?? [country] };
}

export const COUNTRY_HELP =
  "Phone numbers typed without a + and country code are read as this country's, and stored in " +
  "international form. Numbers that can't be this country's are refused with an example.";

export const ALLOWED_COUNTRIES_HELP =
  "Reset links are texted only to mobile numbers in these countries. Texts to other countries, and " +
  "to premium-rate, satellite and other non-mobile numbers, are refused before any credit is used: " +
  "they are how SMS fraud spends a business's credits. Add a country only if your staff have mobile " +
  "numbers there.";

export function describeCountry(code: string): string {
  return `${countryName(code)} (${code})`;
}

/** Plain words for the fields of a refused settings change about countries. */
export function countryFieldErrors(fields: object): { country?: string; smsAllowedCountries?: string } {
  return {
    ...("country" in fields ? { country: "Choose a country from the list." } : {}),
    ...("smsAllowedCountries" in fields ? { smsAllowedCountries: "Choose countries from the list." } : {}),
  };
}

/** What people without Admin Access see. */
export function CountrySummary({ value }: { value: CountrySettingsValue }) {
  return (
    <section className="panel" aria-labelledby="settings-phone">
      <h2 id="settings-phone">Phone numbers and texts</h2>
      <dl className="details">
        <dt>Country of the business</dt>
        <dd>{describeCountry(value.country)}</dd>
        <dt>Texts may go to</dt>
        <dd>
          {value.smsAllowedCountries.length === 0
            ? "No country: texts are refused"
            : value.smsAllowedCountries.map(describeCountry).join(", ")}
        </dd>
      </dl>
      <p className="field-help">{ALLOWED_COUNTRIES_HELP}</p>
    </section>
  );
}

/** The editable version (Admin Access), inside the settings form. */
export function CountryFields({
  value,
  onChange,
  errors,
}: {
  value: CountrySettingsValue;
  onChange: (value: CountrySettingsValue) => void;
  errors: { country?: string; smsAllowedCountries?: string };
}) {
  const countryId = useId();
  const addId = useId();
  const [adding, setAdding] = useState("");
  const allowed = new Set(value.smsAllowedCountries);

  function add(code: string) {
    setAdding("");
    if (code && !allowed.has(code)) onChange({ ...value, smsAllowedCountries: [...value.smsAllowedCountries, code] });
  }

  return (
    <section className="panel" aria-labelledby="settings-phone">
      <h2 id="settings-phone">Phone numbers and texts</h2>
      <div className="field">
        <label htmlFor={countryId} className="field-label">
          Country of the business
        </label>
        <p id={`${countryId}-help`} className="field-help">
          {COUNTRY_HELP}
        </p>
        <select
          id={countryId}
          value={value.country}
          onChange={(event) => {
            const country = event.target.value;
            // Texts to the business's own country only: that follows the country.
            const ownOnly = value.smsAllowedCountries.length === 1 && value.smsAllowedCountries[0] === value.country;
            onChange({ country, smsAllowedCountries: ownOnly ? [country] : value.smsAllowedCountries });
          }}
          aria-describedby={`${countryId}-help${errors.country ? ` ${countryId}-error` : ""}`}
          aria-invalid={errors.country ? true : undefined}
        >
          {COUNTRIES_BY_NAME.map(({ code, name }) => (
            <option key={code} value={code}>
              {name} ({code})
            </option>
          ))}
        </select>
        <FieldError id={`${countryId}-error`}>{errors.country}</FieldError>
      </div>

      <fieldset className="field">
        <legend className="field-label">Texts may go to</legend>
        <p id={`${addId}-help`} className="field-help">
          {ALLOWED_COUNTRIES_HELP}
        </p>
        {value.smsAllowedCountries.length === 0 ? (
          <p className="field-note">No country: every text is refused.</p>
        ) : (
          <ul className="details">
            {value.smsAllowedCountries.map((code) => (
              <li key={code}>
                {describeCountry(code)}{" "}
                <button
                  type="button"
                  className="button-link"
                  onClick={() =>
                    onChange({ ...value, smsAllowedCountries: value.smsAllowedCountries.filter((c) => c !== code) })
                  }
                >
                  {/* The visible word starts the name, so "click Remove" works for voice control (WCAG 2.5.3). */}
                  Remove<span className="visually-hidden"> {describeCountry(code)}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        <label htmlFor={addId} className="field-label">
          Add a country
        </label>
        <select
          id={addId}
          value={adding}
          onChange={(event) => add(event.target.value)}
          aria-describedby={`${addId}-help${errors.smsAllowedCountries ? ` ${addId}-error` : ""}`}
          aria-invalid={errors.smsAllowedCountries ? true : undefined}
        >
          <option value="">Choose a country…</option>
          {COUNTRIES_BY_NAME.filter(({ code }) => !allowed.has(code)).map(({ code, name }) => (
            <option key={code} value={code}>
              {name} ({code})
            </option>
          ))}
        </select>
        <FieldError id={`${addId}-error`}>{errors.smsAllowedCountries}</FieldError>
      </fieldset>
    </section>
  );
}
