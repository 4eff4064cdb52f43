// What the till needs to sell with the network down, kept in IndexedDB ("cache") and refreshed
// whenever it is online: the menu with each item's tax rate and the cash rounding, the override
// limits (when to ask a manager, and the offline approval limit), and the venue's roster (who
// may sign in; ETag-cached). A till that opens offline works from what it kept.
import type { Limits, Roster, TillMenu } from "./api";
import { ApiProblem, fetchRoster, json } from "./api";
import { read, write } from "./store";

export interface Kept<T> {
  value: T;
  fetchedAt: string;
  etag?: string;
}

export interface TillData {
  menu: Kept<TillMenu> | null;
  limits: Kept<Limits> | null;
  roster: Kept<Roster> | null;
}

export async function keptData(): Promise<TillData> {
  const [menu, limits, roster] = await Promise.all([
    read<Kept<TillMenu>>("cache", "menu"),
    read<Kept<Limits>>("cache", "limits"),
    read<Kept<Roster>>("cache", "roster"),
  ]);
  return { menu: menu ?? null, limits: limits ?? null, roster: roster ?? null };
}

async function keep(name: string, value: unknown): Promise<void> {
  await write(["cache"], (tx) => {
    tx.objectStore("cache").put(value, name);
  });
}

/** The roster, asked with the till's key alone (before anyone signs in). Throws the API's
 * problem: `device-revoked` means the till must forget everything. */
export async function refreshRoster(device: string): Promise<Kept<Roster> | null> {
  const kept = await read<Kept<Roster>>("cache", "roster");
  const answer = await fetchRoster(device, kept?.etag ?? null);
  const now = new Date().toISOString();
  if (answer === null) {
    if (!kept) return null;
    const touched = { ...kept, fetchedAt: now };
    await keep("roster", touched);
    return touched;
  }
  const fresh: Kept<Roster> = { value: answer.roster, etag: answer.etag, fetchedAt: now };
  await keep("roster", fresh);
  return fresh;
}

/** The menu and the limits, as the signed-in session reads them. */
export async function refreshSelling(): Promise<Pick<TillData, "menu" | "limits">> {
  const now = new Date().toISOString();
  const [menu, limits] = await Promise.all([
    json<TillMenu>("GET", "/v1/menu", { timeoutMs: 15_000 }),
    json<Limits>("GET", "/v1/settings/override-limits", { timeoutMs: 15_000 }),
  ]);
  const kept = { menu: { value: menu, fetchedAt: now }, limits: { value: limits, fetchedAt: now } };
  await keep("menu", kept.menu);
  await keep("limits", kept.limits);
  return kept;
}

export function isRevoked(error: unknown): boolean {
  return error instanceof ApiProblem && (error.code === "device-revoked" || error.code === "device-not-recognised");
}
