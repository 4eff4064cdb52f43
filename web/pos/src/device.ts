// What the till keeps of itself in IndexedDB ("halopos-pos-till"): the answer to its
// activation (the device handle it signs staff in with, its id, venue, name and when). The key
// is in its own database ("halopos-pos", ../../shared/dpop.ts); this one will hold the till's
// data as it grows (menu, queue), with versions of its own.
import type { Activated } from "./api";

const DATABASE = "halopos-pos-till";
const STORE = "device";
const THIS_TILL = "this-till";

function request<T>(asked: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    asked.onsuccess = () => resolve(asked.result);
    asked.onerror = () => reject(asked.error);
  });
}

async function open(): Promise<IDBDatabase> {
  const opening = indexedDB.open(DATABASE, 1);
  opening.onupgradeneeded = () => opening.result.createObjectStore(STORE);
  return request(opening);
}

export async function storedDevice(): Promise<Activated | null> {
  const db = await open();
  try {
    const found: unknown = await request(db.transaction(STORE).objectStore(STORE).get(THIS_TILL));
    return (found as Activated | undefined) ?? null;
  } finally {
    db.close();
  }
}

/** Kept before the screen says the till is activated: the transaction has committed. */
export async function storeDevice(device: Activated): Promise<void> {
  const db = await open();
  try {
    const writing = db.transaction(STORE, "readwrite");
    writing.objectStore(STORE).put(device, THIS_TILL);
    await new Promise<void>((resolve, reject) => {
      writing.oncomplete = () => resolve();
      writing.onerror = () => reject(writing.error);
      writing.onabort = () => reject(writing.error);
    });
  } finally {
    db.close();
  }
}
