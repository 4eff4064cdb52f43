// Pieces every page uses: a problem shown as a readable message, a download with progress,
// and the business's locations and tax report (BAS in Australia, the VAT summary in the EU).
import { useEffect, useState } from "preact/hooks";
import type { ComponentChildren } from "preact";
import type { Schema } from "../../api";
import { ApiProblem, download, get } from "./api";
import { theBusiness } from "./business";
import { count } from "./format";

export function ProblemMessage({ error }: { error: unknown }) {
  if (!(error instanceof ApiProblem)) {
    return (
      <div class="problem" role="alert">
        <p class="problem-title">Something went wrong in this page</p>
        <p>{String(error)}</p>
      </div>
    );
  }
  const { problem, requestId, status } = error;
  return (
    <div class="problem" role="alert" data-status={status} data-code={problem.code}>
      <p class="problem-title">{problem.title}</p>
      {problem.detail && problem.detail !== problem.title ? <p>{problem.detail}</p> : null}
      <p class="problem-meta">
        {status ? `${status} · ` : ""}
        {problem.code}
        {requestId ? (
          <>
            {" · request id "}
            <code class="request-id">{requestId}</code>
          </>
        ) : null}
      </p>
    </div>
  );
}

/** What a page loads: the value, the problem, or neither yet. */
export type Loaded<T> = { value?: T; error?: unknown; loading: boolean };

export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ loading: true });
  useEffect(() => {
    let live = true;
    setState({ loading: true });
    load().then(
      (value) => live && setState({ value, loading: false }),
      (error: unknown) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, deps);
  return state;
}

/** A page of a list the API pages with cursors (`items`, `next_cursor`). */
export interface ListPage<T> {
  items: T[];
  next_cursor: string | null;
}

/** A list read a page at a time: the first page, then the next on `more()` (null when there
 * is no next page); `reload()` reads it again from the first page (after a change). */
export interface Paged<T> {
  items: T[];
  error?: unknown;
  loading: boolean;
  more: (() => void) | null;
  reload: () => void;
}

export function usePaged<T>(
  load: (cursor: string | undefined) => Promise<ListPage<T>>,
  deps: readonly unknown[],
): Paged<T> {
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [state, setState] = useState<{ error?: unknown; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  const read = (cursor: string | undefined, live: () => boolean) => {
    setState({ loading: true });
    load(cursor).then(
      (page) => {
        if (!live()) return;
        setItems((before) => (cursor === undefined ? page.items : [...before, ...page.items]));
        setNext(page.next_cursor);
        setState({ loading: false });
      },
      (error: unknown) => live() && setState({ error, loading: false }),
    );
  };
  useEffect(() => {
    let live = true;
    setItems([]);
    read(undefined, () => live);
    return () => {
      live = false;
    };
  }, [...deps, generation]);
  return {
    items,
    ...state,
    more: next !== null && !state.loading ? () => read(next, () => true) : null,
    reload: () => setGeneration((value) => value + 1),
  };
}

/** Below a paged list: its problem, "Loading", or the button for the next page. */
export function PagedFooter<T>({ paged, what }: { paged: Paged<T>; what: string }) {
  if (paged.error !== undefined) return <ProblemMessage error={paged.error} />;
  if (paged.loading) return <Loading what={what} />;
  if (paged.more === null) return null;
  return (
    <button type="button" class="more" onClick={paged.more}>
      Show more {what}
    </button>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status">
      Loading {what}…
    </p>
  );
}

export function Section({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

type DownloadPath = Parameters<typeof download>[0];

/** A button that downloads a file from the API and shows how much of it has arrived. */
export function DownloadButton(props: {
  label: string;
  path: DownloadPath;
  query: Record<string, string | undefined>;
  accept: string;
}) {
  const [progress, setProgress] = useState<{ received: number; total: number | null } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const busy = progress !== null && done === null && error === null;
  async function start() {
    setDone(null);
    setError(null);
    setProgress({ received: 0, total: null });
    try {
      const saved = await download(props.path, props.query, props.accept, (received, total) =>
        setProgress({ received, total }),
      );
      setDone(`${saved.name} (${count(saved.bytes)} bytes)`);
    } catch (caught) {
      setError(caught);
    }
  }
  return (
    <div class="download">
      <button type="button" onClick={start} disabled={busy}>
        {props.label}
      </button>
      {progress !== null && error === null ? (
        <progress
          aria-label={`${props.label}: progress`}
          max={progress.total ?? undefined}
          value={done !== null && progress.total === null ? 1 : progress.received}
        />
      ) : null}
      {busy ? <span role="status">{count(progress.received)} bytes received</span> : null}
      {done !== null ? (
        <span role="status" class="download-done">
          Saved {done}
        </span>
      ) : null}
      {error !== null ? <ProblemMessage error={error} /> : null}
    </div>
  );
}

export type { Location } from "./business";
export type TaxReport =
  | { kind: "bas"; report: Schema<"Bas"> }
  | { kind: "vat-summary"; report: Schema<"VatSummary"> };

/** The business's tax report for `period`: BAS for an Australian business, the VAT summary
 * (UStVA) for a German one. */
export async function taxReport(period: string): Promise<TaxReport> {
  if ((await theBusiness()).region === "au") {
    return { kind: "bas", report: await get("/v1/reports/bas", { period }) };
  }
  return { kind: "vat-summary", report: await get("/v1/reports/vat-summary", { period }) };
}
