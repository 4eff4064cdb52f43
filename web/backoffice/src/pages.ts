// The backoffice's pages and the permission each needs, read from the generated RBAC matrix
// (generated/rbac.ts, from libs/rbac): a role sees in its menu only the pages it may use. The
// menu is a courtesy: typing a hidden page's address shows the API's own refusal.
import type { Permission } from "./generated/rbac";
import type { Session } from "./api";
import { may } from "./api";

export interface Page {
  readonly path: string;
  readonly title: string;
  readonly permission: Permission | null;
}

export const PAGES: readonly Page[] = [
  { path: "/", title: "Overview", permission: null },
  { path: "/dashboard", title: "Dashboard", permission: "reports:read" },
  { path: "/reports", title: "Reports", permission: "reports:read" },
];

export function visiblePages(session: Session): Page[] {
  return PAGES.filter((page) => page.permission === null || may(session, page.permission));
}

/** What a page's link says besides the page: `#/reports?location=...&period=...`. */
export function linkParameters(): URLSearchParams {
  return new URLSearchParams(window.location.hash.split("?")[1] ?? "");
}
