// The business (its name, region and currency) and the venues this session reaches (each with
// its time zone and business-day cutoff), read once per session from GET /v1/business and
// GET /v1/locations and shared by every page. Forgotten when the session changes; a read that
// failed is forgotten too, so the next page asks again.
import type { Schema } from "../../api";
import { get, onSessionChange } from "./api";
import { allPages } from "./forms";

export type Business = Schema<"Business">;
export type Location = Schema<"Location">;

let business: Promise<Business> | null = null;
let locations: Promise<Location[]> | null = null;

onSessionChange(() => {
  business = null;
  locations = null;
});

function kept<T>(promise: Promise<T>, forget: () => void): Promise<T> {
  promise.catch(forget);
  return promise;
}

export function theBusiness(): Promise<Business> {
  business ??= kept(get("/v1/business"), () => (business = null));
  return business;
}

/** The venues this session reaches, oldest first (a manager: those they work at). */
export function venues(): Promise<Location[]> {
  locations ??= kept(
    allPages((cursor) => get("/v1/locations", { limit: 100, cursor })),
    () => (locations = null),
  );
  return locations;
}
