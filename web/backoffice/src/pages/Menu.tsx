// The menu: categories, items with their prices (now, per venue, and changes still to come),
// modifier groups and their modifiers. Everyone with menu:read sees it; the forms are there
// only with menu:write (the API refuses the others anyway).
//
// Every list is the API's cursor-paged answer as it is (newest first, archived ones too, so
// they can be restored); prices are typed in major units and sent as integer minor units
// (amounts.ts). After any change the page reads its lists again, so it shows what the API
// now holds, never a guess of it.
import { useRef, useState } from "preact/hooks";
import type { Schema } from "../../../api";
import type { Session } from "../api";
import { get, may, patch, post, put, request } from "../api";
import { Loading, PagedFooter, ProblemMessage, Section, useLoad, usePaged } from "../components";
import { ActionStatus, FormProblem, allPages, useAction } from "../forms";
import { browserTimeZone, isFuture, majorUnits, minorUnits, moment, withOffset } from "../amounts";
import { money } from "../format";

type Category = Schema<"MenuCategory">;
type Item = Schema<"MenuItem">;
type Group = Schema<"ModifierGroup">;
type Modifier = Schema<"Modifier">;
type TaxCategory = Schema<"TaxCategory">;
type Venue = Schema<"Location">;
type PrinterRole = NonNullable<Category["printer_role"]>;

/** Rows per page of each list; "Show more" reads the next. */
export const PAGE_SIZE = 20;

/** What the forms and tables look names up in: all of the menu's categories and modifier
 * groups, the tax categories (null without tax:read) and the venues this session reaches
 * (`GET /v1/locations`: a manager, those they work at), for the per-venue prices. */
interface Reference {
  currency: string;
  pricesIncludeTax: boolean;
  categories: Category[];
  groups: Group[];
  taxCategories: TaxCategory[] | null;
  venues: Venue[] | null;
}

async function reference(session: Session): Promise<Reference> {
  const [till, categories, groups, taxCategories, places] = await Promise.all([
    get("/v1/menu"),
    allPages((cursor) =>
      get("/v1/menu/categories", { limit: 100, cursor, include_archived: true }),
    ),
    allPages((cursor) =>
      get("/v1/menu/modifier-groups", { limit: 100, cursor, include_archived: true }),
    ),
    may(session, "tax:read") ? get("/v1/tax/categories").then((list) => list.items) : null,
    may(session, "business:read")
      ? allPages((cursor) => get("/v1/locations", { limit: 100, cursor }))
      : null,
  ]);
  return {
    currency: till.currency,
    pricesIncludeTax: till.prices_include_tax,
    categories,
    groups,
    taxCategories,
    venues: places,
  };
}

function nameOf(list: readonly { id: string; name: string }[] | null, id: string): string {
  return list?.find((each) => each.id === id)?.name ?? id;
}

/** A price typed in major units, as minor units, or the form's refusal. */
function priceOf(text: string, currency: string): number {
  const minor = minorUnits(text, currency);
  if (minor === null) {
    throw new FormProblem(`“${text}” is not an amount in ${currency}: write it like 4.50.`);
  }
  return minor;
}

/** A `datetime-local` value as the API's moment, or the form's refusal when it has passed. */
function futureMoment(local: string): string {
  if (!isFuture(local)) {
    throw new FormProblem(
      "A price change applies to sales after it, never to sales already made: choose a " +
        "moment in the future.",
    );
  }
  return withOffset(local);
}

function PriceField(props: { label: string; name: string; currency: string; value: string; set: (value: string) => void }) {
  return (
    <label>
      {props.label} ({props.currency})
      <input
        name={props.name}
        inputMode="decimal"
        autoComplete="off"
        placeholder="4.50"
        value={props.value}
        onInput={(event) => props.set(event.currentTarget.value)}
        required
      />
    </label>
  );
}

function MomentField(props: { value: string; set: (value: string) => void }) {
  return (
    <label>
      From ({browserTimeZone()})
      <input
        name="effective_from"
        type="datetime-local"
        step={1}
        value={props.value}
        onInput={(event) => props.set(event.currentTarget.value)}
        required
      />
    </label>
  );
}

