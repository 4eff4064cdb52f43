// The backoffice's reports in a real browser: Debian's chromium driven by Playwright
// (playwright-core, pinned in web/package.json), against a running platform. Run by
// tests/backoffice/test_reports.py, which sets the business up and holds what this script saw
// to the API:
//
//   node backoffice/e2e/reports.e2e.mjs config.json
//
// The accountant signs in with a TOTP code, reads the dashboard and a day's (then a month's)
// summary, downloads the daily CSV and the BAS bundle; the manager signs in and finds no
// report in the menu, and the reports page's API calls refused. Every page is checked with
// axe-core (serious and critical violations are reported) and photographed for the docs.
import { browserRun, menu, pageLink, totp } from "./lib.mjs";

await browserRun(async (run) => {
  const { config, result } = run;
  result.accountant = {};
  result.manager = {};
  // ---- the accountant --------------------------------------------------------------------
  {
    const page = await run.page("accountant");
    await run.signIn(page, config.accountant);
    await page.getByLabel("Code", { exact: true }).waitFor();
    result.accountant.totp_asked = true;
    await run.checkAccessibility(page, "sign-in: code");
    // The next step's code: the enrolment spent this one, and the API accepts one step ahead.
    await page.getByLabel("Code", { exact: true }).fill(totp(config.accountant.totp_secret, 1));
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("nav[aria-label=Pages]").waitFor();
    result.accountant.menu = await menu(page);
    await run.checkAccessibility(page, "overview (accountant)");
    await run.screenshot(page, "overview-accountant");

    await pageLink(page, "Dashboard").click();
    await page.locator(".venue [data-period=last-7] .figure").first().waitFor();
    await run.checkAccessibility(page, "dashboard");
    await run.screenshot(page, "dashboard");

    // Reports: the page reads today's summary first; then a month through the period picker.
    // Each answer is read off the page as soon as it is shown.
    result.accountant.daily_summaries = [];
    const isSummary = (response) =>
      new URL(response.url()).pathname === "/v1/reports/daily-summary" &&
      !response.url().includes("format=csv");
    async function shown(period_kind, response) {
      const answer = await response.json();
      const summary = page.locator(`.daily-summary[data-period="${answer.period.label}"]`);
      await summary.waitFor();
      const figures = await summary.locator(".figure").evaluateAll((nodes) =>
        nodes.map((node) => ({
          name: node.dataset.figure,
          value: node.dataset.value,
          text: node.querySelector("dd").textContent,
        })),
      );
      const tenders = await summary.locator(".tenders tbody tr").evaluateAll((rows) =>
        rows.map((row) => ({
          tender: row.dataset.tender,
          net: row.querySelector("td[data-value]").dataset.value,
        })),
      );
      const url = new URL(response.url());
      result.accountant.daily_summaries.push({
        period_kind,
        request: url.pathname + url.search,
        answer,
        figures,
        tenders,
      });
    }
    const pages = page.getByRole("navigation", { name: "Pages" });
    const first = page.waitForResponse(isSummary);
    await pages.getByRole("link", { name: "Reports" }).click();
    await shown("day", await first);
    await page.locator(".tax-report[data-report=bas]").waitFor();
    await run.screenshot(page, "reports-day");
    const daily = page.getByRole("region", { name: "Daily summary" });
    await daily.locator("select[name=kind]").selectOption("month");
    const month = page.waitForResponse(isSummary);
    await daily.getByRole("button", { name: "Show" }).click();
    await shown("month", await month);
    await page.locator(".tax-report[data-report=bas]").waitFor();
    await run.checkAccessibility(page, "reports");

    result.accountant.downloads = [];
    for (const [section, label] of [
      ["Daily summary", "Download CSV"],
      ["BAS", "Download BAS bundle"],
    ]) {
      const region = page.getByRole("region", { name: section });
      const button = region.getByRole("button", { name: label, exact: true });
      const saved = await run.download(page, button, region.locator(".download-done"));
      result.accountant.downloads.push({ label, ...saved });
    }
    await run.checkAccessibility(page, "reports after downloads");
    await run.screenshot(page, "reports-downloads");
    await page.context().close();
  }

  // ---- the manager -----------------------------------------------------------------------
  {
    const page = await run.page("manager");
    await run.checkAccessibility(page, "blank").catch(() => undefined);
    result.axe.pop();
    await run.signIn(page, config.manager);
    await page.locator("nav[aria-label=Pages]").waitFor();
    await run.checkAccessibility(page, "sign-in done (manager)");
    result.manager.menu = await menu(page);
    await run.screenshot(page, "overview-manager");

    // Not in the menu; typed into the address bar: the page asks, and the API refuses.
    const answers = [];
    page.on("response", (response) => {
      const path = new URL(response.url()).pathname;
      if (path.startsWith("/v1/reports/")) answers.push({ path, status: response.status() });
    });
    // The accountant's day, by a link to it (only the fragment changes: the same document, so
    // the session stays): the page asks the API for it, and the API refuses.
    const day = result.accountant.daily_summaries[0].answer.period.label;
    await page.goto(
      `${config.base}/backoffice/?business=${config.business}` +
        `#/reports?location=${config.location}&period=${day}`,
    );
    const refusedSummary = page.locator(".problem[data-code]").nth(1);
    await refusedSummary.waitFor();
    const bundle = page.getByRole("region", { name: "Daily summary" });
    await bundle.getByRole("button", { name: "Download bundle", exact: true }).click();
    await bundle.locator(".download .problem").waitFor();
    const problem = page.locator(".problem").first();
    await problem.waitFor();
    result.manager.problem = {
      code: await problem.getAttribute("data-code"),
      status: await problem.getAttribute("data-status"),
      request_id: await problem.locator(".request-id").textContent(),
      text: await problem.textContent(),
    };
    await run.checkAccessibility(page, "reports refused (manager)");
    await run.screenshot(page, "reports-refused-manager");
    await page.evaluate(() => (window.location.hash = "#/dashboard"));
    await page.locator(".problem").first().waitFor();
    await run.checkAccessibility(page, "dashboard refused (manager)");
    result.manager.report_answers = answers;
    await page.context().close();
  }

  // ---- the sign-in page itself, and a wrong password's problem -----------------------------
  {
    const page = await run.page("signed out");
    await page.goto(`${config.base}/backoffice/?business=${config.business}`);
    await page.getByLabel("E-mail", { exact: true }).waitFor();
    await run.checkAccessibility(page, "sign-in");
    await run.screenshot(page, "sign-in");
    await run.signIn(page, { email: config.manager.email, password: "not the password" });
    await page.locator(".problem .request-id").waitFor();
    await run.checkAccessibility(page, "sign-in refused");
    await page.context().close();
  }
});
