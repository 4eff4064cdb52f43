// The sync queue: the operations of the till's log (till.ts) that the server has not taken in
// yet, uploaded in the device's own order to `POST /v1/sync/batches` (docs/sync.md). The log is
// the queue, so it survives reloads and crashes by construction: an upload that died half way
// is sent again, and the server answers what it already had `duplicate`, with its outcome.
//
// One upload at a time per till, across its tabs (a Web Lock). Failures to reach halopos back
// off (1 s doubling to a minute); the queue is tried again after every write, when the network
// comes back, and every 15 seconds.
import type { BatchResult } from "./api";
import { ApiProblem, hasSession, json } from "./api";
import type { Op, OpAnswer, Receipt, Sale } from "./till";
import { asked, database, read, write } from "./store";

const BATCH = 100;
const RETRY_FIRST_MS = 1_000;
const RETRY_MOST_MS = 60_000;
const EVERY_MS = 15_000;

export interface SyncState {
  /** Operations not yet taken in by the server. */
  pending: number;
  /** When the server last took in an upload (ISO), from this till's storage. */
  lastSynced: string | null;
  uploading: boolean;
  /** Why the last upload did not go through, while it does not. */
  problem: ApiProblem | null;
  /** Operations the server kept but refused, or applied with flags for a manager to review. */
  attention: Op[];
  nextTryAt: number | null;
  /** Operations wait, but no session is kept to upload them with: someone must sign in online. */
  needsSignIn: boolean;
}

type Listener = (state: SyncState) => void;

let state: SyncState = {
  pending: 0,
  lastSynced: null,
  uploading: false,
  problem: null,
  attention: [],
  nextTryAt: null,
  needsSignIn: false,
};
const listeners = new Set<Listener>();
const receiptListeners = new Set<(sale: Sale) => void>();

function publish(changes: Partial<SyncState>): void {
  state = { ...state, ...changes };
  for (const listener of listeners) listener(state);
}

export function onSync(listener: Listener): () => void {
  listeners.add(listener);
  listener(state);
  return () => listeners.delete(listener);
}

/** Hears a sale whose receipt the server has just numbered (closed online). */
export function onReceiptNumbered(listener: (sale: Sale) => void): () => void {
  receiptListeners.add(listener);
  return () => receiptListeners.delete(listener);
}

async function queued(limit: number): Promise<Op[]> {
  const db = await database();
  const index = db.transaction("ops").objectStore("ops").index("state");
  const found = (await asked(index.getAll("queued"))) as Op[];
  return found.sort((a, b) => a.sequence - b.sequence).slice(0, limit);
}

export async function refreshCounts(): Promise<void> {
  const db = await database();
  const ops = db.transaction("ops").objectStore("ops");
  const pending = await asked(ops.index("state").count("queued"));
  // By the state index: the done part of the log grows all day and is never read here.
  const refused = (await asked(ops.index("state").getAll("refused"))) as Op[];
  const flagged = (await asked(ops.index("state").getAll("flagged"))) as Op[];
  const lastSynced = (await read<string>("meta", "last-synced")) ?? null;
  publish({ pending, attention: [...refused, ...flagged].sort((a, b) => a.sequence - b.sequence), lastSynced });
}

/** What the answer to one operation means for the till's log. */
function settle(op: Op, answer: OpAnswer): Op["state"] {
  if (answer.status === "rejected") return "refused"; // not stored: a bug to report, shown
  if (answer.state === "pending") return "queued"; // stored, waits for an earlier one: resent
  if (answer.state === "rejected") return "refused";
  // Applied, or waiting for another till's sale; with flags, for a manager's review.
  return (answer.flags ?? []).length > 0 ? "flagged" : "done";
}

