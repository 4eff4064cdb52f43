// What a cashier does at the till, written ahead: each action becomes one or more operations of
// the sync API (docs/sync.md) and the till's own record of the sale, written to IndexedDB in one
// transaction before the screen moves on. Online and offline write the same operations; the
// sync queue (sync.ts) uploads them in the till's order. The only differences online:
// a close or refund asks the server for its receipt number (no `receipt_sequence`), a manager
// approves with an override token, and a card is charged on the terminal through the server.
import type { Discount, Priced } from "./pricing";
import { asked, read, readAll, write } from "./store";

export type Kind =
  | "shift.open"
  | "order.create"
  | "payment"
  | "order.close"
  | "refund"
  | "order.void"
  | "cash.movement"
  | "shift.close";

/** One entry of the till's log: an operation as `POST /v1/sync/batches` takes it, and where it
 * stands. `queued`: not yet taken in by the server (sent again until it is); `done`: accepted
 * (applied, or waiting for another till's sale); `flagged`: accepted with flags for a
 * manager's review; `refused`: the server kept it and refused it (a manager sees it in the
 * sync review). The till shows the last two under "needs attention". */
export interface Op {
  sequence: number;
  id: string;
  kind: Kind;
  occurred_at: string;
  staff_id: string;
  data: Record<string, unknown>;
  state: "queued" | "done" | "flagged" | "refused";
  answer?: OpAnswer;
}

export interface OpAnswer {
  status: string;
  state?: string | null;
  result?: Record<string, unknown> | null;
  problem?: Record<string, unknown> | null;
  flags?: string[];
}

export interface SaleLine {
  itemId: string;
  name: string;
  quantity: number;
  unitPriceMinor: number;
  taxRatePercent: string;
  modifiers: { id: string; name: string; priceMinor: number }[];
}

export interface Payment {
  paymentId: string;
  tender: "cash" | "card";
  amountMinor: number;
  tenderedMinor?: number;
  changeMinor?: number;
  roundingMinor?: number;
  card?: { scheme: string | null; last4: string | null };
}

export interface Receipt {
  /** null until the server numbers a receipt closed online. */
  number: string | null;
  series: "online" | "offline";
  sequence: number | null;
  /** The operation that numbers it. */
  opSequence: number;
  /** The server's id for it, once the operation has been applied (for a reprint). */
  receiptId?: string;
}

export interface Refund {
  refundId: string;
  amountMinor: number;
  /** Cash handed back, rounded to the coin like cash taken (a cash sale's refund). */
  cashBackMinor?: number;
  reasonCode: string;
  lineNumbers: number[];
  createdAt: string;
  receipt: Receipt;
  approvedBy: string | null;
  approval: "none" | "online" | "offline";
}

export interface Sale {
  order_id: string;
  shift_id: string;
  created_at: string;
  staffId: string;
  staffName: string;
  lines: SaleLine[];
  discount: Discount | null;
  priced: Priced;
  payments: Payment[];
  receipt: Receipt | null;
  refunds: Refund[];
  state: "open" | "closed" | "voided";
}

export interface Shift {
  shift_id: string;
  opened_at: string;
  opened_by: string;
  float_minor: number;
  closed?: { at: string; countedCashMinor: number; countedCardMinor: number; opSequence: number };
}

/** The register the server numbered for this till, with the till's own offline counter. */
export interface RegisterInfo {
  register_id: string;
  register_number: number;
  receipt_prefix: string;
  /** The last offline receipt number this till issued (the server's, or higher). */
  last_offline_receipt_sequence: number;
}

/** The device's counter of operations: the last sequence written. */
interface Counter {
  last: number;
}

export function uuid(): string {
  return crypto.randomUUID();
}

/** The device's time with its UTC offset, as `occurred_at` wants it. */
export function localTime(at = new Date()): string {
  const offset = -at.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, "0");
  return (
    `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}` +
    `T${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}.${pad(at.getMilliseconds(), 3)}` +
    `${sign}${pad(Math.trunc(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`
  );
}

export function offlineNumber(register: RegisterInfo, sequence: number): string {
  return `${register.receipt_prefix}-${String(sequence).padStart(6, "0")}`;
}

/** Writes `ops` (without their sequence) and whatever `also` writes, in one transaction; the
 * ops get the device's next sequence numbers, in order. Resolves with the ops as written. */
