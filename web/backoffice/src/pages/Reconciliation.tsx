// Payment reconciliation of a venue over a period: per shift closed in it and per tender, what
// the shift expected against what was counted (the drawer, the card terminal's batch), and
// the difference (+ over, - short). The figures are the shifts' Z reports as the API sends
// them; the page formats them and nothing else.
import type { Schema } from "../../../api";
import { get } from "../api";
import type { Location } from "../components";
import { count } from "../format";
import { MoneyCell, VenueReportSection, When } from "./reportParts";

type ReconciliationAnswer = Schema<"Reconciliation">;
type Tender = Schema<"TenderReconciliation">;

const TENDERS: Record<Tender["tender"], string> = { cash: "Cash", card: "Card" };

function TenderRows(props: { tenders: Tender[]; path: string; currency: string }) {
  return (
    <>
      {props.tenders.map((tender, index) => (
        <tr key={tender.tender} data-tender={tender.tender}>
          <th scope="row">{TENDERS[tender.tender]}</th>
          <MoneyCell path={`${props.path}.${index}.expected_minor`} minor={tender.expected_minor} currency={props.currency} />
          <MoneyCell path={`${props.path}.${index}.counted_minor`} minor={tender.counted_minor} currency={props.currency} />
          <td
            data-path={`${props.path}.${index}.difference_minor`}
            data-value={tender.difference_minor}
            class={tender.difference_minor < 0 ? "short" : tender.difference_minor > 0 ? "over" : undefined}
          >
            <MoneyText minor={tender.difference_minor} currency={props.currency} />
          </td>
        </tr>
      ))}
    </>
  );
}

/** A difference as the drawer reads: "+$0.50 over", "-$1.00 short", "$0.00". */
function MoneyText({ minor, currency }: { minor: number; currency: string }) {
  const text = new Intl.NumberFormat("en", { style: "currency", currency, signDisplay: "exceptZero" });
  const digits = text.resolvedOptions().maximumFractionDigits ?? 2;
  const shown = text.format(minor / 10 ** digits);
  return <>{minor === 0 ? shown : `${shown} ${minor > 0 ? "over" : "short"}`}</>;
}

function TenderTable(props: { caption: string; tenders: Tender[]; path: string; currency: string }) {
  return (
    <table class="reconciliation-tenders">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Tender</th>
          <th scope="col">Expected</th>
          <th scope="col">Counted</th>
          <th scope="col">Difference</th>
        </tr>
      </thead>
      <tbody>
        <TenderRows tenders={props.tenders} path={props.path} currency={props.currency} />
      </tbody>
    </table>
  );
}

function ReconciliationTables({ answer, timeZone }: { answer: ReconciliationAnswer; timeZone: string }) {
  const { currency } = answer;
  return (
    <div
      class="report"
      data-report="reconciliation"
      data-period={answer.period.label}
      data-location={answer.location.id}
    >
      <p>
        {answer.location.name}, {answer.period.label} ({answer.period.first_day} to {answer.period.last_day}),{" "}
        {currency}: {count(answer.shifts.length)} shift(s) closed in the period.
      </p>
      {answer.open_shifts > 0 ? (
        <p class="notice" data-path="open_shifts" data-value={answer.open_shifts}>
          {count(answer.open_shifts)} shift(s) still open at the end of the period: their money is counted
          when they close.
        </p>
      ) : null}
      {answer.totals.length > 0 ? (
        <TenderTable caption="All shifts of the period" tenders={answer.totals} path="totals" currency={currency} />
      ) : null}
      {answer.shifts.map((shift, index) => (
        <div class="shift-reconciliation" key={shift.shift_id} data-shift={shift.shift_id}>
          <h3>
            Register {shift.register_number} ({shift.register_name}), closed <When at={shift.closed_at} timeZone={timeZone} />
          </h3>
          <p>
            Opened by {shift.opened_by_name} at <When at={shift.opened_at} timeZone={timeZone} />, closed by{" "}
            {shift.closed_by_name}; Z report version {shift.z_version}.
          </p>
          <TenderTable
            caption={`Register ${shift.register_number}: expected and counted`}
            tenders={shift.tenders}
            path={`shifts.${index}.tenders`}
            currency={currency}
          />
        </div>
      ))}
    </div>
  );
}

export function Reconciliation({ locations }: { locations: Location[] }) {
  return (
    <VenueReportSection
      title="Payment reconciliation"
      locations={locations}
      load={(query) => get("/v1/reports/reconciliation", query)}
      csv="/v1/reports/reconciliation"
      bundle="/v1/reports/reconciliation/export"
      render={(answer) => (
        <ReconciliationTables
          answer={answer}
          timeZone={answer.location.time_zone}
        />
      )}
    />
  );
}
