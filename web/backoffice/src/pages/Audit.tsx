// The audit log (docs/audit-chain.md): its entries with the filters the API has, the chain's
// verification, the signed checkpoints, the key that signs them, and the reviewer's bundle
// (one download a reviewer checks on their own computer). Every value shown is the API's;
// times are shown in the venue's time zone, with the API's own value in each <time>.
import { useEffect, useState } from "preact/hooks";
import type { Schema } from "../../../api";
import type { JsonOf, QueryOf, Session } from "../api";
import { get, may, request } from "../api";
import { DownloadButton, Loading, PagedFooter, ProblemMessage, Section, useLoad, usePaged } from "../components";
import { count } from "../format";
import { venues } from "./Dashboard";

type AuditEvent = Schema<"AuditEvent">;
type Checkpoint = Schema<"CheckpointOut">;
type Verification = Schema<"VerificationOut">;

// Rows per page: one screen; "Show more" reads the next page with the API's cursor.
const PAGE_SIZE = 20;
const ACTOR_TYPES = ["owner", "manager", "cashier", "accountant", "device", "bridge", "operator", "system", "stripe"];

// ---- time, in the venue's zone -------------------------------------------------------------

/** Minutes `zone` is ahead of UTC at `instant`. */
function offsetMinutes(zone: string, instant: number): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(instant));
  const part = (type: string) => Number(parts.find((each) => each.type === type)?.value ?? 0);
  const wall = Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"), part("second"));
  return Math.round((wall - instant) / 60_000);
}

/** "2026-12-07T09:00" on the wall clocks of `zone` as the API wants it: with its UTC offset
 * then ("2026-12-07T09:00:00+11:00"). */
export function withOffset(local: string, zone: string): string {
  const wall = Date.parse(`${local}:00Z`);
  let offset = offsetMinutes(zone, wall);
  offset = offsetMinutes(zone, wall - offset * 60_000); // the offset at that moment, not at "wall as UTC"
  const sign = offset < 0 ? "-" : "+";
  const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0");
  const minutes = String(Math.abs(offset) % 60).padStart(2, "0");
  return `${local}:00${sign}${hours}:${minutes}`;
}

function shownTime(value: string, zone: string): string {
  return new Intl.DateTimeFormat("en-AU", { timeZone: zone, dateStyle: "medium", timeStyle: "medium" }).format(
    new Date(value),
  );
}

function Time({ value, zone }: { value: string; zone: string }) {
  return <time dateTime={value}>{shownTime(value, zone)}</time>;
}

/** The zone the page shows times in: the first venue's (read from the tax report, which owners
 * and accountants may read), or UTC. */
function useZone(session: Session): { zone: string; venue: string | null; loading: boolean } {
  const found = useLoad(
    () => (may(session, "reports:read") ? venues(session) : Promise.resolve([])),
    [session.staffId],
  );
  const first = found.value?.[0];
  if (first) return { zone: first.time_zone, venue: first.name, loading: false };
  return { zone: "UTC", venue: null, loading: found.loading };
}

// ---- events --------------------------------------------------------------------------------

type EventsQuery = QueryOf<"/v1/audit/events">;

interface Filters {
  action: string;
  actor_type: string;
  actor_id: string;
  resource_type: string;
  resource_id: string;
  from: string;
  before: string;
  order: "asc" | "desc";
}

const NO_FILTERS: Filters = {
  action: "",
  actor_type: "",
  actor_id: "",
  resource_type: "",
  resource_id: "",
  from: "",
  before: "",
  order: "desc",
};

function queryOf(filters: Filters, zone: string): EventsQuery {
  return {
    action: filters.action.trim() || undefined,
    actor_type: filters.actor_type || undefined,
    actor_id: filters.actor_id.trim() || undefined,
    resource_type: filters.resource_type.trim() || undefined,
    resource_id: filters.resource_id.trim() || undefined,
    occurred_from: filters.from ? withOffset(filters.from, zone) : undefined,
    occurred_before: filters.before ? withOffset(filters.before, zone) : undefined,
    order: filters.order,
    limit: PAGE_SIZE,
  };
}