async function append(
  staffId: string,
  ops: { kind: Kind; data: Record<string, unknown> }[],
  also: (tx: IDBTransaction, written: Op[]) => void | Promise<void>,
): Promise<Op[]> {
  const at = localTime();
  return write(["ops", "sales", "meta"], async (tx) => {
    const meta = tx.objectStore("meta");
    const counter = ((await asked(meta.get("sequence"))) as Counter | undefined) ?? { last: 0 };
    const written = ops.map((op) => ({
      sequence: ++counter.last,
      id: uuid(),
      kind: op.kind,
      occurred_at: at,
      staff_id: staffId,
      data: op.data,
      state: "queued" as const,
    }));
    for (const op of written) tx.objectStore("ops").add(op);
    meta.put(counter, "sequence");
    await also(tx, written);
    return written;
  });
}

/** After (re)registering: the device's counter never goes below what the server has applied,
 * and the offline series never below the server's last number. */
export async function keepRegister(answer: {
  register_id: string;
  register_number: number;
  receipt_prefix: string;
  last_offline_receipt_sequence: number;
  applied_through: number;
}): Promise<RegisterInfo> {
  return write(["meta"], async (tx) => {
    const meta = tx.objectStore("meta");
    const kept = (await asked(meta.get("register"))) as RegisterInfo | undefined;
    const register: RegisterInfo = {
      register_id: answer.register_id,
      register_number: answer.register_number,
      receipt_prefix: answer.receipt_prefix,
      last_offline_receipt_sequence: Math.max(
        answer.last_offline_receipt_sequence,
        kept?.register_id === answer.register_id ? kept.last_offline_receipt_sequence : 0,
      ),
    };
    meta.put(register, "register");
    const counter = ((await asked(meta.get("sequence"))) as Counter | undefined) ?? { last: 0 };
    if (counter.last < answer.applied_through) meta.put({ last: answer.applied_through }, "sequence");
    return register;
  });
}

export function register(): Promise<RegisterInfo | undefined> {
  return read<RegisterInfo>("meta", "register");
}

export function currentShift(): Promise<Shift | undefined> {
  return read<Shift>("meta", "shift");
}

export async function openShift(staffId: string, floatMinor: number): Promise<Shift> {
  const shift: Shift = { shift_id: uuid(), opened_at: localTime(), opened_by: staffId, float_minor: floatMinor };
  await append(staffId, [{ kind: "shift.open", data: { shift_id: shift.shift_id, opening_float_minor: floatMinor } }], (tx) => {
    tx.objectStore("meta").put(shift, "shift");
  });
  return shift;
}

export async function closeShift(staffId: string, shift: Shift, countedCashMinor: number, countedCardMinor: number): Promise<Op> {
  const [op] = await append(
    staffId,
    [{ kind: "shift.close", data: { shift_id: shift.shift_id, counted: { cash: countedCashMinor, card: countedCardMinor } } }],
    (tx, written) => {
      const closed: Shift = {
        ...shift,
        closed: { at: localTime(), countedCashMinor, countedCardMinor, opSequence: written[0]!.sequence },
      };
      tx.objectStore("meta").put(closed, "last-shift");
      tx.objectStore("meta").delete("shift");
    },
  );
  return op!;
}

export function lastShift(): Promise<Shift | undefined> {
  return read<Shift>("meta", "last-shift");
}

/** The next receipt of this sale or refund: online, the server numbers it when the operation
 * arrives; offline, the next number of the register's offline series, taken in the same
 * transaction that writes the operation (so no number is issued twice or skipped). */
async function nextReceipt(tx: IDBTransaction, online: boolean, opSequence: number): Promise<Receipt> {
  if (online) return { number: null, series: "online", sequence: null, opSequence };
  const meta = tx.objectStore("meta");
  const kept = (await asked(meta.get("register"))) as RegisterInfo | undefined;
  if (!kept) throw new Error("This till has no register yet: connect it to halopos once.");
  kept.last_offline_receipt_sequence += 1;
  meta.put(kept, "register");
  return {
    number: offlineNumber(kept, kept.last_offline_receipt_sequence),
    series: "offline",
    sequence: kept.last_offline_receipt_sequence,
    opSequence,
  };
}

export interface Approval {
  /** Online: the override token a manager's PIN got from the server. */
  overrideToken?: string;
  /** The manager who approved (online: for the till's own record; the token names them). */
  approvedBy?: string;
  /** Offline: the amount the manager approved, checked locally against the offline limit. */
  approvedAmountMinor?: number;
  approvedPercentBps?: number;
}

function approvalData(approval: Approval | null): Record<string, unknown> {
  if (!approval) return {};
  if (approval.overrideToken) return { override_token: approval.overrideToken };
  return {
    approved_by: approval.approvedBy,
    ...(approval.approvedAmountMinor !== undefined ? { approved_amount_minor: approval.approvedAmountMinor } : {}),
    ...(approval.approvedPercentBps !== undefined ? { approved_percent_bps: approval.approvedPercentBps } : {}),
  };
}

