// A venue's shifts, newest first, a page at a time as the API pages them; opening one shows
// its X report while it is open (read live) or its Z report once closed (as issued, or its
// latest re-issue), from the reports API: the same functions the till's X and Z come from.
import { useState } from "preact/hooks";
import type { Schema } from "../../../api";
import { get } from "../api";
import type { Location } from "../components";
import { Loading, PagedFooter, ProblemMessage, Section, useLoad, usePaged } from "../components";
import { count } from "../format";
import { CountCell, MoneyCell, Figure, VenuePicker, When } from "./reportParts";

type Shift = Schema<"Shift">;
type Report = Schema<"ShiftReport"> | Schema<"ZReport">;
type Status = "" | "open" | "closed";

function isZ(report: Report): report is Schema<"ZReport"> {
  return report.kind === "Z" && "counted" in report;
}

function ShiftReportView(props: { report: Report; venue: Location | undefined; currency: string }) {
  const { report, venue } = props;
  // A shift that took no payment names no currency; its amounts (all 0) are the business's.
  const currency = report.currency ?? props.currency;
  const money = currency;
  const zone = venue?.time_zone;
  const z = isZ(report) ? report : null;
  return (
    <div class="report shift-report" data-report={`shift-${report.kind}`} data-shift={report.shift_id}>
      <h3>
        {z ? "Z report" : "X report"}: register {report.register_number}
        {venue ? `, ${venue.name}` : ""}
      </h3>
      <p>
        Opened <When at={report.opened_at} timeZone={zone} />
        {z ? (
          <>
            , closed <When at={z.closed_at} timeZone={zone} />
            {z.version > 1 ? ` (re-issued: version ${z.version})` : ""}
            {z.force_closed_by ? ", closed with a manager's approval" : ""}
          </>
        ) : (
          <>
            , still open: figures as of <When at={report.as_of} timeZone={zone} />
          </>
        )}
        {z?.note ? `. Note: ${z.note}` : ""}
      </p>
      <dl class="figures">
        <Figure path="order_count" label="Orders" value={report.order_count} />
        <Figure path="open_order_count" label="Orders still open" value={report.open_order_count} />
        <Figure path="covers" label="Covers" value={report.covers} />
        <Figure path="opening_float_minor" label="Opening float" value={report.opening_float_minor} currency={money} />
        <Figure path="gross_sales_minor" label="Gross sales" value={report.gross_sales_minor} currency={money} />
        <Figure path="discounts_minor" label="Discounts" value={report.discounts_minor} currency={money} />
        <Figure path="service_charges_minor" label="Service charges" value={report.service_charges_minor} currency={money} />
        <Figure path="net_sales_minor" label="Net sales" value={report.net_sales_minor} currency={money} />
        <Figure path="tax_total_minor" label="Tax" value={report.tax_total_minor} currency={money} />
        <Figure path="tips_minor" label="Tips" value={report.tips_minor} currency={money} />
        <Figure path="rounding_minor" label="Cash rounding" value={report.rounding_minor} currency={money} />
        <Figure path="paid_in_minor" label="Paid in" value={report.paid_in_minor} currency={money} />
        <Figure path="paid_out_minor" label="Paid out" value={report.paid_out_minor} currency={money} />
        <Figure path="declined_card_attempts" label="Declined card attempts" value={report.declined_card_attempts} />
        <Figure path="timed_out_card_attempts" label="Timed-out card attempts" value={report.timed_out_card_attempts} />
      </dl>
      <table class="drawer">
        <caption>The drawer and the card terminal</caption>
        <thead>
          <tr>
            <th scope="col">Tender</th>
            <th scope="col">Payments</th>
            <th scope="col">Paid</th>
            <th scope="col">Refunded</th>
            <th scope="col">Expected</th>
            {z ? (
              <>
                <th scope="col">Counted</th>
                <th scope="col">Difference</th>
              </>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {(["cash", "card"] as const).map((tender) => (
            <tr key={tender} data-tender={tender}>
              <th scope="row">{tender === "cash" ? "Cash" : "Card"}</th>
              <CountCell path={`payments.${tender}.count`} value={report.payments[tender].count} />
              <MoneyCell path={`payments.${tender}.amount_minor`} minor={report.payments[tender].amount_minor} currency={currency} />
              <MoneyCell path={`refunds.by_tender.${tender}`} minor={report.refunds.by_tender[tender]} currency={currency} />
              <MoneyCell path={`expected.${tender}`} minor={report.expected[tender]} currency={currency} />
              {z ? (
                <>
                  <MoneyCell path={`counted.${tender}`} minor={z.counted[tender]} currency={currency} />
                  <MoneyCell path={`difference.${tender}`} minor={z.difference[tender]} currency={currency} />
                </>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {report.tax.length > 0 ? (
        <table class="tax-rates">
          <caption>Tax per rate</caption>
          <thead>
            <tr>
              <th scope="col">Rate</th>
              <th scope="col">Net</th>
              <th scope="col">Tax</th>
              <th scope="col">Gross</th>
            </tr>
          </thead>
          <tbody>
            {report.tax.map((rate, index) => (
              <tr key={rate.rate}>
                <th scope="row">{rate.rate} %</th>
                <MoneyCell path={`tax.${index}.net_minor`} minor={rate.net_minor} currency={currency} />
                <MoneyCell path={`tax.${index}.tax_minor`} minor={rate.tax_minor} currency={currency} />
                <MoneyCell path={`tax.${index}.gross_minor`} minor={rate.gross_minor} currency={currency} />
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <table class="adjustments">
        <caption>Refunds and voids</caption>
        <thead>
          <tr>
            <th scope="col">What</th>
            <th scope="col">Count</th>
            <th scope="col">Amount</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Refunds</th>
            <CountCell path="refunds.count" value={report.refunds.count} />
            <MoneyCell path="refunds.amount_minor" minor={report.refunds.amount_minor} currency={currency} />
          </tr>
          <tr>
            <th scope="row">Orders voided</th>
            <CountCell path="voids.orders.count" value={report.voids.orders.count} />
            <MoneyCell path="voids.orders.amount_minor" minor={report.voids.orders.amount_minor} currency={currency} />
          </tr>
          <tr>
            <th scope="row">Lines voided</th>
            <CountCell path="voids.lines.count" value={report.voids.lines.count} />
            <MoneyCell path="voids.lines.amount_minor" minor={report.voids.lines.amount_minor} currency={currency} />
          </tr>
          {report.unverified_card ? (
            <tr>
              <th scope="row">Offline card payments not yet settled</th>
              <CountCell path="unverified_card.count" value={report.unverified_card.count} />
              <MoneyCell path="unverified_card.amount_minor" minor={report.unverified_card.amount_minor} currency={currency} />
            </tr>
          ) : null}
          {z?.card_settlement_confirmed ? (
            <tr>
              <th scope="row">Offline card payments settled at close</th>
              <CountCell path="card_settlement_confirmed.count" value={z.card_settlement_confirmed.count} />
              <MoneyCell
                path="card_settlement_confirmed.amount_minor"
                minor={z.card_settlement_confirmed.amount_minor}
                currency={currency}
              />
            </tr>
          ) : null}
        </tbody>
      </table>
      {report.cash_movements.length > 0 ? (
        <table class="cash-movements">
          <caption>Paid in and out</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Reason</th>
              <th scope="col">In or out</th>
              <th scope="col">Amount</th>
            </tr>
          </thead>
          <tbody>
            {report.cash_movements.map((movement, index) => (
              <tr key={`${movement.created_at}-${index}`}>
                <th scope="row">
                  <When at={movement.created_at} timeZone={zone} />
                </th>
                <td>{movement.reason}</td>
                <td>{movement.kind === "paid_in" ? "paid in" : "paid out"}</td>
                <MoneyCell path={`cash_movements.${index}.amount_minor`} minor={movement.amount_minor} currency={currency} />
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

function OpenedShift({ shiftId, venue }: { shiftId: string; venue: Location | undefined }) {
  // An open shift's X report is read live: "Read again" asks for it anew.
  const [reading, setReading] = useState(0);
  const loaded = useLoad(
    async () =>
      Promise.all([
        get("/v1/reports/shifts/{shift_id}", undefined, { shift_id: shiftId }),
        get("/v1/tax/settings"),
      ]),
    [shiftId, reading],
  );
  if (loaded.loading) return <Loading what="the shift's report" />;
  if (loaded.error !== undefined) return <ProblemMessage error={loaded.error} />;
  if (!loaded.value) return null;
  const [report, settings] = loaded.value;
  return (
    <>
      <ShiftReportView report={report} venue={venue} currency={settings.currency} />
      {report.kind === "X" ? (
        <button type="button" onClick={() => setReading((value) => value + 1)}>
          Read the X report again
        </button>
      ) : null}
    </>
  );
}

export function ShiftReports({ locations }: { locations: Location[] }) {
  const [locationId, setLocationId] = useState(locations[0]?.id ?? "");
  const [status, setStatus] = useState<Status>("");
  const [opened, setOpened] = useState<string | null>(null);
  const venue = locations.find((each) => each.id === locationId);
  const zone = venue?.time_zone;
  const shifts = usePaged(
    (cursor) =>
      get("/v1/shifts", {
        location_id: locationId,
        status: status === "" ? undefined : status,
        cursor,
        limit: 20,
      }),
    [locationId, status],
  );
  return (
    <Section title="Shifts">
      <p>A venue's shifts, newest first: open one to see its X report (still open) or Z report (closed).</p>
      <VenuePicker
        locations={locations}
        value={locationId}
        onPick={(id) => {
          setLocationId(id);
          setOpened(null);
        }}
      />
      <label>
        Show
        <select name="status" value={status} onChange={(event) => setStatus(event.currentTarget.value as Status)}>
          <option value="">every shift</option>
          <option value="open">open shifts</option>
          <option value="closed">closed shifts</option>
        </select>
      </label>
      {shifts.items.length > 0 ? (
        <table class="shifts">
          <caption>Shifts{venue ? ` at ${venue.name}` : ""}</caption>
          <thead>
            <tr>
              <th scope="col">Opened</th>
              <th scope="col">Register</th>
              <th scope="col">Status</th>
              <th scope="col">Closed</th>
              <th scope="col">Report</th>
            </tr>
          </thead>
          <tbody>
            {shifts.items.map((shift: Shift) => (
              <tr key={shift.id} data-shift={shift.id} data-status={shift.status}>
                <th scope="row">
                  <When at={shift.opened_at} timeZone={zone} />
                </th>
                <td>R{count(shift.register_number)}</td>
                <td>{shift.status}</td>
                <td>
                  <When at={shift.closed_at} timeZone={zone} />
                </td>
                <td>
                  <button type="button" aria-pressed={opened === shift.id} onClick={() => setOpened(shift.id)}>
                    {shift.status === "open" ? "X report" : "Z report"}
                    <span class="visually-hidden">{` of register ${shift.register_number}, opened ${shift.opened_at}`}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : !shifts.loading && shifts.error === undefined ? (
        <p>No shifts.</p>
      ) : null}
      <PagedFooter paged={shifts} what="shifts" />
      {opened ? <OpenedShift shiftId={opened} venue={venue} /> : null}
    </Section>
  );
}