function FilterForm({ zone, onApply }: { zone: string; onApply: (filters: Filters) => void }) {
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const set = (name: keyof Filters) => (event: { currentTarget: { value: string } }) =>
    setDraft({ ...draft, [name]: event.currentTarget.value });
  return (
    <form
      class="audit-filters"
      aria-label="Filter the events"
      onSubmit={(event) => {
        event.preventDefault();
        onApply(draft);
      }}
    >
      <label>
        Action
        <input name="action" value={draft.action} onInput={set("action")} placeholder="order.* or order.closed" />
      </label>
      <label>
        Done by
        <select name="actor_type" value={draft.actor_type} onChange={set("actor_type")}>
          <option value="">anyone</option>
          {ACTOR_TYPES.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </label>
      <label>
        Their id
        <input name="actor_id" value={draft.actor_id} onInput={set("actor_id")} />
      </label>
      <label>
        Resource
        <input name="resource_type" value={draft.resource_type} onInput={set("resource_type")} placeholder="order" />
      </label>
      <label>
        Resource id
        <input name="resource_id" value={draft.resource_id} onInput={set("resource_id")} />
      </label>
      <label>
        From ({zone})
        <input name="from" type="datetime-local" value={draft.from} onInput={set("from")} />
      </label>
      <label>
        Before ({zone})
        <input name="before" type="datetime-local" value={draft.before} onInput={set("before")} />
      </label>
      <label>
        Order
        <select name="order" value={draft.order} onChange={set("order")}>
          <option value="desc">newest first</option>
          <option value="asc">oldest first</option>
        </select>
      </label>
      <button type="submit">Show</button>
    </form>
  );
}

function EventRow({ event, zone }: { event: AuditEvent; zone: string }) {
  return (
    <tr data-seq={event.seq}>
      <th scope="row">{event.seq}</th>
      <td>
        <Time value={event.occurred_at} zone={zone} />
      </td>
      <td>
        <span class="actor-type">{event.actor_type}</span> <code class="actor-id">{event.actor_id}</code>
      </td>
      <td>
        <code class="action">{event.action}</code>
      </td>
      <td>
        {event.resource_type} <code class="resource-id">{event.resource_id}</code>
      </td>
      <td class="event-details">
        <details>
          <summary>
            Details<span class="visually-hidden"> of entry {event.seq}</span>
          </summary>
          <dl class="event-facts">
            <dt>Written by</dt>
            <dd>{event.service}</dd>
            <dt>Recorded</dt>
            <dd>
              <Time value={event.recorded_at} zone={zone} />
            </dd>
            <dt>Request id</dt>
            <dd>
              <code>{event.request_id ?? "none"}</code>
            </dd>
            <dt>Entry id</dt>
            <dd>
              <code>{event.id}</code>
            </dd>
            <dt>Hash</dt>
            <dd>
              <code class="hash">{event.hash}</code>
            </dd>
          </dl>
          <pre class="payload">{JSON.stringify(event.payload, null, 2)}</pre>
        </details>
      </td>
    </tr>
  );
}

function Events({ zone, venue }: { zone: string; venue: string | null }) {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const query = queryOf(filters, zone);
  const paged = usePaged((cursor) => get("/v1/audit/events", { ...query, cursor: cursor ? Number(cursor) : undefined }), [
    JSON.stringify(query),
  ]);
  return (
    <Section title="Events">
      <p class="zone-note">
        {venue ? `Times are ${venue}'s (${zone}).` : "Times are in UTC."} An action ending in <code>.*</code> finds a
        whole family (<code>order.*</code>).
      </p>
      <FilterForm zone={zone} onApply={setFilters} />
      {paged.items.length > 0 ? (
        <table class="audit-events">
          <caption>Audit entries, {filters.order === "desc" ? "newest" : "oldest"} first</caption>
          <thead>
            <tr>
              <th scope="col">Entry</th>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">To what</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {paged.items.map((event) => (
              <EventRow key={event.seq} event={event} zone={zone} />
            ))}
          </tbody>
        </table>
      ) : !paged.loading && paged.error === undefined ? (
        <p class="empty">No entry matches these filters.</p>
      ) : null}
      <PagedFooter paged={paged} what="events" />
    </Section>
  );
}

// ---- verification --------------------------------------------------------------------------

