// Scenario 1 of issue 26 (run by tests/pos/test_online_sale.py, which made the activation code
// through the API, runs the venue's Bridge agent and fake printer, and afterwards holds the
// paper and the books to the API): a till activates, a cashier signs in and sells online.
//
// 1. the QR link's code activates the till; the cashier signs in with her PIN and opens a
//    shift with a $200.00 float;
// 2. a flat white with oat milk and a bread roll, paid with $20.00 cash (change $12.00);
// 3. a latte and a banana bread, split: $5.00 on card (the terminal simulator), the rest in
//    cash;
// 4. the queue drains; the shift is closed with the drawer counted, and the Z report shown.
import { browserRun } from "../../backoffice/e2e/lib.mjs";
import {
  activate,
  addItem,
  closeShift,
  drained,
  major,
  openShift,
  payCardThenCash,
  readReceipt,
  saleTotal,
  sellForCash,
  signIn,
  status,
  syncPanel,
  toSelling,
} from "./till.mjs";

await browserRun(async (run) => {
  const { base, code, business } = run.config;
  const page = await run.page("till", { viewport: { width: 1280, height: 800 } });

  await activate(page, base, code, "Front counter");
  await status(page, "Online");
  await signIn(page, business.cashier);
  run.result.opened_shift = await openShift(page, business.opening_float);
  await run.checkAccessibility(page, "selling");
  await run.screenshot(page, "pos-selling");

  const cash = await sellForCash(page, business, [["Flat white", ["Oat milk"]], ["Bread roll"]], "20.00");
  await run.checkAccessibility(page, "receipt");
  await run.screenshot(page, "pos-receipt");

  await toSelling(page);
  await addItem(page, business, "Latte");
  await addItem(page, business, "Banana bread");
  const splitTotal = await saleTotal(page);
  const cashDue = await payCardThenCash(page, "5.00", "10.00");
  const split = { total_minor: splitTotal, due_minor: cashDue, ...(await readReceipt(page)) };
  run.result.sales = [cash, split];

  await drained(page);
  run.result.sync = await syncPanel(page, { settled: true });
  await run.screenshot(page, "pos-sync");

  const drawer = 20_000 + cash.due_minor + split.due_minor;
  run.result.counted_minor = drawer;
  run.result.close = await closeShift(page, major(drawer));
  await run.checkAccessibility(page, "Z report");
  await run.screenshot(page, "pos-z-report");
});
