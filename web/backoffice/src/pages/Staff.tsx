// Staff: who works for the business, in which role and at which venues; adding someone,
// changing their role, resetting their PIN, deactivating them. The roles offered are those the
// signed-in role may give (GRANTABLE, generated from libs/rbac/grants.py); the staff service
// applies the same rule and its refusal is shown as it comes.
import { useState } from "preact/hooks";
import type { Schema } from "../../../api";
import type { BodyOf, Session } from "../api";
import { get, may, patch, post } from "../api";
import { Loading, PagedFooter, ProblemMessage, Section, useLoad, usePaged } from "../components";
import type { Role } from "../generated/rbac";
import { GRANTABLE, GRANTS } from "../generated/rbac";
import {
  Dialog,
  ROLE_NAMES,
  VenuePicker,
  pickedVenues,
  venueName,
  type Venue,
} from "../staffing";
import { venues as sessionVenues } from "../business";

type Member = Schema<"StaffMember">;

// A page of the list; small enough that a business's staff needs "Show more" soon.
const PAGE_SIZE = 25;

/** Roles that sign in at the till take orders there; they get a PIN. */
function worksTheTill(role: Role): boolean {
  return GRANTS[role].includes("orders:create");
}

/** Roles that use the backoffice sign in there with a password (a cashier only uses the till). */
function usesTheBackoffice(role: Role): boolean {
  return role !== "cashier";
}

/** Managers give venues to cashiers only; owners to anyone (services/identity/staff). */
function mayAssignVenues(session: Session, role: Role): boolean {
  return session.role === "owner" || role === "cashier";
}

export function Staff({ session }: { session: Session }) {
  const venues = useLoad(() => sessionVenues(), [session.staffId]);
  const staff = usePaged((cursor) => get("/v1/staff", { cursor, limit: PAGE_SIZE }), [session.staffId]);
  const [notice, setNotice] = useState<string | null>(null);
  const writes = may(session, "staff:write");
  const changed = (message: string) => {
    setNotice(message);
    staff.reload();
  };
  return (
    <>
      <h1>Staff</h1>
      <p>
        Everyone who signs in to this business: at the till with a PIN, in the backoffice with a
        password. Nobody is ever deleted; someone who leaves is deactivated and can no longer
        sign in.
      </p>
      {notice !== null ? (
        <p class="change-done" role="status">
          {notice}
        </p>
      ) : null}
      {writes ? (
        <Section title="Add a member of staff">
          {venues.loading ? (
            <Loading what="your venues" />
          ) : (
            <AddMember session={session} venues={venues.value ?? []} onAdded={changed} />
          )}
        </Section>
      ) : null}
      <Section title="Members of staff">
        {venues.error !== undefined ? <ProblemMessage error={venues.error} /> : null}
        <StaffTable
          session={session}
          members={staff.items}
          venues={venues.value}
          writes={writes}
          onChanged={changed}
        />
        <PagedFooter paged={staff} what="staff" />
      </Section>
    </>
  );
}

