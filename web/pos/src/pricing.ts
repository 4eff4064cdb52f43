// What a sale costs, worked out on the till so it can be shown, paid and printed with the
// network down: the same rules as the server's money engine (services/orders/pricing.py,
// docs/money.md), for what the till sells (lines with modifiers, an order discount). The server
// reprices every sale when it arrives and its figures stand; a till that disagreed would raise
// `total-mismatch` for review, which tests/pos checks never happens.
//
// Integer minor units throughout; tax rates are exact decimal strings ("10.000") taken as
// fractions, and every division is rounded once, half away from zero, with BigInt.

export interface PricedLine {
  quantity: number;
  /** The item's price plus its chosen modifiers', per unit. */
  unitPriceMinor: number;
  /** Percent, as the API writes it: "10.000". */
  taxRatePercent: string;
}

export type Discount = { kind: "percent"; value: number } | { kind: "amount"; value: number };

export interface TaxGroup {
  ratePercent: string;
  netMinor: number;
  taxMinor: number;
  grossMinor: number;
}

export interface Priced {
  subtotalMinor: number;
  discountMinor: number;
  tax: TaxGroup[];
  taxMinor: number;
  totalMinor: number;
}

const BASIS_POINTS = 10_000n;

/** p / q rounded half away from zero (q > 0). */
function roundHalfUp(p: bigint, q: bigint): bigint {
  const magnitude = (2n * (p < 0n ? -p : p) + q) / (2n * q);
  return p < 0n ? -magnitude : magnitude;
}

/** "10.000" as numerator / denominator. */
function fraction(rate: string): [bigint, bigint] {
  const [whole, decimals = ""] = rate.split(".");
  return [BigInt(whole + decimals), 10n ** BigInt(decimals.length)];
}

/** Splits `total` in proportion to `weights`, the shares adding up exactly (largest
 * remainder, ties to the earlier weight), as pricing.allocate does. */
export function allocate(total: number, weights: number[]): number[] {
  if (weights.length === 0) return [];
  const w = weights.every((weight) => weight === 0) ? weights.map(() => 1) : weights;
  const sum = BigInt(w.reduce((a, b) => a + b, 0));
  const big = BigInt(total);
  const shares = w.map((weight) => (big * BigInt(weight)) / sum);
  const remainders = w.map((weight) => (big * BigInt(weight)) % sum);
  let leftover = Number(big - shares.reduce((a, b) => a + b, 0n));
  const order = w.map((_, index) => index).sort((a, b) => (remainders[b]! > remainders[a]! ? 1 : remainders[b]! < remainders[a]! ? -1 : a - b));
  for (const index of order) {
    if (leftover-- <= 0) break;
    shares[index]! += 1n;
  }
  return shares.map(Number);
}

function discountOff(discount: Discount | null, amount: number): number {
  if (discount === null) return 0;
  if (discount.kind === "percent") return Number(roundHalfUp(BigInt(amount) * BigInt(discount.value), BASIS_POINTS));
  return Math.min(discount.value, amount);
}

export function price(lines: PricedLine[], pricesIncludeTax: boolean, discount: Discount | null): Priced {
  const grosses = lines.map((line) => line.quantity * line.unitPriceMinor);
  const subtotal = grosses.reduce((a, b) => a + b, 0);
  const orderDiscount = discountOff(discount, subtotal);
  const shares = allocate(orderDiscount, grosses);
  // "10" and "10.000" are one rate: grouped by the rate's value, shown as first written.
  const perRate = new Map<string, { rate: string; amount: number }>();
  lines.forEach((line, index) => {
    const key = line.taxRatePercent.includes(".") ? line.taxRatePercent.replace(/\.?0+$/, "") : line.taxRatePercent;
    const group = perRate.get(key) ?? { rate: line.taxRatePercent, amount: 0 };
    group.amount += grosses[index]! - shares[index]!;
    perRate.set(key, group);
  });
  const tax: TaxGroup[] = [...perRate.values()]
    .map(({ rate, amount }) => {
      const [n, d] = fraction(rate);
      const a = BigInt(amount);
      if (pricesIncludeTax) {
        const taxMinor = Number(roundHalfUp(a * n, 100n * d + n));
        return { ratePercent: rate, netMinor: amount - taxMinor, taxMinor, grossMinor: amount };
      }
      const taxMinor = Number(roundHalfUp(a * n, 100n * d));
      return { ratePercent: rate, netMinor: amount, taxMinor, grossMinor: amount + taxMinor };
    })
    .sort((x, y) => {
      const [xn, xd] = fraction(x.ratePercent);
      const [yn, yd] = fraction(y.ratePercent);
      return yn * xd > xn * yd ? 1 : yn * xd < xn * yd ? -1 : 0;
    });
  return {
    subtotalMinor: subtotal,
    discountMinor: orderDiscount,
    tax,
    taxMinor: tax.reduce((a, group) => a + group.taxMinor, 0),
    totalMinor: tax.reduce((a, group) => a + group.grossMinor, 0),
  };
}

/** The adjustment that makes a cash amount payable in the smallest coin (AUD: 5c), as
 * pricing.cash_rounding: 1, 2 down; 3, 4 up; an exact tie away from zero. */
export function cashRounding(amount: number, increment: number): number {
  if (increment <= 1) return 0;
  const magnitude = Math.abs(amount);
  const remainder = magnitude % increment;
  if (remainder === 0) return 0;
  const adjustment = 2 * remainder >= increment ? increment - remainder : -remainder;
  return amount < 0 ? -adjustment : adjustment;
}

/** "4.50" (what a cashier types) as 450, without floating point; null if it is not an amount. */
export function parseAmount(text: string): number | null {
  const match = /^\s*(\d{1,9})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}

export function formatMoney(minor: number, currency: string): string {
  return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(minor / 100);
}
