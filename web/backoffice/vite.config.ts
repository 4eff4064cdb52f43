// The backoffice's build: `npm run build:backoffice` (in web/) writes dist/, which the gateway
// serves at /backoffice/ (gateway/backoffice.py). Everything the page runs is a file of its own
// (no inline script or style), so the gateway's Content-Security-Policy needs no exception.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root: here,
  base: "/backoffice/",
  // Preact's JSX, compiled ahead of time.
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // Browsers new enough for this app know modulepreload: no polyfill, no inline script.
    modulePreload: { polyfill: false },
    // Nothing is inlined as a data: URL; every asset is a file under assets/.
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
});
