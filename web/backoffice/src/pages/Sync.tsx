// Sync review: what the tills' offline uploads flagged for a person to look at (a total that
// differed, missing receipt numbers, a card taken late...), and the actions a till did offline
// on a manager's word (voids, refunds, discounts, force-closes), to confirm or dispute.
// Everyone with sync:review reads both lists (owners, managers, accountants); resolving needs
// sync:resolve, and a role without it is shown no control for it (the API refuses it anyway).
// The API's text for these is in docs/sync.md ("Review").
import { useState } from "preact/hooks";
import type { Schema } from "../../../api";
import type { Session } from "../api";
import { get, may, post } from "../api";
import { Loading, PagedFooter, ProblemMessage, Section, useLoad, usePaged } from "../components";
import { count, money } from "../format";

type Flag = Schema<"Flag">;
type Approval = Schema<"OfflineApproval">;

/** What makes the lists readable: the business's currency, and the names of its staff and
 * tills where the role may read them (otherwise their ids are shown, shortened). */
interface Names {
  currency: string | null;
  staff: Map<string, string>;
  devices: Map<string, string>;
}

async function names(session: Session): Promise<Names> {
  // Names are a courtesy: a list that cannot be read leaves the ids, and the review goes on.
  const [currency, staff, devices] = await Promise.all([
    get("/v1/tax/settings").then(
      (settings) => settings.currency,
      () => null,
    ),
    may(session, "staff:read")
      ? get("/v1/staff", { limit: 100 }).then(
          (page) => new Map(page.items.map((member) => [member.id, member.display_name])),
          () => new Map<string, string>(),
        )
      : new Map<string, string>(),
    may(session, "devices:manage")
      ? get("/v1/devices", { limit: 100 }).then(
          (page) => new Map(page.items.map((device) => [device.id, device.name])),
          () => new Map<string, string>(),
        )
      : new Map<string, string>(),
  ]);
  return { currency, staff, devices };
}

const short = (id: string) => id.slice(0, 8);

function Person({ id, names }: { id: string | null | undefined; names: Names }) {
  if (!id) return <>—</>;
  const name = names.staff.get(id);
  return name ? <span title={id}>{name}</span> : <code title={id}>{short(id)}</code>;
}

function Till({ id, names }: { id: string; names: Names }) {
  const name = names.devices.get(id);
  return name ? <span title={id}>{name}</span> : <>till <code title={id}>{short(id)}</code></>;
}

function When({ at }: { at: string | null | undefined }) {
  if (!at) return <>—</>;
  const shown = new Intl.DateTimeFormat("en-AU", { dateStyle: "medium", timeStyle: "short" }).format(
    new Date(at),
  );
  return <time dateTime={at}>{shown}</time>;
}

function Amount({ minor, names }: { minor: number; names: Names }) {
  return (
    <span data-value={minor}>
      {names.currency ? money(minor, names.currency) : `${count(minor)} (minor units)`}
    </span>
  );
}

const FLAG_TITLES: Record<string, string> = {
  "total-mismatch": "The till's total differed from halopos's",
  "receipt-gap": "Receipt numbers are missing",
  "offline-approval": "Done offline on a manager's word",
  "stale-card-payment": "A card payment was uploaded late",
  overpayment: "A card paid more than was due",
  "payments-do-not-match-total": "Closed with payments that do not match the total",
  "late-arrival": "Arrived after its shift was closed",
  "shift-closed-elsewhere": "The shift was already closed",
  "open-orders-at-close": "A shift closed with orders still open",
  "device-clock-ahead": "The till's clock was ahead",
};

const ACTIONS: Record<Approval["action"], string> = {
  void: "Void",
  refund: "Refund",
  discount: "Discount",
  shift_force_close: "Closing someone else's shift",
};

function About({ type, id }: { type: string; id: string }) {
  const what = type === "order" ? "Order" : type === "shift" ? "Shift" : type === "register" ? "Register" : type;
  return (
    <>
      {what} <code title={id}>{short(id)}</code>
    </>
  );
}

