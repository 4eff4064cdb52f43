// The till (docs/pos-client.md): activation, then who is signing in, then the shift and the
// sale. What the till knows of itself, its menu, its people and its sales comes from IndexedDB,
// so a reload without the network opens it where it was.
import { useEffect, useState } from "preact/hooks";
import type { Activated, Register } from "./api";
import { activate, ApiProblem, hasSession, json, restoreSession, signInWithPin, whenSessionEnds } from "./api";
import type { TillData } from "./data";
import { isRevoked, keptData, refreshRoster, refreshSelling } from "./data";
import type { Person, Till } from "./parts";
import { Problem, TillContext } from "./parts";
import { OpenShift, SalesPanel, ShiftPanel, SyncPanel } from "./panels";
import { checkPinOffline, forgetAll, keepOnly, rememberPin } from "./pins";
import { saleTimes, Sell } from "./sell";
import { read, remove, storeDevice, storedDevice, write } from "./store";
import type { SyncState } from "./sync";
import { drain, onSync, pendingCount, startSync } from "./sync";
import type { Shift } from "./till";
import { currentShift, keepRegister, localTime } from "./till";

declare global {
  interface Window {
    /** For the browser tests (and a curious technician): the queue and the sale timings. */
    haloposTill?: { pending: () => Promise<number>; saleTimes: number[]; drain: () => Promise<void> };
  }
}
window.haloposTill = { pending: pendingCount, saleTimes, drain };

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
      .then((device) => setState(device ? { kind: "activated", device } : { kind: "unactivated", code }))
      .catch((error: unknown) => setState({ kind: "broken", message: `The till's storage could not be read: ${String(error)}` }));
  }, []);

  if (state.kind === "activated") return <ActivatedTill device={state.device} online={online} />;
  return (
    <>
      <Bar online={online} />
      <main>
        {state.kind === "opening" && <p>Opening the till…</p>}
        {state.kind === "broken" && <p role="alert">{state.message}</p>}
        {state.kind === "unactivated" && <Activation code={state.code} onActivated={(device) => setState({ kind: "activated", device })} />}
      </main>
    </>
  );
}

function Bar({ online, children }: { online: boolean; children?: preact.ComponentChildren }) {
  return (
    <header class="bar">
      <span class="brand">halopos till</span>
      {children}
      <span class={online ? "status online" : "status offline"} role="status">
        {online ? "Online" : "Offline"}
      </span>
    </header>
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
      <p>Enter the activation code a manager created in the backoffice (Devices), or scan its QR code with this device's camera.</p>
      <form onSubmit={submit}>
        <label for="code">Activation code</label>
        <input id="code" name="code" autocomplete="off" spellcheck={false} required value={code} onInput={(event) => setCode(event.currentTarget.value)} />
        <label for="name">Name of this till (if the code does not name it)</label>
        <input id="name" name="name" maxLength={100} placeholder="Front counter" value={name} onInput={(event) => setName(event.currentTarget.value)} />
        <button type="submit" disabled={busy}>
          {busy ? "Activating…" : "Activate"}
        </button>
      </form>
      <Problem problem={problem} />
    </section>
  );
}

type View = "sell" | "sales" | "sync" | "shift";

function ActivatedTill({ device, online }: { device: Activated; online: boolean }) {
  const [data, setData] = useState<TillData>({ menu: null, limits: null, roster: null });
  const [person, setPerson] = useState<Person | null | undefined>(undefined);
  const [shift, setShift] = useState<Shift | null>(null);
  const [view, setView] = useState<View>("sell");
  const [sync, setSync] = useState<SyncState | null>(null);
  const [revoked, setRevoked] = useState(false);
  const [ended, setEnded] = useState<ApiProblem | null>(null);

  useEffect(() => {
    void (async () => {
      setData(await keptData());
      await restoreSession();
      setShift((await currentShift()) ?? null);
      setPerson((await read<Person>("meta", "person")) ?? null);
    })();
    whenSessionEnds((problem) => setEnded(problem));
    const stopSync = startSync();
    const stopState = onSync(setSync);
    return () => {
      stopSync();
      stopState();
    };
  }, []);

  // Online: the roster (who may sign in) and, with a session, the menu and limits.
  useEffect(() => {
    if (!online) return;
    void (async () => {
      try {
        const roster = await refreshRoster(device.device);
        if (roster) {
          setData((current) => ({ ...current, roster }));
          await keepOnly(new Set(roster.value.staff.map((member) => member.id)));
        }
      } catch (error) {
        if (isRevoked(error)) {
          await forgetAll();
          setRevoked(true);
        }
      }
      if (person) {
        try {
          const selling = await refreshSelling();
          setData((current) => ({ ...current, ...selling }));
        } catch {
          // kept data stays; the next probe tries again
        }
        void drain();
      }
    })();
  }, [online, person?.staffId]);

  async function signedIn(who: Person) {
    await write(["meta"], (tx) => {
      tx.objectStore("meta").put(who, "person");
    });
    setEnded(null);
    setPerson(who);
    setView("sell");
  }

  async function signOut() {
    await remove("meta", "person");
    setPerson(null);
  }

  const currency = data.menu?.value.currency ?? "AUD";
  const pending = sync?.pending ?? 0;

  if (revoked) {
    return (
      <>
        <Bar online={online} />
        <main>
          <p role="alert" class="problem card">
            This till has been revoked by a manager. It has forgotten its people; activate it again with a new code.
          </p>
        </main>
      </>
    );
  }
  if (person === undefined) {
    return (
      <>
        <Bar online={online} />
        <main>
          <p>Opening the till…</p>
        </main>
      </>
    );
  }
  if (person === null) {
    return (
      <>
        <Bar online={online} />
        <main>
          <SignIn device={device} data={data} online={online} onSignedIn={(who) => void signedIn(who)} />
        </main>
      </>
    );
  }

  const till: Till = { device, person, online, live: online && hasSession(), data, shift, setShift, currency };
  return (
    <TillContext.Provider value={till}>
      <Bar online={online}>
        <nav aria-label="Till" class="tillnav">
          <span class="person">{person.name}</span>
          <button type="button" aria-pressed={view === "sell"} onClick={() => setView("sell")}>
            Sell
          </button>
          <button type="button" aria-pressed={view === "sales"} onClick={() => setView("sales")}>
            Sales
          </button>
          <button type="button" aria-pressed={view === "sync"} onClick={() => setView("sync")}>
            {pending > 0 ? `Sync, ${pending} waiting` : "Sync"}
          </button>
          <button type="button" aria-pressed={view === "shift"} onClick={() => setView("shift")}>
            Shift
          </button>
          <button type="button" onClick={() => void signOut()}>
            Sign out
          </button>
        </nav>
      </Bar>
      <main class="wide">
        {ended && (
          <p role="alert" class="problem">
            This till's session with halopos has ended ({ended.problem.title}); sales are kept and upload after the next online sign-in.
          </p>
        )}
        {view === "sync" && <SyncPanel />}
        {view === "sales" && <SalesPanel />}
        {view === "shift" && <ShiftPanel />}
        {view === "sell" && (shift ? <Sell /> : <OpenShift />)}
      </main>
    </TillContext.Provider>
  );
}