function AddMember(props: { session: Session; venues: readonly Venue[]; onAdded: (message: string) => void }) {
  const { session } = props;
  const roles = GRANTABLE[session.role];
  const [role, setRole] = useState<Role>(roles.includes("cashier") ? "cashier" : roles[0]!);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const assigns = mayAssignVenues(session, role);
  // A manager who works at some venues only adds staff for those, and never "every venue".
  const everyAllowed = session.role === "owner" || session.locationIds === null;
  async function submit(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? "").trim();
    const body: BodyOf<"post", "/v1/staff"> = {
      email: text("email"),
      display_name: text("display_name"),
      role: text("role") as Role,
    };
    if (text("password")) body.password = String(data.get("password"));
    if (text("pin")) body.pin = text("pin");
    if (assigns) {
      const picked = pickedVenues(data, everyAllowed);
      if (picked !== null) body.location_ids = picked;
    }
    setBusy(true);
    setError(null);
    try {
      const member = await post("/v1/staff", body);
      form.reset();
      setRole(roles.includes("cashier") ? "cashier" : roles[0]!);
      props.onAdded(`${member.display_name} was added as ${ROLE_NAMES[member.role]}.`);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class="staff-form" aria-label="Add a member of staff" onSubmit={submit}>
      <label>
        E-mail
        <input name="email" type="email" autoComplete="off" required />
      </label>
      <label>
        Display name
        <input name="display_name" required maxLength={200} />
      </label>
      <label>
        Role
        <select name="role" value={role} onChange={(event) => setRole(event.currentTarget.value as Role)}>
          {roles.map((each) => (
            <option key={each} value={each}>
              {ROLE_NAMES[each]}
            </option>
          ))}
        </select>
      </label>
      {usesTheBackoffice(role) ? (
        <label>
          Password (12 characters or more, for the backoffice)
          <input name="password" type="password" autoComplete="new-password" minLength={12} required />
        </label>
      ) : null}
      {worksTheTill(role) ? (
        <label>
          {role === "cashier" ? "PIN (4 to 6 digits, for the till)" : "PIN for the till (optional)"}
          <input
            name="pin"
            type="password"
            inputMode="numeric"
            autoComplete="off"
            pattern="[0-9]{4,6}"
            required={!usesTheBackoffice(role)}
          />
        </label>
      ) : null}
      {assigns ? (
        <VenuePicker
          venues={props.venues}
          reach={session.locationIds}
          everyAllowed={everyAllowed}
          legend="Works at"
        />
      ) : (
        <p class="hint">Works at every venue (only an owner chooses venues for this role).</p>
      )}
      <div class="form-actions">
        <button type="submit" disabled={busy}>
          Add to staff
        </button>
      </div>
      {error !== null ? <ProblemMessage error={error} /> : null}
    </form>
  );
}

type Change = { kind: "role" | "pin" | "deactivate"; member: Member } | null;

