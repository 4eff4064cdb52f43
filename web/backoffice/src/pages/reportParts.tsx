// What the report sections share: the period picker (a business day, month, quarter or year,
// as the report API names periods), the venue picker, and the cells that show a figure of the
// API's answer. Each figure cell carries the answer's own number (`data-value`) and where in
// the answer it is (`data-path`, e.g. `items.0.net_sales_minor`), so a test can hold every
// figure on screen to the JSON; the text is that number formatted, nothing computed.
import { useState } from "preact/hooks";
import type { JSX } from "preact";
import type { PathWith } from "../api";
import type { Location } from "../components";
import { DownloadButton, Loading, ProblemMessage, Section, useLoad } from "../components";
import { businessDay, count, money } from "../format";

export type Kind = "day" | "month" | "quarter" | "year";

function defaultValue(kind: Kind, today: string): string {
  const year = today.slice(0, 4);
  if (kind === "day") return today;
  if (kind === "month") return today.slice(0, 7);
  if (kind === "quarter") return `${year}-Q${Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1}`;
  return year;
}

/** A business day, month, calendar quarter or year, as the report API names periods. */
export function PeriodPicker(props: {
  today: string;
  kinds: readonly Kind[];
  initial: Kind;
  onPick: (period: string) => void;
}) {
  const [kind, setKind] = useState<Kind>(props.initial);
  const [value, setValue] = useState(defaultValue(props.initial, props.today));
  return (
    <form
      class="period-picker"
      aria-label="Choose a period"
      onSubmit={(event) => {
        event.preventDefault();
        props.onPick(value);
      }}
    >
      <label>
        Period
        <select
          name="kind"
          value={kind}
          onChange={(event) => {
            const picked = event.currentTarget.value as Kind;
            setKind(picked);
            setValue(defaultValue(picked, props.today));
          }}
        >
          {props.kinds.map((option) => (
            <option key={option} value={option}>
              {option === "day" ? "business day" : option}
            </option>
          ))}
        </select>
      </label>
      <label>
        {kind === "quarter" ? "Quarter (2026-Q4)" : kind === "day" ? "Business day" : kind === "month" ? "Month" : "Year"}
        {kind === "day" || kind === "month" ? (
          // A new element per kind: a value is checked against the type it is given to.
          <input
            key={kind}
            name="period"
            type={kind === "day" ? "date" : "month"}
            value={value}
            onInput={(event) => setValue(event.currentTarget.value)}
            required
          />
        ) : (
          <input
            key={kind}
            name="period"
            type="text"
            value={value}
            onInput={(event) => setValue(event.currentTarget.value)}
            pattern={kind === "quarter" ? "[0-9]{4}-Q[1-4]" : "[0-9]{4}"}
            required
          />
        )}
      </label>
      <button type="submit">Show</button>
    </form>
  );
}

/** Which venue a report is of: one of the session's venues. */
export function VenuePicker(props: { locations: Location[]; value: string; onPick: (id: string) => void }) {
  return (
    <label>
      Venue
      <select name="location" value={props.value} onChange={(event) => props.onPick(event.currentTarget.value)}>
        {props.locations.map((each) => (
          <option key={each.id} value={each.id}>
            {each.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A table cell with an amount of the answer (integer minor units), formatted for reading. */
export function MoneyCell(props: { path: string; minor: number; currency: string; header?: boolean }) {
  const text = money(props.minor, props.currency);
  return props.header ? (
    <th scope="row" data-path={props.path} data-value={props.minor}>
      {text}
    </th>
  ) : (
    <td data-path={props.path} data-value={props.minor}>
      {text}
    </td>
  );
}

/** A table cell with a count of the answer. */
export function CountCell(props: { path: string; value: number }) {
  return (
    <td data-path={props.path} data-value={props.value}>
      {count(props.value)}
    </td>
  );
}

/** One headline figure of the answer: an amount (with `currency`) or a count. It carries the
 * answer's number (`data-value`) and names it: where it is in the answer (`path`, e.g.
 * `totals.net_sales_minor`) or its name among the totals (`name`). */
export function Figure(props: {
  label: string;
  value: number;
  currency?: string;
  path?: string;
  name?: string;
}) {
  return (
    <div class="figure" data-path={props.path} data-figure={props.name} data-value={props.value}>
      <dt>{props.label}</dt>
      <dd>{props.currency === undefined ? count(props.value) : money(props.value, props.currency)}</dd>
    </div>
  );
}

/** A time of the answer as a date and time at the venue (`timeZone`, when known), or as the
 * API wrote it (its own offset) otherwise. */
export function When({ at, timeZone }: { at: string | null; timeZone?: string }) {
  if (at === null) return <>–</>;
  const text =
    timeZone === undefined
      ? at.slice(0, 16).replace("T", " ")
      : new Intl.DateTimeFormat("en-CA", {
          timeZone,
          year: "numeric",
          month: "2-digit",
          day: "2-digit",
          hour: "2-digit",
          minute: "2-digit",
          hourCycle: "h23",
        })
          .format(new Date(at))
          .replace(",", "");
  return <time dateTime={at}>{text}</time>;
}

/** What a venue's report is asked for: the venue and a period of its business days. */
export interface VenueQuery {
  location_id: string;
  period: string;
}

/** A report of one venue over a period (item mix, reconciliation): the venue and period
 * pickers, the API's answer as `render` shows it, and its CSV and export bundle. */
export function VenueReportSection<T>(props: {
  title: string;
  locations: Location[];
  load: (query: VenueQuery) => Promise<T>;
  csv: PathWith<"get">;
  bundle: PathWith<"get">;
  render: (answer: T) => JSX.Element;
}) {
  const { locations } = props;
  const [locationId, setLocationId] = useState(locations[0]?.id ?? "");
  const location = locations.find((each) => each.id === locationId);
  const today = location ? businessDay(location.time_zone, location.business_day_cutoff_hour) : "";
  const [period, setPeriod] = useState(today);
  const query: VenueQuery = { location_id: locationId, period };
  const loaded = useLoad(() => props.load(query), [locationId, period]);
  return (
    <Section title={props.title}>
      <VenuePicker locations={locations} value={locationId} onPick={setLocationId} />
      <PeriodPicker today={today} kinds={["day", "month", "quarter", "year"]} initial="day" onPick={setPeriod} />
      {loaded.loading ? <Loading what={`the ${props.title.toLowerCase()}`} /> : null}
      {loaded.error !== undefined ? <ProblemMessage error={loaded.error} /> : null}
      {loaded.value !== undefined && !loaded.loading ? props.render(loaded.value) : null}
      <div class="downloads">
        <DownloadButton
          label={`Download ${props.title} CSV`}
          path={props.csv}
          query={{ ...query, format: "csv" }}
          accept="text/csv"
        />
        <DownloadButton
          label={`Download ${props.title} bundle`}
          path={props.bundle}
          query={{ ...query }}
          accept="application/zip"
        />
      </div>
    </Section>
  );
}
