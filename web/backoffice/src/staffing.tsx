// What the staff and devices pages share: a picker for the session's venues (business.ts),
// names for roles, dates as a person reads them, and a confirmation dialog.
import { useEffect, useRef } from "preact/hooks";
import type { ComponentChildren } from "preact";
import type { Role } from "./generated/rbac";

import type { Location } from "./business";

export type Venue = Location;

export function venueName(venues: readonly Venue[] | undefined, id: string): string {
  return venues?.find((venue) => venue.id === id)?.name ?? `Venue ${id.slice(0, 8)}`;
}

export const ROLE_NAMES: Readonly<Record<Role, string>> = {
  owner: "Owner",
  manager: "Manager",
  cashier: "Cashier",
  accountant: "Accountant",
};

/** A moment as the reader's browser shows dates and times (the API's value is kept in the
 * element's `dateTime`). */
export function When({ value }: { value: string | null | undefined }) {
  if (!value) return <span>—</span>;
  const shown = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(
    new Date(value),
  );
  return <time dateTime={value}>{shown}</time>;
}

let dialogs = 0;

/** A modal dialog (the browser's own <dialog>: focus stays in it, Escape cancels) for a
 * confirmation or a small form. `onCancel` closes it; what it holds decides the rest. */
export function Dialog(props: { title: string; onCancel: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useRef(`dialog-${(dialogs += 1)}`);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog !== null && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby={id.current}
      onCancel={(event) => {
        event.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id={id.current}>{props.title}</h2>
      {props.children}
    </dialog>
  );
}

/** Which venues someone works at, or will: every venue, or the ones ticked. */
export function VenuePicker(props: {
  venues: readonly Venue[];
  /** The venues the picker may offer; null: every venue of the business. */
  reach: readonly string[] | null;
  /** Whether "every venue" may be chosen. */
  everyAllowed: boolean;
  legend: string;
}) {
  const offered = props.venues.filter((venue) => props.reach === null || props.reach.includes(venue.id));
  return (
    <fieldset class="venues-picker">
      <legend>{props.legend}</legend>
      {props.everyAllowed && offered.length > 0 ? (
        <>
          <label class="choice">
            <input type="radio" name="reach" value="every" defaultChecked />
            Every venue, and those to come
          </label>
          <label class="choice">
            <input type="radio" name="reach" value="some" />
            Only the venues ticked below
          </label>
        </>
      ) : null}
      {props.everyAllowed && offered.length === 0 ? (
        <p class="hint">Every venue of the business.</p>
      ) : null}
      {offered.map((venue) => (
        <label class="choice" key={venue.id}>
          <input type="checkbox" name="venue" value={venue.id} />
          {venue.name}
        </label>
      ))}
      {offered.length === 0 && !props.everyAllowed ? (
        <p class="hint">You work at no venue, so there is none to choose.</p>
      ) : null}
    </fieldset>
  );
}

/** The venues a form's picker chose: null for every venue. */
export function pickedVenues(form: FormData, everyAllowed: boolean): string[] | null {
  const ticked = form.getAll("venue").map(String).filter((id) => id !== "");
  if (everyAllowed && (form.get("reach") ?? "every") === "every") return null;
  return ticked;
}
