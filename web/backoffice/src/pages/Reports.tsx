// Reports: of a venue over a period, the daily summary, the item mix (ItemMix.tsx) and the
// payment reconciliation (Reconciliation.tsx); the shifts with their X and Z reports
// (ShiftReports.tsx); and the business's tax report (BAS in Australia, the VAT summary in the
// EU). Each period report has its CSV and its export bundle. The figures are the API's answer
// as it is; the page formats minor units for reading and nothing else.
import { useState } from "preact/hooks";
import type { Schema } from "../../../api";
import type { Session } from "../api";
import { get } from "../api";
import type { Location, TaxReport } from "../components";
import { DownloadButton, Loading, ProblemMessage, Section, taxReport, useLoad } from "../components";
import { businessDay, count, money } from "../format";
import { venues } from "../business";
import { Tenders } from "./Dashboard";
import { linkParameters } from "../route";
import { may } from "../api";
import { CountCell, Figure, MoneyCell, PeriodPicker, VenuePicker } from "./reportParts";
import { ItemMix } from "./ItemMix";
import { Reconciliation } from "./Reconciliation";
import { ShiftReports } from "./ShiftReports";

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
        <Figure name="gross_sales_minor" label="Gross sales" value={totals.gross_sales_minor} currency={currency} />
        <Figure name="discounts_minor" label="Discounts" value={totals.discounts_minor} currency={currency} />
        <Figure name="net_sales_minor" label="Net sales" value={totals.net_sales_minor} currency={currency} />
        <Figure
          name="sales_excluding_tax_minor"
          label="Sales excluding tax"
          value={totals.sales_excluding_tax_minor}
          currency={currency}
        />
        <Figure name="tax_minor" label="Tax" value={totals.tax_minor} currency={currency} />
        <Figure
          name="sales_including_tax_minor"
          label="Sales including tax"
          value={totals.sales_including_tax_minor}
          currency={currency}
        />
        <Figure name="tips_minor" label="Tips" value={totals.tips_minor} currency={currency} />
        <Figure name="rounding_minor" label="Cash rounding" value={totals.rounding_minor} currency={currency} />
        <Figure
          name="average_ticket_minor"
          label="Average ticket"
          value={totals.average_ticket_minor}
          currency={currency}
        />
        <Figure name="refunds.amount_minor" label="Refunds" value={totals.refunds.amount_minor} currency={currency} />
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
      <VenuePicker locations={locations} value={locationId} onPick={setLocationId} />
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
  return <VatSummaryTables report={tax.report} />;
}

/** The VAT summary (UStVA): the form's boxes (Kennzahlen), then net and tax per rate, sales
 * less refunds, and the period's totals, as the API sends them. */
function VatSummaryTables({ report }: { report: Schema<"VatSummary"> }) {
  const { currency } = report;
  return (
    <div class="report" data-report="vat-summary-figures" data-period={report.period.label}>
      <table class="tax-report" data-report="vat-summary" data-period={report.period.label}>
        <caption>
          VAT summary (UStVA), {report.period.label} ({report.period.first_day} to {report.period.last_day},{" "}
          {report.tax_basis === "cash" ? "Ist" : "Soll"}-Versteuerung)
        </caption>
        <thead>
          <tr>
            <th scope="col">Kennzahl</th>
            <th scope="col">Description</th>
            <th scope="col">Base</th>
            <th scope="col">Base in the box (whole euros)</th>
            <th scope="col">Tax</th>
            <th scope="col">Tax the form computes</th>
          </tr>
        </thead>
        <tbody>
          {report.boxes.map((box, index) => (
            <tr key={box.kennzahl} data-label={box.kennzahl}>
              <th scope="row">
                {box.kennzahl}
                {box.tax_kennzahl ? ` / ${box.tax_kennzahl}` : ""}
              </th>
              <td>{box.description}</td>
              <MoneyCell path={`boxes.${index}.base_minor`} minor={box.base_minor} currency={currency} />
              <CountCell path={`boxes.${index}.base_whole_euros`} value={box.base_whole_euros} />
              <MoneyCell path={`boxes.${index}.tax_minor`} minor={box.tax_minor} currency={currency} />
              <MoneyCell path={`boxes.${index}.form_tax_minor`} minor={box.form_tax_minor} currency={currency} />
            </tr>
          ))}
        </tbody>
      </table>
      <table class="vat-rates">
        <caption>Net and tax per rate: sales less refunds</caption>
        <thead>
          <tr>
            <th scope="col">Rate</th>
            <th scope="col">Sales net</th>
            <th scope="col">Sales tax</th>
            <th scope="col">Refunds net</th>
            <th scope="col">Refunds tax</th>
            <th scope="col">Net</th>
            <th scope="col">Tax</th>
          </tr>
        </thead>
        <tbody>
          {report.rates.map((rate, index) => (
            <tr key={rate.rate} data-rate={rate.rate}>
              <th scope="row">{rate.rate} %</th>
              <MoneyCell path={`rates.${index}.sales.net_minor`} minor={rate.sales.net_minor} currency={currency} />
              <MoneyCell path={`rates.${index}.sales.tax_minor`} minor={rate.sales.tax_minor} currency={currency} />
              <MoneyCell path={`rates.${index}.refunds.net_minor`} minor={rate.refunds.net_minor} currency={currency} />
              <MoneyCell path={`rates.${index}.refunds.tax_minor`} minor={rate.refunds.tax_minor} currency={currency} />
              <MoneyCell path={`rates.${index}.net_minor`} minor={rate.net_minor} currency={currency} />
              <MoneyCell path={`rates.${index}.tax_minor`} minor={rate.tax_minor} currency={currency} />
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td colSpan={4} />
            <MoneyCell path="net_minor" minor={report.net_minor} currency={currency} />
            <MoneyCell path="tax_minor" minor={report.tax_minor} currency={currency} />
          </tr>
        </tfoot>
      </table>
    </div>
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

export function Reports({ session }: { session: Session }) {
  const link = linkParameters();
  const linked = link.get("location");
  const period = link.get("period");
  const locations = useLoad(() => venues(), [session.staffId]);
  const known = locations.value;
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
          <ItemMix locations={known} />
          <Reconciliation locations={known} />
          {may(session, "shifts:read") ? <ShiftReports locations={known} /> : null}
          <TaxReportSection today={today} />
        </>
      ) : null}
    </>
  );
}
