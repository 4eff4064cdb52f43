// What the till's scenario scripts share (online_sale, offline_day, killed_upload, two_tills;
// each run by its tests/pos/test_<name>.py): a cashier's and a manager's steps at the till,
// driven by the accessible names of the till's screens (the contract the screens are built
// to), the queue's state, and the time from a sale's last tap to its receipt.
//
// The business is tests/pos/till_business.py's café, handed over in config.business
// (people by display name and PIN, items by their button's name, the menu's categories).

/** Polls `check` (an async function of the page, evaluated in it) until it is true. Not
 * page.waitForFunction: that takes the promise an async function returns for a true value. */
export async function until(page, check, { timeout, every = 250, what = "the page" } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await page.evaluate(check)) return;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}

// A till waits for halopos up to 15 s between probes of /healthz (docs/pos-client.md), and an
// upload backs off up to a minute: generous waits, a safety net rather than a measurement.
const STATUS_MS = 45_000;
const DRAIN_MS = 180_000;

/** Opens the backoffice's QR link for `code` and activates the till as `name`. */
export async function activate(page, base, code, name) {
  await page.goto(`${base}/pos/#activate=${encodeURIComponent(code)}`);
  await page.getByLabel("Activation code").waitFor();
  await page.getByLabel("Name of this till", { exact: false }).fill(name);
  await page.getByRole("button", { name: "Activate" }).click();
  await page.getByRole("heading", { name, level: 1 }).waitFor();
}

/** Waits for the status bar to say "Online" or "Offline". */
export async function status(page, word) {
  await page.getByRole("status").filter({ hasText: word }).waitFor({ timeout: STATUS_MS });
}

/** Cuts the network (or brings it back) and waits until the till says so. */
export async function network(page, online) {
  await page.context().setOffline(!online);
  await status(page, online ? "Online" : "Offline");
}

/** Waits until the till has kept what it sells with (IndexedDB "halopos-pos-till", store
 * "cache": the menu and the override limits, read after a sign-in), so that the network can
 * be cut: before that, a till has nothing to sell offline. */
export async function keptForOffline(page) {
  await until(
    page,
    async () => {
      const db = await new Promise((resolve, reject) => {
        const opening = indexedDB.open("halopos-pos-till");
        opening.onsuccess = () => resolve(opening.result);
        opening.onerror = () => reject(opening.error);
      });
      try {
        if (!db.objectStoreNames.contains("cache")) return false;
        const keys = await new Promise((resolve, reject) => {
          const asked = db.transaction("cache").objectStore("cache").getAllKeys();
          asked.onsuccess = () => resolve(asked.result);
          asked.onerror = () => reject(asked.error);
        });
        return keys.includes("menu") && keys.includes("limits");
      } finally {
        db.close();
      }
    },
    { timeout: 30_000, what: "keeping the menu and limits for offline" },
  );
}

