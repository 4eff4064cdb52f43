import { render } from "preact";
import { App } from "./app";
import "./styles.css";

render(<App />, document.getElementById("app")!);

// The shell is kept by the service worker (../sw/sw.js) so the till opens offline; registered
// after the first render, so it never delays the screen. A registration that fails (offline
// before the first one ever succeeded) is tried again at the next load; the till runs anyway.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker
    .register("/pos/sw.js", { scope: "/pos/" })
    .catch((error: unknown) => console.warn("The till could not keep its shell for offline use", error));
}
