// The till's screens so far: activation, then "this till is activated" (docs/pos-client.md).
// What the till knows of itself comes from IndexedDB, so a reload without the network shows
// the same till.
import { useEffect, useState } from "preact/hooks";
import type { Activated } from "./api";
import { activate, ApiProblem } from "./api";
import { storeDevice, storedDevice } from "./device";

/** The code of the backoffice's QR link, `/pos/#activate=<code>`, taken out of the address
 * (it is single use, and an address bar is no place to leave it). */
function codeFromLink(): string {
  const code = new URLSearchParams(window.location.hash.slice(1)).get("activate") ?? "";
  if (code) history.replaceState(null, "", window.location.pathname + window.location.search);
  return code.trim();
}

// How often the till asks whether halopos answers, while nothing else tells it.
const PROBE_EVERY_MS = 15_000;

/** Whether halopos answers: the gateway's /healthz, asked at start, every PROBE_EVERY_MS and
 * whenever the browser says its connection changed. `navigator.onLine` alone is not enough: a
 * till on a venue's Wi-Fi whose internet is down is "online" to the browser. */
function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    let stopped = false;
    const probe = async () => {
      let answered = false;
      if (navigator.onLine) {
        try {
          answered = (await fetch("/healthz", { cache: "no-store", credentials: "omit" })).ok;
        } catch {
          answered = false;
        }
      }
      if (!stopped) setOnline(answered);
    };
    const changed = () => void probe();
    void probe();
    const timer = setInterval(changed, PROBE_EVERY_MS);
    window.addEventListener("online", changed);
    window.addEventListener("offline", changed);
    return () => {
      stopped = true;
      clearInterval(timer);
      window.removeEventListener("online", changed);
      window.removeEventListener("offline", changed);
    };
  }, []);
  return online;
}

type State =
  | { kind: "opening" }
  | { kind: "unactivated"; code: string }
  | { kind: "activated"; device: Activated }
  | { kind: "broken"; message: string };

export function App() {
  const [state, setState] = useState<State>({ kind: "opening" });
  const online = useOnline();

  useEffect(() => {
    const code = codeFromLink();
    storedDevice()
      .then((device) =>
        setState(device ? { kind: "activated", device } : { kind: "unactivated", code }),
      )
      .catch((error: unknown) =>
        setState({ kind: "broken", message: `The till's storage could not be read: ${String(error)}` }),
      );
  }, []);

  return (
    <>
      <header class="bar">
        <span class="brand">halopos till</span>
        <span class={online ? "status online" : "status offline"} role="status">
          {online ? "Online" : "Offline"}
        </span>
      </header>
      <main>
        {state.kind === "opening" && <p>Opening the till…</p>}
        {state.kind === "broken" && <p role="alert">{state.message}</p>}
        {state.kind === "unactivated" && (
          <Activation code={state.code} onActivated={(device) => setState({ kind: "activated", device })} />
        )}
        {state.kind === "activated" && <ActivatedTill device={state.device} />}
      </main>
    </>
  );
}

function Activation({ code: linked, onActivated }: { code: string; onActivated: (device: Activated) => void }) {
  const [code, setCode] = useState(linked);
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const device = await activate(code.trim(), name.trim() || null);
      await storeDevice(device); // kept before the screen moves on
      onActivated(device);
    } catch (error) {
      if (error instanceof ApiProblem) setProblem(error);
      else throw error;
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="activation-title" class="card">
      <h1 id="activation-title">Activate this till</h1>
      <p>
        Enter the activation code a manager created in the backoffice (Devices), or scan its QR
        code with this device's camera.
      </p>
      <form onSubmit={submit}>
        <label for="code">Activation code</label>
        <input
          id="code"
          name="code"
          autocomplete="off"
          spellcheck={false}
          required
          value={code}
          onInput={(event) => setCode(event.currentTarget.value)}
        />
        <label for="name">Name of this till (if the code does not name it)</label>
        <input
          id="name"
          name="name"
          maxLength={100}
          placeholder="Front counter"
          value={name}
          onInput={(event) => setName(event.currentTarget.value)}
        />
        <button type="submit" disabled={busy}>
          {busy ? "Activating…" : "Activate"}
        </button>
      </form>
      {problem && (
        <p role="alert" class="problem">
          {problem.problem.title}
          {problem.problem.detail ? `: ${problem.problem.detail}` : ""}
          {problem.requestId ? ` (request ${problem.requestId})` : ""}
        </p>
      )}
    </section>
  );
}

function ActivatedTill({ device }: { device: Activated }) {
  return (
    <section aria-labelledby="activated-title" class="card">
      <h1 id="activated-title">{device.name}</h1>
      <p class="activated">This till is activated.</p>
      <dl>
        <dt>Till</dt>
        <dd data-field="device-id">{device.device_id}</dd>
        <dt>Venue</dt>
        <dd data-field="location-id">{device.location_id}</dd>
        <dt>Activated</dt>
        <dd>
          <time dateTime={device.activated_at}>{new Date(device.activated_at).toLocaleString()}</time>
        </dd>
      </dl>
    </section>
  );
}
