// A shift at the counter, online, through every screen of the till (run by
// tests/pos/test_counter.py, which set up the venue through the API and holds what this saw to
// the API's receipts, reports and audit):
//
// 1. the till activates; the cashier signs in with their PIN and opens the shift with a float;
// 2. a flat white with oat milk and a bread roll, paid by card and cash: a card of $3.51 is
//    declined by the terminal (the simulator declines amounts ending in 51), $5.00 is
//    approved, the rest is cash with change;
// 3. two bread rolls with 7 % off, above the business's discount limit: a wrong manager PIN is
//    refused, the right one approves; $5.58, paid in cash as $5.60 (AUD cash rounds to 5c);
// 4. that sale refunded in full with the manager's PIN; a third sale's card declined, the page
//    reloaded mid-payment, and the sale (sent, unpaid) voided with the manager's PIN;
// 5. the X report, then the shift closed with the cash counted, and the Z report;
// 6. the till revoked: it forgets its people, its session and its key.
//
// Every screen is checked with axe-core and photographed (docs/pos-client.md).
import { ask, browserRun } from "../../backoffice/e2e/lib.mjs";
import { until } from "./till.mjs";

const figure = async (page, field) => Number(await page.locator(`[data-field=${field}]`).first().getAttribute("data-value"));
const receiptNumber = async (page) => {
  await page.waitForFunction(() => /^R\d+-/.test(document.querySelector("[data-field=receipt-number]")?.textContent ?? ""));
  return (await page.locator("[data-field=receipt-number]").textContent()).trim();
};

