// Display only: the API's figures are integer minor units and are never recomputed here; this
// formats them for reading (2 decimals for AUD and EUR, as Intl knows each currency).

export function money(minor: number, currency: string): string {
  const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
    .maximumFractionDigits ?? 2;
  return new Intl.NumberFormat("en", {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
  }).format(minor / 10 ** digits);
}

export function count(value: number): string {
  return new Intl.NumberFormat("en").format(value);
}

/** "2026-12-07" of the business day it is now at a venue: the venue's local date, counted from
 * its cut-off hour (a sale at 01:30 before a 04:00 cut-off belongs to the day before). */
export function businessDay(timeZone: string, cutoffHour: number, now = new Date()): string {
  const shifted = new Date(now.getTime() - cutoffHour * 3_600_000);
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(shifted);
}

/** The calendar date `days` before or after `day` (both "YYYY-MM-DD"). */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
