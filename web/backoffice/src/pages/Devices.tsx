// Devices: the tills of the business. An owner or manager creates an activation code for a
// venue (single use, 10 minutes) and the new till scans its QR code or takes it typed in; the
// tills are listed, and one that is lost or sold is revoked, which ends its sessions.
//
// The QR code holds a link to the till app with the code in its fragment,
// `<this origin>/pos/#activate=<code>` (docs/backoffice.md says why): the till app reads the
// code from it, and a tablet's camera opens the till app at it. A fragment is never sent to a
// server, so the code reaches no log on its way.
import { useEffect, useState } from "preact/hooks";
import type { Schema } from "../../../api";
import type { BodyOf, Session } from "../api";
import { get, post } from "../api";
import { Loading, PagedFooter, ProblemMessage, Section, useLoad, usePaged } from "../components";
import { QrCode } from "../qr";
import { venues as sessionVenues } from "../business";
import type { Venue } from "../staffing";
import { Dialog, When, venueName } from "../staffing";

type Device = Schema<"Device">;
type ActivationCode = Schema<"ActivationCode">;

const PAGE_SIZE = 25;

/** What the QR code says: the till app's address, carrying the code. */
export function activationLink(code: string): string {
  return `${window.location.origin}/pos/#activate=${encodeURIComponent(code)}`;
}

export function Devices({ session }: { session: Session }) {
  const venues = useLoad(() => sessionVenues(), [session.staffId]);
  const devices = usePaged((cursor) => get("/v1/devices", { cursor, limit: PAGE_SIZE }), [session.staffId]);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <>
      <h1>Devices</h1>
      <p>
        The tills of the business. A new till is activated with a code from this page: it is
        valid for ten minutes and activates one till, at the venue it was made for.
      </p>
      {notice !== null ? (
        <p class="change-done" role="status">
          {notice}
        </p>
      ) : null}
      <Section title="Activate a till">
        {venues.loading ? <Loading what="your venues" /> : <NewCode session={session} venues={venues.value ?? []} />}
      </Section>
      <Section title="Tills">
        {venues.error !== undefined ? <ProblemMessage error={venues.error} /> : null}
        <DeviceTable
          devices={devices.items}
          venues={venues.value}
          onRevoked={(device) => {
            setNotice(`${device.name} was revoked: it can sign nobody in again.`);
            devices.reload();
          }}
        />
        <PagedFooter paged={devices} what="tills" />
      </Section>
    </>
  );
}

function NewCode(props: { session: Session; venues: readonly Venue[] }) {
  const [code, setCode] = useState<ActivationCode | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const reach = props.session.locationIds;
  const offered = props.venues.filter((venue) => reach === null || reach.includes(venue.id));
  if (offered.length === 0) {
    return <p class="notice">You work at no venue, so there is none to activate a till for.</p>;
  }
  async function submit(event: Event) {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const body: BodyOf<"post", "/v1/devices/activation-codes"> = {
      location_id: String(data.get("location_id") ?? "").trim(),
    };
    const name = String(data.get("device_name") ?? "").trim();
    if (name) body.device_name = name;
    setBusy(true);
    setError(null);
    setCode(null);
    try {
      setCode(await post("/v1/devices/activation-codes", body));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <form class="code-form" aria-label="Create an activation code" onSubmit={submit}>
        <label>
          Venue
          <select name="location_id" required>
            {offered.map((venue) => (
              <option key={venue.id} value={venue.id}>
                {venue.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Till name (optional)
          <input name="device_name" maxLength={200} />
        </label>
        <button type="submit" disabled={busy}>
          Create activation code
        </button>
      </form>
      {error !== null ? <ProblemMessage error={error} /> : null}
      {code !== null ? <CodeCard code={code} venues={props.venues} onDone={() => setCode(null)} /> : null}
    </>
  );
}

/** The code for the till: its QR code, the code as text, and until when it works. */
function CodeCard(props: { code: ActivationCode; venues: readonly Venue[]; onDone: () => void }) {
  const { code } = props;
  const expires = Date.parse(code.expires_at);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 5_000);
    return () => clearInterval(timer);
  }, []);
  const expired = now >= expires;
  const venue = venueName(props.venues, code.location_id);
  return (
    <div class="activation" data-location={code.location_id} data-expires-at={code.expires_at}>
      <h3>Activation code for {code.device_name ?? "a new till"} at {venue}</h3>
      {expired ? (
        <p class="notice" role="status">
          This code has expired. Create a new one.
        </p>
      ) : (
        <div class="activation-body">
          <QrCode text={activationLink(code.code)} label={`QR code to activate a till at ${venue}`} />
          <div>
            <p>Scan it with the till, or type the code into the till:</p>
            <p>
              <code class="activation-code">{code.code}</code>
            </p>
            <p>
              Works once, until <When value={code.expires_at} /> (
              {Math.max(1, Math.ceil((expires - now) / 60_000))} min left). It is shown only
              now: nobody can read it again.
            </p>
            <button type="button" class="secondary" onClick={props.onDone}>
              Done
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

function DeviceTable(props: {
  devices: readonly Device[];
  venues: readonly Venue[] | undefined;
  onRevoked: (device: Device) => void;
}) {
  const [revoking, setRevoking] = useState<Device | null>(null);
  const [error, setError] = useState<unknown>(null);
  const cancel = () => {
    setRevoking(null);
    setError(null);
  };
  async function revoke(device: Device) {
    setError(null);
    try {
      // The revocation has no body (the document says none; `never` is its type).
      await post("/v1/devices/{device_id}/revoke", undefined as never, { device_id: device.id });
      setRevoking(null);
      props.onRevoked(device);
    } catch (caught) {
      setError(caught);
    }
  }
  return (
    <>
      <table class="device-list">
        <caption>Tills, most recently activated first</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Venue</th>
            <th scope="col">Status</th>
            <th scope="col">Activated</th>
            <th scope="col">Revoked</th>
            <th scope="col">Key</th>
            <th scope="col">Changes</th>
          </tr>
        </thead>
        <tbody>
          {props.devices.map((device) => (
            <tr
              key={device.id}
              data-device-id={device.id}
              data-status={device.status}
              data-location={device.location_id}
              class={device.status === "revoked" ? "inactive" : undefined}
            >
              <th scope="row">{device.name}</th>
              <td>{venueName(props.venues, device.location_id)}</td>
              <td>{device.status === "active" ? "Active" : "Revoked"}</td>
              <td>
                <When value={device.activated_at} />
              </td>
              <td>
                <When value={device.revoked_at} />
              </td>
              <td>
                <code title="The thumbprint of the till's key">{device.key_thumbprint.slice(0, 12)}…</code>
              </td>
              <td class="actions">
                {device.status === "active" ? (
                  <div class="buttons">
                    <button type="button" class="danger" onClick={() => setRevoking(device)}>
                      Revoke<span class="visually-hidden"> {device.name}</span>
                    </button>
                  </div>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {revoking !== null ? (
        <Dialog title={`Revoke ${revoking.name}?`} onCancel={cancel}>
          <p>
            {revoking.name} at {venueName(props.venues, revoking.location_id)} will sign nobody in
            again and its sessions end (within ten minutes for a sale under way). This cannot be
            undone: to use the till again, activate it with a new code.
          </p>
          {error !== null ? <ProblemMessage error={error} /> : null}
          <div class="form-actions">
            <button type="button" class="danger" onClick={() => void revoke(revoking)}>
              Revoke
            </button>
            <button type="button" class="secondary" onClick={cancel}>
              Keep it
            </button>
          </div>
        </Dialog>
      ) : null}
    </>
  );
}
