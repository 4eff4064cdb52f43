// What the backoffice's write forms share: one change at a time, its problem shown as the API
// (or the form itself, before asking) put it, and a short confirmation when it is done.
import { useState } from "preact/hooks";
import type { ListPage } from "./components";
import { ProblemMessage } from "./components";

/** A refusal of the form's own, before anything is sent (an amount that is not one, a date in
 * the past): shown like the API's problems, without a status or request id (none was made). */
export class FormProblem extends Error {}

export interface Action {
  busy: boolean;
  error: unknown;
  done: string | null;
  /** Runs `change`; `done` is what the page says when it succeeded. */
  run: (change: () => Promise<unknown>, done: string) => Promise<boolean>;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  return {
    busy,
    error,
    done,
    run: async (change, message) => {
      setBusy(true);
      setError(null);
      setDone(null);
      try {
        await change();
        setDone(message);
        return true;
      } catch (caught) {
        setError(caught);
        return false;
      } finally {
        setBusy(false);
      }
    },
  };
}

/** Under a form: the refusal (the form's or the API's), or that it was done. */
export function ActionStatus({ action }: { action: Action }) {
  if (action.error instanceof FormProblem) {
    return (
      <div class="problem" role="alert" data-code="form">
        <p class="problem-title">{action.error.message}</p>
        <p class="problem-meta">Nothing was sent.</p>
      </div>
    );
  }
  if (action.error !== null) return <ProblemMessage error={action.error} />;
  if (action.done !== null) {
    return (
      <p class="done" role="status">
        {action.done}
      </p>
    );
  }
  return null;
}

/** Every page of a cursor-paged list, for a picker that must offer all of it (the menu's
 * categories, its modifier groups): a business has tens of these, not thousands. */
export async function allPages<T>(
  load: (cursor: string | undefined) => Promise<ListPage<T>>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await load(cursor);
    items.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined);
  return items;
}
