// Tax: the business's settings (the basis GST or VAT is reported on, its tax number) and its
// tax categories with every rate they had and will have. Shown with tax:read; the forms only
// with tax:write.
//
// Rates are never edited: a change is a new rate from a moment in the future on, so sales
// already made keep the rate they were taxed at. The form refuses a moment that has passed
// before asking; the API decides by the database's clock and its refusal is shown as it comes
// (a browser whose clock is behind).
import { useRef, useState } from "preact/hooks";
import type { Schema } from "../../../api";
import type { Session } from "../api";
import { get, may, patch, post } from "../api";
import { Loading, ProblemMessage, Section, useLoad } from "../components";
import { ActionStatus, FormProblem, useAction } from "../forms";
import { browserTimeZone, isFuture, moment, withOffset } from "../amounts";

type Settings = Schema<"TaxSettings">;
type TaxCategory = Schema<"TaxCategory">;
type Basis = Settings["tax_basis"];

// As the API's document states it: under 100, at most 3 decimals.
const RATE_PATTERN = "(0|[1-9][0-9]?)([.][0-9]{1,3})?";

const BASIS: Record<Basis, string> = {
  accrual: "Accrual (AU accrual basis; DE Soll-Versteuerung): when the sale is made",
  cash: "Cash (AU cash basis; DE Ist-Versteuerung): when the payment is received",
};

