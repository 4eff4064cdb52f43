// The till's build: `npm run build:pos` (in web/) writes dist/, which the gateway serves at /pos/
// (gateway/backoffice.py), as the backoffice's (../backoffice/vite.config.ts): every file the
// page runs is a file of its own, so the strict Content-Security-Policy needs no exception.
//
// One addition: the service worker (sw/sw.js, plain JavaScript) is written into dist/sw.js with
// the list of every file this build made, so it can keep them all before the till is used
// offline, and a cache name from their content-hashed names, so a new build is a new cache.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));
// Files copied as they are from public/: kept by the service worker too.
const PUBLIC_FILES = ["manifest.webmanifest", "icon.svg"];

function serviceWorker(): Plugin {
  return {
    name: "halopos-service-worker",
    apply: "build",
    generateBundle(_options, bundle) {
      const built = Object.keys(bundle).filter((name) => !name.endsWith(".map")).sort();
      const files = ["./", ...built, ...PUBLIC_FILES];
      const version = createHash("sha256").update(files.join("\n")).digest("hex").slice(0, 16);
      const source = readFileSync(new URL("sw/sw.js", import.meta.url), "utf-8")
        .replace("self.__SHELL_FILES__", JSON.stringify(files))
        .replace("self.__SHELL_VERSION__", JSON.stringify(version));
      this.emitFile({ type: "asset", fileName: "sw.js", source });
    },
  };
}

export default defineConfig({
  root: here,
  base: "/pos/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  plugins: [serviceWorker()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
});
