// /admin/security: what guards the business. Each section is shown only when the role holds
// its permission (the API refuses the rest anyway):
//   - Bridge tokens (bridge_tokens:manage): the print Bridges' credentials; a secret is shown
//     once, when created or rotated;
//   - override limits (override-limits:read; changed with override-limits:write): up to where a
//     cashier acts without a manager's approval, in the business's currency;
//   - authenticator apps (security:manage): whether owners must sign in with one, and the
//     enrolment code that lets a colleague set one up;
//   - active sessions (security:manage): who is signed in, and ending a session.
import { useState } from "preact/hooks";
import type { Schema } from "../../../api";
import type { Session } from "../api";
import type { Permission } from "../generated/rbac";
import { get, may, patch, post } from "../api";
import { Loading, PagedFooter, ProblemMessage, Section, useLoad, usePaged } from "../components";
import { money } from "../format";

type BridgeToken = Schema<"BridgeToken">;
type BridgeTokenCreated = Schema<"BridgeTokenCreated">;
type LiveSession = Schema<"LiveSession">;
type OverrideLimits = Schema<"OverrideLimits">;
type Location = Schema<"Location">;

/** A moment for reading, in this browser's time zone. */
function when(iso: string | null | undefined): string {
  if (!iso) return "never";
  return new Date(iso).toLocaleString("en-AU", { dateStyle: "medium", timeStyle: "short" });
}

export function Security({ session }: { session: Session }) {
  // A role without security:manage has no menu entry for this page; one that types its
  // address gets every section, so what it meets is the API's own refusal, as on every page.
  const typedIn = !may(session, "security:manage");
  const shows = (permission: Permission) => typedIn || may(session, permission);
  return (
    <>
      <h1>Security</h1>
      {shows("bridge_tokens:manage") ? <BridgeTokens session={session} /> : null}
      {shows("override-limits:read") ? (
        <OverrideLimitsSection canWrite={shows("override-limits:write")} />
      ) : null}
      {shows("security:manage") ? <Authenticators /> : null}
      {shows("security:manage") ? <Sessions /> : null}
    </>
  );
}

// ---- Bridge tokens -------------------------------------------------------------------------

const GRACE_PERIODS: readonly [number, string][] = [
  [0, "stops now"],
  [3600, "works 1 more hour"],
  [86_400, "works 1 more day"],
  [604_800, "works 1 more week"],
];

interface Issued {
  token: BridgeTokenCreated;
  /** For a rotation: until when the previous secret works (null: it stopped at once). */
  previousUntil?: string | null;
}

function IssuedSecret({ issued, onDone }: { issued: Issued; onDone: () => void }) {
  const rotated = issued.previousUntil !== undefined;
  return (
    <div class="secret-once" role="status" data-token-id={issued.token.id}>
      <p>
        <strong>
          {rotated ? "New secret" : "Secret"} for “{issued.token.name}”: copy it into the Bridge
          now. It will not be shown again.
        </strong>
      </p>
      <p>
        <code class="bridge-secret">{issued.token.token}</code>
      </p>
      {rotated ? (
        <p class="previous-until">
          {issued.previousUntil
            ? `The previous secret keeps working until ${when(issued.previousUntil)}; after that only this one does.`
            : "The previous secret stopped working now."}
        </p>
      ) : null}
      <button type="button" onClick={onDone}>
        I have copied it
      </button>
    </div>
  );
}