const STAFF_FIELDS = new Set(["approved_by", "closed_by", "resolved_by"]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A flag's details (their keys differ by kind), each said in words: amounts in the
 * business's currency, times as times, people by name. */
function Detail({ name, value, names }: { name: string; value: unknown; names: Names }) {
  const label = name.replace(/_minor$/, "").replace(/_/g, " ");
  let shown;
  if (value === null || value === undefined) shown = <>—</>;
  else if (name.endsWith("_minor") && typeof value === "number") shown = <Amount minor={value} names={names} />;
  else if (name.endsWith("_bps") && typeof value === "number") shown = <>{value / 100}%</>;
  else if (name.endsWith("_at") && typeof value === "string") shown = <When at={value} />;
  else if (STAFF_FIELDS.has(name) && typeof value === "string") shown = <Person id={value} names={names} />;
  else if (typeof value === "string" && UUID.test(value)) shown = <code title={value}>{short(value)}</code>;
  else if (typeof value === "object") shown = <code>{JSON.stringify(value)}</code>;
  else shown = <>{String(value)}</>;
  return (
    <div data-detail={name}>
      <dt>{label.charAt(0).toUpperCase() + label.slice(1)}</dt>
      <dd>{shown}</dd>
    </div>
  );
}

function ResolveForm({ flag, onDone }: { flag: Flag; onDone: (flag: Flag) => void }) {
  const [resolution, setResolution] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <form
      class="review-form"
      aria-label={`Resolve flag ${short(flag.id)}`}
      onSubmit={async (event) => {
        event.preventDefault();
        setBusy(true);
        setError(null);
        try {
          onDone(await post("/v1/sync/flags/{flag_id}/resolve", { resolution }, { flag_id: flag.id }));
        } catch (caught) {
          setError(caught);
        } finally {
          setBusy(false);
        }
      }}
    >
      <label>
        What was found and done
        <textarea
          name="resolution"
          required
          maxLength={500}
          value={resolution}
          onInput={(event) => setResolution(event.currentTarget.value)}
        />
      </label>
      <button type="submit" disabled={busy}>
        Mark resolved
      </button>
      {error !== null ? <ProblemMessage error={error} /> : null}
    </form>
  );
}

function FlagItem(props: { flag: Flag; names: Names; canResolve: boolean; onResolved: (flag: Flag) => void }) {
  const { flag, names } = props;
  const open = flag.resolved_at === null;
  return (
    <li class="review-item" data-flag={flag.id} data-kind={flag.kind} data-state={open ? "open" : "resolved"}>
      <h3>{FLAG_TITLES[flag.kind] ?? flag.kind}</h3>
      <dl class="review-facts">
        <div>
          <dt>About</dt>
          <dd>
            <About type={flag.resource_type} id={flag.resource_id} />
          </dd>
        </div>
        <div>
          <dt>Till</dt>
          <dd>
            <Till id={flag.device_id} names={names} />
          </dd>
        </div>
        <div>
          <dt>Raised</dt>
          <dd>
            <When at={flag.raised_at} />
          </dd>
        </div>
        {/* What a kind does not say (null) is left out, not shown as a dash. */}
        {Object.entries(flag.details).filter(([, value]) => value !== null).map(([name, value]) => (
          <Detail key={name} name={name} value={value} names={names} />
        ))}
        <div>
          <dt>State</dt>
          <dd class="review-state">
            {open ? (
              "Open"
            ) : (
              <>
                Resolved by <Person id={flag.resolved_by} names={names} />, <When at={flag.resolved_at} />:{" "}
                <q class="resolution">{flag.resolution}</q>
              </>
            )}
          </dd>
        </div>
      </dl>
      {open && props.canResolve ? <ResolveForm flag={flag} onDone={props.onResolved} /> : null}
    </li>
  );
}

