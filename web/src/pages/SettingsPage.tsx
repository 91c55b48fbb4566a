import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { ApiError, api, hasAdminAccess, isAbortError, type Account, type AccountSettings, type Me } from "../api";
import { FieldError } from "../components/Field";
import { ErrorMessage } from "../components/Messages";
import { PageHeading } from "../components/PageHeading";
import { SignedInPage } from "../components/SignedInPage";
import { TextField } from "../components/TextField";
import { describeError } from "../errors";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { loginNoticeState } from "../notices";
import { paths } from "../paths";
import { navigate } from "../router";
import { isSessionEnded } from "../session";
import { useSudo } from "../sudo/sudo";
import {
  CountryFields,
  CountrySummary,
  countryFieldErrors,
  countrySettingsOf,
  type CountrySettingsValue,
} from "../settings/CountrySettings";
import { OwnershipDetails } from "../settings/OwnershipDetails";
import { SmsCreditLedger } from "../settings/SmsCreditLedger";

/** The range PATCH …/settings accepts for passwordMinLength (shared/API.md). */
const MIN_LENGTH_FLOOR = 8;
const MIN_LENGTH_CEILING = 64;

const ADMIN_ONLY = "Only staff with Admin Access (Full Permissions) can change settings.";

/** /a/{account}/settings: everyone signed in can see the settings; Admin Access can change them. */
export function SettingsPage({ slug }: { slug: string }) {
  return <SignedInPage slug={slug}>{(account, me) => <Settings account={account} me={me} />}</SignedInPage>;
}

function sessionEnded(slug: string): void {
  navigate(paths.login(slug), { replace: true, state: loginNoticeState("sessionEnded") });
}

type LoadState =
  { kind: "loading" } | { kind: "ready"; settings: AccountSettings } | { kind: "failed"; error: unknown };

function Settings({ account, me }: { account: Account; me: Me }) {
  useDocumentTitle(`Settings · ${account.name}`);
  const [load, setLoad] = useState<LoadState>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);
  const canEdit = hasAdminAccess(me);

  useEffect(() => {
    const controller = new AbortController();
    setLoad({ kind: "loading" });
    api
      .getSettings(account.slug, controller.signal)
      .then((settings) => setLoad({ kind: "ready", settings }))
      .catch((error: unknown) => {
        if (isAbortError(error)) return;
        if (isSessionEnded(error)) sessionEnded(account.slug);
        else setLoad({ kind: "failed", error });
      });
    return () => controller.abort();
  }, [account.slug, attempt]);

  return (
    <div className="settings">
      <PageHeading>Settings</PageHeading>
      <p className="lead">How the {account.name} Office Portal works for all its staff.</p>
      {!canEdit && <p className="message message-info">{ADMIN_ONLY}</p>}
      {load.kind === "loading" && <p className="loading">Loading settings…</p>}
      {load.kind === "failed" && (
        <>
          <ErrorMessage>{describeError(load.error)}</ErrorMessage>
          <button type="button" className="button button-secondary" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </>
      )}
      {load.kind === "ready" &&
        (canEdit ? (
          <SettingsForm
            slug={account.slug}
            settings={load.settings}
            onSaved={(settings) => setLoad({ kind: "ready", settings })}
          />
        ) : (
          <SettingsSummary settings={load.settings} />
        ))}
      {/* The facts support checks before recovering the owner: the owner's alone to see and set. */}
      {load.kind === "ready" && me.isOwner && <OwnershipDetails slug={account.slug} />}
      {load.kind === "ready" && canEdit && <SmsCreditLedger slug={account.slug} balance={load.settings.smsCredits} />}
    </div>
  );
}

const MIN_LENGTH_HELP =
  "New passwords must have at least this many characters, from 8 to 64. The default is 8. " +
  "NIST SP 800-63B recommends at least 15 for passwords used alone, without a second sign-in step. " +
  "A new minimum applies whenever a password is next set; current passwords keep working.";

const SMS_HELP = "When off, Staffgate sends no text messages or voice calls for this business.";

const REQUIRE_TWO_FACTOR_HELP =
  "Everyone then enters a 6-digit code from an authenticator app on their phone after their password. " +
  "Nobody is locked out: each person who hasn't set it up yet is shown how at their next sign-in, " +
  "and does it there in about a minute.";

