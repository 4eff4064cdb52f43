// Every call the backoffice makes: to the public API through the gateway (this origin), each
// with a fresh DPoP proof, and the signed-in session's access token (docs/sessions.md).
//
// The session lives in this module's memory only: nothing goes to localStorage,
// sessionStorage or a cookie, where a script could find a token to replay. Reloading the page
// or closing the tab ends it (sign in again); the access token is refreshed before it expires,
// one refresh at a time, keeping the latest answer, as the API asks.
import type { Permission, Role } from "./generated/rbac";
import { GRANTS } from "./generated/rbac";
import type { BodyOf, JsonOf, PathParamsOf, PathWith, Query, QueryOf } from "../../shared/api";
import { ApiProblem, filled, problemOf, sendSigned } from "../../shared/api";
import { keyStore } from "../../shared/dpop";

// The backoffice's own key store: signing out forgets it, and never the till's (halopos-pos).
const keys = keyStore("halopos-backoffice");

export { ApiProblem } from "../../shared/api";
export type { BodyOf, JsonOf, PathParamsOf, PathWith, QueryOf } from "../../shared/api";

// ---- the session ---------------------------------------------------------------------------

type Tokens = JsonOf<"post", "/v1/auth/token">;

export interface Session {
  readonly role: Role;
  readonly staffId: string;
  /** The locations this session reaches; null: every location of the business. */
  readonly locationIds: readonly string[] | null;
}

interface Held extends Session {
  accessToken: string;
  refreshToken: string;
  /** Date.now() after which the access token is refreshed before use. */
  refreshAt: number;
}

// Refreshed this long before the access token expires, so no request carries a stale one.
const REFRESH_MARGIN_MS = 60_000;

let held: Held | null = null;
let refreshing: Promise<void> | null = null;
const listeners = new Set<(session: Session | null) => void>();

/** `receivedAt`: when the tokens arrived (Date.now()), if they were kept a while before use. */
function hold(tokens: Tokens, receivedAt = Date.now()): Session {
  held = {
    role: tokens.role as Role,
    staffId: tokens.staff_id,
    locationIds: tokens.location_ids ?? null,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    refreshAt: receivedAt + tokens.expires_in * 1000 - REFRESH_MARGIN_MS,
  };
  const session: Session = { role: held.role, staffId: held.staffId, locationIds: held.locationIds };
  for (const listener of listeners) listener(session);
  return session;
}

function drop(): void {
  held = null;
  for (const listener of listeners) listener(null);
}

