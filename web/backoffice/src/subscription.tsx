// The banner the app frame shows while the business's halopos subscription has lapsed (or is
// past due), whatever page is open (docs/backoffice.md, "Billing").
//
// How each role learns it, without an API of its own (GET /v1/billing/subscription is the
// owner's alone, billing:manage):
// - an owner: the frame reads the subscription once after sign-in, and the billing page
//   again whenever it loads it; its `entitlement.mode` says full, grace or read-only;
// - everyone: every answer passes by here (api.ts watchAnswers). A write the subscription
//   no longer allows is refused, by the gateway or the service, with the problem code
//   `subscription-read-only` (libs/billing/entitlement.py), and a write during the grace
//   period carries `Halopos-Billing-Grace-Until`. So a manager or an accountant sees the
//   banner from the first write that meets it, with the problem itself beside the form;
//   reads, reports and exports still work, so a role that only reads loses nothing meanwhile.
import { useEffect, useState } from "preact/hooks";
import type { Schema } from "../../api";
import type { Session } from "./api";
import { get, may, watchAnswers } from "./api";

type Subscription = Schema<"Subscription">;

export type Standing =
  | { mode: "full" }
  | { mode: "grace"; until: string | null }
  | { mode: "read-only"; status: string | null };

let standing: Standing = { mode: "full" };
const listeners = new Set<(standing: Standing) => void>();

function tell(next: Standing): void {
  standing = next;
  for (const listener of listeners) listener(next);
}

/** What an owner's read of the subscription says (the frame's, and the billing page's). */
export function noteSubscription(subscription: Subscription): void {
  const { entitlement, status } = subscription;
  if (entitlement.mode === "read-only") tell({ mode: "read-only", status });
  else if (entitlement.mode === "grace") tell({ mode: "grace", until: entitlement.grace_until });
  else tell({ mode: "full" });
}

watchAnswers((headers, problem) => {
  if (problem?.code === "subscription-read-only") {
    const status = (problem.problem as { subscription_status?: unknown }).subscription_status;
    tell({ mode: "read-only", status: typeof status === "string" ? status : null });
    return;
  }
  const until = headers.get("Halopos-Billing-Grace-Until");
  if (until !== null && standing.mode === "full") tell({ mode: "grace", until });
});

function when(at: string | null): string {
  if (at === null) return "soon";
  return new Intl.DateTimeFormat("en-AU", { dateStyle: "medium", timeStyle: "short" }).format(new Date(at));
}

export function SubscriptionBanner({ session }: { session: Session }) {
  const [shown, setShown] = useState<Standing>(standing);
  const owner = may(session, "billing:manage");
  useEffect(() => {
    listeners.add(setShown);
    return () => void listeners.delete(setShown);
  }, []);
  useEffect(() => {
    tell({ mode: "full" }); // a new session starts from its own answers
    // An owner is told at once; a failed read leaves the banner to the answers that follow.
    if (owner) get("/v1/billing/subscription").then(noteSubscription, () => undefined);
  }, [session.staffId]);
  if (shown.mode === "full") return null;
  const renew = owner ? (
    <a href="#/billing">Renew it on the Billing page.</a>
  ) : (
    "An owner renews it on the Billing page."
  );
  if (shown.mode === "grace") {
    return (
      <div class="banner banner-grace" role="status" data-mode="grace">
        <strong>The subscription's payment is overdue.</strong> Everything works until{" "}
        {when(shown.until)}; then the business becomes read-only. {renew}
      </div>
    );
  }
  return (
    <div class="banner banner-read-only" role="alert" data-mode="read-only" data-status={shown.status ?? ""}>
      <strong>Read-only: the business's halopos subscription has ended</strong>
      {shown.status ? ` (${shown.status})` : ""}. Everything recorded stays readable and exportable;
      new sales, menu, tax and staff changes are refused until it is renewed. {renew}
    </div>
  );
}
