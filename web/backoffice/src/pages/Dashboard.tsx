// Today and the last 7 business days of each venue, from the daily-summary report: sales,
// orders, average ticket, payments by tender, and a chart of the days' sales. Every figure is
// the API's (two requests per venue: the day, and the seven days before it, so that each total
// on screen is one the API computed); only the display format is the page's.
import type { Schema } from "../../../api";
import type { Session } from "../api";
import { get } from "../api";
import type { Location } from "../components";
import { venues } from "../business";
import { Loading, ProblemMessage, useLoad } from "../components";
import { addDays, businessDay, count, money } from "../format";
import { Figure } from "./reportParts";

type Summary = Schema<"DailySummary">;
type Figures = Schema<"Totals"> | Schema<"DaySummary">;

function Headline({ figures, currency }: { figures: Figures; currency: string }) {
  return (
    <dl class="figures">
      <Figure name="net_sales_minor" label="Net sales" value={figures.net_sales_minor} currency={currency} />
      <Figure name="orders" label="Orders" value={figures.orders} />
      <Figure
        name="average_ticket_minor"
        label="Average ticket"
        value={figures.average_ticket_minor}
        currency={currency}
      />
    </dl>
  );
}

export function Tenders({ figures, currency }: { figures: Figures; currency: string }) {
  if (figures.payments.length === 0) return <p>No payments.</p>;
  return (
    <table class="tenders">
      <caption>Payments by tender</caption>
      <thead>
        <tr>
          <th scope="col">Tender</th>
          <th scope="col">Payments</th>
          <th scope="col">Paid</th>
          <th scope="col">Refunded</th>
          <th scope="col">Net</th>
        </tr>
      </thead>
      <tbody>
        {figures.payments.map((tender) => (
          <tr key={tender.tender} data-tender={tender.tender}>
            <th scope="row">{tender.tender}</th>
            <td>{count(tender.count)}</td>
            <td>{money(tender.paid_minor, currency)}</td>
            <td>{money(tender.refunded_minor, currency)}</td>
            <td data-value={tender.net_minor}>{money(tender.net_minor, currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Net sales per business day as bars: an SVG drawn from the API's days (no script of its
 * own, no inline style), with the figures as text for screen readers. */
function Chart({ days, currency }: { days: Schema<"DaySummary">[]; currency: string }) {
  const width = 320;
  const height = 120;
  const highest = Math.max(1, ...days.map((day) => day.net_sales_minor));
  const slot = width / Math.max(1, days.length);
  const described = days.map((day) => `${day.day}: ${money(day.net_sales_minor, currency)}`).join("; ");
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${width} ${height + 16}`}
      role="img"
      aria-label={`Net sales per business day. ${described}`}
    >
      {days.map((day, index) => {
        const bar = Math.round((Math.max(0, day.net_sales_minor) / highest) * height);
        return (
          <g key={day.day}>
            <rect x={index * slot + 4} y={height - bar} width={slot - 8} height={bar} class="bar">
              <title>{`${day.day}: ${money(day.net_sales_minor, currency)}`}</title>
            </rect>
            <text x={index * slot + slot / 2} y={height + 12} class="chart-label" text-anchor="middle">
              {day.day.slice(5)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function Venue({ location }: { location: Location }) {
  const today = businessDay(location.time_zone, location.business_day_cutoff_hour);
  const loaded = useLoad(
    async (): Promise<[Summary, Summary]> =>
      Promise.all([
        get("/v1/reports/daily-summary", { location_id: location.id, period: today }),
        get("/v1/reports/daily-summary", {
          location_id: location.id,
          from: addDays(today, -7),
          to: addDays(today, -1),
        }),
      ]),
    [location.id, today],
  );
  return (
    <section class="venue" aria-label={location.name} data-location={location.id}>
      <h2>{location.name}</h2>
      {loaded.loading ? <Loading what={`${location.name}'s figures`} /> : null}
      {loaded.error !== undefined ? <ProblemMessage error={loaded.error} /> : null}
      {loaded.value
        ? (() => {
            const [day, week] = loaded.value;
            return (
              <div class="venue-body">
                <div class="period" data-period="today">
                  <h3>Today ({day.period.label})</h3>
                  <Headline figures={day.totals} currency={day.currency} />
                  <Tenders figures={day.totals} currency={day.currency} />
                </div>
                <div class="period" data-period="last-7">
                  <h3>Last 7 business days ({week.period.label})</h3>
                  <Headline figures={week.totals} currency={week.currency} />
                  <Chart days={[...week.days, ...day.days]} currency={week.currency} />
                  <Tenders figures={week.totals} currency={week.currency} />
                </div>
              </div>
            );
          })()
        : null}
    </section>
  );
}

export function Dashboard({ session }: { session: Session }) {
  const locations = useLoad(() => venues(), [session.staffId]);
  return (
    <>
      <h1>Dashboard</h1>
      {locations.loading ? <Loading what="your venues" /> : null}
      {locations.error !== undefined ? <ProblemMessage error={locations.error} /> : null}
      {locations.value?.map((location) => <Venue key={location.id} location={location} />)}
    </>
  );
}
