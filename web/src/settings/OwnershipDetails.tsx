// Settings → "Ownership details" (shared/API.md v2), for the Business Owner only: the facts vendor
// support checks when someone calls saying they are the owner and can't sign in. They are shown
// masked, enough to recognise and never to read out, and changed in sudo mode: whoever knows them
// can talk support into a recovery, so a borrowed, signed-in browser mustn't be enough to set them.
import { Fragment, useEffect, useRef, useState, type FormEvent } from "react";
import { ApiError, isAbortError } from "../api";
import { ErrorMessage } from "../components/Messages";
import { TextField } from "../components/TextField";
import { describeError } from "../errors";
import { loginNoticeState } from "../notices";
import { paths } from "../paths";
import { navigate } from "../router";
import { isSessionEnded } from "../session";
import { useSudo } from "../sudo/sudo";
import { OWNERSHIP_FIELDS, ownershipApi, type OwnershipDetails as Details, type OwnershipField } from "./ownershipApi";

const LABELS: Record<OwnershipField, string> = {
  billingPostalCode: "Billing postal code",
  cardLast4: "Last 4 digits of the card on file",
  businessPhone: "Business phone number",
};

/** What to type, in the words a field error uses too. */
const EXAMPLES: Record<OwnershipField, string> = {
  billingPostalCode: "the postal code of the billing address, such as 94110 or SW1A 1AA",
  cardLast4: "the last 4 digits of the card the business pays with, such as 4242",
  businessPhone: "the business's main phone number, such as +1 415 555 0100",
};

/** The longest value the server takes for each (shared/API.md v2). */
const MAX_LENGTHS: Record<OwnershipField, number> = { billingPostalCode: 12, cardLast4: 4, businessPhone: 24 };

const INTRO =
  "When someone calls Staffgate support saying they are the Business Owner and can't sign in, support " +
  "asks them these questions before it helps. Keep them up to date, and don't share them.";

type Load = { kind: "loading" } | { kind: "ready"; details: Details } | { kind: "failed"; error: unknown };

function sessionEnded(slug: string): void {
  navigate(paths.login(slug), { replace: true, state: loginNoticeState("sessionEnded") });
}

/** The owner's section of the Settings page. Others never see it (the server refuses them too). */
export function OwnershipDetails({ slug }: { slug: string }) {
  const [load, setLoad] = useState<Load>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const changeRef = useRef<HTMLButtonElement>(null);
  // Focus goes back to "Change" once the form has gone, so keyboard users stay where they were.
  const [returnFocus, setReturnFocus] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    setLoad({ kind: "loading" });
    ownershipApi
      .get(slug, controller.signal)
      .then((details) => setLoad({ kind: "ready", details }))
      .catch((error: unknown) => {
        if (isAbortError(error)) return;
        if (isSessionEnded(error)) sessionEnded(slug);
        else setLoad({ kind: "failed", error });
      });
    return () => controller.abort();
  }, [slug, attempt]);

  useEffect(() => {
    if (!editing && returnFocus) {
      changeRef.current?.focus();
      setReturnFocus(false);
    }
  }, [editing, returnFocus]);

  return (
    <section className="panel" aria-labelledby="settings-ownership">
      <h2 id="settings-ownership">Ownership details</h2>
      <p className="field-help">{INTRO}</p>
      {load.kind === "loading" && <p className="loading">Loading the ownership details…</p>}
      {load.kind === "failed" && (
        <>
          <ErrorMessage>The ownership details couldn't be loaded. {describeError(load.error)}</ErrorMessage>
          <button type="button" className="button button-secondary" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </>
      )}
      {load.kind === "ready" &&
        (editing ? (
          <OwnershipForm
            slug={slug}
            details={load.details}
            onSaved={(details) => {
              setLoad({ kind: "ready", details });
              setSaved(true);
              setEditing(false);
              setReturnFocus(true);
            }}
            onCancel={() => {
              setEditing(false);
              setReturnFocus(true);
            }}
          />
        ) : (
          <>
            <OwnershipSummary details={load.details} />
            <button
              ref={changeRef}
              type="button"
              className="button button-secondary"
              onClick={() => {
                setSaved(false);
                setEditing(true);
              }}
            >
              Change ownership details
            </button>
          </>
        ))}
      {/* Always in the page, so the confirmation is announced when it appears. */}
      <div role="status" className="form-status ownership-status">
        {saved && !editing && (
          <span className="message message-notice">
            Ownership details saved. Support will check callers against them.
          </span>
        )}
      </div>
    </section>
  );
}

/**
 * A masked value as the server sends it ("•••10"): read aloud as "ending in 10" rather than as a
 * row of bullets.
 */
