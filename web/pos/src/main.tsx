import { render } from "preact";
import { App } from "./app";
import "./styles.css";

render(<App />, document.getElementById("app")!);

// The shell is kept by the service worker (../sw/sw.js) so the till opens offline; registered
// after the first render, so it never delays the screen.
if ("serviceWorker" in navigator) {
  void navigator.serviceWorker.register("/pos/sw.js", { scope: "/pos/" });
}
