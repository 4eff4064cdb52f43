// Offline sign-in (docs/pos-client.md, "Signing in offline"): a verifier for each person who
// signed in online at this till in the last 72 hours, made by the till while the PIN was in
// memory: HMAC(till key, PBKDF2-SHA-256(pin, salt ‖ staff id, N)). The HMAC key is
// non-extractable and never leaves this till; the PIN is never stored; the server hands out
// nothing. Local lockout as the server's: per person 5 free failures then a doubling wait from
// 30 s, the verifier deleted after 10 in a row; per till 10 failures in 15 minutes.
import { forgetSession, stopAsking, tillKeys } from "./api";
import { asked, read, write } from "./store";

const ITERATIONS = 600_000;
const VALID_MS = 72 * 3600_000;
const FREE_FAILURES = 5;
const FIRST_WAIT_MS = 30_000;
const DELETE_AFTER = 10;
const TILL_FAILURES = 10;
const TILL_WINDOW_MS = 15 * 60_000;

interface Verifier {
  staff_id: string;
  salt: ArrayBuffer;
  iterations: number;
  mac: ArrayBuffer;
  signed_in_online_at: number;
  failures: number;
  locked_until: number;
}

const encoder = new TextEncoder();

async function tillSecret(): Promise<CryptoKey> {
  const kept = await read<CryptoKey>("meta", "pin-key");
  if (kept) return kept;
  const made = await crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  await write(["meta"], (tx) => {
    tx.objectStore("meta").put(made, "pin-key");
  });
  return made;
}

async function derive(pin: string, salt: ArrayBuffer, staffId: string, iterations: number): Promise<ArrayBuffer> {
  const material = await crypto.subtle.importKey("raw", encoder.encode(pin), "PBKDF2", false, ["deriveBits"]);
  const saltAndId = new Uint8Array([...new Uint8Array(salt), ...encoder.encode(staffId)]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: saltAndId, iterations }, material, 256);
  return crypto.subtle.sign("HMAC", await tillSecret(), bits);
}

function same(a: ArrayBuffer, b: ArrayBuffer): boolean {
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  if (x.length !== y.length) return false;
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

/** After the server accepted this person's PIN at this till (sign-in or a manager's approval). */
export async function rememberPin(staffId: string, pin: string): Promise<void> {
  const salt = crypto.getRandomValues(new Uint8Array(16)).buffer;
  const mac = await derive(pin, salt, staffId, ITERATIONS);
  const verifier: Verifier = {
    staff_id: staffId,
    salt,
    iterations: ITERATIONS,
    mac,
    signed_in_online_at: Date.now(),
    failures: 0,
    locked_until: 0,
  };
  await write(["verifiers"], (tx) => {
    tx.objectStore("verifiers").put(verifier);
  });
}

export type OfflineCheck =
  | { ok: true }
  | { ok: false; reason: "no-verifier" | "wrong-pin" | "locked" | "till-locked"; retryAfterMs?: number };

/** Checks a PIN offline, counting failures as the server would. */
export async function checkPinOffline(staffId: string, pin: string): Promise<OfflineCheck> {
  const now = Date.now();
  const verifier = await read<Verifier>("verifiers", staffId);
  if (!verifier || now - verifier.signed_in_online_at > VALID_MS) {
    if (verifier) await forgetPin(staffId);
    return { ok: false, reason: "no-verifier" };
  }
  const tillFailures = ((await read<number[]>("meta", "pin-failures")) ?? []).filter((at) => now - at < TILL_WINDOW_MS);
  if (tillFailures.length >= TILL_FAILURES) {
    return { ok: false, reason: "till-locked", retryAfterMs: TILL_WINDOW_MS - (now - tillFailures[0]!) };
  }
  if (verifier.locked_until > now) return { ok: false, reason: "locked", retryAfterMs: verifier.locked_until - now };
  const mac = await derive(pin, verifier.salt, staffId, verifier.iterations);
  if (same(mac, verifier.mac)) {
    await write(["verifiers"], (tx) => {
      tx.objectStore("verifiers").put({ ...verifier, failures: 0, locked_until: 0 });
    });
    return { ok: true };
  }
  const failures = verifier.failures + 1;
  await write(["verifiers", "meta"], (tx) => {
    tx.objectStore("meta").put([...tillFailures, now], "pin-failures");
    if (failures >= DELETE_AFTER) tx.objectStore("verifiers").delete(staffId);
    else {
      const lockedUntil = failures >= FREE_FAILURES ? now + FIRST_WAIT_MS * 2 ** (failures - FREE_FAILURES) : 0;
      tx.objectStore("verifiers").put({ ...verifier, failures, locked_until: lockedUntil });
    }
  });
  return { ok: false, reason: "wrong-pin" };
}

export async function forgetPin(staffId: string): Promise<void> {
  await write(["verifiers"], (tx) => {
    tx.objectStore("verifiers").delete(staffId);
  });
}

/** Drops the verifiers of people no longer on the roster (deactivated, moved, PIN removed). */
export async function keepOnly(staffIds: Set<string>): Promise<void> {
  await write(["verifiers"], async (tx) => {
    const store = tx.objectStore("verifiers");
    const keys = (await asked(store.getAllKeys())) as string[];
    for (const key of keys) if (!staffIds.has(key)) store.delete(key);
  });
}

/** Everything a revoked till must forget (docs/pos-client.md, "Signing in offline"): the
 * verifiers and their key, the roster, the session, and the till's own key. Its operations stay
 * (a manager may want to see them; nothing can upload them any more). */
export async function forgetAll(): Promise<void> {
  stopAsking();
  await write(["verifiers", "meta", "cache"], (tx) => {
    tx.objectStore("verifiers").clear();
    tx.objectStore("meta").delete("pin-key");
    tx.objectStore("meta").delete("person");
    tx.objectStore("cache").delete("roster");
  });
  await forgetSession();
  await tillKeys.forget();
}
