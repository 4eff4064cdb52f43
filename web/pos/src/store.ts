// What the till keeps in IndexedDB ("halopos-pos-till"; docs/pos-client.md, "What the till
// keeps"). Every action at the counter is written here, in one transaction, before the screen
// moves on: the operation log is the till's record of what happened, and the sync queue is
// nothing but the operations of that log the server has not yet taken in. The key is in its own
// database ("halopos-pos", ../../shared/dpop.ts).
import type { Activated } from "./api";

const DATABASE = "halopos-pos-till";
const VERSION = 2;

/** The stores, by what they hold. */
export type StoreName = "device" | "ops" | "sales" | "cache" | "meta" | "verifiers";

function upgrade(db: IDBDatabase, from: number): void {
  if (from < 1) db.createObjectStore("device");
  if (from < 2) {
    db.createObjectStore("ops", { keyPath: "sequence" }).createIndex("state", "state");
    db.createObjectStore("sales", { keyPath: "order_id" }).createIndex("created_at", "created_at");
    db.createObjectStore("cache");
    db.createObjectStore("meta");
    db.createObjectStore("verifiers", { keyPath: "staff_id" });
  }
}

export function asked<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

let opened: Promise<IDBDatabase> | null = null;

/** The database, opened once per page and kept open (each transaction is short). */
export function database(): Promise<IDBDatabase> {
  opened ??= new Promise<IDBDatabase>((resolve, reject) => {
    const opening = indexedDB.open(DATABASE, VERSION);
    opening.onupgradeneeded = (event) => upgrade(opening.result, event.oldVersion);
    opening.onsuccess = () => {
      const db = opening.result;
      // Another tab with a newer build asks to upgrade: let it, this page reloads into it.
      db.onversionchange = () => {
        db.close();
        opened = null;
      };
      resolve(db);
    };
    opening.onerror = () => reject(opening.error);
    opening.onblocked = () => reject(new Error("another tab of the till holds an older version open"));
  });
  opened.catch(() => (opened = null));
  return opened;
}

/** Runs `work` in one readwrite transaction over `stores` and resolves once it has committed:
 * everything `work` wrote is on disk, or nothing is. `work` must only queue requests (no other
 * awaits), as IndexedDB ends a transaction at the first idle turn. */
export async function write<T>(
  stores: StoreName[],
  work: (tx: IDBTransaction) => T | Promise<T>,
): Promise<T> {
  const db = await database();
  const tx = db.transaction(stores, "readwrite", { durability: "strict" });
  const done = new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error("the till's storage refused the write"));
  });
  let result: T;
  try {
    result = await work(tx);
  } catch (error) {
    tx.abort();
    await done.catch(() => undefined);
    throw error;
  }
  await done;
  return result;
}

export async function read<T>(store: StoreName, key: IDBValidKey): Promise<T | undefined> {
  const db = await database();
  return (await asked(db.transaction(store).objectStore(store).get(key))) as T | undefined;
}

export async function readAll<T>(store: StoreName): Promise<T[]> {
  const db = await database();
  return (await asked(db.transaction(store).objectStore(store).getAll())) as T[];
}

export async function put(store: StoreName, value: unknown, key?: IDBValidKey): Promise<void> {
  await write([store], (tx) => {
    tx.objectStore(store).put(value, key);
  });
}

export async function remove(store: StoreName, key: IDBValidKey): Promise<void> {
  await write([store], (tx) => {
    tx.objectStore(store).delete(key);
  });
}

// ---- the device ---------------------------------------------------------------------------

const THIS_TILL = "this-till";

export async function storedDevice(): Promise<Activated | null> {
  return (await read<Activated>("device", THIS_TILL)) ?? null;
}

/** Kept before the screen says the till is activated: the transaction has committed. */
export async function storeDevice(device: Activated): Promise<void> {
  await put("device", device, THIS_TILL);
}
