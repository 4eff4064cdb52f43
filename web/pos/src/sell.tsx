// Selling: the menu grid by category, modifiers, the sale so far, a discount, payment (cash,
// card, or both) and the receipt. Finishing a cash sale is one write to IndexedDB (till.ts);
// the receipt is on screen as soon as it has committed, online or not.
import { useEffect, useMemo, useState } from "preact/hooks";
import type { TillMenu } from "./api";
import type { JsonOf } from "./api";
import { ApiProblem, json, request } from "./api";
import type { ApprovalAsk } from "./parts";
import { ApprovalDialog, Dialog, Money, Problem, useTill } from "./parts";
import type { Discount } from "./pricing";
import { cashRounding, formatMoney, parseAmount, price } from "./pricing";
import { drain, onReceiptNumbered } from "./sync";
import type { Approval, NewSale, Refund, Sale, SaleLine } from "./till";
import { cashSale, finishSale, openOrder, recordCard, sale as storedSale, unfinishedSale, uuid, voidSale } from "./till";

type Item = TillMenu["categories"][number]["items"][number];

/** The times a sale took from the last tap to the receipt on screen (ms), for the tests'
 * measurement (docs/pos-client.md): read as window.haloposTill.saleTimes. */
export const saleTimes: number[] = [];

export function Sell() {
  const till = useTill();
  const menu = till.data.menu?.value;
  const [category, setCategory] = useState<string | null>(null);
  const [lines, setLines] = useState<SaleLine[]>([]);
  const [choosing, setChoosing] = useState<Item | null>(null);
  const [discount, setDiscount] = useState<{ discount: Discount; approval: Approval | null } | null>(null);
  const [dialog, setDialog] = useState<"discount" | "pay" | null>(null);
  const [done, setDone] = useState<Sale | null>(null);
  // The order's id is the till's, made when the sale starts: a manager's override names it.
  const [orderId, setOrderId] = useState(uuid);
  // The sale once its order is written (sent to halopos for a card): it cannot change any more,
  // only be paid or voided. A reload in the middle of a payment comes back to it.
  const [written, setWritten] = useState<Sale | null>(null);
  const [voiding, setVoiding] = useState<ApprovalAsk | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (!till.shift) return;
    void unfinishedSale(till.shift.shift_id).then((sale) => {
      if (!sale) return;
      setWritten(sale);
      setOrderId(sale.order_id);
      setLines(sale.lines);
      setDiscount(sale.discount ? { discount: sale.discount, approval: null } : null);
    });
  }, [till.shift?.shift_id]);

  const chosen = menu?.categories.find((c) => c.id === category) ?? menu?.categories[0];
  const priced = useMemo(
    () =>
      price(
        lines.map((line) => ({
          quantity: line.quantity,
          unitPriceMinor: line.unitPriceMinor,
          taxRatePercent: line.taxRatePercent,
        })),
        menu?.prices_include_tax ?? true,
        discount?.discount ?? null,
      ),
    [lines, discount, menu],
  );

  if (!menu) {
    return <p class="card">This till has no menu yet: it needs to be online once after signing in.</p>;
  }
  if (done) {
    return <ReceiptView sale={done} onNext={() => setDone(null)} />;
  }

  function startOver() {
    setLines([]);
    setDiscount(null);
    setWritten(null);
    setOrderId(uuid());
  }

  async function voidWritten(approval: Approval | null) {
    setVoiding(null);
    await voidSale(till.person.staffId, written!, "customer_request", approval);
    void drain();
    startOver();
  }

  function askVoid() {
    const sale = written!;
    if (sale.payments.some((payment) => payment.tender === "card")) {
      setProblem("A card was taken for this sale: take the rest, then refund it if the customer wants their money back.");
      return;
    }
    const total = sale.priced.totalMinor;
    if (total <= (till.data.limits?.value.void_limit_minor ?? 0)) void voidWritten(null);
    else setVoiding({ action: "void", resourceId: sale.order_id, amountMinor: total, worthMinor: total });
  }

  function add(item: Item, modifiers: SaleLine["modifiers"]) {
    if (written) return;
    const unit = item.price_minor + modifiers.reduce((sum, m) => sum + m.priceMinor, 0);
    setLines((current) => {
      const same = current.findIndex((line) => line.itemId === item.id && line.modifiers.map((m) => m.id).join() === modifiers.map((m) => m.id).join());
      if (same >= 0) return current.map((line, index) => (index === same ? { ...line, quantity: line.quantity + 1 } : line));
      return [...current, { itemId: item.id, name: item.name, quantity: 1, unitPriceMinor: unit, taxRatePercent: item.tax_rate_percent, modifiers }];
    });
  }

  function tap(item: Item) {
    if (item.modifier_groups.some((group) => group.modifiers.length > 0)) setChoosing(item);
    else add(item, []);
  }

  const newSale = (): NewSale => ({
    orderId,
    staffId: till.person.staffId,
    staffName: till.person.name,
    shift: till.shift!,
    lines,
    discount: discount?.discount ?? null,
    discountApproval: discount?.approval ?? null,
    priced,
  });

  function finished(sale: Sale) {
    setDialog(null);
    setDone(sale);
    startOver();
  }

  return (
    <div class="selling">
      <nav aria-label="Categories" class="categories">
        {menu.categories.map((c) => (
          <button type="button" key={c.id} aria-pressed={c.id === chosen?.id} onClick={() => setCategory(c.id)}>
            {c.name}
          </button>
        ))}
      </nav>
      <section aria-label="Items" class="items">
        {chosen?.items.map((item) => (
          <button type="button" key={item.id} class="item" onClick={() => tap(item)}>
            {item.name}, {formatMoney(item.price_minor, menu.currency)}
          </button>
        ))}
      </section>
      <section aria-labelledby="sale-title" class="sale">
        <h2 id="sale-title">Sale</h2>
        {lines.length === 0 ? (
          <p>Tap an item to start a sale.</p>
        ) : (
          <ul class="lines">
            {lines.map((line, index) => (
              <li key={index}>
                <span>
                  {line.quantity} × {line.name}
                  {line.modifiers.length > 0 && <small> ({line.modifiers.map((m) => m.name).join(", ")})</small>}
                </span>
                <Money minor={line.quantity * line.unitPriceMinor} currency={menu.currency} />
                <button type="button" class="small" aria-label={`Remove ${line.name}`} disabled={written !== null} onClick={() => setLines(lines.filter((_, i) => i !== index))}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        {priced.discountMinor > 0 && (
          <p>
            Discount −<Money minor={priced.discountMinor} field="discount" currency={menu.currency} />
          </p>
        )}
        <p class="total">
          Total <Money minor={priced.totalMinor} field="total" currency={menu.currency} />
        </p>
        <p class="tax">
          {menu.prices_include_tax ? "Includes tax " : "Tax "}
          <Money minor={priced.taxMinor} field="tax" currency={menu.currency} />
        </p>
        <div class="actions">
          <button type="button" disabled={lines.length === 0 || written !== null} onClick={() => setDialog("discount")}>
            Discount
          </button>
          <button type="button" disabled={lines.length === 0} onClick={() => setDialog("pay")}>
            Pay
          </button>
          {written ? (
            <button type="button" class="secondary" onClick={askVoid}>
              Void sale
            </button>
          ) : (
            <button type="button" class="secondary" disabled={lines.length === 0} onClick={startOver}>
              Clear sale
            </button>
          )}
        </div>
        {written && <p class="note">This sale was sent to halopos for a card payment: it can be paid or voided, not changed.</p>}
        <Problem problem={problem} />
      </section>
      {choosing && <ModifierDialog item={choosing} currency={menu.currency} onAdd={(m) => (add(choosing, m), setChoosing(null))} onClose={() => setChoosing(null)} />}
      {dialog === "discount" && (
        <DiscountDialog orderId={orderId} subtotalMinor={priced.subtotalMinor} onApply={(d) => (setDiscount(d), setDialog(null))} onClose={() => setDialog(null)} />
      )}
      {dialog === "pay" && <PayDialog newSale={newSale} written={written} onWritten={setWritten} onDone={finished} onClose={() => setDialog(null)} />}
      {voiding && <ApprovalDialog ask={voiding} onApproved={(approval) => void voidWritten(approval)} onClose={() => setVoiding(null)} />}
    </div>
  );
}

function ModifierDialog({ item, currency, onAdd, onClose }: { item: Item; currency: string; onAdd: (m: SaleLine["modifiers"]) => void; onClose: () => void }) {
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const groups = item.modifier_groups.filter((g) => g.modifiers.length > 0);
  const short = groups.find((g) => g.modifiers.filter((m) => picked.has(m.id)).length < g.min_choices);
  function toggle(groupId: string, modifierId: string, single: boolean) {
    const next = new Set(picked);
    if (single) for (const m of groups.find((g) => g.id === groupId)!.modifiers) next.delete(m.id);
    if (picked.has(modifierId) && !single) next.delete(modifierId);
    else next.add(modifierId);
    const group = groups.find((g) => g.id === groupId)!;
    if (group.modifiers.filter((m) => next.has(m.id)).length > group.max_choices) return;
    setPicked(next);
  }
  return (
    <Dialog title={item.name} onClose={onClose}>
      {groups.map((group) => {
        const single = group.max_choices === 1;
        return (
          <fieldset key={group.id}>
            <legend>
              {group.name}
              {group.min_choices > 0 ? ` (choose ${group.min_choices})` : ""}
            </legend>
            {group.modifiers.map((m) => (
              <label key={m.id} class="choice">
                <input
                  type={single ? "radio" : "checkbox"}
                  name={group.id}
                  checked={picked.has(m.id)}
                  onClick={() => single && picked.has(m.id) && group.min_choices === 0 && setPicked(new Set([...picked].filter((id) => id !== m.id)))}
                  onChange={() => toggle(group.id, m.id, single)}
                />
                {m.name}
                {m.price_minor ? ` +${formatMoney(m.price_minor, currency)}` : ""}
              </label>
            ))}
          </fieldset>
        );
      })}
      <button
        type="button"
        disabled={short !== undefined}
        onClick={() =>
          onAdd(groups.flatMap((g) => g.modifiers.filter((m) => picked.has(m.id)).map((m) => ({ id: m.id, name: m.name, priceMinor: m.price_minor }))))
        }
      >
        Add to sale
      </button>
    </Dialog>
  );
}

function DiscountDialog({ orderId, subtotalMinor, onApply, onClose }: { orderId: string; subtotalMinor: number; onApply: (d: { discount: Discount; approval: Approval | null }) => void; onClose: () => void }) {
  const till = useTill();
  const [percent, setPercent] = useState("");
  const [amount, setAmount] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [ask, setAsk] = useState<{ ask: ApprovalAsk; discount: Discount } | null>(null);
  const limitBps = till.data.limits?.value.discount_limit_bps ?? 0;

  function apply(event: Event) {
    event.preventDefault();
    let discount: Discount;
    if (percent.trim()) {
      const bps = parseAmount(percent); // "12.5" % as 1250 bps: the same two decimals
      if (bps === null || bps > 10_000) return setProblem("Type a percentage between 0 and 100.");
      discount = { kind: "percent", value: bps };
    } else {
      const minor = parseAmount(amount);
      if (minor === null || minor > subtotalMinor) return setProblem("Type an amount up to the sale's subtotal.");
      discount = { kind: "amount", value: minor };
    }
    const off = discount.kind === "percent" ? Math.round((subtotalMinor * discount.value) / 10_000) : discount.value;
    const bps = discount.kind === "percent" ? discount.value : subtotalMinor ? Math.ceil((off * 10_000) / subtotalMinor) : 0;
    if (bps <= limitBps) return onApply({ discount, approval: null });
    // Above the business's limit: a manager approves exactly this discount.
    setAsk({
      discount,
      ask: {
        action: "discount",
        resourceId: orderId,
        ...(discount.kind === "percent" ? { percentBps: discount.value } : { amountMinor: discount.value }),
        worthMinor: off,
      },
    });
  }

  if (ask) {
    return (
      <ApprovalDialog
        ask={ask.ask}
        onApproved={(approval) => onApply({ discount: ask.discount, approval })}
        onClose={onClose}
      />
    );
  }
  return (
    <Dialog title="Discount" onClose={onClose}>
      <form onSubmit={apply}>
        <label for="percent-off">Percent off</label>
        <input id="percent-off" inputMode="decimal" value={percent} onInput={(e) => setPercent(e.currentTarget.value)} />
        <label for="amount-off">Amount off</label>
        <input id="amount-off" inputMode="decimal" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} />
        <button type="submit">Apply</button>
      </form>
      <Problem problem={problem} />
    </Dialog>
  );
}

function PayDialog({
  newSale,
  written: open,
  onWritten: setOpen,
  onDone,
  onClose,
}: {
  newSale: () => NewSale;
  written: Sale | null;
  onWritten: (sale: Sale) => void;
  onDone: (sale: Sale) => void;
  onClose: () => void;
}) {
  const till = useTill();
  const menu = till.data.menu!.value;
  const sale = newSale();
  const paidByCard = open?.payments.reduce((sum, p) => sum + p.amountMinor, 0) ?? 0;
  const remaining = sale.priced.totalMinor - paidByCard;
  const rounding = cashRounding(remaining, menu.cash_rounding_minor);
  const dueCash = remaining + rounding;
  const [cash, setCash] = useState("");
  const [card, setCard] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | string | null>(null);

  async function takeCash(event: Event) {
    event.preventDefault();
    const tendered = cash.trim() === "" ? dueCash : parseAmount(cash);
    if (tendered === null || tendered < dueCash) {
      setProblem(`Cash received must be at least ${formatMoney(dueCash, menu.currency)}.`);
      return;
    }
    const started = performance.now();
    setBusy(true);
    try {
      const done = open
        ? await finishSale(till.person.staffId, open, { tenderedMinor: tendered, roundingMinor: rounding, dueMinor: dueCash }, till.live)
        : await cashSale(sale, tendered, rounding, till.live);
      onDone(done);
      requestAnimationFrame(() => saleTimes.push(performance.now() - started));
      void drain();
    } catch (error) {
      // The write did not commit (storage full or refused): nothing happened, say so.
      setProblem(`The till could not record this sale, so it did not happen: ${String(error)}`);
    } finally {
      setBusy(false);
    }
  }

  async function takeCard(event: Event) {
    event.preventDefault();
    const amount = card.trim() === "" ? remaining : parseAmount(card);
    if (amount === null || amount <= 0 || amount > remaining) {
      setProblem(`A card payment is between 0.01 and ${formatMoney(remaining, menu.currency)}.`);
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      // The order must be on the server before its terminal is asked: write it, upload it.
      const order = open ?? (await openOrder(sale));
      setOpen(order);
      await drain();
      const current = await json<{ version: number }>("GET", `/v1/orders/${order.order_id}`, { timeoutMs: 15_000 });
      const paymentKey = crypto.randomUUID();
      const answer = (await (
        await request("POST", `/v1/orders/${order.order_id}/payments`, {
          body: { version: current.version, tender: "card", amount_minor: amount },
          headers: { "Idempotency-Key": paymentKey },
          timeoutMs: 120_000,
        })
      ).json()) as JsonOf<"post", "/v1/orders/{order_id}/payments">;
      const taken = answer.payment;
      if (!taken || taken.status !== "approved") {
        setProblem(
          taken?.status === "pending"
            ? "The terminal is still deciding. Check it, then try again."
            : "The card was not approved. Try again, or take another payment.",
        );
        return;
      }
      const recorded = await recordCard(order, {
        paymentId: taken.id,
        tender: "card",
        amountMinor: amount,
        card: { scheme: taken.scheme ?? null, last4: taken.last4 ?? null },
      });
      setOpen(recorded);
      setCard("");
      if (amount === remaining) {
        const closed = await finishSale(till.person.staffId, recorded, null, till.live);
        onDone(closed);
        void drain();
      }
    } catch (error) {
      if (error instanceof ApiProblem) setProblem(error);
      else throw error;
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title="Payment" onClose={onClose}>
      <p class="due">
        {paidByCard > 0 ? "Left to pay in cash " : "To pay in cash "}
        <Money minor={dueCash} field="due" currency={menu.currency} />
        {rounding !== 0 && (
          <small>
            {" "}
            (rounded {rounding > 0 ? "up" : "down"} {formatMoney(Math.abs(rounding), menu.currency)} to the nearest coin)
          </small>
        )}
      </p>
      <form onSubmit={takeCash}>
        <label for="cash-received">Cash received</label>
        <input id="cash-received" inputMode="decimal" placeholder={(dueCash / 100).toFixed(2)} value={cash} onInput={(e) => setCash(e.currentTarget.value)} />
        <button type="submit" disabled={busy}>
          Take cash
        </button>
      </form>
      <form onSubmit={takeCard}>
        <label for="card-amount">Card amount</label>
        <input id="card-amount" inputMode="decimal" placeholder={(remaining / 100).toFixed(2)} disabled={!till.live} value={card} onInput={(e) => setCard(e.currentTarget.value)} />
        <button type="submit" disabled={busy || !till.live}>
          Card
        </button>
        {!till.live && <p class="note">Cards need the till online (and someone signed in online): the terminal is asked through halopos.</p>}
      </form>
      <Problem problem={problem} />
    </Dialog>
  );
}

/** A sale's receipt, or with `refundId` the receipt of one of its refunds. The till's own record
 * is read again when the server numbers it (a receipt closed online). */
export function ReceiptView({ sale: shown, refundId, onNext }: { sale: Sale; refundId?: string; onNext: () => void }) {
  const till = useTill();
  const currency = till.currency;
  const [kept, setKept] = useState(shown);
  useEffect(() => {
    const stop = onReceiptNumbered((numbered) => numbered.order_id === shown.order_id && setKept(numbered));
    void storedSale(shown.order_id).then((found) => found && setKept(found));
    return stop;
  }, [shown.order_id]);
  const refund = refundId ? kept.refunds.find((r) => r.refundId === refundId) : undefined;
  if (refund) return <RefundReceipt sale={kept} refund={refund} onNext={onNext} />;
  const sale = kept;
  const cashPayment = sale.payments.find((p) => p.tender === "cash");
  const rounding = sale.payments.reduce((sum, p) => sum + (p.roundingMinor ?? 0), 0);
  return (
    <section aria-labelledby="receipt-title" class="card receipt">
      <h2 id="receipt-title">
        Receipt <span data-field="receipt-number">{sale.receipt?.number ?? "(number to follow)"}</span>
      </h2>
      {sale.receipt?.number === null && <p class="note">The number comes from halopos as soon as this sale reaches it; it is printed then.</p>}
      <p>
        <time dateTime={sale.created_at}>{new Date(sale.created_at).toLocaleString()}</time> · {sale.staffName}
      </p>
      <ul class="lines">
        {sale.lines.map((line, index) => (
          <li key={index}>
            <span>
              {line.quantity} × {line.name}
              {line.modifiers.length > 0 && <small> ({line.modifiers.map((m) => m.name).join(", ")})</small>}
            </span>
            <Money minor={line.quantity * line.unitPriceMinor} currency={currency} />
          </li>
        ))}
      </ul>
      {sale.priced.discountMinor > 0 && (
        <p>
          Discount −<Money minor={sale.priced.discountMinor} currency={currency} />
        </p>
      )}
      <p class="total">
        Total <Money minor={sale.priced.totalMinor} field="receipt-total" currency={currency} />
      </p>
      {rounding !== 0 && (
        <p>
          Cash rounding <Money minor={rounding} field="receipt-rounding" currency={currency} /> · paid{" "}
          <Money minor={sale.priced.totalMinor + rounding} field="receipt-paid" currency={currency} />
        </p>
      )}
      {sale.priced.tax.map((group) => (
        <p class="tax" key={group.ratePercent}>
          Tax {Number(group.ratePercent)}% <Money minor={group.taxMinor} currency={currency} />
        </p>
      ))}
      {sale.payments.map((p) => (
        <p key={p.paymentId}>
          {p.tender === "cash" ? `Cash ${formatMoney(p.tenderedMinor ?? p.amountMinor, currency)}` : `Card ${p.card?.scheme ?? ""} ${p.card?.last4 ? "•••• " + p.card.last4 : ""}`}
          {p.tender === "card" && <Money minor={p.amountMinor} currency={currency} />}
        </p>
      ))}
      <p class="change">
        Change due <Money minor={cashPayment?.changeMinor ?? 0} field="change" currency={currency} />
      </p>
      <button type="button" onClick={onNext}>
        New sale
      </button>
    </section>
  );
}

function RefundReceipt({ sale, refund, onNext }: { sale: Sale; refund: Refund; onNext: () => void }) {
  const till = useTill();
  return (
    <section aria-labelledby="receipt-title" class="card receipt">
      <h2 id="receipt-title">
        Refund receipt <span data-field="receipt-number">{refund.receipt.number ?? "(number to follow)"}</span>
      </h2>
      <p>
        Refund of receipt {sale.receipt?.number ?? "(number to follow)"} ·{" "}
        <time dateTime={refund.createdAt}>{new Date(refund.createdAt).toLocaleString()}</time>
      </p>
      <ul class="lines">
        {refund.lineNumbers.map((n) => {
          const line = sale.lines[n - 1]!;
          return (
            <li key={n}>
              <span>
                {line.quantity} × {line.name}
              </span>
            </li>
          );
        })}
      </ul>
      <p class="total">
        Refunded <Money minor={refund.amountMinor} field="receipt-total" currency={till.currency} />
      </p>
      {refund.cashBackMinor !== undefined && refund.cashBackMinor !== refund.amountMinor && (
        <p>
          Cash back, rounded to the coin <Money minor={refund.cashBackMinor} field="cash-back" currency={till.currency} />
        </p>
      )}
      <button type="button" onClick={onNext}>
        Done
      </button>
    </section>
  );
}