function MaskedValue({ value }: { value: string }) {
  const shown = value.replace(/^•+/, "");
  if (shown === value) return <span className="masked">{value}</span>;
  return (
    <>
      <span className="masked" aria-hidden="true">
        {value}
      </span>
      <span className="visually-hidden">{shown === "" ? "on file, hidden" : `on file, ending in ${shown}`}</span>
    </>
  );
}

function OwnershipSummary({ details }: { details: Details }) {
  return (
    <dl className="details">
      <dt>Owner's full name</dt>
      <dd>{details.ownerFullName ?? <span className="missing">Not on file</span>}</dd>
      {OWNERSHIP_FIELDS.map((field) => {
        const value = details[field];
        return (
          <Fragment key={field}>
            <dt>{LABELS[field]}</dt>
            <dd>{value === null ? <span className="missing">Not on file</span> : <MaskedValue value={value} />}</dd>
          </Fragment>
        );
      })}
    </dl>
  );
}

type FieldErrors = Partial<Record<OwnershipField | "form", string>>;

/** `details.fields` of a validation_failed answer, as sentences that say what to type. */
function fieldErrorsOf(error: ApiError): FieldErrors {
  const fields = typeof error.details.fields === "object" && error.details.fields !== null ? error.details.fields : {};
  const errors: FieldErrors = {};
  for (const field of OWNERSHIP_FIELDS) {
    if (field in fields) errors[field] = `Enter ${EXAMPLES[field]}.`;
  }
  if (Object.keys(errors).length === 0) errors.form = "Some details couldn't be saved. Check them and try again.";
  return errors;
}

function OwnershipForm({
  slug,
  details,
  onSaved,
  onCancel,
}: {
  slug: string;
  details: Details;
  onSaved: (details: Details) => void;
  onCancel: () => void;
}) {
  const [values, setValues] = useState<Record<OwnershipField, string>>({
    billingPostalCode: "",
    cardLast4: "",
    businessPhone: "",
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, setPending] = useState(false);
  const refs = {
    billingPostalCode: useRef<HTMLInputElement>(null),
    cardLast4: useRef<HTMLInputElement>(null),
    businessPhone: useRef<HTMLInputElement>(null),
  };
  const sudo = useSudo();

  const firstRef = refs.billingPostalCode;
  useEffect(() => firstRef.current?.focus(), [firstRef]);

  function focusFirstError(found: FieldErrors) {
    const first = OWNERSHIP_FIELDS.find((field) => found[field]);
    if (first) refs[first].current?.focus();
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    // The fields start empty (what is on file is only shown masked): an empty one stays as it is.
    const changes = Object.fromEntries(
      OWNERSHIP_FIELDS.filter((field) => values[field].trim() !== "").map((field) => [field, values[field].trim()]),
    );
    if (Object.keys(changes).length === 0) {
      setErrors({ form: "Type at least one new detail, or choose Cancel to keep them as they are." });
      refs.billingPostalCode.current?.focus();
      return;
    }
    setPending(true);
    setErrors({});
    try {
      onSaved(await sudo(() => ownershipApi.update(slug, changes)));
    } catch (caught) {
      setPending(false);
      if (isSessionEnded(caught)) {
        sessionEnded(slug);
        return;
      }
      const found: FieldErrors =
        caught instanceof ApiError && caught.code === "validation_failed"
          ? fieldErrorsOf(caught)
          : caught instanceof ApiError && caught.code === "owner_protected"
            ? { form: "Only the Business Owner can change the ownership details." }
            : { form: describeError(caught) };
      setErrors(found);
      focusFirstError(found);
    }
  }

  return (
    <form className="form ownership-form" onSubmit={(event) => void handleSubmit(event)} noValidate aria-busy={pending}>
      <p className="field-help">Type only what you want to change. An empty field keeps what is on file.</p>
      {OWNERSHIP_FIELDS.map((field) => {
        const current = details[field];
        return (
          <TextField
            key={field}
            ref={refs[field]}
            label={LABELS[field]}
            help={
              <>
                {`Type ${EXAMPLES[field]}. `}
                {current === null ? "Not on file yet." : <>On file: {<MaskedValue value={current} />}.</>}
              </>
            }
            value={values[field]}
            onChange={(value) => {
              setValues((previous) => ({ ...previous, [field]: value }));
              if (errors[field] || errors.form) setErrors({});
            }}
            error={errors[field]}
            maxLength={MAX_LENGTHS[field]}
            autoComplete="off"
            {...(field === "cardLast4" ? { inputMode: "numeric" as const, className: "input-short" } : {})}
            {...(field === "businessPhone" ? { type: "tel" } : {})}
          />
        );
      })}
      {errors.form && <ErrorMessage>{errors.form}</ErrorMessage>}
      <div className="form-actions">
        <button type="submit" className="button button-primary" aria-disabled={pending || undefined}>
          {pending ? "Saving…" : "Save ownership details"}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