function SignIn({ device, data, online, onSignedIn }: { device: Activated; data: TillData; online: boolean; onSignedIn: (who: Person) => void }) {
  const staff = data.roster?.value.staff ?? [];
  const [chosen, setChosen] = useState<string | null>(null);
  const [pin, setPin] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | string | null>(null);
  const member = staff.find((m) => m.id === chosen);

  async function submit(event: Event) {
    event.preventDefault();
    if (!member) return;
    setBusy(true);
    setProblem(null);
    try {
      if (online) {
        try {
          const tokens = await signInWithPin(device.device, member.id, pin);
          await rememberPin(member.id, pin);
          await keepRegister(await json<Register>("POST", "/v1/sync/register", { timeoutMs: 15_000 }));
          onSignedIn({ staffId: member.id, name: member.display_name, role: tokens.role, online: true, since: localTime() });
          return;
        } catch (error) {
          // Refused by halopos: say so. Not reached at all: fall back to the offline check.
          if (!(error instanceof ApiProblem) || error.status !== 0) throw error;
        }
      }
      const checked = await checkPinOffline(member.id, pin);
      if (checked.ok) {
        onSignedIn({ staffId: member.id, name: member.display_name, role: member.role, online: false, since: localTime() });
        return;
      }
      setProblem(
        checked.reason === "no-verifier"
          ? `${member.display_name} has not signed in online at this till in the last 72 hours: the till cannot check the PIN offline.`
          : checked.reason === "wrong-pin"
            ? "That PIN is not right."
            : `Too many wrong PINs: try again in ${Math.ceil((checked.retryAfterMs ?? 0) / 1000)} seconds.`,
      );
    } catch (error) {
      if (error instanceof ApiProblem) setProblem(error);
      else setProblem(String(error));
    } finally {
      setBusy(false);
      setPin("");
    }
  }

  return (
    <section aria-labelledby="till-title" class="card">
      <h1 id="till-title">{device.name}</h1>
      <p class="activated">This till is activated.</p>
      <dl class="till-facts">
        <dt>Till</dt>
        <dd data-field="device-id">{device.device_id}</dd>
        <dt>Venue</dt>
        <dd data-field="location-id">{device.location_id}</dd>
        <dt>Activated</dt>
        <dd>
          <time dateTime={device.activated_at}>{new Date(device.activated_at).toLocaleString()}</time>
        </dd>
      </dl>
      <h2>Who is signing in?</h2>
      {staff.length === 0 && <p>{online ? "Nobody works at this venue with a PIN yet." : "The till needs to be online once to learn who works here."}</p>}
      <div class="people">
        {staff.map((m) => (
          <button type="button" key={m.id} aria-pressed={m.id === chosen} onClick={() => (setChosen(m.id), setProblem(null))}>
            {m.display_name}
          </button>
        ))}
      </div>
      {member && (
        <form onSubmit={submit}>
          <label for="pin">PIN</label>
          <input id="pin" type="password" inputMode="numeric" autocomplete="off" required value={pin} onInput={(event) => setPin(event.currentTarget.value)} />
          <button type="submit" disabled={busy}>
            {busy ? "Checking…" : "Sign in"}
          </button>
        </form>
      )}
      <Problem problem={problem} />
    </section>
  );
}