function VerificationResult({ result }: { result: Verification }) {
  const facts = (
    <dl class="verification-facts">
      <dt>Entries checked</dt>
      <dd data-value={result.entries}>{count(result.entries)}</dd>
      <dt>Checkpoints compared</dt>
      <dd data-value={result.checkpoints_checked}>{count(result.checkpoints_checked)}</dd>
      <dt>Last good entry's hash</dt>
      <dd>
        <code class="hash">{result.head_hash}</code>
      </dd>
    </dl>
  );
  if (result.valid) {
    return (
      <div class="verification verification-ok" data-valid="true" role="status">
        <p class="verification-title">The chain is intact.</p>
        <p>
          Every entry's hash was recomputed and links to the one before; the chain ends where its head says, and
          every signed checkpoint is still part of it.
        </p>
        {facts}
      </div>
    );
  }
  const broken = result.first_break;
  return (
    <div class="verification verification-broken" data-valid="false" role="alert">
      <p class="verification-title">The chain is broken at entry {broken?.seq}.</p>
      <p class="break-reason" data-seq={broken?.seq}>
        {broken?.reason}
      </p>
      <p>
        The log was changed outside halopos. Keep this page's details and the reviewer's bundle, and contact halopos
        support.
      </p>
      {facts}
    </div>
  );
}

function Verify() {
  const [started, setStarted] = useState<number | null>(null);
  const [elapsed, setElapsed] = useState(0);
  const [result, setResult] = useState<Verification | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const busy = started !== null;
  useEffect(() => {
    if (started === null) return undefined;
    const timer = setInterval(() => setElapsed(Math.floor((Date.now() - started) / 1000)), 1000);
    return () => clearInterval(timer);
  }, [started]);
  async function run() {
    setResult(null);
    setError(undefined);
    setElapsed(0);
    setStarted(Date.now());
    try {
      setResult(await get("/v1/audit/verify"));
    } catch (caught) {
      setError(caught);
    } finally {
      setStarted(null);
    }
  }
  return (
    <Section title="Verify the chain">
      <p>
        Recomputes every entry of the log from the first, in one snapshot, and compares it with the chain's head and
        every signed checkpoint. A long log takes a while (about 10,000 entries a second).
      </p>
      <button type="button" onClick={run} disabled={busy}>
        Verify the chain
      </button>
      {busy ? (
        <p class="verifying" role="status">
          <progress aria-label="Verifying the chain" /> Checking every entry… {elapsed} s
        </p>
      ) : null}
      {result !== null ? <VerificationResult result={result} /> : null}
      {error !== undefined ? <ProblemMessage error={error} /> : null}
    </Section>
  );
}

// ---- checkpoints ---------------------------------------------------------------------------

type Signed = JsonOf<"post", "/v1/audit/checkpoints">;