function Status({ archived }: { archived: boolean }) {
  return <span class={archived ? "status archived" : "status"}>{archived ? "Archived" : "Active"}</span>;
}

// ---- categories ---------------------------------------------------------------------------

function PrinterRoleField(props: { value: PrinterRole | ""; set: (value: PrinterRole | "") => void }) {
  return (
    <label>
      Made at
      <select name="printer_role" value={props.value} onChange={(event) => props.set(event.currentTarget.value as PrinterRole | "")}>
        <option value="">nowhere (nothing to prepare)</option>
        <option value="kitchen">the kitchen</option>
        <option value="bar">the bar</option>
      </select>
    </label>
  );
}

function CategoryForm(props: { category?: Category; changed: () => void }) {
  const { category } = props;
  const [name, setName] = useState(category?.name ?? "");
  const [position, setPosition] = useState(String(category?.position ?? 0));
  const [role, setRole] = useState<PrinterRole | "">(category?.printer_role ?? "");
  const action = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    const fields = { name, position: Number(position), printer_role: role === "" ? null : role };
    const ok = await action.run(
      () =>
        category
          ? patch("/v1/menu/categories/{category_id}", { version: category.version, ...fields }, { category_id: category.id })
          : post("/v1/menu/categories", fields),
      category ? `Saved ${name}.` : `Added the category ${name}.`,
    );
    if (ok) {
      if (!category) setName("");
      props.changed();
    }
  };
  return (
    <form class="inline-form" aria-label={category ? `Edit the category ${category.name}` : "New category"} onSubmit={submit}>
      <label>
        Name
        <input name="name" value={name} onInput={(event) => setName(event.currentTarget.value)} required maxLength={120} />
      </label>
      <label>
        Position
        <input name="position" type="number" min={0} value={position} onInput={(event) => setPosition(event.currentTarget.value)} required />
      </label>
      <PrinterRoleField value={role} set={setRole} />
      <button type="submit" disabled={action.busy}>
        {category ? "Save category" : "Add category"}
      </button>
      <ActionStatus action={action} />
    </form>
  );
}

/** Archive or restore: the same PATCH for every kind of menu record. */
function ArchiveButton(props: { what: string; archived: boolean; change: (archived: boolean) => Promise<unknown>; changed: () => void }) {
  const action = useAction();
  const label = props.archived ? `Restore ${props.what}` : `Archive ${props.what}`;
  return (
    <span class="archive">
      <button
        type="button"
        class="secondary"
        disabled={action.busy}
        onClick={async () => {
          if (await action.run(() => props.change(!props.archived), props.archived ? "Restored." : "Archived.")) props.changed();
        }}
      >
        {label}
      </button>
      <ActionStatus action={action} />
    </span>
  );
}