async function upload(ops: Op[]): Promise<void> {
  const body = {
    operations: ops.map((op) => ({
      id: op.id,
      sequence: op.sequence,
      occurred_at: op.occurred_at,
      staff_id: op.staff_id,
      kind: op.kind,
      data: op.data,
    })),
  };
  const answer = await json<BatchResult>("POST", "/v1/sync/batches", { body, timeoutMs: 60_000 });
  const numbered: Sale[] = [];
  await write(["ops", "sales", "meta"], async (tx) => {
    const store = tx.objectStore("ops");
    for (const [index, item] of answer.items.entries()) {
      const op = ops[index];
      if (!op || item.id !== op.id) continue;
      const settled: Op = { ...op, state: settle(op, item as OpAnswer), answer: item as OpAnswer };
      store.put(settled);
      const made = (item.result ?? null) as { receipt_number?: string; receipt_id?: string } | null;
      if (made?.receipt_number && (op.kind === "order.close" || op.kind === "refund")) {
        const sale = (await asked(tx.objectStore("sales").get(op.data.order_id as string))) as Sale | undefined;
        if (sale) {
          // The server's number for a receipt it numbered (closed online), and its id.
          const fill = (receipt: Receipt | null) =>
            receipt && receipt.opSequence === op.sequence
              ? { ...receipt, number: receipt.number ?? made.receipt_number ?? null, receiptId: made.receipt_id }
              : receipt;
          const updated: Sale = {
            ...sale,
            receipt: fill(sale.receipt),
            refunds: sale.refunds.map((refund) => ({ ...refund, receipt: fill(refund.receipt) ?? refund.receipt })),
          };
          tx.objectStore("sales").put(updated);
          numbered.push(updated);
        }
      }
    }
    tx.objectStore("meta").put(answer.received_at, "last-synced");
  });
  for (const sale of numbered) for (const listener of receiptListeners) listener(sale);
}

let running: Promise<void> | null = null;
let failures = 0;
let timer: ReturnType<typeof setTimeout> | null = null;

function schedule(delayMs: number): void {
  if (timer !== null) clearTimeout(timer);
  publish({ nextTryAt: Date.now() + delayMs });
  timer = setTimeout(() => void drain(), delayMs);
}

async function drainOnce(): Promise<void> {
  for (;;) {
    const ops = await queued(BATCH);
    publish({ needsSignIn: ops.length > 0 && !hasSession() });
    if (ops.length === 0 || !hasSession()) return;
    publish({ uploading: true });
    const before = ops.map((op) => op.sequence).join();
    await upload(ops);
    await refreshCounts();
    // Everything sent still waits for an earlier operation nobody has: stop, try later.
    const after = (await queued(BATCH)).map((op) => op.sequence).join();
    if (after === before) return;
  }
}

let again = false;

/** Uploads what is queued, now; resolves when the queue is empty or the upload failed. A call
 * while an upload runs is not lost: another round follows it. */
export function drain(): Promise<void> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    try {
      const locks = navigator.locks;
      if (locks) await locks.request("halopos-till-sync", () => drainOnce());
      else await drainOnce();
      failures = 0;
      publish({ problem: null, uploading: false });
      schedule(EVERY_MS);
    } catch (error) {
      failures += 1;
      const wait = Math.min(RETRY_MOST_MS, RETRY_FIRST_MS * 2 ** (failures - 1)) * (0.8 + Math.random() * 0.4);
      publish({ problem: error instanceof ApiProblem ? error : null, uploading: false });
      schedule(wait);
      if (!(error instanceof ApiProblem)) console.warn("sync", error);
    } finally {
      await refreshCounts().catch(() => undefined);
    }
  })().finally(() => {
    running = null;
    if (again) {
      again = false;
      void drain();
    }
  });
  return running;
}

export function startSync(): () => void {
  const now = () => {
    failures = 0;
    void drain();
  };
  window.addEventListener("online", now);
  void refreshCounts().then(() => drain());
  return () => {
    window.removeEventListener("online", now);
    if (timer !== null) clearTimeout(timer);
  };
}

/** For the tests and the status bar: how many operations the server has not taken in. */
export async function pendingCount(): Promise<number> {
  await refreshCounts();
  return state.pending;
}
