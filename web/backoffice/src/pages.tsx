// The backoffice's pages and the permission each needs, read from the generated RBAC matrix
// (generated/rbac.ts, from libs/rbac): a role sees in its menu only the pages it may use. The
// menu is a courtesy: typing a hidden page's address shows the API's own refusal.
//
// A new page is a file in pages/ and one entry here.
import type { FunctionComponent } from "preact";
import type { Permission } from "./generated/rbac";
import type { Session } from "./api";
import { may } from "./api";
import { Audit } from "./pages/Audit";
import { Dashboard } from "./pages/Dashboard";
import { Reports } from "./pages/Reports";
import { Menu } from "./pages/Menu";
import { Tax } from "./pages/Tax";
import { Sync } from "./pages/Sync";
import { Billing } from "./pages/Billing";
import { Security } from "./pages/Security";
import { Staff } from "./pages/Staff";
import { Devices } from "./pages/Devices";

export interface Page {
  readonly path: string;
  readonly title: string;
  readonly permission: Permission | null;
  readonly component: FunctionComponent<{ session: Session }>;
}

/** The first page: who is signed in, and the pages their role may use. */
function Overview({ session }: { session: Session }) {
  const pages = visiblePages(session).filter((page) => page.path !== "/");
  return (
    <>
      <h1>Overview</h1>
      <p>
        You are signed in as <strong data-role={session.role}>{session.role}</strong>
        {session.locationIds === null
          ? ", for every venue of the business."
          : `, for ${session.locationIds.length} venue(s).`}
      </p>
      {pages.length > 0 ? (
        <ul>
          {pages.map((page) => (
            <li key={page.path}>
              <a href={`#${page.path}`}>{page.title}</a>
            </li>
          ))}
        </ul>
      ) : (
        <p>More pages for your role are coming to the backoffice.</p>
      )}
    </>
  );
}

export const PAGES: readonly Page[] = [
  { path: "/", title: "Overview", permission: null, component: Overview },
  { path: "/dashboard", title: "Dashboard", permission: "reports:read", component: Dashboard },
  { path: "/reports", title: "Reports", permission: "reports:read", component: Reports },
  { path: "/menu", title: "Menu", permission: "menu:read", component: Menu },
  { path: "/tax", title: "Tax", permission: "tax:read", component: Tax },
  { path: "/staff", title: "Staff", permission: "staff:read", component: Staff },
  { path: "/devices", title: "Devices", permission: "devices:manage", component: Devices },
  { path: "/sync", title: "Sync review", permission: "sync:review", component: Sync },
  { path: "/audit", title: "Audit log", permission: "audit:read", component: Audit },
  { path: "/admin/security", title: "Security", permission: "security:manage", component: Security },
  { path: "/billing", title: "Billing", permission: "billing:manage", component: Billing },
];

export function visiblePages(session: Session): Page[] {
  return PAGES.filter((page) => page.permission === null || may(session, page.permission));
}