function Checkpoints({ zone, maySign }: { zone: string; maySign: boolean }) {
  const paged = usePaged(
    (cursor) => get("/v1/audit/checkpoints", { limit: PAGE_SIZE, cursor: cursor ? Number(cursor) : undefined }),
    [],
  );
  const [signing, setSigning] = useState(false);
  const [signed, setSigned] = useState<{ checkpoint: Signed; isNew: boolean } | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  async function sign() {
    setSigning(true);
    setSigned(null);
    setError(undefined);
    try {
      const response = await request("POST", "/v1/audit/checkpoints");
      // 201: signed now; 200: the latest checkpoint already covered the whole log.
      setSigned({ checkpoint: (await response.json()) as Signed, isNew: response.status === 201 });
      paged.reload();
    } catch (caught) {
      setError(caught);
    } finally {
      setSigning(false);
    }
  }
  return (
    <Section title="Checkpoints">
      <p>
        A checkpoint is halopos's signed statement of how many entries the log had and the last one's hash. Keep the
        ones you download: a checkpoint kept from before proves later that nothing up to it was removed or rewritten.
      </p>
      {maySign ? (
        <div class="sign-checkpoint">
          <button type="button" onClick={sign} disabled={signing}>
            Sign a checkpoint now
          </button>
          {signing ? <span role="status">Checking the chain since the last checkpoint and signing…</span> : null}
          {signed !== null ? (
            <p role="status" class="signed" data-size={signed.checkpoint.size} data-new={String(signed.isNew)}>
              {signed.isNew
                ? `Signed a checkpoint of ${count(signed.checkpoint.size)} entries.`
                : `The latest checkpoint (${count(signed.checkpoint.size)} entries) already covers the whole log.`}
            </p>
          ) : null}
          {error !== undefined ? <ProblemMessage error={error} /> : null}
        </div>
      ) : null}
      {paged.items.length > 0 ? (
        <table class="audit-checkpoints">
          <caption>Signed checkpoints, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Entries</th>
              <th scope="col">Signed</th>
              <th scope="col">Asked by</th>
              <th scope="col">Hash of the last entry</th>
              <th scope="col">Signed note</th>
            </tr>
          </thead>
          <tbody>
            {paged.items.map((checkpoint: Checkpoint) => (
              <tr key={checkpoint.size} data-size={checkpoint.size}>
                <th scope="row">{count(checkpoint.size)}</th>
                <td>
                  <Time value={checkpoint.signed_at} zone={zone} />
                </td>
                <td>
                  <code>{checkpoint.requested_by}</code>
                </td>
                <td>
                  <code class="hash">{checkpoint.hash}</code>
                </td>
                <td class="event-details">
                  <details>
                    <summary>
                      Note<span class="visually-hidden"> of checkpoint {checkpoint.size}</span>
                    </summary>
                    <pre class="note">{checkpoint.note}</pre>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : !paged.loading && paged.error === undefined ? (
        <p class="empty">No checkpoint has been signed yet.</p>
      ) : null}
      <PagedFooter paged={paged} what="checkpoints" />
    </Section>
  );
}

// ---- the key and the bundle ----------------------------------------------------------------

function PublicKey() {
  const key = useLoad(() => get("/v1/audit/public-key"), []);
  return (
    <Section title="Public key">
      <p>
        The key that signs this business's checkpoints. Compare it with a copy obtained another way before trusting a
        bundle.
      </p>
      {key.loading ? <Loading what="the public key" /> : null}
      {key.error !== undefined ? <ProblemMessage error={key.error} /> : null}
      {key.value ? (
        <dl class="public-key">
          <dt>Algorithm</dt>
          <dd>{key.value.algorithm}</dd>
          <dt>Log</dt>
          <dd>
            <code>{key.value.origin}</code>
          </dd>
          <dt>Key id</dt>
          <dd>
            <code>{key.value.key_id}</code>
          </dd>
          <dt>Public key</dt>
          <dd>
            <code>{key.value.public_key}</code>
          </dd>
          <dt>Verifier key</dt>
          <dd>
            <code class="verifier-key">{key.value.verifier_key}</code>
          </dd>
        </dl>
      ) : null}
    </Section>
  );
}

function ReviewerBundle() {
  return (
    <Section title="Reviewer's bundle">
      <p>
        One ZIP for an auditor or accountant: the whole log (<code>audit.jsonl</code>), every signed checkpoint, the
        public key, the verifier script and a README saying how to run it, all read at the same moment. The check runs
        on the reviewer's computer, trusting nothing of halopos's but the key.
      </p>
      <DownloadButton
        label="Download the reviewer's bundle"
        path="/v1/audit/reviewer-bundle"
        query={{}}
        accept="application/zip"
      />
    </Section>
  );
}

export function Audit({ session }: { session: Session }) {
  const { zone, venue, loading } = useZone(session);
  // Signing is offered to those who may sign, and, on a page outside a role's menu, to everyone:
  // there, every control meets the API's own refusal.
  const maySign = may(session, "audit:checkpoint") || !may(session, "audit:read");
  return (
    <>
      <h1>Audit log</h1>
      <p>
        Every change to the business (sales, refunds, voids, menu, tax, staff, devices, sign-in settings) is an entry
        here, chained to the one before by its hash, and nobody can change or remove one unnoticed.
      </p>
      {/* The events wait for the zone: their filters' times are entered in it. */}
      {loading ? <Loading what="the venue's time zone" /> : <Events zone={zone} venue={venue} />}
      <Verify />
      <Checkpoints zone={zone} maySign={maySign} />
      <PublicKey />
      <ReviewerBundle />
    </>
  );
}
