// A browser's DPoP key and the proofs it signs (RFC 9449; docs/sessions.md), shared by the web
// apps: each keeps its key in an IndexedDB database of its own (`keyStore("halopos-backoffice")`,
// `keyStore("halopos-pos")`), so signing out of the backoffice never takes the till's key.
//
// The key is a WebCrypto ECDSA P-256 key pair made non-extractable: its private half can sign
// in this origin's pages but can never be read out, not even by a script running in them. It is
// kept in IndexedDB (a CryptoKey is stored as it is, still non-extractable) so the browser keeps
// one key; every token the API issues is bound to it (`cnf.jkt`), so a token copied elsewhere
// is useless without a proof only this browser can sign.

const STORE = "keys";
const KEY_NAME = "dpop";

function request<T>(asked: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    asked.onsuccess = () => resolve(asked.result);
    asked.onerror = () => reject(asked.error);
  });
}

/** The key and its proofs, kept in the IndexedDB database `database` (its own, version 1,
 * one store: the till keeps its other data in another database, whose versions are its own). */
export interface KeyStore {
  /** This browser's key: the stored one, or a new one (stored before it signs anything). */
  key(): Promise<CryptoKeyPair>;
  /** Forgets the key: the next use starts with a new one, and the tokens bound to the old one
   * are bound to a key nobody holds any more. */
  forget(): Promise<void>;
  /** The key's public JWK (the members RFC 7638 thumbprints), e.g. for a till's activation. */
  publicJwk(): Promise<JsonWebKey>;
  /** A proof for one request: `htu` is the URL without its query (RFC 9449 section 4.2),
   * `ath` the hash of the access token it goes with (none for sign-in, activation and
   * refresh). Each proof has a new `jti` and is spent by the API at its first use. */
  proof(method: string, htu: string, accessToken?: string): Promise<string>;
}

export function keyStore(database: string): KeyStore {
  async function open(): Promise<IDBDatabase> {
    const opening = indexedDB.open(database, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE);
    return request(opening);
  }

  async function stored(): Promise<CryptoKeyPair | undefined> {
    const db = await open();
    try {
      const found: unknown = await request(db.transaction(STORE).objectStore(STORE).get(KEY_NAME));
      return found as CryptoKeyPair | undefined;
    } finally {
      db.close();
    }
  }

  async function store(pair: CryptoKeyPair | undefined): Promise<void> {
    const db = await open();
    try {
      const keys = db.transaction(STORE, "readwrite").objectStore(STORE);
      if (pair) await request(keys.put(pair, KEY_NAME));
      else await request(keys.delete(KEY_NAME));
    } finally {
      db.close();
    }
  }

  let current: Promise<CryptoKeyPair> | undefined;

  function key(): Promise<CryptoKeyPair> {
    current ??= (async () => {
      const found = await stored();
      if (found) return found;
      const made = await crypto.subtle.generateKey(
        { name: "ECDSA", namedCurve: "P-256" },
        false, // non-extractable: the private key never leaves WebCrypto
        ["sign", "verify"],
      );
      await store(made);
      return made;
    })();
    current.catch(() => (current = undefined));
    return current;
  }

  return {
    key,
    async forget() {
      current = undefined;
      await store(undefined);
    },
    async publicJwk() {
      return publicJwkOf(await key());
    },
    async proof(method, htu, accessToken) {
      return signProof(await key(), method, htu, accessToken);
    },
  };
}

const encoder = new TextEncoder();

function base64url(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let text = "";
  for (const byte of view) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function base64urlJson(value: unknown): string {
  return base64url(encoder.encode(JSON.stringify(value)));
}

// The public JWK of each key, exported once: every proof's header carries it.
const exported = new WeakMap<CryptoKeyPair, Promise<JsonWebKey>>();

function publicJwkOf(pair: CryptoKeyPair): Promise<JsonWebKey> {
  let jwk = exported.get(pair);
  if (jwk === undefined) {
    // The public half is always exportable; only the members RFC 7638 thumbprints are sent.
    jwk = crypto.subtle.exportKey("jwk", pair.publicKey).then(({ kty, crv, x, y }) => ({
      kty,
      crv,
      x,
      y,
    }));
    exported.set(pair, jwk);
  }
  return jwk;
}

async function signProof(
  pair: CryptoKeyPair,
  method: string,
  htu: string,
  accessToken?: string,
): Promise<string> {
  const header = { typ: "dpop+jwt", alg: "ES256", jwk: await publicJwkOf(pair) };
  const claims: Record<string, string | number> = {
    htm: method,
    htu,
    iat: Math.floor(Date.now() / 1000),
    jti: crypto.randomUUID(),
  };
  if (accessToken !== undefined) {
    claims.ath = base64url(await crypto.subtle.digest("SHA-256", encoder.encode(accessToken)));
  }
  const signingInput = `${base64urlJson(header)}.${base64urlJson(claims)}`;
  // WebCrypto's ECDSA signature is r || s, 64 bytes: the JWS form ES256 wants (RFC 7518 3.4).
  const signature = await crypto.subtle.sign(
    { name: "ECDSA", hash: "SHA-256" },
    pair.privateKey,
    encoder.encode(signingInput),
  );
  return `${signingInput}.${base64url(signature)}`;
}