function BridgeTokens({ session }: { session: Session }) {
  // The venues this session reaches (GET /v1/locations), for the picker and the list's names.
  const places = usePaged(
    (cursor) => get("/v1/locations", { limit: 100, cursor }),
    [session.staffId],
  );
  const tokens = usePaged(
    (cursor) => get("/v1/admin/security/bridge-tokens", { limit: 20, cursor }),
    [],
  );
  const [name, setName] = useState("");
  const [venue, setVenue] = useState("");
  const [issued, setIssued] = useState<Issued | null>(null);
  const [grace, setGrace] = useState<Record<string, number>>({});
  const [confirming, setConfirming] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const venueName = (id: string) => places.items.find((each) => each.id === id)?.name ?? id;

  async function act(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
      tokens.reload();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const create = (event: Event) => {
    event.preventDefault();
    const locationId = venue || places.items[0]?.id;
    if (!locationId) return;
    void act(async () => {
      const token = await post("/v1/admin/security/bridge-tokens", { name, location_id: locationId });
      setIssued({ token });
      setName("");
    });
  };
  const rotate = (token: BridgeToken) =>
    act(async () => {
      const seconds = grace[token.id] ?? 0;
      const rotated = await post(
        "/v1/admin/security/bridge-tokens/{token_id}/rotate",
        { grace_period_seconds: seconds },
        { token_id: token.id },
      );
      const from = rotated.rotated_at ? new Date(rotated.rotated_at).getTime() : Date.now();
      setIssued({
        token: rotated,
        previousUntil: seconds > 0 ? new Date(from + seconds * 1000).toISOString() : null,
      });
    });
  const revoke = (token: BridgeToken) =>
    act(async () => {
      await post("/v1/admin/security/bridge-tokens/{token_id}/revoke", {}, { token_id: token.id });
      setConfirming(null);
    });

  return (
    <Section title="Bridge tokens">
      <p>
        Each venue's print Bridge signs in with a token of its own. A token's secret is shown once,
        when it is created or rotated; halopos keeps only a fingerprint of it.
      </p>
      {issued ? <IssuedSecret issued={issued} onDone={() => setIssued(null)} /> : null}
      <form class="inline-form" onSubmit={create} aria-label="New Bridge token">
        <label>
          Name
          <input
            name="bridge_name"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
            required
            maxLength={100}
            placeholder="Mac mini behind the bar"
          />
        </label>
        <label>
          Venue
          <select name="bridge_venue" value={venue || places.items[0]?.id} onChange={(e) => setVenue(e.currentTarget.value)}>
            {places.items.map((place: Location) => (
              <option key={place.id} value={place.id}>
                {place.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={busy || places.items.length === 0}>
          Create token
        </button>
      </form>
      <PagedFooter paged={places} what="venues" />
      {error !== null ? <ProblemMessage error={error} /> : null}
      {tokens.items.length > 0 ? (
        <table class="bridge-tokens">
          <caption>The business's Bridge tokens, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Venue</th>
              <th scope="col">Secret ends in</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {tokens.items.map((token) => (
              <tr key={token.id} data-token-id={token.id} data-status={token.revoked_at ? "revoked" : "active"}>
                <th scope="row">{token.name}</th>
                <td>{venueName(token.location_id)}</td>
                <td>
                  <code>…{token.hint}</code>
                </td>
                <td>{when(token.created_at)}</td>
                <td>
                  {when(token.last_used_at)}
                  {token.last_used_address ? ` from ${token.last_used_address}` : ""}
                </td>
                <td>
                  {token.revoked_at
                    ? `Revoked ${when(token.revoked_at)}`
                    : token.rotated_at
                      ? `Active, rotated ${when(token.rotated_at)}`
                      : "Active"}
                </td>
                <td class="actions">
                  {token.revoked_at ? null : confirming === token.id ? (
                    <div class="confirm" role="group" aria-label={`Revoke ${token.name}?`}>
                      <span>Its Bridge stops printing at once, for good.</span>
                      <button type="button" class="danger" disabled={busy} onClick={() => void revoke(token)}>
                        Revoke {token.name}
                      </button>
                      <button type="button" class="secondary" onClick={() => setConfirming(null)}>
                        Keep it
                      </button>
                    </div>
                  ) : (
                    <>
                      <label>
                        Old secret
                        <select
                          name="grace"
                          value={grace[token.id] ?? 0}
                          onChange={(e) => setGrace({ ...grace, [token.id]: Number(e.currentTarget.value) })}
                        >
                          {GRACE_PERIODS.map(([seconds, label]) => (
                            <option key={seconds} value={seconds}>
                              {label}
                            </option>
                          ))}
                        </select>
                      </label>
                      <button type="button" disabled={busy} onClick={() => void rotate(token)}>
                        Rotate
                      </button>
                      <button type="button" class="danger" disabled={busy} onClick={() => setConfirming(token.id)}>
                        Revoke…
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : tokens.loading || tokens.error !== undefined ? null : (
        <p>No Bridge tokens yet.</p>
      )}
      <PagedFooter paged={tokens} what="Bridge tokens" />
    </Section>
  );
}

// ---- override limits -----------------------------------------------------------------------

/** Digits after the decimal point in `currency` (2 for AUD and EUR), as Intl knows them. */
function minorDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

const MONEY_LIMITS: readonly [keyof OverrideLimits, string][] = [
  ["void_limit_minor", "Void without approval up to"],
  ["refund_limit_minor", "Refund without approval up to"],
  ["offline_approval_limit_minor", "Approve offline (on a manager's word) up to"],
];

function OverrideLimitsSection({ canWrite }: { canWrite: boolean }) {
  const loaded = useLoad(
    async () => ({
      limits: await get("/v1/settings/override-limits"),
      currency: (await get("/v1/business")).currency,
    }),
    [],
  );
  const [saved, setSaved] = useState<OverrideLimits | null>(null);
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const limits = saved ?? loaded.value?.limits;
  const currency = loaded.value?.currency;

  async function save(event: Event) {
    event.preventDefault();
    if (!limits || !currency) return;
    const digits = minorDigits(currency);
    const change: Schema<"OverrideLimitsUpdate"> = {};
    for (const [name] of MONEY_LIMITS) {
      const typed = draft[name];
      if (typed !== undefined && typed !== "") change[name] = Math.round(Number(typed) * 10 ** digits);
    }
    const percent = draft.discount_limit_bps;
    if (percent !== undefined && percent !== "") change.discount_limit_bps = Math.round(Number(percent) * 100);
    setBusy(true);
    setError(null);
    try {
      setSaved(await patch("/v1/settings/override-limits", change));
      setDraft({});
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section title="Override limits">
      <p>
        Up to these amounts a cashier acts alone; above them the till asks for a manager's PIN. 0
        means every one needs a manager.
      </p>
      {loaded.loading ? <Loading what="the override limits" /> : null}
      {loaded.error !== undefined ? <ProblemMessage error={loaded.error} /> : null}
      {limits && currency ? (
        <form class="limits" onSubmit={save} aria-label="Override limits">
          <dl class="figures">
            {MONEY_LIMITS.map(([name, label]) => (
              <div class="figure" key={name} data-limit={name} data-value={limits[name]}>
                <dt>{label}</dt>
                <dd>{money(limits[name], currency)}</dd>
              </div>
            ))}
            <div class="figure" data-limit="discount_limit_bps" data-value={limits.discount_limit_bps}>
              <dt>Discount without approval up to</dt>
              <dd>{(limits.discount_limit_bps / 100).toFixed(2)} %</dd>
            </div>
          </dl>
          {canWrite ? (
            <fieldset>
              <legend>Change (leave a field empty to keep it)</legend>
              {MONEY_LIMITS.map(([name, label]) => (
                <label key={name}>
                  {label} ({currency})
                  <input
                    name={name}
                    type="number"
                    min="0"
                    step={1 / 10 ** minorDigits(currency)}
                    inputMode="decimal"
                    value={draft[name] ?? ""}
                    onInput={(e) => setDraft({ ...draft, [name]: e.currentTarget.value })}
                  />
                </label>
              ))}
              <label>
                Discount without approval up to (%)
                <input
                  name="discount_limit_bps"
                  type="number"
                  min="0"
                  max="100"
                  step="0.01"
                  inputMode="decimal"
                  value={draft.discount_limit_bps ?? ""}
                  onInput={(e) => setDraft({ ...draft, discount_limit_bps: e.currentTarget.value })}
                />
              </label>
              <button type="submit" disabled={busy}>
                Save limits
              </button>
            </fieldset>
          ) : (
            <p>Only an owner changes these.</p>
          )}
          {saved ? (
            <p role="status" class="saved">
              Saved. Tills read the new limits at their next sale.
            </p>
          ) : null}
        </form>
      ) : null}
      {error !== null ? <ProblemMessage error={error} /> : null}
    </Section>
  );
}

// ---- authenticator apps --------------------------------------------------------------------

function Authenticators() {
  const settings = useLoad(() => get("/v1/admin/security/settings"), []);
  const [required, setRequired] = useState<boolean | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const current = required ?? settings.value?.owner_totp_required ?? null;

  async function change(next: boolean) {
    setBusy(true);
    setError(null);
    try {
      setRequired((await patch("/v1/admin/security/settings", { owner_totp_required: next })).owner_totp_required);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section title="Authenticator apps">
      {settings.loading ? <Loading what="the sign-in rules" /> : null}
      {settings.error !== undefined ? <ProblemMessage error={settings.error} /> : null}
      {current !== null ? (
        <div class="owner-totp" data-required={String(current)}>
          <p>
            {current
              ? "Owners must sign in with a code from an authenticator app."
              : "Owners may sign in with their password alone."}
          </p>
          <p>
            An owner without an authenticator app then needs an enrolment code (below) to set one
            up: give codes to the owners who need one, yourself included, before you turn this on.
          </p>
          <button type="button" disabled={busy} onClick={() => void change(!current)}>
            {current ? "Stop requiring authenticator apps for owners" : "Require authenticator apps for owners"}
          </button>
        </div>
      ) : null}
      {error !== null ? <ProblemMessage error={error} /> : null}
      <EnrolmentCodes />
    </Section>
  );
}

function EnrolmentCodes() {
  const staff = usePaged((cursor) => get("/v1/staff", { limit: 100, cursor }), []);
  const [chosen, setChosen] = useState("");
  const [issued, setIssued] = useState<Schema<"EnrolmentCode"> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const people = staff.items.filter((member) => member.active && member.has_password);
  const nameOf = (id: string) => people.find((member) => member.id === id)?.display_name ?? id;

  async function issue(event: Event) {
    event.preventDefault();
    const staffId = chosen || people[0]?.id;
    if (!staffId) return;
    setBusy(true);
    setError(null);
    try {
      setIssued(await post("/v1/admin/security/totp-enrolment-codes", { staff_id: staffId }));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <h3>Enrolment codes</h3>
      <p>
        With an enrolment code and their password, a colleague sets up (or replaces a lost)
        authenticator app at sign-in. Hand it over in person or by phone: that is what makes it
        safe. It works once, within 24 hours; issuing another cancels it.
      </p>
      <form class="inline-form" onSubmit={issue} aria-label="Issue an enrolment code">
        <label>
          For
          <select name="enrolment_staff" value={chosen || people[0]?.id} onChange={(e) => setChosen(e.currentTarget.value)}>
            {people.map((member) => (
              <option key={member.id} value={member.id}>
                {member.display_name} ({member.role}, {member.email})
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={busy || people.length === 0}>
          Issue enrolment code
        </button>
      </form>
      <PagedFooter paged={staff} what="staff" />
      {issued ? (
        <div class="secret-once" role="status" data-staff-id={issued.staff_id}>
          <p>
            <strong>Enrolment code for {nameOf(issued.staff_id)}: it will not be shown again.</strong>
          </p>
          <p>
            <code class="enrolment-code">{issued.enrolment_code}</code>
          </p>
          <p>It works once, until {when(issued.expires_at)}.</p>
          <button type="button" onClick={() => setIssued(null)}>
            I have passed it on
          </button>
        </div>
      ) : null}
      {error !== null ? <ProblemMessage error={error} /> : null}
    </>
  );
}

// ---- active sessions -----------------------------------------------------------------------

/** "Chrome on Linux" from a User-Agent: enough to recognise one's own browser. */
export function browserOf(agent: string | null): string {
  if (!agent) return "a browser";
  const browser = /Edg\//.test(agent)
    ? "Edge"
    : /Firefox\//.test(agent)
      ? "Firefox"
      : /Chrom(e|ium)\//.test(agent)
        ? "Chrome"
        : /Safari\//.test(agent)
          ? "Safari"
          : null;
  // Not a browser we know (a script, a tool): what it calls itself, shortened.
  if (browser === null) return agent.length > 40 ? `${agent.slice(0, 40)}…` : agent;
  const system = /iPhone|iPad/.test(agent)
    ? "iOS"
    : /Android/.test(agent)
      ? "Android"
      : /Windows/.test(agent)
        ? "Windows"
        : /Mac OS X|Macintosh/.test(agent)
          ? "macOS"
          : /Linux/.test(agent)
            ? "Linux"
            : null;
  return system ? `${browser} on ${system}` : browser;
}

function Sessions() {
  const sessions = usePaged(
    (cursor) => get("/v1/admin/security/sessions", { limit: 25, cursor }),
    [],
  );
  const [confirming, setConfirming] = useState<string | null>(null);
  const [ended, setEnded] = useState<LiveSession | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function revoke(session: LiveSession) {
    setBusy(true);
    setError(null);
    try {
      setEnded(await post("/v1/admin/security/sessions/{session_id}/revoke", {}, { session_id: session.id }));
      setConfirming(null);
      sessions.reload();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section title="Active sessions">
      <p>
        Everyone signed in now, on a till or in a browser. Ending a session refuses its next
        refresh at once, so it cannot get new access; an access token it already holds keeps
        working until it expires, for at most 10 more minutes.
      </p>
      {ended ? (
        <p role="status" class="saved" data-ended={ended.id}>
          Ended {ended.staff_name}'s session ({ended.kind === "pos" ? ended.device_name : browserOf(ended.client)}).
        </p>
      ) : null}
      {error !== null ? <ProblemMessage error={error} /> : null}
      {sessions.items.length > 0 ? (
        <table class="sessions">
          <caption>Live sessions, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Who</th>
              <th scope="col">Role</th>
              <th scope="col">From</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last refreshed</th>
              <th scope="col">Ends</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {sessions.items.map((each) => (
              <tr key={each.id} data-session-id={each.id} data-staff-id={each.staff_id}>
                <th scope="row">
                  {each.staff_name}
                  <br />
                  <span class="muted">{each.staff_email}</span>
                </th>
                <td>{each.role}</td>
                <td data-client={each.client ?? ""}>
                  {each.kind === "pos" ? `Till: ${each.device_name ?? each.device_id}` : browserOf(each.client)}
                  {each.current ? " (this browser)" : ""}
                </td>
                <td>{when(each.started_at)}</td>
                <td>{when(each.last_refreshed_at)}</td>
                <td>{when(each.expires_at)}</td>
                <td class="actions">
                  {confirming === each.id ? (
                    <div class="confirm" role="group" aria-label={`End ${each.staff_name}'s session?`}>
                      <span>{each.current ? "This signs you out here within 10 minutes." : "They will have to sign in again."}</span>
                      <button type="button" class="danger" disabled={busy} onClick={() => void revoke(each)}>
                        End session
                      </button>
                      <button type="button" class="secondary" onClick={() => setConfirming(null)}>
                        Keep it
                      </button>
                    </div>
                  ) : (
                    <button type="button" class="danger" disabled={busy} onClick={() => setConfirming(each.id)}>
                      End…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : sessions.loading || sessions.error !== undefined ? null : (
        <p>No live sessions.</p>
      )}
      <PagedFooter paged={sessions} what="sessions" />
    </Section>
  );
}