function Categories(props: { session: Session; generation: number; changed: () => void }) {
  const writes = may(props.session, "menu:write");
  const paged = usePaged(
    (cursor) => get("/v1/menu/categories", { limit: PAGE_SIZE, cursor, include_archived: true }),
    [props.generation],
  );
  const [editing, setEditing] = useState<string | null>(null);
  const selected = paged.items.find((each) => each.id === editing);
  return (
    <Section title="Categories">
      <table class="menu-list" data-list="categories">
        <caption>Categories, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Position</th>
            <th scope="col">Made at</th>
            <th scope="col">Status</th>
            {writes ? <th scope="col">Change</th> : null}
          </tr>
        </thead>
        <tbody>
          {paged.items.map((category) => (
            <tr key={category.id} data-id={category.id} data-version={category.version}>
              <th scope="row">{category.name}</th>
              <td class="amount">{category.position}</td>
              <td>{category.printer_role ?? "nowhere"}</td>
              <td><Status archived={category.archived} /></td>
              {writes ? (
                <td>
                  <button type="button" class="secondary" aria-label={`Edit the category ${category.name}`} onClick={() => setEditing(category.id)}>
                    Edit
                  </button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      <PagedFooter paged={paged} what="categories" />
      {writes && selected ? (
        <div class="editor">
          <h3>Edit the category {selected.name}</h3>
          <CategoryForm key={`${selected.id}-${selected.version}`} category={selected} changed={props.changed} />
          <ArchiveButton
            what={`the category ${selected.name}`}
            archived={selected.archived}
            change={(archived) => patch("/v1/menu/categories/{category_id}", { version: selected.version, archived }, { category_id: selected.id })}
            changed={props.changed}
          />
        </div>
      ) : null}
      {writes ? (
        <>
          <h3>Add a category</h3>
          <CategoryForm changed={props.changed} />
        </>
      ) : null}
    </Section>
  );
}

// ---- items --------------------------------------------------------------------------------

interface PickerProps {
  label: string;
  name: string;
  options: readonly { id: string; name: string; archived?: boolean }[];
  value: string;
  set: (value: string) => void;
  /** The option for none (the filter's "every category"); without it, one must be picked. */
  empty?: string;
}

function Picker(props: PickerProps) {
  return (
    <label>
      {props.label}
      <select name={props.name} value={props.value} onChange={(event) => props.set(event.currentTarget.value)} required={props.empty === undefined}>
        {props.empty !== undefined ? <option value="">{props.empty}</option> : null}
        {props.options.map((option) => (
          <option key={option.id} value={option.id}>
            {option.name}
            {option.archived ? " (archived)" : ""}
          </option>
        ))}
      </select>
    </label>
  );
}

function ItemForm(props: { reference: Reference; item?: Item; changed: (item: Item) => void }) {
  const { reference, item } = props;
  const active = <T extends { archived: boolean }>(list: readonly T[]) => list.filter((each) => !each.archived);
  const categories = active(reference.categories);
  const taxCategories = active(reference.taxCategories ?? []);
  const [name, setName] = useState(item?.name ?? "");
  const [categoryId, setCategoryId] = useState(item?.category_id ?? categories[0]?.id ?? "");
  const [taxCategoryId, setTaxCategoryId] = useState(item?.tax_category_id ?? taxCategories[0]?.id ?? "");
  const [price, setPrice] = useState(item ? majorUnits(item.price_minor, reference.currency) : "");
  const [position, setPosition] = useState(String(item?.position ?? 0));
  const [groupIds, setGroupIds] = useState<string[]>(item?.modifier_group_ids ?? []);
  const action = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    let saved: Item | null = null;
    const ok = await action.run(async () => {
      const fields = {
        name,
        category_id: categoryId,
        tax_category_id: taxCategoryId,
        price_minor: priceOf(price, reference.currency),
        position: Number(position),
        modifier_group_ids: groupIds,
      };
      if (item) {
        // Only what changed: a price sent is a price change from now on.
        const changes: Partial<typeof fields> = {};
        for (const key of Object.keys(fields) as (keyof typeof fields)[]) {
          if (JSON.stringify(fields[key]) !== JSON.stringify(item[key])) Object.assign(changes, { [key]: fields[key] });
        }
        if (Object.keys(changes).length === 0) throw new FormProblem("Nothing was changed.");
        saved = await patch("/v1/menu/items/{item_id}", { version: item.version, ...changes }, { item_id: item.id });
      } else {
        saved = await post("/v1/menu/items", fields);
      }
    }, item ? `Saved ${name}.` : `Added ${name}.`);
    if (ok && saved !== null) {
      if (!item) {
        setName("");
        setPrice("");
      }
      props.changed(saved);
    }
  };
  const usable = reference.groups.filter((group) => !group.archived || groupIds.includes(group.id));
  return (
    <form class="inline-form" aria-label={item ? `Edit ${item.name}` : "New item"} onSubmit={submit}>
      <label>
        Name
        <input name="name" value={name} onInput={(event) => setName(event.currentTarget.value)} required maxLength={120} />
      </label>
      <Picker label="Category" name="category" options={categories} value={categoryId} set={setCategoryId} />
      <Picker label="Tax category" name="tax_category" options={taxCategories} value={taxCategoryId} set={setTaxCategoryId} />
      <PriceField label="Price" name="price" currency={reference.currency} value={price} set={setPrice} />
      <label>
        Position
        <input name="position" type="number" min={0} value={position} onInput={(event) => setPosition(event.currentTarget.value)} required />
      </label>
      {usable.length > 0 ? (
        <fieldset>
          <legend>Modifier groups offered</legend>
          {usable.map((group) => (
            <label key={group.id} class="check">
              <input
                type="checkbox"
                name="modifier_group"
                value={group.id}
                checked={groupIds.includes(group.id)}
                onChange={(event) =>
                  setGroupIds(event.currentTarget.checked ? [...groupIds, group.id] : groupIds.filter((id) => id !== group.id))
                }
              />
              {group.name}
            </label>
          ))}
        </fieldset>
      ) : null}
      <button type="submit" disabled={action.busy}>
        {item ? "Save item" : "Add item"}
      </button>
      <ActionStatus action={action} />
    </form>
  );
}

function VenuePriceForm(props: { reference: Reference; item: Item; changed: () => void }) {
  const places = props.reference.venues ?? [];
  const [locationId, setLocationId] = useState(places[0]?.id ?? "");
  const [price, setPrice] = useState("");
  const action = useAction();
  if (places.length === 0) {
    return <p class="notice" role="note">Your session reaches no venue to set a price for.</p>;
  }
  return (
    <form
      class="inline-form"
      aria-label="Set a venue's price"
      onSubmit={async (event) => {
        event.preventDefault();
        const ok = await action.run(
          () =>
            put(
              "/v1/menu/items/{item_id}/location-prices/{location_id}",
              { price_minor: priceOf(price, props.reference.currency) },
              { item_id: props.item.id, location_id: locationId },
            ),
          `Set ${props.item.name}'s price at ${nameOf(places, locationId)}.`,
        );
        if (ok) {
          setPrice("");
          props.changed();
        }
      }}
    >
      <Picker label="Venue" name="venue" options={places} value={locationId} set={setLocationId} />
      <PriceField label="Price there" name="venue_price" currency={props.reference.currency} value={price} set={setPrice} />
      <button type="submit" disabled={action.busy}>Set venue price</button>
      <ActionStatus action={action} />
    </form>
  );
}

function RemoveVenuePrice(props: { item: Item; locationId: string; venue: string; changed: () => void }) {
  const action = useAction();
  return (
    <>
      <button
        type="button"
        class="secondary"
        disabled={action.busy}
        onClick={async () => {
          const path = `/v1/menu/items/${encodeURIComponent(props.item.id)}/location-prices/${encodeURIComponent(props.locationId)}`;
          if (await action.run(() => request("DELETE", path), "Removed.")) props.changed();
        }}
      >
        Use the item's price at {props.venue}
      </button>
      <ActionStatus action={action} />
    </>
  );
}

function SchedulePriceForm(props: { reference: Reference; item?: Item; modifier?: Modifier; changed: () => void }) {
  const { reference, item, modifier } = props;
  const [price, setPrice] = useState("");
  const [from, setFrom] = useState("");
  const [locationId, setLocationId] = useState("");
  const action = useAction();
  const what = item?.name ?? modifier?.name ?? "";
  return (
    <form
      class="inline-form"
      aria-label={`Schedule a price change of ${what}`}
      onSubmit={async (event) => {
        event.preventDefault();
        const ok = await action.run(async () => {
          const change = { price_minor: priceOf(price, reference.currency), effective_from: futureMoment(from) };
          if (item) {
            await post("/v1/menu/items/{item_id}/prices", { ...change, location_id: locationId || null }, { item_id: item.id });
          } else if (modifier) {
            await post("/v1/menu/modifiers/{modifier_id}/prices", change, { modifier_id: modifier.id });
          }
        }, `Scheduled ${what}'s new price.`);
        if (ok) {
          setPrice("");
          setFrom("");
          props.changed();
        }
      }}
    >
      <PriceField label="New price" name="scheduled_price" currency={reference.currency} value={price} set={setPrice} />
      <MomentField value={from} set={setFrom} />
      {item && reference.venues !== null ? (
        <Picker label="For" name="scheduled_venue" options={reference.venues} value={locationId} set={setLocationId} empty="the item's price" />
      ) : null}
      <button type="submit" disabled={action.busy}>Schedule price</button>
      <ActionStatus action={action} />
    </form>
  );
}

function ScheduledPrices(props: { reference: Reference; prices: Item["scheduled_prices"] | Modifier["scheduled_prices"]; forItem: boolean }) {
  if (props.prices.length === 0) return <p>No price changes to come.</p>;
  return (
    <table class="scheduled-prices">
      <caption>Price changes to come, soonest first</caption>
      <thead>
        <tr>
          <th scope="col">From</th>
          <th scope="col">Price</th>
          {props.forItem ? <th scope="col">For</th> : null}
        </tr>
      </thead>
      <tbody>
        {props.prices.map((change) => {
          const venue = "location_id" in change ? change.location_id : null;
          return (
            <tr key={`${change.effective_from}-${venue ?? ""}`} data-price-minor={change.price_minor} data-effective-from={change.effective_from}>
              <th scope="row">{moment(change.effective_from)}</th>
              <td>{money(change.price_minor, props.reference.currency)}</td>
              {props.forItem ? <td>{venue ? nameOf(props.reference.venues, venue) : "the item's price"}</td> : null}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function ItemEditor(props: { session: Session; reference: Reference; itemId: string; generation: number; changed: () => void; close: () => void }) {
  const { reference } = props;
  const writes = may(props.session, "menu:write");
  const loaded = useLoad(() => get("/v1/menu/items/{item_id}", undefined, { item_id: props.itemId }), [props.itemId, props.generation]);
  // The item as last read stays while it is read again after a change, so the forms (and what
  // they said) stay on screen.
  const last = useRef<Item | null>(null);
  if (loaded.value) last.current = loaded.value;
  const item = last.current?.id === props.itemId ? last.current : loaded.value;
  return (
    <div class="editor" data-item={props.itemId}>
      {loaded.loading && !item ? <Loading what="the item" /> : null}
      {loaded.error !== undefined ? <ProblemMessage error={loaded.error} /> : null}
      {item ? (
        <>
          <h3>{item.name}</h3>
          <p>
            {money(item.price_minor, reference.currency)} now
            {reference.pricesIncludeTax ? " (including tax)" : " (before tax)"}, taxed as{" "}
            {nameOf(reference.taxCategories, item.tax_category_id)}.{" "}
            <button type="button" class="secondary" onClick={props.close}>Close</button>
          </p>
          {writes ? (
            <>
              <ItemForm key={`${item.id}-${item.version}`} reference={reference} item={item} changed={props.changed} />
              <ArchiveButton
                what={item.name}
                archived={item.archived}
                change={(archived) => patch("/v1/menu/items/{item_id}", { version: item.version, archived }, { item_id: item.id })}
                changed={props.changed}
              />
            </>
          ) : null}
          <h4>Venue prices</h4>
          {item.location_prices.length === 0 ? (
            <p>Every venue sells it at the item's price.</p>
          ) : (
            <table class="venue-prices">
              <caption>Venues with their own price now</caption>
              <thead>
                <tr>
                  <th scope="col">Venue</th>
                  <th scope="col">Price</th>
                  {writes ? <th scope="col">Change</th> : null}
                </tr>
              </thead>
              <tbody>
                {item.location_prices.map((price) => (
                  <tr key={price.location_id} data-location={price.location_id} data-price-minor={price.price_minor}>
                    <th scope="row">{nameOf(reference.venues, price.location_id)}</th>
                    <td>{money(price.price_minor, reference.currency)}</td>
                    {writes ? (
                      <td>
                        <RemoveVenuePrice item={item} locationId={price.location_id} venue={nameOf(reference.venues, price.location_id)} changed={props.changed} />
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {writes ? <VenuePriceForm reference={reference} item={item} changed={props.changed} /> : null}
          <h4>Price changes to come</h4>
          <ScheduledPrices reference={reference} prices={item.scheduled_prices} forItem />
          {writes ? <SchedulePriceForm reference={reference} item={item} changed={props.changed} /> : null}
        </>
      ) : null}
    </div>
  );
}

function Items(props: { session: Session; reference: Reference; generation: number; changed: () => void }) {
  const { reference } = props;
  const writes = may(props.session, "menu:write");
  const [categoryId, setCategoryId] = useState("");
  const [open, setOpen] = useState<string | null>(null);
  const paged = usePaged(
    (cursor) =>
      get("/v1/menu/items", { limit: PAGE_SIZE, cursor, include_archived: true, category_id: categoryId || undefined }),
    [categoryId, props.generation],
  );
  return (
    <Section title="Items">
      <Picker label="Show the items of" name="filter_category" options={reference.categories} value={categoryId} set={setCategoryId} empty="every category" />
      <table class="menu-list" data-list="items" data-category={categoryId}>
        <caption>Items, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Category</th>
            <th scope="col">Tax</th>
            <th scope="col">Price now</th>
            <th scope="col">Venue prices</th>
            <th scope="col">Changes to come</th>
            <th scope="col">Status</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {paged.items.map((item) => (
            <tr key={item.id} data-id={item.id} data-price-minor={item.price_minor}>
              <th scope="row">{item.name}</th>
              <td>{nameOf(reference.categories, item.category_id)}</td>
              <td>{nameOf(reference.taxCategories, item.tax_category_id)}</td>
              <td class="amount">{money(item.price_minor, reference.currency)}</td>
              <td class="amount">{item.location_prices.length}</td>
              <td class="amount">{item.scheduled_prices.length}</td>
              <td><Status archived={item.archived} /></td>
              <td>
                <button type="button" class="secondary" aria-label={`${writes ? "Edit" : "Open"} ${item.name}`} onClick={() => setOpen(item.id)}>
                  {writes ? "Edit" : "Open"}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <PagedFooter paged={paged} what="items" />
      {open !== null ? (
        <ItemEditor session={props.session} reference={reference} itemId={open} generation={props.generation} changed={props.changed} close={() => setOpen(null)} />
      ) : null}
      {writes ? (
        <>
          <h3>Add an item</h3>
          {reference.categories.some((each) => !each.archived) ? (
            <ItemForm reference={reference} changed={(item) => { setOpen(item.id); props.changed(); }} />
          ) : (
            <p class="notice" role="note">Add a category first: every item is in one.</p>
          )}
        </>
      ) : null}
    </Section>
  );
}

// ---- modifier groups and modifiers --------------------------------------------------------

function GroupForm(props: { group?: Group; changed: () => void }) {
  const { group } = props;
  const [name, setName] = useState(group?.name ?? "");
  const [min, setMin] = useState(String(group?.min_choices ?? 0));
  const [max, setMax] = useState(String(group?.max_choices ?? 1));
  const action = useAction();
  return (
    <form
      class="inline-form"
      aria-label={group ? `Edit the modifier group ${group.name}` : "New modifier group"}
      onSubmit={async (event) => {
        event.preventDefault();
        const fields = { name, min_choices: Number(min), max_choices: Number(max) };
        const ok = await action.run(
          () =>
            group
              ? patch("/v1/menu/modifier-groups/{group_id}", { version: group.version, ...fields }, { group_id: group.id })
              : post("/v1/menu/modifier-groups", fields),
          group ? `Saved ${name}.` : `Added the modifier group ${name}.`,
        );
        if (ok) {
          if (!group) setName("");
          props.changed();
        }
      }}
    >
      <label>
        Name
        <input name="name" value={name} onInput={(event) => setName(event.currentTarget.value)} required maxLength={120} />
      </label>
      <label>
        At least
        <input name="min_choices" type="number" min={0} max={50} value={min} onInput={(event) => setMin(event.currentTarget.value)} required />
      </label>
      <label>
        At most
        <input name="max_choices" type="number" min={1} max={50} value={max} onInput={(event) => setMax(event.currentTarget.value)} required />
      </label>
      <button type="submit" disabled={action.busy}>
        {group ? "Save group" : "Add group"}
      </button>
      <ActionStatus action={action} />
    </form>
  );
}

function ModifierForm(props: { reference: Reference; group: Group; modifier?: Modifier; changed: () => void }) {
  const { reference, group, modifier } = props;
  const [name, setName] = useState(modifier?.name ?? "");
  const [price, setPrice] = useState(modifier ? majorUnits(modifier.price_minor, reference.currency) : "0.00");
  const [position, setPosition] = useState(String(modifier?.position ?? 0));
  const action = useAction();
  return (
    <form
      class="inline-form"
      aria-label={modifier ? `Edit the modifier ${modifier.name}` : `New modifier in ${group.name}`}
      onSubmit={async (event) => {
        event.preventDefault();
        const ok = await action.run(async () => {
          const fields = { name, price_minor: priceOf(price, reference.currency), position: Number(position) };
          if (modifier) {
            const changes: Partial<typeof fields> = {};
            if (fields.name !== modifier.name) changes.name = fields.name;
            if (fields.price_minor !== modifier.price_minor) changes.price_minor = fields.price_minor;
            if (fields.position !== modifier.position) changes.position = fields.position;
            if (Object.keys(changes).length === 0) throw new FormProblem("Nothing was changed.");
            await patch("/v1/menu/modifiers/{modifier_id}", { version: modifier.version, ...changes }, { modifier_id: modifier.id });
          } else {
            await post("/v1/menu/modifier-groups/{group_id}/modifiers", fields, { group_id: group.id });
          }
        }, modifier ? `Saved ${name}.` : `Added ${name} to ${group.name}.`);
        if (ok) {
          if (!modifier) setName("");
          props.changed();
        }
      }}
    >
      <label>
        Name
        <input name="name" value={name} onInput={(event) => setName(event.currentTarget.value)} required maxLength={120} />
      </label>
      <PriceField label="Price" name="price" currency={reference.currency} value={price} set={setPrice} />
      <label>
        Position
        <input name="position" type="number" min={0} value={position} onInput={(event) => setPosition(event.currentTarget.value)} required />
      </label>
      <button type="submit" disabled={action.busy}>
        {modifier ? "Save modifier" : "Add modifier"}
      </button>
      <ActionStatus action={action} />
    </form>
  );
}

function GroupEditor(props: { reference: Reference; group: Group; changed: () => void; close: () => void }) {
  const { reference, group } = props;
  const [modifierId, setModifierId] = useState<string | null>(null);
  const modifier = group.modifiers.find((each) => each.id === modifierId);
  return (
    <div class="editor" data-group={group.id}>
      <h3>
        Edit the modifier group {group.name}{" "}
        <button type="button" class="secondary" onClick={props.close}>Close</button>
      </h3>
      <GroupForm key={`${group.id}-${group.version}`} group={group} changed={props.changed} />
      <ArchiveButton
        what={`the group ${group.name}`}
        archived={group.archived}
        change={(archived) => patch("/v1/menu/modifier-groups/{group_id}", { version: group.version, archived }, { group_id: group.id })}
        changed={props.changed}
      />
      {group.modifiers.length > 0 ? (
        <p>
          {group.modifiers.map((each) => (
            <button key={each.id} type="button" class="secondary" onClick={() => setModifierId(each.id)}>
              Edit the modifier {each.name}
            </button>
          ))}
        </p>
      ) : null}
      {modifier ? (
        <div class="editor">
          <h4>Edit the modifier {modifier.name}</h4>
          <ModifierForm key={`${modifier.id}-${modifier.version}`} reference={reference} group={group} modifier={modifier} changed={props.changed} />
          <ArchiveButton
            what={modifier.name}
            archived={modifier.archived}
            change={(archived) => patch("/v1/menu/modifiers/{modifier_id}", { version: modifier.version, archived }, { modifier_id: modifier.id })}
            changed={props.changed}
          />
          <h4>Price changes to come</h4>
          <ScheduledPrices reference={reference} prices={modifier.scheduled_prices} forItem={false} />
          <SchedulePriceForm reference={reference} modifier={modifier} changed={props.changed} />
        </div>
      ) : null}
      <h4>Add a modifier to {group.name}</h4>
      <ModifierForm reference={reference} group={group} changed={props.changed} />
    </div>
  );
}

function ModifierGroups(props: { session: Session; reference: Reference; generation: number; changed: () => void }) {
  const { reference } = props;
  const writes = may(props.session, "menu:write");
  const [editing, setEditing] = useState<string | null>(null);
  const paged = usePaged(
    (cursor) => get("/v1/menu/modifier-groups", { limit: PAGE_SIZE, cursor, include_archived: true }),
    [props.generation],
  );
  const selected = paged.items.find((each) => each.id === editing);
  return (
    <Section title="Modifier groups">
      <table class="menu-list" data-list="modifier-groups">
        <caption>Modifier groups, newest first, with their modifiers</caption>
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col">Choices</th>
            <th scope="col">Modifiers</th>
            <th scope="col">Status</th>
            {writes ? <th scope="col">Change</th> : null}
          </tr>
        </thead>
        <tbody>
          {paged.items.map((group) => (
            <tr key={group.id} data-id={group.id}>
              <th scope="row">{group.name}</th>
              <td>
                {group.min_choices} to {group.max_choices}
              </td>
              <td>
                <ul class="modifiers">
                  {group.modifiers.map((modifier) => (
                    <li key={modifier.id} data-id={modifier.id} data-price-minor={modifier.price_minor} class={modifier.archived ? "archived" : undefined}>
                      {modifier.name} +{money(modifier.price_minor, reference.currency)}
                      {modifier.archived ? " (archived)" : ""}
                      {modifier.scheduled_prices.length > 0 ? `, ${modifier.scheduled_prices.length} change(s) to come` : ""}
                    </li>
                  ))}
                </ul>
              </td>
              <td><Status archived={group.archived} /></td>
              {writes ? (
                <td>
                  <button type="button" class="secondary" aria-label={`Edit the modifier group ${group.name}`} onClick={() => setEditing(group.id)}>
                    Edit
                  </button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      <PagedFooter paged={paged} what="modifier groups" />
      {writes && selected ? (
        <GroupEditor reference={reference} group={selected} changed={props.changed} close={() => setEditing(null)} />
      ) : null}
      {writes ? (
        <>
          <h3>Add a modifier group</h3>
          <GroupForm changed={props.changed} />
        </>
      ) : null}
    </Section>
  );
}

// ---- the page -----------------------------------------------------------------------------

export function Menu({ session }: { session: Session }) {
  // Bumped by every change: the lists and the reference data are read again from the API.
  const [generation, setGeneration] = useState(0);
  const changed = () => setGeneration((value) => value + 1);
  const loaded = useLoad(() => reference(session), [session.staffId, generation]);
  // The reference of the last load stays in use while the next one loads, so the forms keep
  // what was typed into them.
  const last = useRef<Reference | null>(null);
  if (loaded.value) last.current = loaded.value;
  const current = loaded.value ?? last.current;
  return (
    <>
      <h1>Menu</h1>
      <p>
        {may(session, "menu:write")
          ? "Categories, items and their prices, and the modifiers offered with them. A price typed here applies from now on, or from the moment you schedule it; sales already made keep their prices."
          : "Categories, items and their prices, and the modifiers offered with them (read only for your role)."}
      </p>
      {loaded.error !== undefined ? <ProblemMessage error={loaded.error} /> : null}
      {current === null ? (
        loaded.loading ? <Loading what="the menu" /> : null
      ) : (
        <div data-currency={current.currency}>
          <Categories session={session} generation={generation} changed={changed} />
          <Items session={session} reference={current} generation={generation} changed={changed} />
          <ModifierGroups session={session} reference={current} generation={generation} changed={changed} />
        </div>
      )}
    </>
  );
}