await browserRun(async (run) => {
  const { base, code, cashier, manager } = run.config;
  const page = await run.page("counter", { viewport: { width: 1280, height: 800 } });
  const result = {};
  run.result.counter = result;

  await page.goto(`${base}/pos/#activate=${encodeURIComponent(code)}`);
  await page.getByLabel("Name of this till", { exact: false }).fill("Counter till");
  await page.getByRole("button", { name: "Activate" }).click();
  await page.getByRole("heading", { name: "Who is signing in?" }).waitFor();
  await page.getByRole("button", { name: cashier.name }).click();
  await page.getByLabel("PIN", { exact: true }).fill(cashier.pin);
  await run.checkAccessibility(page, "sign-in");
  await run.screenshot(page, "pos-sign-in");
  await page.getByRole("button", { name: "Sign in" }).click();

  await page.getByRole("heading", { name: "Open a shift" }).waitFor();
  await page.getByLabel("Opening float").fill("200.00");
  await run.checkAccessibility(page, "open shift");
  await page.getByRole("button", { name: "Open shift" }).click();

  // 2. Modifiers, then a split payment with a declined card first.
  const items = page.getByRole("region", { name: "Items" });
  await items.getByRole("button", { name: /^Flat white/ }).click();
  const milk = page.getByRole("dialog", { name: "Flat white" });
  await milk.getByLabel(/Oat milk/).check();
  await run.checkAccessibility(page, "modifiers");
  await run.screenshot(page, "pos-modifiers");
  await milk.getByRole("button", { name: "Add to sale" }).click();
  await items.getByRole("button", { name: /^Bread roll/ }).click();
  result.sale_a_total = await figure(page, "total");
  result.sale_a_lines = await page.getByRole("region", { name: "Sale" }).getByRole("listitem").allTextContents();
  await run.checkAccessibility(page, "selling");
  await run.screenshot(page, "pos-selling");
  await page.getByRole("button", { name: "Pay" }).click();
  const payment = page.getByRole("dialog", { name: "Payment" });
  await payment.getByLabel("Card amount").fill("3.51");
  await payment.getByRole("button", { name: "Card" }).click();
  await payment.getByRole("alert").waitFor();
  result.declined = (await payment.getByRole("alert").textContent()).trim();
  await payment.getByLabel("Card amount").fill("5.00");
  await payment.getByRole("button", { name: "Card" }).click();
  await payment.getByText("Left to pay in cash").waitFor();
  result.left_in_cash = await figure(page, "due");
  await run.checkAccessibility(page, "payment");
  await run.screenshot(page, "pos-payment");
  await payment.getByLabel("Cash received").fill("10.00");
  await payment.getByRole("button", { name: "Take cash" }).click();
  result.sale_a_receipt = await receiptNumber(page);
  result.sale_a_change = await figure(page, "change");
  await run.checkAccessibility(page, "receipt");
  await run.screenshot(page, "pos-receipt");
  await page.getByRole("button", { name: "New sale" }).click();

  // 3. A discount above the limit: a manager approves it with their PIN.
  await items.getByRole("button", { name: /^Bread roll/ }).click();
  await items.getByRole("button", { name: /^Bread roll/ }).click();
  await page.getByRole("button", { name: "Discount" }).click();
  await page.getByRole("dialog", { name: "Discount" }).getByLabel("Percent off").fill("7");
  await page.getByRole("dialog", { name: "Discount" }).getByRole("button", { name: "Apply" }).click();
  const approval = page.getByRole("dialog", { name: "Manager approval" });
  await approval.getByLabel("Manager", { exact: true }).selectOption({ label: manager.name });
  await approval.getByLabel("Manager PIN").fill(manager.wrong_pin);
  await approval.getByRole("button", { name: "Approve" }).click();
  await approval.getByRole("alert").waitFor();
  result.wrong_manager_pin = (await approval.getByRole("alert").textContent()).trim();
  await approval.getByLabel("Manager PIN").fill(manager.pin);
  await run.checkAccessibility(page, "manager approval");
  await run.screenshot(page, "pos-manager-approval");
  await approval.getByRole("button", { name: "Approve" }).click();
  await page.locator("[data-field=discount]").waitFor();
  result.sale_b_discount = await figure(page, "discount");
  result.sale_b_total = await figure(page, "total");
  await page.getByRole("button", { name: "Pay" }).click();
  result.sale_b_due_in_cash = await figure(page, "due");
  result.sale_b_rounding_note = (await page.getByRole("dialog", { name: "Payment" }).locator(".due small").textContent()).trim();
  await page.getByRole("dialog", { name: "Payment" }).getByRole("button", { name: "Take cash" }).click();
  result.sale_b_receipt = await receiptNumber(page);
  result.sale_b_paid = await figure(page, "receipt-paid");
  result.sale_b_change = await figure(page, "change");
  await page.getByRole("button", { name: "New sale" }).click();

  // 4. That sale refunded, with the manager's PIN.
  await page.getByRole("button", { name: "Sales", exact: true }).click();
  await page.getByRole("region", { name: "Sales today" }).waitFor();
  await run.checkAccessibility(page, "sales");
  await run.screenshot(page, "pos-sales");
  await page.getByRole("button", { name: `Refund ${result.sale_b_receipt}` }).click();
  const refund = page.getByRole("dialog", { name: `Refund ${result.sale_b_receipt}` });
  await refund.getByLabel("Reason").selectOption("quality_issue");
  result.refund_amount = await figure(page, "refund-amount");
  await run.checkAccessibility(page, "refund");
  await refund.getByRole("button", { name: "Refund", exact: true }).click();
  await approval.getByLabel("Manager", { exact: true }).selectOption({ label: manager.name });
  await approval.getByLabel("Manager PIN").fill(manager.pin);
  await approval.getByRole("button", { name: "Approve" }).click();
  result.refund_receipt = await receiptNumber(page);
  result.refund_cash_back = await figure(page, "cash-back");
  await run.screenshot(page, "pos-refund-receipt");

  // A sale whose card was declined, the page reloaded in the middle of paying: the till comes
  // back to the sale it sent, which can no longer change; the customer leaves, and a manager
  // approves voiding it.
  await page.getByRole("button", { name: "Sell", exact: true }).click();
  await items.getByRole("button", { name: /^Flat white/ }).click();
  await milk.getByRole("button", { name: "Add to sale" }).click();
  await page.getByRole("button", { name: "Pay" }).click();
  await payment.getByLabel("Card amount").fill("3.51");
  await payment.getByRole("button", { name: "Card" }).click();
  await payment.getByRole("alert").waitFor();
  await page.reload();
  await page.getByText("This sale was sent to halopos for a card payment").waitFor();
  result.resumed_lines = await page.getByRole("region", { name: "Sale" }).getByRole("listitem").allTextContents();
  result.resumed_remove_disabled = await page.getByRole("button", { name: "Remove Flat white" }).isDisabled();
  await run.checkAccessibility(page, "resumed sale");
  await page.getByRole("button", { name: "Void sale" }).click();
  await approval.getByLabel("Manager", { exact: true }).selectOption({ label: manager.name });
  await approval.getByLabel("Manager PIN").fill(manager.pin);
  await approval.getByRole("button", { name: "Approve" }).click();
  await page.getByText("Tap an item to start a sale.").waitFor();

  // The queue is empty: everything reached halopos.
  await page.getByRole("button", { name: /^Sync/ }).click();
  // (waitForFunction would take the async check's promise for true: poll it.)
  await until(page, async () => (await window.haloposTill.pending()) === 0, { timeout: 60_000, what: "the queue draining" });
  result.sync = {
    pending: await figure(page, "pending"),
    needs_attention: await figure(page, "needs-attention"),
    last_synced: (await page.locator("[data-field=last-synced] time").getAttribute("datetime")) ?? null,
  };
  await run.checkAccessibility(page, "sync");
  await run.screenshot(page, "pos-sync");

  // 5. X, then Z.
  await page.getByRole("button", { name: "Shift", exact: true }).click();
  await page.getByRole("button", { name: "X report" }).click();
  await page.locator("[data-field=x-sales]").waitFor();
  result.x_net_sales = await figure(page, "x-sales");
  result.x_expected_cash = await figure(page, "x-expected-cash");
  await run.checkAccessibility(page, "shift");
  await run.screenshot(page, "pos-shift");
  await page.getByLabel("Counted cash").fill(run.config.counted_cash);
  await page.getByRole("button", { name: "Close shift" }).click();
  await page.locator("[data-field=expected-cash]").waitFor({ timeout: 60_000 });
  result.z = {
    expected_cash: await figure(page, "expected-cash"),
    counted_cash: await figure(page, "counted-cash"),
    difference: await figure(page, "difference"),
    net_sales: await figure(page, "z-net-sales"),
    tax: await figure(page, "z-tax"),
    cash: await figure(page, "z-cash"),
    card: await figure(page, "z-card"),
    refunds: await figure(page, "z-refunds"),
    orders: Number((await page.locator("[data-field=z-orders]").textContent()).trim()),
    version: Number((await page.locator("[data-field=z-version]").textContent()).trim()),
  };
  await run.checkAccessibility(page, "z report");
  await run.screenshot(page, "pos-z-report");
  result.sale_times = await page.evaluate(() => window.haloposTill.saleTimes);

  // 6. A manager revokes the till in the backoffice (the test, through the API): at its next
  // look at the roster the till forgets its people, its session and its key.
  result.device_id = (await page.evaluate(async () => {
    const db = await new Promise((resolve) => {
      const opening = indexedDB.open("halopos-pos-till");
      opening.onsuccess = () => resolve(opening.result);
    });
    return new Promise((resolve) => {
      const asked = db.transaction("device").objectStore("device").get("this-till");
      asked.onsuccess = () => resolve(asked.result.device_id);
    });
  }));
  await ask(run.config, "revoke", { device_id: result.device_id });
  await page.reload();
  await page.getByText("This till has been revoked").waitFor();
  result.after_revocation = await page.evaluate(async () => {
    const open = (name) =>
      new Promise((resolve) => {
        const opening = indexedDB.open(name);
        opening.onsuccess = () => resolve(opening.result);
      });
    const all = (db, store, how = "getAll") =>
      new Promise((resolve) => {
        const asked = db.transaction(store).objectStore(store)[how]();
        asked.onsuccess = () => resolve(asked.result);
      });
    const till = await open("halopos-pos-till");
    const keys = await open("halopos-pos");
    return {
      verifiers: (await all(till, "verifiers")).length,
      meta: (await all(till, "meta", "getAllKeys")).sort(),
      cache: (await all(till, "cache", "getAllKeys")).sort(),
      keys: (await all(keys, "keys", "getAllKeys")).length,
      ops: (await all(till, "ops")).length,
    };
  });
  await run.screenshot(page, "pos-revoked");
});
