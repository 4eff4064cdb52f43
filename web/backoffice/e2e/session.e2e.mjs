// The backoffice's session in a real browser: what it keeps where, how it refreshes its access
// token, and what happens when an owner ends it. Run by tests/backoffice/test_session.py.
//
// The only thing changed between the API and the page is the lifetime the page is told in the
// token answers (`expires_in`: 65 seconds instead of 600), so that the refresh the app makes a
// minute before expiry comes after 5 seconds instead of 9 minutes. Every token, proof and
// refresh is the platform's own.
import { createHash } from "node:crypto";
import { browserRun, pageLink } from "./lib.mjs";

const TOLD_LIFETIME_SECONDS = 65;
const REFRESH_DUE_MS = (TOLD_LIFETIME_SECONDS - 60) * 1000 + 1000;

/** A token's fingerprint, to tell tokens apart in the result without writing them out. */
function fingerprint(token) {
  return createHash("sha256").update(token).digest("hex").slice(0, 16);
}

await browserRun(async (run) => {
  const { config, result } = run;
  const accountant = await run.page("accountant");
  result.token_answers = [];
  result.requests = [];
  for (const path of ["/v1/auth/totp", "/v1/auth/token"]) {
    await accountant.route(`**${path}`, async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      result.token_answers.push({
        path,
        status: response.status(),
        code: body.code ?? null,
        access_token: body.access_token ? fingerprint(body.access_token) : null,
        expires_in: body.expires_in ?? null,
      });
      if (response.ok()) body.expires_in = TOLD_LIFETIME_SECONDS;
      await route.fulfill({ response, json: body });
    });
  }
  accountant.on("request", (request) => {
    const authorization = request.headers()["authorization"];
    const path = new URL(request.url()).pathname;
    if (path.startsWith("/v1/")) {
      result.requests.push({
        path,
        method: request.method(),
        access_token: authorization ? fingerprint(authorization.replace(/^DPoP /, "")) : null,
      });
    }
  });
  await run.signInWithCode(accountant, config.accountant);
  // Some requests with the first token.
  await pageLink(accountant, "Dashboard").click();
  await accountant.locator(".venue .figure").first().waitFor();

  // ---- what the page keeps, and where -----------------------------------------------------
  result.storage = await accountant.evaluate(async () => {
    const opening = indexedDB.open("halopos-backoffice");
    const db = await new Promise((resolve, reject) => {
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error);
    });
    const pair = await new Promise((resolve, reject) => {
      const asked = db.transaction("keys").objectStore("keys").get("dpop");
      asked.onsuccess = () => resolve(asked.result);
      asked.onerror = () => reject(asked.error);
    });
    db.close();
    let exported = "exported";
    try {
      await crypto.subtle.exportKey("pkcs8", pair.privateKey);
    } catch (error) {
      exported = error.name;
    }
    return {
      local_storage: localStorage.length,
      session_storage: sessionStorage.length,
      document_cookie: document.cookie,
      key: {
        algorithm: pair.privateKey.algorithm,
        extractable: pair.privateKey.extractable,
        usages: pair.privateKey.usages,
        export: exported,
      },
    };
  });
  result.cookies = await accountant.context().cookies();

  // ---- the refresh: due after 5 seconds, made before the next request ---------------------
  await accountant.waitForTimeout(REFRESH_DUE_MS);
  const refreshed = accountant.waitForResponse(
    (response) => new URL(response.url()).pathname === "/v1/auth/token",
  );
  await pageLink(accountant, "Reports").click();
  result.refresh_status = (await refreshed).status();
  await accountant.locator(".daily-summary .figure").first().waitFor();
  result.signed_in_after_refresh = await accountant.locator("nav[aria-label=Pages]").isVisible();

  // ---- an owner ends the accountant's session on /admin/security ---------------------------
  const owner = await run.page("owner");
  await run.signInWithCode(owner, config.owner);
  await pageLink(owner, "Security").click();
  const row = owner.locator(`tr[data-staff-id="${config.accountant.id}"]`).first();
  await row.getByRole("button", { name: "End…" }).click();
  await run.checkAccessibility(owner, "security: ending a session");
  await row.getByRole("button", { name: "End session" }).click();
  await owner.locator("[data-ended]").waitFor();
  result.ended_session = await owner.locator("[data-ended]").getAttribute("data-ended");
  await owner.context().close();

  // ---- the accountant's next refresh is refused, and the page goes back to sign-in ----------
  await accountant.waitForTimeout(REFRESH_DUE_MS);
  const refused = accountant.waitForResponse(
    (response) => new URL(response.url()).pathname === "/v1/auth/token",
  );
  await pageLink(accountant, "Dashboard").click();
  result.refused_refresh_status = (await refused).status();
  await accountant.getByLabel("E-mail", { exact: true }).waitFor();
  result.back_at_sign_in = true;
  await run.checkAccessibility(accountant, "sign-in after the session ended");
  await accountant.context().close();
});
