// The till's calls to the API, through the gateway (this origin), each with a DPoP proof from
// the till's own key (keyStore("halopos-pos"): the key activation registers). The types, the
// RFC 9457 problems and the URLs are the backoffice's too (../../shared/api.ts).
import type { BodyOf, JsonOf } from "../../shared/api";
import { ApiProblem, problemOf, unreachable } from "../../shared/api";
import { keyStore } from "../../shared/dpop";

export { ApiProblem };

/** The till's key: made on first use, non-extractable, kept in IndexedDB; never forgotten by
 * the till itself (a till that lost it would have to be activated again). */
export const tillKeys = keyStore("halopos-pos");

/** A request before any session: activation (and later PIN sign-in), signed by the key alone. */
async function sendUnsigned<T>(method: string, path: string, body: unknown): Promise<T> {
  const headers: Record<string, string> = {
    // The API checks `htu` against its public URL plus the path: this page's origin.
    DPoP: await tillKeys.proof(method, window.location.origin + path),
    Accept: "application/json",
    "Content-Type": "application/json",
  };
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
    });
  } catch {
    throw unreachable(0, null);
  }
  if (!response.ok) throw await problemOf(response);
  return (await response.json()) as T;
}

export type Activated = JsonOf<"post", "/v1/devices/activate">;

/** Registers the till's public key with a manager's activation code (docs/sessions.md). */
export async function activate(code: string, name: string | null): Promise<Activated> {
  const body: BodyOf<"post", "/v1/devices/activate"> = {
    code,
    public_jwk: (await tillKeys.publicJwk()) as BodyOf<"post", "/v1/devices/activate">["public_jwk"],
    ...(name ? { name } : {}),
  };
  return sendUnsigned("POST", "/v1/devices/activate", body);
}