function StaffTable(props: {
  session: Session;
  members: readonly Member[];
  venues: readonly Venue[] | undefined;
  writes: boolean;
  onChanged: (message: string) => void;
}) {
  const [change, setChange] = useState<Change>(null);
  const [error, setError] = useState<unknown>(null);
  const { session } = props;
  const manages = (member: Member) =>
    props.writes && GRANTABLE[session.role].includes(member.role) && member.id !== session.staffId;
  async function apply(member: Member, body: Omit<BodyOf<"patch", "/v1/staff/{staff_id}">, "version">, done: string) {
    setError(null);
    try {
      await patch("/v1/staff/{staff_id}", { version: member.version, ...body }, { staff_id: member.id });
      setChange(null);
      props.onChanged(done);
    } catch (caught) {
      setError(caught);
    }
  }
  const cancel = () => {
    setChange(null);
    setError(null);
  };
  return (
    <>
      <table class="staff-list">
        <caption>Staff, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">E-mail</th>
            <th scope="col">Role</th>
            <th scope="col">Works at</th>
            <th scope="col">Signs in with</th>
            <th scope="col">Status</th>
            {props.writes ? <th scope="col">Changes</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.members.map((member) => (
            <tr
              key={member.id}
              data-staff-id={member.id}
              data-role={member.role}
              data-active={String(member.active)}
              data-locations={member.location_ids === null ? "all" : member.location_ids.join(" ")}
              class={member.active ? undefined : "inactive"}
            >
              <th scope="row">
                {member.display_name}
                {member.id === session.staffId ? " (you)" : ""}
              </th>
              <td class="email">{member.email}</td>
              <td>{ROLE_NAMES[member.role]}</td>
              <td>
                {member.location_ids === null
                  ? "Every venue"
                  : member.location_ids.map((id) => venueName(props.venues, id)).join(", ")}
              </td>
              <td>
                {[member.has_password ? "password" : null, member.has_pin ? "PIN" : null]
                  .filter(Boolean)
                  .join(", ") || "nothing yet"}
              </td>
              <td>{member.active ? "Active" : "Deactivated"}</td>
              {props.writes ? (
                <td class="actions">
                  {manages(member) ? (
                    <div class="buttons">
                      {member.active ? (
                        <>
                          <button type="button" onClick={() => setChange({ kind: "role", member })}>
                            Change role<span class="visually-hidden"> of {member.display_name}</span>
                          </button>
                          {worksTheTill(member.role) ? (
                            <button type="button" onClick={() => setChange({ kind: "pin", member })}>
                              {member.has_pin ? "Reset PIN" : "Set PIN"}
                              <span class="visually-hidden"> of {member.display_name}</span>
                            </button>
                          ) : null}
                          <button
                            type="button"
                            class="danger"
                            onClick={() => setChange({ kind: "deactivate", member })}
                          >
                            Deactivate<span class="visually-hidden"> {member.display_name}</span>
                          </button>
                        </>
                      ) : (
                        <button
                          type="button"
                          onClick={() =>
                            void apply(member, { active: true }, `${member.display_name} can sign in again.`)
                          }
                        >
                          Reactivate<span class="visually-hidden"> {member.display_name}</span>
                        </button>
                      )}
                    </div>
                  ) : (
                    <span class="hint">{member.id === session.staffId ? "You" : "Not yours to change"}</span>
                  )}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {change === null && error !== null ? <ProblemMessage error={error} /> : null}
      {change?.kind === "deactivate" ? (
        <Dialog title={`Deactivate ${change.member.display_name}?`} onCancel={cancel}>
          <p>
            {change.member.display_name} ({change.member.email}) will no longer be able to sign in, at
            the till or in the backoffice; their sessions end within ten minutes. Their history
            stays, and an owner or manager can reactivate them later.
          </p>
          {error !== null ? <ProblemMessage error={error} /> : null}
          <div class="form-actions">
            <button
              type="button"
              class="danger"
              onClick={() =>
                void apply(
                  change.member,
                  { active: false },
                  `${change.member.display_name} was deactivated and can no longer sign in.`,
                )
              }
            >
              Deactivate
            </button>
            <button type="button" class="secondary" onClick={cancel}>
              Keep them active
            </button>
          </div>
        </Dialog>
      ) : null}
      {change?.kind === "role" ? (
        <RoleDialog session={session} member={change.member} error={error} onCancel={cancel} apply={apply} />
      ) : null}
      {change?.kind === "pin" ? (
        <Dialog
          title={`${change.member.has_pin ? "Reset" : "Set"} the PIN of ${change.member.display_name}`}
          onCancel={cancel}
        >
          <form
            onSubmit={(event) => {
              event.preventDefault();
              const pin = String(new FormData(event.currentTarget).get("pin") ?? "");
              void apply(change.member, { pin }, `${change.member.display_name} has a new PIN.`);
            }}
          >
            <p>
              {change.member.has_pin ? "The old PIN stops working at once. " : ""}Tell them the new
              one in person.
            </p>
            <label>
              New PIN (4 to 6 digits)
              <input name="pin" type="password" inputMode="numeric" autoComplete="off" pattern="[0-9]{4,6}" required />
            </label>
            {error !== null ? <ProblemMessage error={error} /> : null}
            <div class="form-actions">
              <button type="submit">Set the new PIN</button>
              <button type="button" class="secondary" onClick={cancel}>
                Cancel
              </button>
            </div>
          </form>
        </Dialog>
      ) : null}
    </>
  );
}

function RoleDialog(props: {
  session: Session;
  member: Member;
  error: unknown;
  onCancel: () => void;
  apply: (member: Member, body: { role: Role }, done: string) => Promise<void>;
}) {
  const { member } = props;
  const roles = GRANTABLE[props.session.role];
  return (
    <Dialog title={`Change the role of ${member.display_name}`} onCancel={props.onCancel}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const role = String(new FormData(event.currentTarget).get("role")) as Role;
          void props.apply(member, { role }, `${member.display_name} is now ${ROLE_NAMES[role]}.`);
        }}
      >
        <p>
          Now {ROLE_NAMES[member.role]}. A new role takes effect at their next sign-in, or within
          ten minutes.
        </p>
        <label>
          New role
          <select name="role" defaultValue={member.role}>
            {roles.map((each) => (
              <option key={each} value={each}>
                {ROLE_NAMES[each]}
              </option>
            ))}
          </select>
        </label>
        {props.error !== null ? <ProblemMessage error={props.error} /> : null}
        <div class="form-actions">
          <button type="submit">Change role</button>
          <button type="button" class="secondary" onClick={props.onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