export interface NewSale {
  orderId: string;
  staffId: string;
  staffName: string;
  shift: Shift;
  lines: SaleLine[];
  discount: Discount | null;
  discountApproval: Approval | null;
  priced: Priced;
}

function orderCreate(sale: NewSale): { kind: Kind; data: Record<string, unknown> } {
  return {
    kind: "order.create",
    data: {
      order_id: sale.orderId,
      shift_id: sale.shift.shift_id,
      lines: sale.lines.map((line) => ({ item_id: line.itemId, quantity: line.quantity, modifier_ids: line.modifiers.map((m) => m.id) })),
      ...(sale.discount ? { discount: sale.discount } : {}),
      ...approvalData(sale.discountApproval),
      client_total_minor: sale.priced.totalMinor,
    },
  };
}

/** The till's record of a sale just started (its order written at `createdAt`). */
function opened(sale: NewSale, createdAt: string): Sale {
  return {
    order_id: sale.orderId,
    shift_id: sale.shift.shift_id,
    created_at: createdAt,
    staffId: sale.staffId,
    staffName: sale.staffName,
    lines: sale.lines,
    discount: sale.discount,
    priced: sale.priced,
    payments: [],
    receipt: null,
    refunds: [],
    state: "open",
  };
}

/** The receipt of a close or refund operation just appended, in the same transaction: online
 * none yet (the server numbers it); offline the next of the offline series, written into the
 * operation. */
async function numbered(tx: IDBTransaction, op: Op, online: boolean): Promise<Receipt> {
  const receipt = await nextReceipt(tx, online, op.sequence);
  if (receipt.sequence !== null) {
    op.data.receipt_sequence = receipt.sequence;
    tx.objectStore("ops").put(op);
  }
  return receipt;
}

function cashPayment(paymentId: string, due: { tenderedMinor: number; roundingMinor: number; dueMinor: number }): Payment {
  return {
    paymentId,
    tender: "cash",
    amountMinor: due.dueMinor - due.roundingMinor,
    tenderedMinor: due.tenderedMinor,
    changeMinor: due.tenderedMinor - due.dueMinor,
    roundingMinor: due.roundingMinor,
  };
}

/** A sale paid in cash alone, from the first line to the receipt, as one write: the order,
 * the payment and the close. Returns the sale as kept. */
export async function cashSale(sale: NewSale, tenderedMinor: number, roundingMinor: number, online: boolean): Promise<Sale> {
  const paymentId = uuid();
  const shiftId = sale.shift.shift_id;
  let kept: Sale | null = null;
  await append(
    sale.staffId,
    [
      orderCreate(sale),
      { kind: "payment", data: { payment_id: paymentId, order_id: sale.orderId, shift_id: shiftId, tender: "cash", tendered_minor: tenderedMinor } },
      // At the close the server compares what was due: the total and the cash rounding.
      { kind: "order.close", data: { order_id: sale.orderId, shift_id: shiftId, client_total_minor: sale.priced.totalMinor + roundingMinor } },
    ],
    async (tx, written) => {
      const receipt = await numbered(tx, written[2]!, online);
      const dueMinor = sale.priced.totalMinor + roundingMinor;
      kept = {
        ...opened(sale, written[0]!.occurred_at),
        payments: [cashPayment(paymentId, { tenderedMinor, roundingMinor, dueMinor })],
        receipt,
        state: "closed",
      };
      tx.objectStore("sales").put(kept);
    },
  );
  return kept as unknown as Sale;
}

/** The start of a sale the server must see before a card is charged on its terminal. */
export async function openOrder(sale: NewSale): Promise<Sale> {
  let kept: Sale | null = null;
  await append(sale.staffId, [orderCreate(sale)], (tx, written) => {
    kept = opened(sale, written[0]!.occurred_at);
    tx.objectStore("sales").put(kept);
  });
  return kept as unknown as Sale;
}

/** A card the server charged on the terminal: kept with the sale (it is on the server already,
 * so it is no operation to upload). */
export async function recordCard(sale: Sale, payment: Payment): Promise<Sale> {
  const updated: Sale = { ...sale, payments: [...sale.payments, payment] };
  await write(["sales"], (tx) => {
    tx.objectStore("sales").put(updated);
  });
  return updated;
}

