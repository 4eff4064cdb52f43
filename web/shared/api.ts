// What every web app's calls to the API share: the types the API's document gives each path,
// the RFC 9457 problem as an error with its request id, and building a request's URL. Each app
// keeps its own sending (its own key store, session and retries): web/backoffice/src/api.ts,
// web/pos/src/api.ts.
import type { paths, Problem } from "../api";
import type { KeyStore } from "./dpop";

// ---- what the API's document says about a path -------------------------------------------

type Method = "get" | "post" | "patch" | "put";
export type PathWith<M extends Method> = {
  [P in keyof paths]: paths[P] extends Record<M, unknown> ? P : never;
}[keyof paths];
type Operation<M extends Method, P extends PathWith<M>> = paths[P][M];
export type QueryOf<P extends PathWith<"get">> =
  Operation<"get", P> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
export type JsonOf<M extends Method, P extends PathWith<M>> =
  Operation<M, P> extends { responses: infer R }
    ? R extends { 200: { content: { "application/json": infer B } } }
      ? B
      : R extends { 201: { content: { "application/json": infer B } } }
        ? B
        : never
    : never;
export type BodyOf<M extends Method, P extends PathWith<M>> =
  Operation<M, P> extends { requestBody?: { content: { "application/json": infer B } } }
    ? B
    : never;
/** The names in a path's braces and their values: `{ staff_id: "..." }`. */
export type PathParamsOf<M extends Method, P extends PathWith<M>> =
  Operation<M, P> extends { parameters: { path: infer X } } ? NonNullable<X> : never;

// ---- problems ------------------------------------------------------------------------------

/** An answer that is not a success: the API's RFC 9457 problem, with our request id (the one
 * the API's logs and audit rows carry), for the message on screen. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
    readonly requestId: string | null,
  ) {
    super(problem.detail ?? problem.title);
  }

  get code(): string {
    return this.problem.code;
  }
}

export function unreachable(status: number, requestId: string | null): ApiProblem {
  return new ApiProblem(
    status,
    {
      type: "about:blank",
      title: status === 0 ? "halopos could not be reached" : "Unexpected answer",
      status,
      code: status === 0 ? "unreachable" : "unexpected-answer",
      detail:
        status === 0
          ? "Check the connection and try again."
          : `The server answered ${status} without a problem document.`,
      errors: null,
    },
    requestId,
  );
}

export async function problemOf(response: Response): Promise<ApiProblem> {
  const requestId = response.headers.get("X-Request-Id");
  const type = response.headers.get("Content-Type") ?? "";
  if (type.startsWith("application/problem+json") || type.startsWith("application/json")) {
    try {
      return new ApiProblem(response.status, (await response.json()) as Problem, requestId);
    } catch {
      // not JSON after all: fall through
    }
  }
  return unreachable(response.status, requestId);
}

// ---- URLs ----------------------------------------------------------------------------------

/** The query parameters a request may carry; empty ones are left out. */
export type Query = Record<string, string | number | undefined | null>;

export function urlOf(path: string, query: Query | undefined): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

/** A path with its braces filled in: `/v1/staff/{staff_id}` → `/v1/staff/0b6f...`. */
export function filled(path: string, params: Record<string, string> | undefined): string {
  return path.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`${path}: no value for {${name}}`);
    return encodeURIComponent(value);
  });
}

// ---- sending -------------------------------------------------------------------------------

export interface Signed {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  /** The session's access token (none for sign-in, activation and refresh). */
  token?: string;
  /** Give up after this long (the request may still have reached the server). */
  timeoutMs?: number;
}

/** One request through the gateway (this page's origin, which is the API's public URL), with
 * a fresh DPoP proof from `keys` and the access token if there is one. Nothing else rides
 * along: no cookie, no cache. Not reaching halopos is an ApiProblem with status 0; the answer,
 * whatever its status, is the caller's to read. */
export async function sendSigned(keys: KeyStore, method: string, path: string, options: Signed = {}): Promise<Response> {
  const headers: Record<string, string> = {
    DPoP: await keys.proof(method, window.location.origin + path, options.token),
    Accept: "application/json",
    ...options.headers,
  };
  if (options.token !== undefined) headers.Authorization = `DPoP ${options.token}`;
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  try {
    return await fetch(urlOf(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: "omit",
      cache: "no-store",
      signal: options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined,
    });
  } catch {
    throw unreachable(0, null);
  }
}
