// What people type into the menu and tax forms, read into what the API takes: prices in major
// units ("4.50") into integer minor units (450), dates and times into ISO 8601 with an offset.
//
// Prices never pass through floating point: "4.50" is split into its whole and its decimal
// digits as text, and each part is an integer (0.1 + 0.2 is not 0.3, but 4 * 100 + 50 is 450).

/** How many decimals the currency has (2 for AUD and EUR, as Intl knows each currency). */
export function fractionDigits(currency: string): number {
  return (
    new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits ?? 2
  );
}

/** "4.50" (or "4,50", "4.5", "4") in the currency's major units as integer minor units (450);
 * null when it is not an amount: a sign, a thousands separator, more decimals than the
 * currency has. */
export function minorUnits(text: string, currency: string): number | null {
  const digits = fractionDigits(currency);
  const match = /^(\d{1,9})(?:[.,](\d*))?$/.exec(text.trim());
  if (match === null) return null;
  const decimals = match[2] ?? "";
  if (decimals.length > digits) return null;
  return Number(match[1]) * 10 ** digits + Number(decimals.padEnd(digits, "0") || "0");
}

/** Integer minor units as the major units a form shows for editing: 450 → "4.50". */
export function majorUnits(minor: number, currency: string): string {
  const digits = fractionDigits(currency);
  if (digits === 0) return String(minor);
  const scale = 10 ** digits;
  return `${Math.floor(minor / scale)}.${String(minor % scale).padStart(digits, "0")}`;
}

/** The browser's time zone, named for the forms' labels ("Australia/Sydney"). */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** A `datetime-local` value ("2027-01-01T00:00" or with seconds), read in the browser's time
 * zone, as the API wants it: ISO 8601 with the offset then ("2027-01-01T00:00:00+11:00"). */
export function withOffset(local: string): string {
  const at = new Date(local); // a date-time without an offset is local time
  const minutes = -at.getTimezoneOffset();
  const sign = minutes < 0 ? "-" : "+";
  const hours = String(Math.floor(Math.abs(minutes) / 60)).padStart(2, "0");
  const rest = String(Math.abs(minutes) % 60).padStart(2, "0");
  const time = local.length === 16 ? `${local}:00` : local;
  return `${time}${sign}${hours}:${rest}`;
}

/** Whether a `datetime-local` value is still to come by this browser's clock. The API decides
 * by the database's clock, and refuses what is not after it: this only saves asking when the
 * answer is plainly no. */
export function isFuture(local: string): boolean {
  const at = new Date(local).getTime();
  return Number.isFinite(at) && at > Date.now();
}

/** A moment from the API ("2027-01-01T00:00:00+11:00") for reading, in the browser's zone. */
export function moment(iso: string): string {
  return new Intl.DateTimeFormat("en-AU", {
    dateStyle: "medium",
    timeStyle: "short",
  }).format(new Date(iso));
}
