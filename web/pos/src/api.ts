// The till's calls to the API, through the gateway (this origin), each with a DPoP proof from
// the till's own key (keyStore("halopos-pos"): the key activation registers), and, once someone
// has signed in with their PIN, that session's access token. The types, the RFC 9457 problems
// and the URLs are the backoffice's too (../../shared/api.ts).
//
// Unlike the backoffice, the till keeps its session's refresh token in IndexedDB: a till is
// reloaded and restarted during a shift, often with the network down, and must go on as the
// person who signed in. The token is bound to the till's non-extractable key (`cnf.jkt`): read
// out of the database it is useless anywhere else, as the key cannot be read out at all. The
// access token stays in memory.
import type { BodyOf, JsonOf, Query } from "../../shared/api";
import { ApiProblem, problemOf, sendSigned, unreachable } from "../../shared/api";
import { keyStore } from "../../shared/dpop";
import { put, read, remove } from "./store";

export { ApiProblem };
export type { BodyOf, JsonOf };

/** The till's key: made on first use, non-extractable, kept in IndexedDB; never forgotten by
 * the till itself (a till that lost it would have to be activated again). */
export const tillKeys = keyStore("halopos-pos");

export type Activated = JsonOf<"post", "/v1/devices/activate">;
export type Tokens = JsonOf<"post", "/v1/auth/token">;
export type Roster = JsonOf<"get", "/v1/devices/roster">;
export type TillMenu = JsonOf<"get", "/v1/menu">;
export type Limits = JsonOf<"get", "/v1/settings/override-limits">;
export type Register = JsonOf<"post", "/v1/sync/register">;
export type BatchResult = JsonOf<"post", "/v1/sync/batches">;

interface Options {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  /** false: activation, the roster, sign-in and refresh: a proof of the key alone. */
  signedIn?: boolean;
  /** Give up after this long (the request may still have reached the server). */
  timeoutMs?: number;
}

// Set when the till learns it was revoked: it asks nothing more (and so signs nothing with a
// key it has just forgotten).
let revoked = false;
export function stopAsking(): void {
  revoked = true;
}

/** One request; a problem is thrown as an ApiProblem (status 0: halopos did not answer). */
export async function request(method: string, path: string, options: Options = {}): Promise<Response> {
  if (revoked) throw unreachable(0, null);
  const token = options.signedIn === false ? undefined : await accessToken();
  const response = await sendSigned(tillKeys, method, path, { ...options, token });
  if (response.status === 401 && token !== undefined) {
    // The access token was refused (expired while the till was offline, or the session ended):
    // the next request refreshes first.
    if (held) held.refreshAt = 0;
  }
  if (!response.ok && response.status !== 304) throw await problemOf(response);
  return response;
}

export async function json<T>(method: string, path: string, options: Options = {}): Promise<T> {
  return (await (await request(method, path, options)).json()) as T;
}

// ---- activation and the roster (before anyone signs in) ------------------------------------

/** Registers the till's public key with a manager's activation code (docs/sessions.md). */
export async function activate(code: string, name: string | null): Promise<Activated> {
  const body: BodyOf<"post", "/v1/devices/activate"> = {
    code,
    public_jwk: (await tillKeys.publicJwk()) as BodyOf<"post", "/v1/devices/activate">["public_jwk"],
    ...(name ? { name } : {}),
  };
  return json("POST", "/v1/devices/activate", { body, signedIn: false });
}

/** Who may sign in at this till; null when unchanged since `etag`. */
export async function fetchRoster(device: string, etag: string | null): Promise<{ roster: Roster; etag: string } | null> {
  const response = await request("GET", "/v1/devices/roster", {
    signedIn: false,
    headers: { "X-Device": device, ...(etag ? { "If-None-Match": etag } : {}) },
    timeoutMs: 10_000,
  });
  if (response.status === 304) return null;
  return { roster: (await response.json()) as Roster, etag: response.headers.get("ETag") ?? "" };
}

// ---- the session -----------------------------------------------------------------------------

const SESSION = "session";
// Refreshed this long before the access token expires.
const REFRESH_MARGIN_MS = 60_000;

/** What is kept of a session in IndexedDB (the access token is not). */
export interface KeptSession {
  staffId: string;
  role: string;
  sessionId: string;
  refreshToken: string;
}

let held: (KeptSession & { accessToken: string | null; refreshAt: number }) | null = null;
let refreshing: Promise<void> | null = null;

async function keep(tokens: Tokens): Promise<void> {
  const kept: KeptSession = {
    staffId: tokens.staff_id,
    role: tokens.role,
    sessionId: tokens.session_id,
    refreshToken: tokens.refresh_token,
  };
  await put("meta", kept, SESSION); // kept before it is used: a lost refresh token ends the session
  held = { ...kept, accessToken: tokens.access_token, refreshAt: Date.now() + tokens.expires_in * 1000 - REFRESH_MARGIN_MS };
}

/** A PIN sign-in at this till (online only): the session every upload is made as. */
export async function signInWithPin(device: string, staffId: string, pin: string): Promise<Tokens> {
  const body: BodyOf<"post", "/v1/auth/pin"> = { device, staff_id: staffId, pin };
  const tokens = await json<Tokens>("POST", "/v1/auth/pin", { body, signedIn: false, timeoutMs: 15_000 });
  await keep(tokens);
  return tokens;
}

/** The session kept from before a reload, if any. */
export async function restoreSession(): Promise<KeptSession | null> {
  if (held) return held;
  const kept = await read<KeptSession>("meta", SESSION);
  if (kept) held = { ...kept, accessToken: null, refreshAt: 0 };
  return kept ?? null;
}

export async function forgetSession(): Promise<void> {
  held = null;
  await remove("meta", SESSION);
}

async function refresh(): Promise<void> {
  const current = held;
  if (current === null) return;
  try {
    const tokens = await json<Tokens>("POST", "/v1/auth/token", {
      body: { grant_type: "refresh_token", refresh_token: current.refreshToken },
      signedIn: false,
      timeoutMs: 15_000,
    });
    await keep(tokens);
  } catch (error) {
    // Refused (not merely unreachable): the session is over (expired, revoked, the person
    // deactivated or the till revoked). Whoever is at the till signs in again online.
    if (error instanceof ApiProblem && error.status !== 0 && error.status < 500) {
      held = null;
      await remove("meta", SESSION);
      sessionEnded(error);
    }
    throw error;
  }
}

let onEnded: (problem: ApiProblem) => void = () => undefined;
export function whenSessionEnds(listener: (problem: ApiProblem) => void): void {
  onEnded = listener;
}
function sessionEnded(problem: ApiProblem): void {
  onEnded(problem);
}

async function accessToken(): Promise<string | undefined> {
  if (held === null) return undefined;
  if (held.accessToken === null || Date.now() >= held.refreshAt) {
    refreshing ??= refresh().finally(() => (refreshing = null));
    await refreshing;
  }
  return held?.accessToken ?? undefined;
}

/** Whether there is a session to upload with (kept, possibly needing a refresh). */
export function hasSession(): boolean {
  return held !== null;
}
