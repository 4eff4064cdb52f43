// Billing: the business's halopos subscription as Stripe last reported it, and the way to
// Stripe's hosted pages (Checkout to subscribe, the Customer Portal for the card, invoices and
// cancelling). Card details are only ever typed on Stripe's pages (docs/billing.md): this page
// asks the API for a session and sends the browser to the URL it answers. Owners only
// (billing:manage).
import { useState } from "preact/hooks";
import type { Schema } from "../../../api";
import { post, get } from "../api";
import { Loading, ProblemMessage, Section, useLoad } from "../components";
import { money } from "../format";
import { noteSubscription } from "../subscription";

type Subscription = Schema<"Subscription">;

// Stripe's statuses, said for a venue owner.
const STATUS: Record<string, string> = {
  active: "Active",
  trialing: "On trial",
  incomplete: "First payment under way",
  past_due: "Payment overdue",
  canceled: "Cancelled",
  unpaid: "Unpaid",
  incomplete_expired: "First payment failed",
  paused: "Paused",
};

const MODE: Record<Subscription["entitlement"]["mode"], string> = {
  full: "Full use",
  grace: "Full use for now (payment overdue)",
  "read-only": "Read-only: new sales and changes are refused",
};

// A subscription that still runs: a new Checkout would be refused (409 subscription-exists).
const ENDED = new Set([null, "canceled", "incomplete_expired"]);

function when(at: string): string {
  return new Intl.DateTimeFormat("en-AU", { dateStyle: "long" }).format(new Date(at));
}

function State({ subscription }: { subscription: Subscription }) {
  const { plan, entitlement } = subscription;
  return (
    <dl
      class="subscription"
      data-status={subscription.status ?? ""}
      data-mode={entitlement.mode}
      data-billing-account={String(subscription.billing_account)}
    >
      <div data-field="status">
        <dt>Subscription</dt>
        <dd>{subscription.status === null ? "None yet" : (STATUS[subscription.status] ?? subscription.status)}</dd>
      </div>
      <div data-field="entitlement">
        <dt>What the business may do</dt>
        <dd>
          {MODE[entitlement.mode]}
          {entitlement.grace_until ? `, until ${when(entitlement.grace_until)}` : ""}
        </dd>
      </div>
      {plan ? (
        <div data-field="plan" data-value={plan.amount_minor ?? ""}>
          <dt>Plan</dt>
          <dd>
            {plan.name ?? plan.price_id}
            {plan.amount_minor !== null && plan.currency
              ? `, ${money(plan.amount_minor, plan.currency.toUpperCase())}${plan.interval ? ` a ${plan.interval}` : ""}`
              : ""}
          </dd>
        </div>
      ) : null}
      {subscription.current_period_end ? (
        <div data-field="current_period_end">
          <dt>
            {ENDED.has(subscription.status)
              ? "Its last period ran to"
              : subscription.cancel_at_period_end
                ? "Ends on"
                : "Renews on"}
          </dt>
          <dd>
            <time dateTime={subscription.current_period_end}>{when(subscription.current_period_end)}</time>
          </dd>
        </div>
      ) : null}
    </dl>
  );
}

/** A button that asks the API for a Stripe session and sends the browser to it. */
function StripeButton(props: { label: string; start: () => Promise<{ url: string }> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function go() {
    setBusy(true);
    setError(null);
    try {
      const { url } = await props.start();
      // Only a web address: whatever the answer says, the page never runs it as script.
      if (!/^https?:$/.test(new URL(url).protocol)) throw new Error(`not a web address: ${url}`);
      window.location.assign(url);
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  }
  return (
    <div class="stripe-button">
      <button type="button" disabled={busy} onClick={() => void go()}>
        {props.label}
      </button>
      {busy ? <span role="status">Opening Stripe…</span> : null}
      {error !== null ? <ProblemMessage error={error} /> : null}
    </div>
  );
}

export function Billing() {
  const loaded = useLoad(async () => {
    const subscription = await get("/v1/billing/subscription");
    noteSubscription(subscription); // the frame's banner follows what this page shows
    return subscription;
  }, []);
  const subscription = loaded.value;
  return (
    <>
      <h1>Billing</h1>
      <Section title="Subscription">
        {loaded.loading ? <Loading what="the subscription" /> : null}
        {loaded.error !== undefined ? <ProblemMessage error={loaded.error} /> : null}
        {subscription ? <State subscription={subscription} /> : null}
      </Section>
      {subscription ? (
        <Section title="Payment">
          <p>
            Payments are made on Stripe's own pages: halopos never sees a card number.
          </p>
          <div class="downloads">
            {ENDED.has(subscription.status) ? (
              <StripeButton
                label="Subscribe with Stripe Checkout"
                start={() => post("/v1/billing/checkout-sessions", undefined as never)}
              />
            ) : null}
            {subscription.billing_account ? (
              <StripeButton
                label="Open the Stripe Customer Portal"
                start={() => post("/v1/billing/portal-sessions", undefined as never)}
              />
            ) : null}
          </div>
          {subscription.billing_account ? (
            <p>The portal changes the card, shows the invoices, and cancels the plan.</p>
          ) : null}
        </Section>
      ) : null}
    </>
  );
}