function BusinessSection({ settings }: { settings: AccountSettings }) {
  return (
    <section className="panel" aria-labelledby="settings-business">
      <h2 id="settings-business">Business</h2>
      <dl className="details">
        <dt>Business name</dt>
        <dd>{settings.name}</dd>
      </dl>
    </section>
  );
}

function SmsCredits({ settings }: { settings: AccountSettings }) {
  return (
    <p className="settings-value">
      SMS credits: <strong>{settings.smsCredits}</strong>
    </p>
  );
}

/** What people without Admin Access see: the same settings, as text. */
function SettingsSummary({ settings }: { settings: AccountSettings }) {
  return (
    <>
      <BusinessSection settings={settings} />
      <section className="panel" aria-labelledby="settings-passwords">
        <h2 id="settings-passwords">Passwords</h2>
        <dl className="details">
          <dt>Minimum password length</dt>
          <dd>{settings.passwordMinLength} characters</dd>
        </dl>
        <p className="field-help">{MIN_LENGTH_HELP}</p>
      </section>
      <section className="panel" aria-labelledby="settings-two-step">
        <h2 id="settings-two-step">Two-step sign-in</h2>
        <dl className="details">
          <dt>Require two-factor for the Office Portal</dt>
          <dd>{settings.requireTwoFactor ? "Required for everyone" : "Not required"}</dd>
        </dl>
        <p className="field-help">{REQUIRE_TWO_FACTOR_HELP}</p>
      </section>
      <section className="panel" aria-labelledby="settings-messaging">
        <h2 id="settings-messaging">Text messages</h2>
        <dl className="details">
          <dt>SMS/Voice messaging</dt>
          <dd>{settings.smsVoiceEnabled ? "Enabled" : "Disabled"}</dd>
        </dl>
        <SmsCredits settings={settings} />
      </section>
      <CountrySummary value={countrySettingsOf(settings)} />
    </>
  );
}

interface FieldErrors {
  passwordMinLength?: string;
  smsVoiceEnabled?: string;
  country?: string;
  smsAllowedCountries?: string;
  form?: string;
}

/** `details.fields` of a validation_failed answer, in sentences. */
function fieldErrors(details: Readonly<Record<string, unknown>>): FieldErrors {
  const fields = typeof details.fields === "object" && details.fields !== null ? details.fields : {};
  const errors: FieldErrors = {};
  if ("passwordMinLength" in fields) {
    const text = fields.passwordMinLength;
    errors.passwordMinLength =
      typeof text === "string" && text !== ""
        ? `The minimum password length ${text}.`
        : `Enter a whole number from ${MIN_LENGTH_FLOOR} to ${MIN_LENGTH_CEILING}.`;
  }
  if ("smsVoiceEnabled" in fields) errors.smsVoiceEnabled = "This setting couldn't be saved. Try again.";
  Object.assign(errors, countryFieldErrors(fields));
  if (!errors.passwordMinLength && !errors.smsVoiceEnabled && !errors.country && !errors.smsAllowedCountries) {
    errors.form = "Some settings are invalid. Check them and try again.";
  }
  return errors;
}

function parseMinLength(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return value >= MIN_LENGTH_FLOOR && value <= MIN_LENGTH_CEILING ? value : null;
}