function Flags({ names, canResolve }: { names: Names; canResolve: boolean }) {
  const [unresolved, setUnresolved] = useState(true);
  // What was resolved here, shown at once in place (the list itself is the API's pages).
  const [resolved, setResolved] = useState<Map<string, Flag>>(new Map());
  const flags = usePaged((cursor) => get("/v1/sync/flags", { unresolved, cursor, limit: 20 }), [unresolved]);
  return (
    <Section title="Flags">
      <label>
        Show
        <select
          name="flags-filter"
          value={unresolved ? "open" : "all"}
          onChange={(event) => setUnresolved(event.currentTarget.value === "open")}
        >
          <option value="open">open flags</option>
          <option value="all">open and resolved flags</option>
        </select>
      </label>
      {!flags.loading && flags.error === undefined && flags.items.length === 0 ? (
        <p class="empty">No {unresolved ? "open " : ""}flags.</p>
      ) : null}
      <ul class="review-list" aria-label="Flags">
        {flags.items.map((flag) => (
          <FlagItem
            key={flag.id}
            flag={resolved.get(flag.id) ?? flag}
            names={names}
            canResolve={canResolve}
            onResolved={(done) => setResolved((before) => new Map(before).set(done.id, done))}
          />
        ))}
      </ul>
      <PagedFooter paged={flags} what="flags" />
    </Section>
  );
}

