// Reports: the daily summary of a venue over a period, and the business's tax report (BAS in
// Australia, the VAT summary in the EU), each with its CSV and its export bundle. The figures
// are the API's answer as it is; the page formats minor units for reading and nothing else.
import { useState } from "preact/hooks";
import type { Schema } from "../../../api";
import type { Session } from "../api";
import { get } from "../api";
import type { Location, TaxReport } from "../components";
import { DownloadButton, Loading, ProblemMessage, Section, taxReport, useLoad } from "../components";
import { businessDay, count, money } from "../format";
import { Figure, Tenders, venues } from "./Dashboard";
import { linkParameters } from "../route";

type Kind = "day" | "month" | "quarter" | "year";

function defaultValue(kind: Kind, today: string): string {
  const year = today.slice(0, 4);
  if (kind === "day") return today;
  if (kind === "month") return today.slice(0, 7);
  if (kind === "quarter") return `${year}-Q${Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1}`;
  return year;
}

/** A business day, month, calendar quarter or year, as the report API names periods. */
function PeriodPicker(props: {
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

function DailySummaryTable({ summary }: { summary: Schema<"DailySummary"> }) {
  const { totals, currency } = summary;
  return (
    <div class="daily-summary" data-period={summary.period.label} data-location={summary.location.id}>
      <p>
        {summary.location.name}, {summary.period.label} ({summary.period.first_day} to{" "}
        {summary.period.last_day}), {currency}
        {summary.prices_include_tax ? ", prices include tax" : ""}
      </p>
      <dl class="figures">
        <Figure name="orders" label="Orders" value={totals.orders} />
        <Figure name="covers" label="Covers" value={totals.covers} />
        <Figure name="gross_sales_minor" label="Gross sales" minor={totals.gross_sales_minor} currency={currency} />
        <Figure name="discounts_minor" label="Discounts" minor={totals.discounts_minor} currency={currency} />
        <Figure name="net_sales_minor" label="Net sales" minor={totals.net_sales_minor} currency={currency} />
        <Figure
          name="sales_excluding_tax_minor"
          label="Sales excluding tax"
          minor={totals.sales_excluding_tax_minor}
          currency={currency}
        />
        <Figure name="tax_minor" label="Tax" minor={totals.tax_minor} currency={currency} />
        <Figure
          name="sales_including_tax_minor"
          label="Sales including tax"
          minor={totals.sales_including_tax_minor}
          currency={currency}
        />
        <Figure name="tips_minor" label="Tips" minor={totals.tips_minor} currency={currency} />
        <Figure name="rounding_minor" label="Cash rounding" minor={totals.rounding_minor} currency={currency} />
        <Figure
          name="average_ticket_minor"
          label="Average ticket"
          minor={totals.average_ticket_minor}
          currency={currency}
        />
        <Figure name="refunds.amount_minor" label="Refunds" minor={totals.refunds.amount_minor} currency={currency} />
      </dl>
      <Tenders figures={totals} currency={currency} />
      {summary.days.length > 1 ? (
        <table class="days">
          <caption>Per business day</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Orders</th>
              <th scope="col">Net sales</th>
              <th scope="col">Tax</th>
              <th scope="col">Average ticket</th>
            </tr>
          </thead>
          <tbody>
            {summary.days.map((day) => (
              <tr key={day.day}>
                <th scope="row">{day.day}</th>
                <td>{count(day.orders)}</td>
                <td>{money(day.net_sales_minor, currency)}</td>
                <td>{money(day.tax_minor, currency)}</td>
                <td>{money(day.average_ticket_minor, currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

function DailySummary(props: { locations: Location[]; linked: string | null; period: string | null }) {
  const { locations } = props;
  const [locationId, setLocationId] = useState(props.linked ?? locations[0]?.id ?? "");
  const location = locations.find((each) => each.id === locationId);
  const today = location ? businessDay(location.time_zone, location.business_day_cutoff_hour) : "";
  const [period, setPeriod] = useState(props.period ?? today);
  const loaded = useLoad(
    () => get("/v1/reports/daily-summary", { location_id: locationId, period }),
    [locationId, period],
  );
  const query = { location_id: locationId, period };
  return (
    <Section title="Daily summary">
      <label>
        Venue
        <select name="location" value={locationId} onChange={(e) => setLocationId(e.currentTarget.value)}>
          {locations.map((each) => (
            <option key={each.id} value={each.id}>
              {each.name}
            </option>
          ))}
        </select>
      </label>
      <PeriodPicker today={today} kinds={["day", "month", "quarter", "year"]} initial="day" onPick={setPeriod} />
      {loaded.loading ? <Loading what="the daily summary" /> : null}
      {loaded.error !== undefined ? <ProblemMessage error={loaded.error} /> : null}
      {loaded.value ? <DailySummaryTable summary={loaded.value} /> : null}
      <div class="downloads">
        <DownloadButton label="Download CSV" path="/v1/reports/daily-summary" query={{ ...query, format: "csv" }} accept="text/csv" />
        <DownloadButton label="Download bundle" path="/v1/reports/daily-summary/export" query={query} accept="application/zip" />
      </div>
    </Section>
  );
}

function TaxTable({ tax }: { tax: TaxReport }) {
  if (tax.kind === "bas") {
    const { report } = tax;
    return (
      <table class="tax-report" data-report="bas" data-period={report.period.label}>
        <caption>
          BAS, GST calculation worksheet, {report.period.label} ({report.tax_basis} basis)
        </caption>
        <thead>
          <tr>
            <th scope="col">Label</th>
            <th scope="col">Description</th>
            <th scope="col">Amount</th>
            <th scope="col">Whole dollars</th>
          </tr>
        </thead>
        <tbody>
          {report.labels.map((label) => (
            <tr key={label.label} data-label={label.label}>
              <th scope="row">{label.label}</th>
              <td>{label.description}</td>
              <td data-value={label.amount_minor}>{money(label.amount_minor, report.currency)}</td>
              <td>{count(label.whole_dollars)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  const { report } = tax;
  return (
    <table class="tax-report" data-report="vat-summary" data-period={report.period.label}>
      <caption>
        VAT summary (UStVA), {report.period.label} ({report.tax_basis === "cash" ? "Ist" : "Soll"}-Versteuerung)
      </caption>
      <thead>
        <tr>
          <th scope="col">Kennzahl</th>
          <th scope="col">Description</th>
          <th scope="col">Base</th>
          <th scope="col">Tax</th>
        </tr>
      </thead>
      <tbody>
        {report.boxes.map((box) => (
          <tr key={box.kennzahl} data-label={box.kennzahl}>
            <th scope="row">{box.kennzahl}</th>
            <td>{box.description}</td>
            <td data-value={box.base_minor}>{money(box.base_minor, report.currency)}</td>
            <td data-value={box.tax_minor}>{money(box.tax_minor, report.currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TaxReportSection({ today }: { today: string }) {
  const [period, setPeriod] = useState(today.slice(0, 7));
  const loaded = useLoad(() => taxReport(period), [period]);
  const kind = loaded.value?.kind;
  const title = kind === "vat-summary" ? "VAT summary" : kind === "bas" ? "BAS" : "Tax report";
  const path = kind === "vat-summary" ? "/v1/reports/vat-summary" : "/v1/reports/bas";
  return (
    <Section title={title}>
      <PeriodPicker today={today} kinds={["month", "quarter", "year", "day"]} initial="month" onPick={setPeriod} />
      {loaded.loading ? <Loading what="the tax report" /> : null}
      {loaded.error !== undefined ? <ProblemMessage error={loaded.error} /> : null}
      {loaded.value ? <TaxTable tax={loaded.value} /> : null}
      {kind ? (
        <div class="downloads">
          <DownloadButton label={`Download ${title} CSV`} path={path} query={{ period, format: "csv" }} accept="text/csv" />
          <DownloadButton
            label={`Download ${title} bundle`}
            path={kind === "vat-summary" ? "/v1/reports/vat-summary/export" : "/v1/reports/bas/export"}
            query={{ period }}
            accept="application/zip"
          />
        </div>
      ) : null}
    </Section>
  );
}

/** A venue named only by a link (`#/reports?location=...`) while the business's venues could
 * not be read: its report is still asked for, and the API's answer shown, whatever it is. */
function linkedVenue(id: string): Location {
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return { id, name: `Venue ${id}`, time_zone: timeZone, business_day_cutoff_hour: 0 };
}

export function Reports({ session }: { session: Session }) {
  const link = linkParameters();
  const linked = link.get("location");
  const period = link.get("period");
  const locations = useLoad(() => venues(session), [session.staffId]);
  const known = locations.value ?? (locations.error !== undefined && linked ? [linkedVenue(linked)] : null);
  const first = known?.[0];
  const today = first ? businessDay(first.time_zone, first.business_day_cutoff_hour) : "";
  return (
    <>
      <h1>Reports</h1>
      {locations.loading ? <Loading what="your venues" /> : null}
      {locations.error !== undefined ? <ProblemMessage error={locations.error} /> : null}
      {known ? (
        <>
          <DailySummary locations={known} linked={linked} period={period} />
          <TaxReportSection today={today} />
        </>
      ) : null}
    </>
  );
}