export function onSessionChange(listener: (session: Session | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function may(session: Session, permission: Permission): boolean {
  return GRANTS[session.role]?.includes(permission) ?? false;
}

async function refresh(): Promise<void> {
  const current = held;
  if (current === null) return;
  try {
    const tokens = await send<Tokens>("POST", "/v1/auth/token", {
      body: { grant_type: "refresh_token", refresh_token: current.refreshToken },
      signedIn: false,
    });
    hold(tokens);
  } catch (error) {
    drop(); // the session ended (expired, revoked, or the staff member deactivated)
    throw error;
  }
}

async function accessToken(): Promise<string | undefined> {
  if (held !== null && Date.now() >= held.refreshAt) {
    refreshing ??= refresh().finally(() => (refreshing = null));
    await refreshing;
  }
  return held?.accessToken;
}

// ---- requests ------------------------------------------------------------------------------

interface Options {
  query?: Query;
  body?: unknown;
  accept?: string;
  /** false: sign-in and refresh, sent with a proof of the key alone. */
  signedIn?: boolean;
}

/** One request, its answer checked: a problem is thrown as an ApiProblem. */
export async function request(method: string, path: string, options: Options = {}): Promise<Response> {
  const token = options.signedIn === false ? undefined : await accessToken();
  const response = await sendSigned(keys, method, path, {
    query: options.query,
    body: options.body,
    headers: options.accept ? { Accept: options.accept } : undefined,
    token,
  });
  const problem = response.ok ? null : await problemOf(response);
  for (const watcher of watchers) watcher(response.headers, problem);
  if (problem !== null) throw problem;
  return response;
}

/** Hears every answer's headers and problem: the read-only banner learns of a lapsed
 * subscription from a refused write, whatever the role (subscription.tsx). */
type Watcher = (headers: Headers, problem: ApiProblem | null) => void;
const watchers = new Set<Watcher>();

export function watchAnswers(watcher: Watcher): () => void {
  watchers.add(watcher);
  return () => watchers.delete(watcher);
}

async function send<T>(method: string, path: string, options: Options = {}): Promise<T> {
  return (await (await request(method, path, options)).json()) as T;
}

export function get<P extends PathWith<"get">>(
  path: P,
  query?: QueryOf<P>,
  params?: PathParamsOf<"get", P>,
): Promise<JsonOf<"get", P>> {
  return send("GET", filled(path, params as Record<string, string>), {
    query: query as Options["query"],
  });
}

/** A write: its body and answer typed by the API's document. */
function write<M extends "post" | "patch" | "put">(method: M) {
  return <P extends PathWith<M>>(
    path: P,
    body: BodyOf<M, P>,
    params?: PathParamsOf<M, P>,
  ): Promise<JsonOf<M, P>> =>
    send(method.toUpperCase(), filled(path, params as Record<string, string>), { body });
}

export const post = write("post");
export const patch = write("patch");
export const put = write("put");

// ---- signing in and out --------------------------------------------------------------------

export type PasswordAnswer = JsonOf<"post", "/v1/auth/password">;

export async function signInWithPassword(
  body: BodyOf<"post", "/v1/auth/password">,
): Promise<PasswordAnswer> {
  const answer = await send<PasswordAnswer>("POST", "/v1/auth/password", { body, signedIn: false });
  if (answer.status === "signed_in") hold(answer as Tokens);
  return answer;
}

export async function signInWithCode(challenge: string, code: string): Promise<Session> {
  const body: BodyOf<"post", "/v1/auth/totp"> = code.includes("-")
    ? { challenge, recovery_code: code }
    : { challenge, code };
  return hold(await send<Tokens>("POST", "/v1/auth/totp", { body, signedIn: false }));
}

export type Enrolment = JsonOf<"post", "/v1/auth/totp/enrolment">;

/** A new authenticator secret for a `totp_enrolment_required` challenge. */
export function startEnrolment(challenge: string): Promise<Enrolment> {
  const body: BodyOf<"post", "/v1/auth/totp/enrolment"> = { challenge };
  return send("POST", "/v1/auth/totp/enrolment", { body, signedIn: false });
}

/** Confirms the authenticator with its first code. The answer holds the recovery codes and
 * the session; the session is taken up only by `signIn()`, once the recovery codes have been
 * shown (the page stays on them until the person says they are saved). */
export async function confirmEnrolment(
  challenge: string,
  code: string,
): Promise<{ recoveryCodes: string[]; signIn: () => Session }> {
  const body: BodyOf<"post", "/v1/auth/totp/enrolment/confirm"> = { challenge, code };
  const answer = await send<JsonOf<"post", "/v1/auth/totp/enrolment/confirm">>(
    "POST",
    "/v1/auth/totp/enrolment/confirm",
    { body, signedIn: false },
  );
  const receivedAt = Date.now();
  return { recoveryCodes: answer.recovery_codes, signIn: () => hold(answer.session, receivedAt) };
}

export async function signOut(): Promise<void> {
  drop();
  await keys.forget();
}

// ---- downloads -----------------------------------------------------------------------------

/** A file from the API, read as it arrives so the page can show how far it has got; saved
 * through a link to its bytes in memory (nothing is written to storage by the page). */
export async function download(
  path: PathWith<"get">,
  query: Options["query"],
  accept: string,
  progress: (received: number, total: number | null) => void,
): Promise<{ name: string; bytes: number }> {
  const response = await request("GET", path, { query, accept });
  const total = Number(response.headers.get("Content-Length")) || null;
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  progress(0, total);
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    progress(received, total);
  }
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? "halopos-download";
  const blob = new Blob(chunks as BlobPart[], { type: response.headers.get("Content-Type") ?? "" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  return { name, bytes: received };
}