function SettingsForm(props: { settings: Settings; changed: () => void }) {
  const { settings } = props;
  const [basis, setBasis] = useState<Basis>(settings.tax_basis);
  const [taxId, setTaxId] = useState(settings.tax_id ?? "");
  const action = useAction();
  return (
    <form
      class="inline-form"
      aria-label="Change the tax settings"
      onSubmit={async (event) => {
        event.preventDefault();
        const ok = await action.run(async () => {
          const changes: { tax_basis?: Basis; tax_id?: string | null } = {};
          if (basis !== settings.tax_basis) changes.tax_basis = basis;
          const typed = taxId.trim() === "" ? null : taxId.trim();
          if (typed !== settings.tax_id) changes.tax_id = typed;
          if (Object.keys(changes).length === 0) throw new FormProblem("Nothing was changed.");
          await patch("/v1/tax/settings", { version: settings.version, ...changes });
        }, "Saved the tax settings.");
        if (ok) props.changed();
      }}
    >
      <label>
        Tax basis
        <select name="tax_basis" value={basis} onChange={(event) => setBasis(event.currentTarget.value as Basis)}>
          {(Object.keys(BASIS) as Basis[]).map((each) => (
            <option key={each} value={each}>
              {BASIS[each]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Tax number ({settings.currency === "AUD" ? "ABN" : "USt-IdNr. or Steuernummer"}; empty removes it)
        <input name="tax_id" value={taxId} autoComplete="off" onInput={(event) => setTaxId(event.currentTarget.value)} maxLength={40} />
      </label>
      <button type="submit" disabled={action.busy}>Save settings</button>
      <ActionStatus action={action} />
    </form>
  );
}

function SettingsSection(props: { session: Session; generation: number; changed: () => void }) {
  const loaded = useLoad(() => get("/v1/tax/settings"), [props.generation]);
  const settings = loaded.value;
  return (
    <Section title="Tax settings">
      {loaded.loading && !settings ? <Loading what="the tax settings" /> : null}
      {loaded.error !== undefined ? <ProblemMessage error={loaded.error} /> : null}
      {settings ? (
        <>
          <dl class="settings" data-version={settings.version}>
            <div>
              <dt>Currency</dt>
              <dd data-setting="currency">{settings.currency}</dd>
            </div>
            <div>
              <dt>Menu prices</dt>
              <dd data-setting="prices_include_tax" data-value={String(settings.prices_include_tax)}>
                {settings.prices_include_tax ? "include tax" : "exclude tax (tax is added)"}
              </dd>
            </div>
            <div>
              <dt>Cash rounded to</dt>
              <dd data-setting="cash_rounding_minor" data-value={settings.cash_rounding_minor}>
                {settings.cash_rounding_minor} minor unit(s)
              </dd>
            </div>
            <div>
              <dt>Tax basis</dt>
              <dd data-setting="tax_basis" data-value={settings.tax_basis}>
                {BASIS[settings.tax_basis]}
              </dd>
            </div>
            <div>
              <dt>Tax number</dt>
              <dd data-setting="tax_id" data-value={settings.tax_id ?? ""}>
                {settings.tax_id ?? "not given yet"}
              </dd>
            </div>
          </dl>
          {may(props.session, "tax:write") ? (
            <SettingsForm key={settings.version} settings={settings} changed={props.changed} />
          ) : null}
        </>
      ) : null}
    </Section>
  );
}

function CategoryForm(props: { changed: () => void }) {
  const [code, setCode] = useState("");
  const [name, setName] = useState("");
  const [rate, setRate] = useState("");
  const action = useAction();
  return (
    <form
      class="inline-form"
      aria-label="New tax category"
      onSubmit={async (event) => {
        event.preventDefault();
        const ok = await action.run(
          () => post("/v1/tax/categories", { code, name, rate_percent: rate }),
          `Added the tax category ${name}.`,
        );
        if (ok) {
          setCode("");
          setName("");
          setRate("");
          props.changed();
        }
      }}
    >
      <label>
        Code (lower case, e.g. gst-free)
        <input name="code" value={code} pattern="[a-z0-9][a-z0-9\-]{0,39}" onInput={(event) => setCode(event.currentTarget.value)} required />
      </label>
      <label>
        Name
        <input name="name" value={name} onInput={(event) => setName(event.currentTarget.value)} required maxLength={120} />
      </label>
      <label>
        Rate in % (from now on)
        <input name="rate_percent" inputMode="decimal" pattern={RATE_PATTERN} value={rate} onInput={(event) => setRate(event.currentTarget.value)} required />
      </label>
      <button type="submit" disabled={action.busy}>Add tax category</button>
      <ActionStatus action={action} />
    </form>
  );
}

function RateForm(props: { category: TaxCategory; changed: () => void }) {
  const { category } = props;
  const [rate, setRate] = useState("");
  const [from, setFrom] = useState("");
  const action = useAction();
  return (
    <form
      class="inline-form"
      aria-label={`Schedule a rate for ${category.name}`}
      onSubmit={async (event) => {
        event.preventDefault();
        const ok = await action.run(async () => {
          if (!isFuture(from)) {
            throw new FormProblem(
              "A new rate applies to sales after it, never to sales already made: choose a " +
                "moment in the future.",
            );
          }
          await post(
            "/v1/tax/categories/{category_id}/rates",
            { rate_percent: rate, effective_from: withOffset(from) },
            { category_id: category.id },
          );
        }, `Scheduled ${rate}% for ${category.name}.`);
        if (ok) {
          setRate("");
          setFrom("");
          props.changed();
        }
      }}
    >
      <label>
        New rate in %
        <input name="rate_percent" inputMode="decimal" pattern={RATE_PATTERN} value={rate} onInput={(event) => setRate(event.currentTarget.value)} required />
      </label>
      <label>
        From ({browserTimeZone()})
        <input name="effective_from" type="datetime-local" step={1} value={from} onInput={(event) => setFrom(event.currentTarget.value)} required />
      </label>
      <button type="submit" disabled={action.busy}>Schedule rate</button>
      <ActionStatus action={action} />
    </form>
  );
}

function RenameCategory(props: { category: TaxCategory; changed: () => void }) {
  const { category } = props;
  const [name, setName] = useState(category.name);
  const action = useAction();
  return (
    <form
      class="inline-form"
      aria-label={`Rename ${category.name}`}
      onSubmit={async (event) => {
        event.preventDefault();
        if (await action.run(() => patch("/v1/tax/categories/{category_id}", { name }, { category_id: category.id }), "Renamed.")) {
          props.changed();
        }
      }}
    >
      <label>
        Name
        <input name="name" value={name} onInput={(event) => setName(event.currentTarget.value)} required maxLength={120} />
      </label>
      <button type="submit" disabled={action.busy}>Rename</button>
      <button
        type="button"
        class="secondary"
        disabled={action.busy}
        onClick={async () => {
          const archived = !category.archived;
          if (await action.run(() => patch("/v1/tax/categories/{category_id}", { archived }, { category_id: category.id }), archived ? "Archived." : "Restored.")) {
            props.changed();
          }
        }}
      >
        {category.archived ? `Restore ${category.name}` : `Archive ${category.name}`}
      </button>
      <ActionStatus action={action} />
    </form>
  );
}

function CategoryCard(props: { session: Session; category: TaxCategory; changed: () => void }) {
  const { category } = props;
  const writes = may(props.session, "tax:write");
  return (
    <section class="tax-category" aria-label={`Tax category ${category.name}`} data-id={category.id} data-code={category.code}>
      <h3>
        {category.name} <span class="code">({category.code})</span>
        {category.archived ? <span class="status archived"> Archived</span> : null}
      </h3>
      <p>
        In force now: <strong data-current-rate={category.current_rate_percent ?? ""}>{category.current_rate_percent === null ? "no rate yet" : `${category.current_rate_percent}%`}</strong>
      </p>
      <table class="rates">
        <caption>Rates of {category.name}, oldest first</caption>
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">Rate</th>
            <th scope="col">When</th>
          </tr>
        </thead>
        <tbody>
          {category.rates.map((rate) => (
            <tr key={rate.effective_from} data-rate={rate.rate_percent} data-effective-from={rate.effective_from} data-scheduled={String(rate.scheduled)}>
              <th scope="row">{moment(rate.effective_from)}</th>
              <td>{rate.rate_percent}%</td>
              <td>{rate.scheduled ? "to come" : "in force or past"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {writes ? (
        <>
          <RateForm category={category} changed={props.changed} />
          <RenameCategory key={category.name + String(category.archived)} category={category} changed={props.changed} />
        </>
      ) : null}
    </section>
  );
}

function Categories(props: { session: Session; generation: number; changed: () => void }) {
  const loaded = useLoad(() => get("/v1/tax/categories"), [props.generation]);
  // The last answer stays on screen while the next loads, so a form's message stays put.
  const last = useRef<TaxCategory[] | null>(null);
  if (loaded.value) last.current = loaded.value.items;
  const categories = last.current;
  return (
    <Section title="Tax categories">
      <p>Every item is taxed in one of these. A business has a handful, so they are listed whole.</p>
      {loaded.loading && categories === null ? <Loading what="the tax categories" /> : null}
      {loaded.error !== undefined ? <ProblemMessage error={loaded.error} /> : null}
      {categories?.map((category) => (
        <CategoryCard key={category.id} session={props.session} category={category} changed={props.changed} />
      ))}
      {may(props.session, "tax:write") ? (
        <>
          <h3>Add a tax category</h3>
          <CategoryForm changed={props.changed} />
        </>
      ) : null}
    </Section>
  );
}

export function Tax({ session }: { session: Session }) {
  const [generation, setGeneration] = useState(0);
  const changed = () => setGeneration((value) => value + 1);
  return (
    <>
      <h1>Tax</h1>
      <p>
        {may(session, "tax:write")
          ? "The basis tax is reported on, the business's tax number, and the rates of its tax categories. A new rate starts at a moment in the future: sales already made keep theirs."
          : "The basis tax is reported on, the business's tax number, and the rates of its tax categories (read only for your role)."}
      </p>
      <SettingsSection session={session} generation={generation} changed={changed} />
      <Categories session={session} generation={generation} changed={changed} />
    </>
  );
}