/** The rest of an open sale in cash (if any is left), and its close. */
export async function finishSale(
  staffId: string,
  sale: Sale,
  cash: { tenderedMinor: number; roundingMinor: number; dueMinor: number } | null,
  online: boolean,
): Promise<Sale> {
  const paymentId = uuid();
  const ops: { kind: Kind; data: Record<string, unknown> }[] = [];
  if (cash) {
    ops.push({ kind: "payment", data: { payment_id: paymentId, order_id: sale.order_id, shift_id: sale.shift_id, tender: "cash", tendered_minor: cash.tenderedMinor } });
  }
  // What was due at the close: the total and any cash rounding.
  const due = sale.priced.totalMinor + sale.payments.reduce((sum, p) => sum + (p.roundingMinor ?? 0), 0) + (cash?.roundingMinor ?? 0);
  ops.push({ kind: "order.close", data: { order_id: sale.order_id, shift_id: sale.shift_id, client_total_minor: due } });
  let kept: Sale | null = null;
  await append(staffId, ops, async (tx, written) => {
    const receipt = await numbered(tx, written[written.length - 1]!, online);
    const payments = cash ? [...sale.payments, cashPayment(paymentId, cash)] : sale.payments;
    kept = { ...sale, payments, receipt, state: "closed" };
    tx.objectStore("sales").put(kept);
  });
  return kept as unknown as Sale;
}

/** A refund of whole lines of a closed sale. */
export async function refund(
  staffId: string,
  sale: Sale,
  shift: Shift,
  lineNumbers: number[],
  amountMinor: number,
  reasonCode: string,
  approval: Approval | null,
  online: boolean,
  cashBackMinor?: number,
): Promise<Sale> {
  const refundId = uuid();
  let kept: Sale | null = null;
  await append(
    staffId,
    [
      {
        kind: "refund",
        data: {
          refund_id: refundId,
          order_id: sale.order_id,
          shift_id: shift.shift_id,
          reason_code: reasonCode,
          lines: lineNumbers.map((number) => ({ line_number: number, quantity: sale.lines[number - 1]!.quantity })),
          ...approvalData(approval),
          client_total_minor: amountMinor,
        },
      },
    ],
    async (tx, written) => {
      const op = written[0]!;
      const receipt = await numbered(tx, op, online);
      const done: Refund = {
        refundId,
        amountMinor,
        cashBackMinor,
        reasonCode,
        lineNumbers,
        createdAt: op.occurred_at,
        receipt,
        approvedBy: approval?.approvedBy ?? null,
        approval: approval === null ? "none" : approval.overrideToken ? "online" : "offline",
      };
      kept = { ...sale, refunds: [...sale.refunds, done] };
      tx.objectStore("sales").put(kept);
    },
  );
  return kept as unknown as Sale;
}

export async function sales(): Promise<Sale[]> {
  const all = await readAll<Sale>("sales");
  return all.sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
}

export function sale(orderId: string): Promise<Sale | undefined> {
  return read<Sale>("sales", orderId);
}

/** A refund the server made online (back to a card: the terminal gives the money back, so it
 * is a conversation with the server, not an operation to upload). Kept with the sale. */
export async function recordOnlineRefund(
  sale: Sale,
  made: { refundId: string; amountMinor: number; reasonCode: string; lineNumbers: number[]; receiptNumber: string; approvedBy: string | null },
): Promise<Sale> {
  const done: Refund = {
    refundId: made.refundId,
    amountMinor: made.amountMinor,
    reasonCode: made.reasonCode,
    lineNumbers: made.lineNumbers,
    createdAt: localTime(),
    receipt: { number: made.receiptNumber, series: "online", sequence: null, opSequence: 0 },
    approvedBy: made.approvedBy,
    approval: made.approvedBy ? "online" : "none",
  };
  const updated: Sale = { ...sale, refunds: [...sale.refunds, done] };
  await write(["sales"], (tx) => {
    tx.objectStore("sales").put(updated);
  });
  return updated;
}

/** The sale written to the log but not finished (its order was sent for a card), if any: a
 * reload or a crash in the middle of a payment comes back to it. */
export async function unfinishedSale(shiftId: string): Promise<Sale | undefined> {
  return (await readAll<Sale>("sales")).find((sale) => sale.state === "open" && sale.shift_id === shiftId);
}

/** Voids a sale whose order was written but which nobody paid for (a card declined, the
 * customer gone): an `order.void` operation, with a manager's approval above the limit. */
export async function voidSale(staffId: string, sale: Sale, reasonCode: string, approval: Approval | null): Promise<Sale> {
  const voided: Sale = { ...sale, state: "voided" };
  await append(
    staffId,
    [{ kind: "order.void", data: { order_id: sale.order_id, reason_code: reasonCode, ...approvalData(approval) } }],
    (tx) => {
      tx.objectStore("sales").put(voided);
    },
  );
  return voided;
}
