// Scenario 4 of issue 26 (run by tests/pos/test_two_tills.py, which made the two activation
// codes through the API and holds the books to the API afterwards): two tills of one venue,
// one of them offline for its whole shift.
//
// Each till is a browser context of its own (its own IndexedDB: its own key, register and
// queue). Both activate and have the cashier sign in online (so the back till may take her
// PIN offline). Then the back till's network is cut: it opens its shift, sells and closes the
// shift offline, while the front till opens, sells and closes its shift online, the two
// taking turns at the counter. Finally the back till comes online and its queue drains.
import { browserRun } from "../../backoffice/e2e/lib.mjs";
import {
  activate,
  closeShift,
  drained,
  keptForOffline,
  major,
  network,
  openShift,
  pending,
  sellForCash,
  signIn,
  status,
  syncPanel,
} from "./till.mjs";

const BACK_SALES = 6;
const FRONT_SALES = 4;

await browserRun(async (run) => {
  const { base, codes, business } = run.config;
  const front = await run.page("front", { viewport: { width: 1280, height: 800 } });
  const back = await run.page("back", { viewport: { width: 1280, height: 800 } });
  const result = { front: { sales: [] }, back: { sales: [] } };
  run.result.tills = result;

  await activate(front, base, codes[0], "Front counter");
  await activate(back, base, codes[1], "Back counter");
  for (const page of [front, back]) {
    await status(page, "Online");
    await signIn(page, business.cashier);
    await keptForOffline(page);
  }

  await network(back, false);
  await openShift(back, business.opening_float);
  await openShift(front, business.opening_float);
  for (let index = 0; index < Math.max(BACK_SALES, FRONT_SALES); index += 1) {
    if (index < BACK_SALES) {
      run.current = back;
      result.back.sales.push(await sellForCash(back, business, [["Latte", ["Oat milk"]], ["Bread roll"]], "10.00"));
    }
    if (index < FRONT_SALES) {
      run.current = front;
      result.front.sales.push(await sellForCash(front, business, [["Flat white"], ["Banana bread"]], "10.00"));
    }
  }

  run.current = front;
  await drained(front);
  result.front.counted_minor = 20_000 + result.front.sales.reduce((sum, sale) => sum + sale.due_minor, 0);
  result.front.close = await closeShift(front, major(result.front.counted_minor));

  run.current = back;
  result.back.counted_minor = 20_000 + result.back.sales.reduce((sum, sale) => sum + sale.due_minor, 0);
  result.back.close = await closeShift(back, major(result.back.counted_minor));
  result.back.pending_offline = await pending(back);
  await run.screenshot(back, "pos-back-till-closed-offline");

  await network(back, true);
  await drained(back);
  result.back.sync = await syncPanel(back, { settled: true });
  await run.screenshot(back, "pos-back-till-drained");
});
