// The till's other screens: today's sales and refunds, the sync queue, and the shift (open,
// X report, close with the cash count, Z report).
import { useEffect, useState } from "preact/hooks";
import type { JsonOf } from "./api";
import { ApiProblem, json } from "./api";
import type { ApprovalAsk } from "./parts";
import { ApprovalDialog, Dialog, Money, Problem, useTill } from "./parts";
import { allocate, cashRounding, parseAmount } from "./pricing";
import { ReceiptView } from "./sell";
import type { SyncState } from "./sync";
import { drain, onSync } from "./sync";
import type { Approval, Op, Sale, Shift } from "./till";
import { closeShift, currentShift, lastShift, openShift, recordOnlineRefund, refund, sales } from "./till";

const REASONS: [string, string][] = [
  ["customer_request", "Customer request"],
  ["quality_issue", "Quality issue"],
  ["entered_in_error", "Entered in error"],
  ["item_unavailable", "Item unavailable"],
  ["pricing_error", "Pricing error"],
  ["other", "Other"],
];

/** What whole lines of a sale are worth after the order's discount, as the server shares the
 * discount over the lines (pricing.allocate). */
export function linesWorth(sale: Sale, lineNumbers: number[]): number {
  const grosses = sale.lines.map((line) => line.quantity * line.unitPriceMinor);
  const shares = allocate(sale.priced.discountMinor, grosses);
  return lineNumbers.reduce((sum, number) => sum + (grosses[number - 1] ?? 0) - (shares[number - 1] ?? 0), 0);
}