function ReviewForm({ approval, onDone }: { approval: Approval; onDone: (approval: Approval) => void }) {
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);
  async function review(confirm: boolean) {
    // A dispute says what was wrong (the API requires it); a confirmation may say nothing.
    if (!confirm && note.trim() === "") {
      setMissing(true);
      return;
    }
    setMissing(false);
    setBusy(true);
    setError(null);
    const params = { approval_id: approval.id };
    try {
      onDone(
        confirm
          ? await post("/v1/sync/approvals/{approval_id}/confirm", note.trim() ? { note } : {}, params)
          : await post("/v1/sync/approvals/{approval_id}/dispute", { note }, params),
      );
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  const noteId = `note-${approval.id}`;
  return (
    <form
      class="review-form"
      aria-label={`Review ${ACTIONS[approval.action].toLowerCase()} ${short(approval.resource_id)}`}
      onSubmit={(event) => event.preventDefault()}
    >
      <label>
        Note (needed to dispute)
        <textarea
          id={noteId}
          name="note"
          maxLength={500}
          value={note}
          aria-invalid={missing ? "true" : undefined}
          aria-describedby={missing ? `${noteId}-missing` : undefined}
          onInput={(event) => setNote(event.currentTarget.value)}
        />
      </label>
      <button type="button" disabled={busy} onClick={() => void review(true)}>
        Confirm
      </button>
      <button type="button" class="secondary" disabled={busy} onClick={() => void review(false)}>
        Dispute
      </button>
      {missing ? (
        <p id={`${noteId}-missing`} class="field-problem" role="alert">
          Say what was wrong to dispute it.
        </p>
      ) : null}
      {error !== null ? <ProblemMessage error={error} /> : null}
    </form>
  );
}

function ApprovalItem(props: {
  approval: Approval;
  names: Names;
  canResolve: boolean;
  onReviewed: (approval: Approval) => void;
}) {
  const { approval, names } = props;
  return (
    <li class="review-item" data-approval={approval.id} data-action={approval.action} data-state={approval.status}>
      <h3>
        {ACTIONS[approval.action]}: <About type={approval.resource_type} id={approval.resource_id} />
      </h3>
      <dl class="review-facts">
        <div data-detail="amount_minor">
          <dt>Amount</dt>
          <dd>
            <Amount minor={approval.amount_minor} names={names} />
          </dd>
        </div>
        <div data-detail="limit_minor">
          <dt>Offline limit then</dt>
          <dd>
            <Amount minor={approval.limit_minor} names={names} />
          </dd>
        </div>
        <div>
          <dt>Done by (the till says)</dt>
          <dd>
            <Person id={approval.claimed_staff_id} names={names} />
          </dd>
        </div>
        <div>
          <dt>Approved by (the till says)</dt>
          <dd>
            <Person id={approval.claimed_approver_id} names={names} />
          </dd>
        </div>
        <div>
          <dt>Uploaded by</dt>
          <dd>
            <Person id={approval.uploaded_by} names={names} />
          </dd>
        </div>
        <div>
          <dt>Till</dt>
          <dd>
            <Till id={approval.device_id} names={names} />
          </dd>
        </div>
        <div>
          <dt>When</dt>
          <dd>
            <When at={approval.occurred_at} />
          </dd>
        </div>
        <div>
          <dt>State</dt>
          <dd class="review-state">
            {approval.status === "pending" ? (
              "Waiting for review"
            ) : (
              <>
                {approval.status === "confirmed" ? "Confirmed" : "Disputed"} by{" "}
                <Person id={approval.reviewed_by} names={names} />, <When at={approval.reviewed_at} />
                {approval.note ? (
                  <>
                    : <q class="resolution">{approval.note}</q>
                  </>
                ) : null}
              </>
            )}
          </dd>
        </div>
      </dl>
      {approval.status === "pending" && props.canResolve ? (
        <ReviewForm approval={approval} onDone={props.onReviewed} />
      ) : null}
    </li>
  );
}

function Approvals({ names, canResolve }: { names: Names; canResolve: boolean }) {
  const [status, setStatus] = useState<"pending" | "confirmed" | "disputed">("pending");
  const [reviewed, setReviewed] = useState<Map<string, Approval>>(new Map());
  const approvals = usePaged(
    (cursor) => get("/v1/sync/approvals", { status, cursor, limit: 20 }),
    [status],
  );
  return (
    <Section title="Offline approvals">
      <p>
        Voids, refunds and discounts a till did offline on a manager's word, within the business's
        offline approval limit. Confirming or disputing changes no figure: what happened at the
        counter stays in the books, and the review is recorded in the audit log.
      </p>
      <label>
        Show
        <select
          name="approvals-filter"
          value={status}
          onChange={(event) => setStatus(event.currentTarget.value as typeof status)}
        >
          <option value="pending">waiting for review</option>
          <option value="confirmed">confirmed</option>
          <option value="disputed">disputed</option>
        </select>
      </label>
      {!approvals.loading && approvals.error === undefined && approvals.items.length === 0 ? (
        <p class="empty">No offline approvals {status === "pending" ? "waiting for review" : status}.</p>
      ) : null}
      <ul class="review-list" aria-label="Offline approvals">
        {approvals.items.map((approval) => (
          <ApprovalItem
            key={approval.id}
            approval={reviewed.get(approval.id) ?? approval}
            names={names}
            canResolve={canResolve}
            onReviewed={(done) => setReviewed((before) => new Map(before).set(done.id, done))}
          />
        ))}
      </ul>
      <PagedFooter paged={approvals} what="offline approvals" />
    </Section>
  );
}

export function Sync({ session }: { session: Session }) {
  const loaded = useLoad(() => names(session), [session.staffId]);
  const canResolve = may(session, "sync:resolve");
  return (
    <>
      <h1>Sync review</h1>
      <p>
        What the tills uploaded after working offline and halopos flagged for a person to look at.
        {canResolve ? "" : " Your role may read these; an owner or a manager resolves them."}
      </p>
      {loaded.loading ? <Loading what="names and the currency" /> : null}
      {loaded.error !== undefined ? <ProblemMessage error={loaded.error} /> : null}
      {loaded.value ? (
        <>
          <Flags names={loaded.value} canResolve={canResolve} />
          <Approvals names={loaded.value} canResolve={canResolve} />
        </>
      ) : null}
    </>
  );
}