/** Signs `person` ({name, pin}) in with their PIN, from the roster's buttons. */
export async function signIn(page, person) {
  await page.getByRole("heading", { name: "Who is signing in?" }).waitFor();
  await page.getByRole("button", { name: person.name }).click();
  await page.getByLabel("PIN", { exact: true }).fill(person.pin);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

export async function signOut(page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Who is signing in?" }).waitFor();
}

/** After a reload or a restart: where the till opened (signed in, or at the PIN pad), signing
 * `person` in again if it asks. Returns which it was. */
export async function signedInAfterReload(page, person) {
  const pad = page.getByRole("heading", { name: "Who is signing in?" });
  const bar = page.getByRole("button", { name: "Sign out" });
  await pad.or(bar).first().waitFor();
  if (await bar.isVisible()) return "still signed in";
  await signIn(page, person);
  return "signed in again";
}

/** Opens a shift with `float` ("200.00") if the register has none; true if it opened one. */
export async function openShift(page, float) {
  const heading = page.getByRole("heading", { name: "Open a shift" });
  const selling = page.getByRole("navigation", { name: "Categories" });
  await heading.or(selling).first().waitFor();
  if (!(await heading.isVisible())) return false;
  await page.getByLabel("Opening float").fill(float);
  await page.getByRole("button", { name: "Open shift" }).click();
  await selling.waitFor();
  return true;
}

/** Back to the selling screen from wherever the till is (a receipt, another panel). */
export async function toSelling(page) {
  // A sale's receipt ends with "New sale", a refund's with "Done".
  for (const name of ["New sale", "Done"]) {
    const next = page.getByRole("button", { name, exact: true });
    if (await next.isVisible()) await next.click();
  }
  const categories = page.getByRole("navigation", { name: "Categories" });
  if (!(await categories.isVisible())) {
    // The contract names no button back to selling; the till's top bar has one named "Sell".
    await page.getByRole("button", { name: "Sell", exact: true }).click();
  }
  await categories.waitFor();
}

/** Adds an item (by name, from config.business.items) with its modifiers (by name). */
export async function addItem(page, business, name, modifiers = []) {
  const item = business.items[name];
  const category = page
    .getByRole("navigation", { name: "Categories" })
    .getByRole("button", { name: item.category, exact: true });
  if ((await category.getAttribute("aria-pressed")) !== "true") await category.click();
  await page.getByRole("region", { name: "Items" }).getByRole("button", { name: item.button, exact: true }).click();
  const dialog = page.getByRole("dialog", { name });
  // An item with modifier groups asks for them; one without goes straight onto the sale.
  if (item.has_modifiers) {
    await dialog.waitFor();
    for (const modifier of modifiers) await dialog.getByLabel(modifier, { exact: false }).check();
    await dialog.getByRole("button", { name: "Add to sale" }).click();
    await dialog.waitFor({ state: "hidden" });
  }
}

/** The sale's total as the screen has it (minor units). */
export async function saleTotal(page) {
  return Number(await page.getByRole("region", { name: "Sale" }).locator("[data-field=total]").getAttribute("data-value"));
}

/** Pays the whole sale in cash: `received` typed as "20.00". */
export async function payCash(page, received) {
  await page.getByRole("button", { name: "Pay", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Payment" });
  await dialog.waitFor();
  const due = Number(await dialog.locator("[data-field=due]").getAttribute("data-value"));
  await dialog.getByLabel("Cash received").fill(received);
  await dialog.getByRole("button", { name: "Take cash" }).click();
  return due;
}

/** Card first (through the terminal, online only), then the rest in cash. */
export async function payCardThenCash(page, card, received) {
  await page.getByRole("button", { name: "Pay", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Payment" });
  await dialog.waitFor();
  await dialog.getByLabel("Card amount").fill(card);
  await dialog.getByRole("button", { name: "Card", exact: true }).click();
  // The rest, cash-rounded, is what is left due once the terminal approved the card.
  const before = await dialog.locator("[data-field=due]").getAttribute("data-value");
  await page.waitForFunction(
    (previous) => document.querySelector("[role=dialog] [data-field=due]")?.getAttribute("data-value") !== previous,
    before,
  );
  const due = Number(await dialog.locator("[data-field=due]").getAttribute("data-value"));
  await dialog.getByLabel("Cash received").fill(received);
  await dialog.getByRole("button", { name: "Take cash" }).click();
  return due;
}

const ONLINE_NUMBER = /^R\d+-\d{6}$/;
const OFFLINE_NUMBER = /^R\d+-O-\d{6}$/;

/** The receipt on screen once it is done: its number (online, waited for until the server has
 * numbered it), total, change, lines and text. */
export async function readReceipt(page, { numbered = true } = {}) {
  // A refund's receipt is named "Refund receipt <number>".
  const region = page.getByRole("region", { name: /^(Refund receipt|Receipt)\b/ });
  await region.waitFor();
  const number = region.locator("[data-field=receipt-number]");
  if (numbered) {
    await page.waitForFunction(
      ([online, offline]) => {
        const text = document.querySelector("[data-field=receipt-number]")?.textContent?.trim() ?? "";
        return new RegExp(online).test(text) || new RegExp(offline).test(text);
      },
      [ONLINE_NUMBER.source, OFFLINE_NUMBER.source],
      { timeout: DRAIN_MS },
    );
  }
  const total = region.locator("[data-field=total], [data-field=receipt-total]").first();
  const change = region.locator("[data-field=change]");
  return {
    number: (await number.textContent()).trim(),
    total_minor: (await total.count()) ? Number(await total.getAttribute("data-value")) : null,
    change_minor: (await change.count()) ? Number(await change.getAttribute("data-value")) : null,
    lines: (await region.getByRole("listitem").allTextContents()).map((text) => text.replace(/\s+/g, " ").trim()),
    text: (await region.textContent()).replace(/\s+/g, " ").trim(),
  };
}

/** A sale from an empty screen to its receipt: `lines` are [name, [modifiers]] pairs, paid in
 * cash with `received`. What the screen showed: the total before paying, the amount due, the
 * receipt. */
export async function sellForCash(page, business, lines, received, { numbered = true } = {}) {
  await toSelling(page);
  for (const [name, modifiers] of lines) await addItem(page, business, name, modifiers ?? []);
  const total = await saleTotal(page);
  const due = await payCash(page, received);
  const receipt = await readReceipt(page, { numbered });
  return { total_minor: total, due_minor: due, ...receipt };
}

/** Chooses the `<option>` whose text holds `text` in the select labelled `label`. */
async function chooseOption(scope, label, text) {
  const select = scope.getByLabel(label, { exact: true });
  const options = await select.locator("option").evaluateAll((found) =>
    found.map((option) => ({ value: option.value, text: option.textContent.trim() })),
  );
  const chosen = options.find((option) => option.text.includes(text)) ?? options.find((option) => option.value);
  if (!chosen) throw new Error(`nothing to choose in ${label}: ${JSON.stringify(options)}`);
  await select.selectOption(chosen.value);
  return chosen.text;
}

/** A manager's approval: the manager chosen by name, their PIN. */
export async function approve(page, manager) {
  const dialog = page.getByRole("dialog", { name: "Manager approval" });
  await dialog.waitFor();
  await chooseOption(dialog, "Manager", manager.name);
  await dialog.getByLabel("Manager PIN").fill(manager.pin);
  await dialog.getByRole("button", { name: "Approve" }).click();
  await dialog.waitFor({ state: "hidden" });
}

/** Refunds every line of the sale numbered `number` from "Sales today", with the manager's
 * approval; the refund's receipt. */
export async function refundSale(page, number, manager, { numbered = true } = {}) {
  await toSelling(page);
  await page.getByRole("button", { name: "Sales", exact: true }).click();
  const sales = page.getByRole("region", { name: "Sales today" });
  await sales.waitFor();
  await sales.getByRole("button", { name: `Refund ${number}`, exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `Refund ${number}` });
  await dialog.waitFor();
  const reason = await chooseOption(dialog, "Reason", "uality");
  await dialog.getByRole("button", { name: "Refund", exact: true }).click();
  await approve(page, manager);
  return { reason, ...(await readReceipt(page, { numbered })) };
}

/** How many operations the till has not had accepted yet (the contract's test hook). */
export async function pending(page) {
  return page.evaluate(() => window.haloposTill.pending());
}

/** Waits, without nudging, until the till's own queue has nothing left to send. */
export async function drained(page, timeout = DRAIN_MS) {
  await until(page, async () => (await window.haloposTill.pending()) === 0, {
    timeout,
    every: 500,
    what: "draining the queue",
  });
}

/** The Sync panel as the cashier sees it. With `settled`, once its count of operations
 * waiting agrees with the queue's (window.haloposTill.pending()), or after 20 s if it never
 * does (what it shows then is the finding). */
export async function syncPanel(page, { settled = false } = {}) {
  await page.getByRole("button", { name: /^Sync/ }).click();
  const region = page.getByRole("region", { name: "Sync" });
  await region.waitFor();
  if (settled) {
    await until(
      page,
      async () =>
        document.querySelector("[data-field=pending]")?.getAttribute("data-value") ===
        String(await window.haloposTill.pending()),
      { timeout: 20_000, what: "the Sync panel agreeing with the queue" },
    ).catch(() => undefined);
  }
  const value = async (field) => Number(await region.locator(`[data-field=${field}]`).getAttribute("data-value"));
  return {
    button: (await page.getByRole("button", { name: /^Sync/ }).textContent()).trim(),
    pending: await value("pending"),
    needs_attention: await value("needs-attention"),
    last_synced: (await region.locator("[data-field=last-synced]").textContent()).trim(),
  };
}

/** Closes the shift with `counted` cash ("213.00"); the Z report's figures, or the note that
 * it comes when the till is online. */
export async function closeShift(page, counted) {
  await toSelling(page);
  await page.getByRole("button", { name: "Shift", exact: true }).click();
  const shift = page.getByRole("region", { name: "Shift" });
  await shift.waitFor();
  await shift.getByLabel("Counted cash").fill(counted);
  await shift.getByRole("button", { name: "Close shift" }).click();
  const z = page.getByRole("region", { name: "Z report" });
  const later = page.getByText("The Z report comes when the till is online");
  await z.or(later).first().waitFor({ timeout: DRAIN_MS });
  // Offline the note may stand in the Z report's place or inside its region.
  if (await later.isVisible()) return { z_report: null };
  await z.locator("[data-field=expected-cash]").waitFor({ timeout: DRAIN_MS });
  const value = async (field) => Number(await z.locator(`[data-field=${field}]`).getAttribute("data-value"));
  return {
    z_report: {
      expected_cash: await value("expected-cash"),
      counted_cash: await value("counted-cash"),
      difference: await value("difference"),
    },
  };
}

/** "12.50" for 1250. */
export function major(minor) {
  return `${Math.trunc(minor / 100)}.${String(Math.abs(minor) % 100).padStart(2, "0")}`;
}

/** Starts timing sales in the page (again after every load): from the click on "Take cash"
 * (the last tap of a cash sale; the event's own time stamp) to the first animation frame in
 * which the "Receipt" region is in the document and laid out, i.e. the frame that shows it.
 * Each time is kept in window.__saleToReceiptMs. */
export async function timeSales(page) {
  await page.evaluate(() => {
    if (window.__saleToReceiptMs) return;
    window.__saleToReceiptMs = [];
    const shown = () =>
      [...document.querySelectorAll("section, [role=region]")].some((region) => {
        const labelled = region.getAttribute("aria-labelledby");
        const name = (labelled ? document.getElementById(labelled)?.textContent : region.getAttribute("aria-label")) ?? "";
        return /^\s*Receipt\b/.test(name) && region.getBoundingClientRect().height > 0;
      });
    document.addEventListener(
      "click",
      (event) => {
        const button = event.target.closest?.("button");
        if (!button || button.textContent.trim() !== "Take cash") return;
        const tapped = event.timeStamp;
        const done = () => requestAnimationFrame(() => window.__saleToReceiptMs.push(performance.now() - tapped));
        const observer = new MutationObserver(() => {
          if (shown()) {
            observer.disconnect();
            done();
          }
        });
        observer.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
      },
      { capture: true },
    );
  });
}

export async function saleTimes(page) {
  return page.evaluate(() => window.__saleToReceiptMs ?? []);
}

export function median(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