export function SalesPanel() {
  const till = useTill();
  const [list, setList] = useState<Sale[]>([]);
  const [refunding, setRefunding] = useState<Sale | null>(null);
  const [shown, setShown] = useState<{ sale: Sale; refundId: string } | null>(null);
  useEffect(() => {
    void sales().then(setList);
  }, [refunding, shown]);
  if (shown) return <ReceiptView sale={shown.sale} refundId={shown.refundId} onNext={() => setShown(null)} />;
  const closed = list.filter((sale) => sale.state === "closed");
  const [printed, setPrinted] = useState<ApiProblem | string | null>(null);
  // A copy on paper (an offline receipt, or a lost one): a manager's, online, once synced.
  const mayReprint = till.live && till.person.online && (till.person.role === "owner" || till.person.role === "manager");
  async function reprint(receiptId: string) {
    try {
      await json("POST", `/v1/receipts/${receiptId}/reprint`, { body: { reason: "Copy asked for at the till" }, timeoutMs: 15_000 });
      setPrinted("Sent to the printer.");
    } catch (error) {
      setPrinted(error instanceof ApiProblem ? error : String(error));
    }
  }
  return (
    <section aria-labelledby="sales-title" class="card">
      <h2 id="sales-title">Sales today</h2>
      {closed.length === 0 && <p>No sales at this till yet.</p>}
      <ul class="sales">
        {closed.map((sale) => {
          const number = sale.receipt?.number ?? "(number to follow)";
          const refunded = new Set(sale.refunds.flatMap((r) => r.lineNumbers));
          return (
            <li key={sale.order_id}>
              <span>{number}</span>
              <Money minor={sale.priced.totalMinor} currency={till.currency} />
              {sale.refunds.map((r) => (
                <small key={r.refundId}> refunded {r.receipt.number ?? "(number to follow)"}</small>
              ))}
              <button type="button" class="small" disabled={refunded.size === sale.lines.length || !till.shift} onClick={() => setRefunding(sale)}>
                Refund {number}
              </button>
              {mayReprint && sale.receipt?.receiptId && (
                <button type="button" class="small secondary" onClick={() => void reprint(sale.receipt!.receiptId!)}>
                  Print {number}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {printed && (typeof printed === "string" ? <p class="note">{printed}</p> : <Problem problem={printed} />)}
      {refunding && (
        <RefundDialog sale={refunding} onDone={(sale, refundId) => (setRefunding(null), setShown({ sale, refundId }))} onClose={() => setRefunding(null)} />
      )}
    </section>
  );
}

function RefundDialog({ sale, onDone, onClose }: { sale: Sale; onDone: (sale: Sale, refundId: string) => void; onClose: () => void }) {
  const till = useTill();
  const already = new Set(sale.refunds.flatMap((r) => r.lineNumbers));
  const open = sale.lines.map((_, index) => index + 1).filter((n) => !already.has(n));
  const [picked, setPicked] = useState<Set<number>>(new Set(open));
  const [reason, setReason] = useState("customer_request");
  const [ask, setAsk] = useState<ApprovalAsk | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const number = sale.receipt?.number ?? "(number to follow)";
  const amount = linesWorth(sale, [...picked]);
  const limit = till.data.limits?.value.refund_limit_minor ?? 0;

  const byCard = sale.payments.some((payment) => payment.tender === "card");

  async function write(approval: Approval | null) {
    setProblem(null);
    const lineNumbers = [...picked].sort((a, b) => a - b);
    let done: Sale;
    if (byCard) {
      // Back to a card: the server asks the terminal, online only (docs/pos-client.md).
      try {
        done = await refundOnline(sale, lineNumbers, amount, reason, approval);
      } catch (error) {
        setAsk(null);
        setProblem(error instanceof ApiProblem ? `${error.problem.title}${error.requestId ? ` (request ${error.requestId})` : ""}` : String(error));
        return;
      }
    } else {
      const cashBack = amount + cashRounding(amount, till.data.menu?.value.cash_rounding_minor ?? 1);
      done = await refund(till.person.staffId, sale, till.shift!, lineNumbers, amount, reason, approval, till.live, cashBack);
      void drain();
    }
    onDone(done, done.refunds[done.refunds.length - 1]!.refundId);
  }

  function submit(event: Event) {
    event.preventDefault();
    if (picked.size === 0) return setProblem("Choose at least one line to refund.");
    if (byCard && !till.live) return setProblem("A sale paid by card is refunded to the card, which needs the till online.");
    if (amount <= limit) return void write(null);
    setAsk({ action: "refund", resourceId: sale.order_id, amountMinor: amount, worthMinor: amount });
  }

  if (ask) return <ApprovalDialog ask={ask} onApproved={(approval) => void write(approval)} onClose={onClose} />;
  return (
    <Dialog title={`Refund ${number}`} onClose={onClose}>
      <form onSubmit={submit}>
        <label for="refund-reason">Reason</label>
        <select id="refund-reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)}>
          {REASONS.map(([code, label]) => (
            <option value={code} key={code}>
              {label}
            </option>
          ))}
        </select>
        {open.map((n) => {
          const line = sale.lines[n - 1]!;
          return (
            <label key={n} class="choice">
              <input
                type="checkbox"
                checked={picked.has(n)}
                onChange={() => {
                  const next = new Set(picked);
                  if (next.has(n)) next.delete(n);
                  else next.add(n);
                  setPicked(next);
                }}
              />
              Refund {line.quantity} × {line.name}
            </label>
          );
        })}
        <p>
          Refund <Money minor={amount} field="refund-amount" currency={till.currency} />
        </p>
        <button type="submit">Refund</button>
      </form>
      <Problem problem={problem} />
    </Dialog>
  );
}

type Refunded = JsonOf<"post", "/v1/orders/{order_id}/refunds">;

/** A refund through the online route: the sale must be on the server first (the queue
 * drained), and is refunded with its version, a manager's override token if one was needed,
 * and an Idempotency-Key so a lost answer is asked again without refunding twice. */
async function refundOnline(sale: Sale, lineNumbers: number[], amount: number, reason: string, approval: Approval | null): Promise<Sale> {
  await drain();
  const order = await json<{ version: number }>("GET", `/v1/orders/${sale.order_id}`, { timeoutMs: 15_000 });
  const key = crypto.randomUUID();
  const answer = await json<Refunded>("POST", `/v1/orders/${sale.order_id}/refunds`, {
    body: { version: order.version, reason_code: reason, lines: lineNumbers.map((n) => ({ line_number: n, quantity: sale.lines[n - 1]!.quantity })) },
    headers: { "Idempotency-Key": key, ...(approval?.overrideToken ? { "X-Override-Token": approval.overrideToken } : {}) },
    timeoutMs: 120_000,
  });
  return recordOnlineRefund(sale, {
    refundId: answer.refund.id,
    amountMinor: answer.refund.amount_minor,
    reasonCode: reason,
    lineNumbers,
    receiptNumber: answer.receipt.number,
    approvedBy: approval?.approvedBy ?? null,
  });
}

function describe(op: Op): string {
  const problem = op.answer?.problem as { title?: string; detail?: string; code?: string } | undefined;
  if (problem) return `${problem.title ?? problem.code ?? "Refused"}${problem.detail ? `: ${problem.detail}` : ""}`;
  return `Flagged for review: ${(op.answer?.flags ?? []).join(", ")}`;
}

export function SyncPanel() {
  const [state, setState] = useState<SyncState | null>(null);
  useEffect(() => onSync(setState), []);
  if (!state) return null;
  return (
    <section aria-labelledby="sync-title" class="card">
      <h2 id="sync-title">Sync</h2>
      <dl>
        <dt>Waiting to upload</dt>
        <dd data-field="pending" data-value={state.pending}>
          {state.pending} {state.pending === 1 ? "operation" : "operations"}
        </dd>
        <dt>Last synced</dt>
        <dd data-field="last-synced">
          {state.lastSynced ? <time dateTime={state.lastSynced}>{new Date(state.lastSynced).toLocaleString()}</time> : "never"}
        </dd>
        <dt>Needs a manager's attention</dt>
        <dd data-field="needs-attention" data-value={state.attention.length}>
          {state.attention.length}
        </dd>
        {state.nextTryAt && state.pending > 0 && (
          <>
            <dt>Next try</dt>
            <dd>{new Date(state.nextTryAt).toLocaleTimeString()}</dd>
          </>
        )}
      </dl>
      {state.needsSignIn && (
        <p class="note">Nobody is signed in online at this till: what waits uploads after the next online sign-in.</p>
      )}
      {state.problem && <Problem problem={state.problem} />}
      {state.attention.length > 0 && (
        <ul class="attention">
          {state.attention.map((op) => (
            <li key={op.sequence}>
              #{op.sequence} {op.kind} at <time dateTime={op.occurred_at}>{new Date(op.occurred_at).toLocaleTimeString()}</time>:{" "}
              {describe(op)}
            </li>
          ))}
        </ul>
      )}
      <button type="button" disabled={state.uploading} onClick={() => void drain()}>
        {state.uploading ? "Uploading…" : "Upload now"}
      </button>
    </section>
  );
}

export function OpenShift() {
  const till = useTill();
  const [float, setFloat] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  async function open(event: Event) {
    event.preventDefault();
    const minor = parseAmount(float || "0");
    if (minor === null) return setProblem("Type the float as an amount, e.g. 200.00.");
    till.setShift(await openShift(till.person.staffId, minor));
    void drain();
  }
  return (
    <section aria-labelledby="open-shift-title" class="card">
      <h2 id="open-shift-title">Open a shift</h2>
      <form onSubmit={open}>
        <label for="opening-float">Opening float</label>
        <input id="opening-float" inputMode="decimal" placeholder="200.00" value={float} onInput={(e) => setFloat(e.currentTarget.value)} />
        <button type="submit">Open shift</button>
      </form>
      <Problem problem={problem} />
    </section>
  );
}

type XReport = JsonOf<"get", "/v1/shifts/{shift_id}/x-report">;
type ZReport = JsonOf<"get", "/v1/shifts/{shift_id}/z-report">;

export function ShiftPanel() {
  const till = useTill();
  const [counted, setCounted] = useState("");
  const [x, setX] = useState<XReport | null>(null);
  const [closed, setClosed] = useState<Shift | null>(null);
  const [z, setZ] = useState<ZReport | null>(null);
  const [problem, setProblem] = useState<ApiProblem | string | null>(null);

  useEffect(() => {
    if (!till.shift) void lastShift().then((shift) => shift && setClosed(shift));
  }, [till.shift]);

  // The Z report is the server's: it comes once the close has been uploaded.
  useEffect(() => {
    if (!closed || !till.live) return;
    let stopped = false;
    void (async () => {
      await drain();
      for (let tries = 0; tries < 20 && !stopped; tries++) {
        try {
          setZ(await json<ZReport>("GET", `/v1/shifts/${closed.shift_id}/z-report`, { timeoutMs: 15_000 }));
          return;
        } catch (error) {
          if (!(error instanceof ApiProblem) || error.status !== 404) return setProblem(error instanceof ApiProblem ? error : String(error));
          await new Promise((resolve) => setTimeout(resolve, 1000));
          await drain();
        }
      }
    })();
    return () => {
      stopped = true;
    };
  }, [closed, till.live]);

  async function xReport() {
    setProblem(null);
    try {
      await drain();
      setX(await json<XReport>("GET", `/v1/shifts/${till.shift!.shift_id}/x-report`, { timeoutMs: 15_000 }));
    } catch (error) {
      setProblem(error instanceof ApiProblem ? error : String(error));
    }
  }

  async function close(event: Event) {
    event.preventDefault();
    const cash = parseAmount(counted);
    if (cash === null) return setProblem("Type the cash counted in the drawer, e.g. 412.50.");
    const shift = till.shift!;
    // The card side is what this till's terminal took (the settlement the Z report checks).
    const cardTaken = (await sales())
      .filter((sale) => sale.shift_id === shift.shift_id)
      .flatMap((sale) => sale.payments)
      .filter((payment) => payment.tender === "card")
      .reduce((sum, payment) => sum + payment.amountMinor, 0);
    await closeShift(till.person.staffId, shift, cash, cardTaken);
    const kept = await lastShift();
    till.setShift((await currentShift()) ?? null);
    setClosed(kept ?? null);
    void drain();
  }

  if (!till.shift) {
    return (
      <section aria-labelledby="z-title" class="card">
        <h2 id="z-title">Z report</h2>
        {!closed && <p>No shift has been closed at this till.</p>}
        {closed && !z && <p>{till.live ? "Waiting for halopos to issue the Z report…" : "The Z report comes when the till is online."}</p>}
        {closed?.closed && (
          <p>
            Counted cash <Money minor={closed.closed.countedCashMinor} field="counted-cash" currency={till.currency} />
          </p>
        )}
        {z && <ZFigures report={z} />}
        <Problem problem={problem} />
      </section>
    );
  }
  return (
    <section aria-labelledby="shift-title" class="card">
      <h2 id="shift-title">Shift</h2>
      <p>
        Opened <time dateTime={till.shift.opened_at}>{new Date(till.shift.opened_at).toLocaleString()}</time> with a float of{" "}
        <Money minor={till.shift.float_minor} currency={till.currency} />
      </p>
      <button type="button" disabled={!till.live} onClick={() => void xReport()}>
        X report
      </button>
      {!till.live && <p class="note">The X report needs the till online.</p>}
      {x && (
        <dl>
          <dt>Net sales</dt>
          <dd>
            <Money minor={x.net_sales_minor} field="x-sales" currency={till.currency} />
          </dd>
          <dt>Expected cash</dt>
          <dd>
            <Money minor={x.expected.cash} field="x-expected-cash" currency={till.currency} />
          </dd>
        </dl>
      )}
      <form onSubmit={close}>
        <label for="counted-cash">Counted cash</label>
        <input id="counted-cash" inputMode="decimal" value={counted} onInput={(e) => setCounted(e.currentTarget.value)} />
        <button type="submit">Close shift</button>
      </form>
      <Problem problem={problem} />
    </section>
  );
}

function ZFigures({ report }: { report: ZReport }) {
  const till = useTill();
  return (
    <dl>
      <dt>Orders</dt>
      <dd data-field="z-orders">{report.order_count}</dd>
      <dt>Net sales</dt>
      <dd>
        <Money minor={report.net_sales_minor} field="z-net-sales" currency={till.currency} />
      </dd>
      <dt>Tax</dt>
      <dd>
        <Money minor={report.tax_total_minor} field="z-tax" currency={till.currency} />
      </dd>
      <dt>Cash taken</dt>
      <dd>
        <Money minor={report.payments.cash.amount_minor} field="z-cash" currency={till.currency} />
      </dd>
      <dt>Card taken</dt>
      <dd>
        <Money minor={report.payments.card.amount_minor} field="z-card" currency={till.currency} />
      </dd>
      <dt>Refunds</dt>
      <dd>
        <Money minor={report.refunds.amount_minor} field="z-refunds" currency={till.currency} />
      </dd>
      <dt>Expected cash</dt>
      <dd>
        <Money minor={report.expected.cash} field="expected-cash" currency={till.currency} />
      </dd>
      <dt>Difference</dt>
      <dd>
        <Money minor={report.difference.cash} field="difference" currency={till.currency} />
      </dd>
      <dt>Version</dt>
      <dd data-field="z-version">{report.version}</dd>
    </dl>
  );
}
