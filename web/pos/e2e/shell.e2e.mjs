// The till's shell and activation (run by tests/pos/test_shell.py, which made the activation
// code through the API and holds what this saw to the API's device list):
//
// 1. the backoffice's QR link, /pos/#activate=<code>, opens the activation screen with the
//    code filled in (and gone from the address); the till names itself and activates;
// 2. once the service worker controls the page, the network is cut (context.setOffline) and the
//    page reloaded: the shell comes from the worker's cache, the activation from IndexedDB;
// 3. before that, in a browser of its own, a typed-in code that is not one is refused;
// 4. every state is checked with axe-core and photographed (docs/pos-client.md).
//
// The helpers are the backoffice's (browserRun, run.page, checkAccessibility, screenshot).
import { browserRun } from "../../backoffice/e2e/lib.mjs";

await browserRun(async (run) => {
  const { base, code, name } = run.config;

  // Typed in: a code that is not one is refused, and the screen says why, with the request id.
  const typing = await run.page("typed", { viewport: { width: 1024, height: 768 } });
  await typing.goto(`${base}/pos/`);
  await typing.getByLabel("Activation code").fill(run.config.wrong_code);
  await typing.getByRole("button", { name: "Activate" }).click();
  const refusal = typing.getByRole("alert");
  await refusal.waitFor();
  run.result.refused = (await refusal.textContent()).trim();
  await run.checkAccessibility(typing, "activation refused");
  await run.screenshot(typing, "pos-activation-refused");
  await typing.context().close();

  const page = await run.page("till", { viewport: { width: 1024, height: 768 } });
  const result = {};
  run.result.till = result;

  await page.goto(`${base}/pos/#activate=${encodeURIComponent(code)}`);
  await page.getByRole("heading", { name: "Activate this till" }).waitFor();
  result.code_filled_in = await page.getByLabel("Activation code").inputValue();
  result.address_after_link = page.url();
  await run.checkAccessibility(page, "activation");
  await run.screenshot(page, "pos-activation");

  await page.getByLabel("Name of this till", { exact: false }).fill(name);
  await page.getByRole("button", { name: "Activate" }).click();
  await page.getByText("This till is activated.").waitFor();
  await page.getByRole("status").filter({ hasText: "Online" }).waitFor();
  result.online = await readTill(page);
  await run.checkAccessibility(page, "activated");
  await run.screenshot(page, "pos-activated");

  // What IndexedDB holds: the key, still a CryptoKey the page cannot export.
  result.key = await page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const opening = indexedDB.open("halopos-pos");
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error);
    });
    const pair = await new Promise((resolve, reject) => {
      const asked = db.transaction("keys").objectStore("keys").get("dpop");
      asked.onsuccess = () => resolve(asked.result);
      asked.onerror = () => reject(asked.error);
    });
    db.close();
    let exported = null;
    try {
      await crypto.subtle.exportKey("jwk", pair.privateKey);
      exported = "exported";
    } catch (error) {
      exported = error.name;
    }
    return {
      private_extractable: pair.privateKey.extractable,
      algorithm: pair.privateKey.algorithm,
      export_attempt: exported,
    };
  });

  // The worker has kept the shell and serves this page (clients.claim), so it can go offline.
  result.worker_controls = await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) =>
        navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }),
      );
    }
    return navigator.serviceWorker.controller !== null;
  });

  await page.context().setOffline(true);
  await page.reload();
  await page.getByText("This till is activated.").waitFor();
  await page.getByRole("status").filter({ hasText: "Offline" }).waitFor();
  result.offline = await readTill(page);
  result.offline_status = (await page.getByRole("status").textContent()).trim();
  result.offline_from_worker = await page.evaluate(() => navigator.serviceWorker.controller !== null);
  await run.checkAccessibility(page, "activated, offline");
  await run.screenshot(page, "pos-activated-offline");
  await page.context().setOffline(false);
});

async function readTill(page) {
  return {
    name: (await page.getByRole("heading", { level: 1 }).textContent()).trim(),
    device_id: (await page.locator("[data-field=device-id]").textContent()).trim(),
    location_id: (await page.locator("[data-field=location-id]").textContent()).trim(),
    status: (await page.getByRole("status").textContent()).trim(),
  };
}
