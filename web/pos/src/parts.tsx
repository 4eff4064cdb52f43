// Pieces every till screen uses: the till's context (who is at it, what it knows, whether
// halopos answers), dialogs, problems, money, and a manager's approval.
import type { ComponentChildren } from "preact";
import { createContext } from "preact";
import { useContext, useEffect, useRef, useState } from "preact/hooks";
import type { Activated, Roster } from "./api";
import { ApiProblem, json } from "./api";
import type { TillData } from "./data";
import { checkPinOffline, rememberPin } from "./pins";
import { formatMoney } from "./pricing";
import type { Approval, Shift } from "./till";

/** Who is at the till: signed in online (a session on the server) or offline (checked against
 * this till's verifier; the uploads go on as the last online session). */
export interface Person {
  staffId: string;
  name: string;
  role: string;
  online: boolean;
  since: string;
}

export interface Till {
  device: Activated;
  person: Person;
  online: boolean;
  /** Online and with a session to act with: what the till asks the server for (receipt
   * numbers, override tokens, cards) needs both. */
  live: boolean;
  data: TillData;
  shift: Shift | null;
  setShift: (shift: Shift | null) => void;
  currency: string;
}

export const TillContext = createContext<Till | null>(null);

export function useTill(): Till {
  const till = useContext(TillContext);
  if (!till) throw new Error("outside the till");
  return till;
}

export function Money({ minor, field, currency }: { minor: number; field?: string; currency: string }) {
  return (
    <span data-field={field} data-value={minor}>
      {formatMoney(minor, currency)}
    </span>
  );
}

export function Problem({ problem }: { problem: ApiProblem | string | null }) {
  if (problem === null) return null;
  if (typeof problem === "string") {
    return (
      <p role="alert" class="problem">
        {problem}
      </p>
    );
  }
  return (
    <p role="alert" class="problem">
      {problem.problem.title}
      {problem.problem.detail && problem.problem.detail !== problem.problem.title ? `: ${problem.problem.detail}` : ""}
      {problem.requestId ? ` (request ${problem.requestId})` : ""}
    </p>
  );
}

/** A modal dialog, named by its title; Escape or Cancel closes it. */
export function Dialog({ title, onClose, children }: { title: string; onClose: () => void; children: ComponentChildren }) {
  const box = useRef<HTMLDivElement>(null);
  const id = `dialog-${title.replace(/\W+/g, "-").toLowerCase()}`;
  useEffect(() => {
    const first = box.current?.querySelector<HTMLElement>("input, select, button");
    first?.focus();
    const escape = (event: KeyboardEvent) => event.key === "Escape" && onClose();
    window.addEventListener("keydown", escape);
    return () => window.removeEventListener("keydown", escape);
  }, []);
  return (
    <div class="overlay">
      <div role="dialog" aria-modal="true" aria-labelledby={id} class="dialog" ref={box}>
        <h2 id={id}>{title}</h2>
        {children}
        <button type="button" class="secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </div>
  );
}

export function managers(roster: Roster | undefined): Roster["staff"] {
  return (roster?.staff ?? []).filter((member) => member.role === "owner" || member.role === "manager");
}

export interface ApprovalAsk {
  action: "refund" | "void" | "discount";
  resourceId: string;
  amountMinor?: number;
  percentBps?: number;
  /** For the offline limit: what the action is worth. */
  worthMinor: number;
}

/** A manager approves at the till with their PIN. Online the server checks it and issues an
 * override token (`POST /v1/auth/overrides`); offline the till checks the manager's verifier
 * and the business's offline approval limit, and the operation names the manager. */
export function ApprovalDialog({ ask, onApproved, onClose }: { ask: ApprovalAsk; onApproved: (approval: Approval) => void; onClose: () => void }) {
  const till = useTill();
  const choices = managers(till.data.roster?.value);
  const [approver, setApprover] = useState(choices[0]?.id ?? "");
  const [pin, setPin] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | string | null>(null);
  const offlineLimit = till.data.limits?.value.offline_approval_limit_minor ?? 0;

  async function approve(event: Event) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      if (till.live) {
        const granted = await json<{ override_token: string }>("POST", "/v1/auth/overrides", {
          body: {
            approver_id: approver,
            pin,
            action: ask.action,
            resource_id: ask.resourceId,
            ...(ask.percentBps !== undefined ? { percent_bps: ask.percentBps } : { amount_minor: ask.amountMinor }),
          },
          timeoutMs: 15_000,
        });
        void rememberPin(approver, pin); // the server just accepted it at this till
        onApproved({ overrideToken: granted.override_token, approvedBy: approver });
        return;
      }
      if (ask.worthMinor > offlineLimit) {
        setProblem(
          offlineLimit === 0
            ? "This needs a manager's approval online: the business allows none offline."
            : `Offline, a manager may approve up to ${formatMoney(offlineLimit, till.currency)}; this needs the till online.`,
        );
        return;
      }
      const checked = await checkPinOffline(approver, pin);
      if (!checked.ok) {
        setProblem(
          checked.reason === "no-verifier"
            ? "That manager has not signed in online at this till in the last 72 hours, so the till cannot check their PIN offline."
            : checked.reason === "wrong-pin"
              ? "The PIN is not right."
              : `Too many wrong PINs: try again in ${Math.ceil((checked.retryAfterMs ?? 0) / 1000)} seconds.`,
        );
        return;
      }
      onApproved({
        approvedBy: approver,
        ...(ask.percentBps !== undefined ? { approvedPercentBps: ask.percentBps } : { approvedAmountMinor: ask.amountMinor }),
      });
    } catch (error) {
      if (error instanceof ApiProblem) setProblem(error);
      else throw error;
    } finally {
      setBusy(false);
      setPin("");
    }
  }

  return (
    <Dialog title="Manager approval" onClose={onClose}>
      <form onSubmit={approve}>
        <label for="approver">Manager</label>
        <select id="approver" value={approver} onChange={(event) => setApprover(event.currentTarget.value)}>
          {choices.map((member) => (
            <option value={member.id} key={member.id}>
              {member.display_name}
            </option>
          ))}
        </select>
        <label for="manager-pin">Manager PIN</label>
        <input id="manager-pin" type="password" inputMode="numeric" autocomplete="off" required value={pin} onInput={(event) => setPin(event.currentTarget.value)} />
        <button type="submit" disabled={busy || !approver}>
          {busy ? "Checking…" : "Approve"}
        </button>
      </form>
      <Problem problem={problem} />
    </Dialog>
  );
}
