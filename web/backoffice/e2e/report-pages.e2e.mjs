// The reports beyond the daily summary, in a real browser: Debian's chromium driven by
// Playwright, against a running platform. Run by tests/backoffice/test_report_pages.py, which
// sets two businesses up and holds what this script saw to the API:
//
//   node backoffice/e2e/report-pages.e2e.mjs config.json
//
// The Australian accountant signs in with a TOTP code and reads the item mix (today), the
// payment reconciliation (this month, through the period picker), a closed shift's Z report
// and an open shift's X report, and downloads the CSVs and bundles; the German accountant
// reads the VAT summary and downloads its bundle. For each report the script keeps the JSON
// the browser got and every figure the page shows with where it is in that JSON (the cells'
// `data-path` and `data-value`). Every state is checked with axe-core and photographed.
import { join } from "node:path";
import { browserRun, pageLink } from "./lib.mjs";

/** A GET of the report at `path` as JSON (not its CSV). */
function isReport(path) {
  return (response) => {
    const url = new URL(response.url());
    return (
      response.request().method() === "GET" && url.pathname === path && url.searchParams.get("format") !== "csv"
    );
  };
}

/** The answer the browser got and what the page shows of it, once `report` shows it. */
async function seen(response, report) {
  const answer = await response.json();
  await report.waitFor();
  const cells = await report.locator("[data-path]").evaluateAll((nodes) =>
    nodes.map((node) => ({ path: node.dataset.path, value: node.dataset.value, text: node.textContent.trim() })),
  );
  const url = new URL(response.url());
  return { request: url.pathname + url.search, answer, cells };
}

/** A screenshot of one part of the page, for the docs. */
async function shoot(run, locator, name) {
  const file = `${name}.png`;
  await locator.screenshot({ path: join(run.config.screenshots, file) });
  run.result.screenshots.push(file);
}

/** Both downloads of a report's section: its CSV and its bundle. */
async function downloadBoth(run, page, region, title) {
  for (const label of [`Download ${title} CSV`, `Download ${title} bundle`]) {
    const button = region.getByRole("button", { name: label, exact: true });
    const status = button.locator("xpath=..").locator(".download-done");
    run.result.downloads.push({ label, ...(await run.download(page, button, status)) });
  }
}

await browserRun(async (run) => {
  const { config, result } = run;
  result.downloads = [];

  // ---- the Australian accountant -----------------------------------------------------------
  {
    const page = await run.page("accountant");
    await run.signInWithCode(page, config.accountant);

    // The item mix of today, as the page first reads it.
    const itemMix = page.waitForResponse(isReport("/v1/reports/item-mix"));
    await pageLink(page, "Reports").click();
    const mixRegion = page.getByRole("region", { name: "Item mix" });
    const mixAnswer = await itemMix;
    const mixLabel = (await mixAnswer.json()).period.label;
    result.item_mix = await seen(
      mixAnswer,
      mixRegion.locator(`.report[data-report=item-mix][data-period="${mixLabel}"]`),
    );
    await shoot(run, mixRegion, "reports-item-mix");

    // The reconciliation of this month, through the period picker.
    const reconciliationRegion = page.getByRole("region", { name: "Payment reconciliation" });
    await reconciliationRegion.locator(".report[data-report=reconciliation]").waitFor();
    await reconciliationRegion.locator("select[name=kind]").selectOption("month");
    const month = page.waitForResponse(
      (response) => isReport("/v1/reports/reconciliation")(response) && /period=\d{4}-\d{2}(&|$)/.test(response.url()),
    );
    await reconciliationRegion.getByRole("button", { name: "Show" }).click();
    const monthAnswer = await month;
    const monthLabel = (await monthAnswer.json()).period.label;
    result.reconciliation = {
      period_kind: "month",
      ...(await seen(
        monthAnswer,
        reconciliationRegion.locator(`.report[data-report=reconciliation][data-period="${monthLabel}"]`),
      )),
    };
    await run.checkAccessibility(page, "reports: item mix and reconciliation");
    await shoot(run, reconciliationRegion, "reports-reconciliation");

    // The shifts, newest first: the closed one's Z report, then the open one's X report.
    const shifts = page.getByRole("region", { name: "Shifts" });
    const closedRow = shifts.locator(`tr[data-shift="${config.closed_shift}"]`);
    await closedRow.waitFor();
    result.shift_list = await shifts
      .locator("table.shifts tbody tr")
      .evaluateAll((rows) => rows.map((row) => ({ id: row.dataset.shift, status: row.dataset.status })));
    result.shift_reports = [];
    for (const row of [closedRow, shifts.locator("tr[data-status=open]").first()]) {
      const id = await row.getAttribute("data-shift");
      const report = page.waitForResponse(isReport(`/v1/reports/shifts/${id}`));
      await row.getByRole("button").click();
      const answer = await report;
      const kind = (await answer.json()).kind;
      result.shift_reports.push(await seen(answer, shifts.locator(`.shift-report[data-shift="${id}"]`)));
      await run.checkAccessibility(page, `reports: shift ${kind} report`);
      await shoot(run, shifts, `reports-shift-${kind.toLowerCase()}`);
    }

    // Only the closed ones: the list is asked for again, with the API's own filter.
    const closedOnly = page.waitForResponse(
      (response) => new URL(response.url()).pathname === "/v1/shifts" && response.url().includes("status=closed"),
    );
    await shifts.locator("select[name=status]").selectOption("closed");
    await closedOnly;
    await shifts.locator("tr[data-status=open]").waitFor({ state: "detached" });
    result.closed_shift_list = await shifts
      .locator("table.shifts tbody tr")
      .evaluateAll((rows) => rows.map((row) => ({ id: row.dataset.shift, status: row.dataset.status })));

    await downloadBoth(run, page, mixRegion, "Item mix");
    await downloadBoth(run, page, reconciliationRegion, "Payment reconciliation");
    await run.checkAccessibility(page, "reports: after the downloads");
    await page.context().close();
  }

  // ---- the German accountant: the VAT summary ------------------------------------------------
  {
    const page = await run.page("german accountant");
    await run.signInWithCode(page, { ...config.german.accountant, business: config.german.business });
    const vat = page.waitForResponse(isReport("/v1/reports/vat-summary"));
    await pageLink(page, "Reports").click();
    const vatAnswer = await vat;
    const label = (await vatAnswer.json()).period.label;
    const region = page.getByRole("region", { name: "VAT summary" });
    result.vat_summary = await seen(
      vatAnswer,
      region.locator(`.report[data-report=vat-summary-figures][data-period="${label}"]`),
    );
    result.german_shows_bas = (await page.locator("[data-report=bas]").count()) > 0;
    await run.checkAccessibility(page, "reports: VAT summary");
    await downloadBoth(run, page, region, "VAT summary");
    await run.checkAccessibility(page, "reports: VAT summary after the downloads");
    await shoot(run, region, "reports-vat-summary");
    await page.context().close();
  }
});