function SettingsForm({
  slug,
  settings,
  onSaved,
}: {
  slug: string;
  settings: AccountSettings;
  onSaved: (settings: AccountSettings) => void;
}) {
  const [minLength, setMinLength] = useState(String(settings.passwordMinLength));
  const [smsEnabled, setSmsEnabled] = useState(settings.smsVoiceEnabled);
  const [requireTwoFactor, setRequireTwoFactor] = useState(settings.requireTwoFactor);
  const [countries, setCountries] = useState<CountrySettingsValue>(() => countrySettingsOf(settings));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState(false);
  const [pending, setPending] = useState(false);
  const minLengthRef = useRef<HTMLInputElement>(null);
  const smsId = useId();
  const twoFactorId = useId();
  // Changing "Require two-factor" needs a recent sign-in: the password (or a code) is asked in place.
  const sudo = useSudo();

  function edited() {
    setSaved(false);
    if (Object.keys(errors).length > 0) setErrors({});
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const passwordMinLength = parseMinLength(minLength);
    if (passwordMinLength === null) {
      setSaved(false);
      setErrors({ passwordMinLength: `Enter a whole number from ${MIN_LENGTH_FLOOR} to ${MIN_LENGTH_CEILING}.` });
      minLengthRef.current?.focus();
      return;
    }

    setPending(true);
    setErrors({});
    setSaved(false);
    try {
      // Only what changed: the allowed countries follow the business's country until chosen.
      const saved = countrySettingsOf(settings);
      const changes = {
        passwordMinLength,
        smsVoiceEnabled: smsEnabled,
        // Changing it needs "Confirm it's you", so it is sent only when it changes.
        ...(requireTwoFactor !== settings.requireTwoFactor ? { requireTwoFactor } : {}),
        ...(countries.country !== saved.country ? { country: countries.country } : {}),
        ...(countries.smsAllowedCountries.join() !== saved.smsAllowedCountries.join()
          ? { smsAllowedCountries: countries.smsAllowedCountries }
          : {}),
      };
      const updated = await sudo(() => api.updateSettings(slug, changes));
      setMinLength(String(updated.passwordMinLength));
      setSmsEnabled(updated.smsVoiceEnabled);
      setRequireTwoFactor(updated.requireTwoFactor);
      setCountries(countrySettingsOf(updated));
      onSaved(updated);
      setSaved(true);
    } catch (caught) {
      if (isSessionEnded(caught)) {
        sessionEnded(slug);
        return;
      }
      const found: FieldErrors =
        caught instanceof ApiError && caught.code === "validation_failed"
          ? fieldErrors(caught.details)
          : caught instanceof ApiError && caught.code === "forbidden"
            ? { form: ADMIN_ONLY }
            : { form: describeError(caught) };
      setErrors(found);
      if (found.passwordMinLength) minLengthRef.current?.focus();
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="settings-form" onSubmit={(event) => void handleSubmit(event)} noValidate aria-busy={pending}>
      <BusinessSection settings={settings} />
      <section className="panel" aria-labelledby="settings-passwords">
        <h2 id="settings-passwords">Passwords</h2>
        <TextField
          ref={minLengthRef}
          label="Minimum password length"
          help={MIN_LENGTH_HELP}
          type="number"
          inputMode="numeric"
          min={MIN_LENGTH_FLOOR}
          max={MIN_LENGTH_CEILING}
          step={1}
          className="input-short"
          value={minLength}
          onChange={(value) => {
            setMinLength(value);
            edited();
          }}
          error={errors.passwordMinLength}
          required
        />
      </section>
      <section className="panel" aria-labelledby="settings-two-step">
        <h2 id="settings-two-step">Two-step sign-in</h2>
        <div className="checkbox-field">
          <input
            id={twoFactorId}
            type="checkbox"
            role="switch"
            checked={requireTwoFactor}
            onChange={(event) => {
              setRequireTwoFactor(event.target.checked);
              edited();
            }}
            aria-describedby={`${twoFactorId}-help`}
          />
          <label htmlFor={twoFactorId}>Require two-factor for the Office Portal</label>
          <p id={`${twoFactorId}-help`} className="field-help">
            {REQUIRE_TWO_FACTOR_HELP}
          </p>
        </div>
      </section>
      <section className="panel" aria-labelledby="settings-messaging">
        <h2 id="settings-messaging">Text messages</h2>
        <div className="checkbox-field">
          <input
            id={smsId}
            type="checkbox"
            checked={smsEnabled}
            onChange={(event) => {
              setSmsEnabled(event.target.checked);
              edited();
            }}
            aria-describedby={`${smsId}-help${errors.smsVoiceEnabled ? ` ${smsId}-error` : ""}`}
            aria-invalid={errors.smsVoiceEnabled ? true : undefined}
          />
          <label htmlFor={smsId}>SMS/Voice messaging enabled</label>
          <p id={`${smsId}-help`} className="field-help">
            {SMS_HELP}
          </p>
          <FieldError id={`${smsId}-error`}>{errors.smsVoiceEnabled}</FieldError>
        </div>
      </section>
      <CountryFields
        value={countries}
        onChange={(value) => {
          setCountries(value);
          edited();
        }}
        errors={errors}
      />
      {errors.form && <ErrorMessage>{errors.form}</ErrorMessage>}
      <div className="form-actions">
        <button type="submit" className="button button-primary" aria-disabled={pending || undefined}>
          Save settings
        </button>
        {/* Always in the page, so the confirmation is announced when it appears. */}
        <div role="status" className="form-status">
          {saved && <span className="message message-notice">Settings saved.</span>}
        </div>
      </div>
    </form>
  );
}
