import { StoreError } from './errors.js';
import type {
  AppendResult,
  EncodedEvents,
  EventStore,
  IdentityChange,
  IngestEvent,
} from './types.js';

// Group commit: requests hand their events to one writer loop and wait for the commit that
// holds them. One append runs at a time; the next batch forms while it commits, so under load
// commits grow (and fsyncs per event shrink) without a timer. Memory is bounded: past
// maxPendingRows a submit is refused at once (the server answers 503 + Retry-After).

export interface GroupCommitOptions {
  /** Most rows in one commit; a single submit larger than this still commits alone, whole. */
  readonly maxBatchRows?: number;
  /** Rows accepted but not yet committed (waiting or committing) before submits are refused. */
  readonly maxPendingRows?: number;
  /**
   * How long an idle writer waits for more rows before committing a batch smaller than
   * maxBatchRows. 0 commits at once (after the current I/O callbacks, so requests that arrived
   * together still share a commit).
   */
  readonly maxWaitMs?: number;
  /** Every failed commit, besides rejecting its callers: for logs and counters. */
  readonly onError?: (error: StoreError) => void;
  /** Monotonic clock in ms, for commit durations. */
  readonly now?: () => number;
}

export const DEFAULT_MAX_BATCH_ROWS = 5_000;
export const DEFAULT_MAX_PENDING_ROWS = 50_000;
export const DEFAULT_MAX_WAIT_MS = 0;

export interface GroupCommitStats {
  /** Rows accepted and not yet committed, the current one included. */
  readonly pendingRows: number;
  readonly commits: number;
  readonly committedRows: number;
  readonly failedCommits: number;
  /** Submits refused with `overloaded`. */
  readonly rejectedSubmits: number;
  /** Mean rows per successful commit (0 before the first). */
  readonly rowsPerCommit: number;
  readonly lastCommitMs: number | undefined;
  readonly lastCommitRows: number | undefined;
}

export interface GroupCommitter {
  /**
   * Resolves after the commit that holds these events is durable, with this caller's own
   * counts; rejects when that commit fails (nothing of the batch is stored) or with StoreError
   * `overloaded` at once when the writer is behind.
   */
  submit(events: readonly IngestEvent[], changes: readonly IdentityChange[]): Promise<AppendResult>;
  stats(): GroupCommitStats;
  /** Refuses new submits, commits everything already accepted, then resolves. */
  close(): Promise<void>;
}

interface Entry {
  readonly events: EncodedEvents;
  readonly changes: readonly IdentityChange[];
  readonly rows: number;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * @example
 * const committer = createGroupCommitter(store.events, { maxPendingRows: 100_000 });
 * const { inserted, duplicates } = await committer.submit(events, changes); // then answer 200
 */
export function createGroupCommitter(
  store: Pick<EventStore, 'encode' | 'append'>,
  options: GroupCommitOptions = {},
): GroupCommitter {
  const maxBatchRows = positiveInteger(
    options.maxBatchRows ?? DEFAULT_MAX_BATCH_ROWS,
    'maxBatchRows',
  );
  const maxPendingRows = positiveInteger(
    options.maxPendingRows ?? DEFAULT_MAX_PENDING_ROWS,
    'maxPendingRows',
  );
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  if (!Number.isFinite(maxWaitMs) || maxWaitMs < 0)
    throw new StoreError('invalid_option', 'maxWaitMs');
  const now = options.now ?? (() => performance.now());

  const queue: Entry[] = [];
  let queuedRows = 0;
  let pendingRows = 0;
  let isRunning = false;
  let timer: { cancel(): void } | undefined;
  let isClosed = false;
  let drained: (() => void) | undefined;
  let closing: Promise<void> | undefined;
  const stats = { commits: 0, committedRows: 0, failedCommits: 0, rejectedSubmits: 0 };
  let last: { ms: number; rows: number } | undefined;

  function schedule(): void {
    if (isRunning || queue.length === 0) return;
    const isFull = queuedRows >= maxBatchRows || isClosed;
    if (timer !== undefined) {
      if (!isFull) return;
      timer.cancel();
    }
    const start = (): void => {
      timer = undefined;
      void loop();
    };
    if (maxWaitMs > 0 && !isFull) {
      const handle = setTimeout(start, maxWaitMs);
      timer = { cancel: () => clearTimeout(handle) };
    } else {
      const handle = setImmediate(start);
      timer = { cancel: () => clearImmediate(handle) };
    }
  }

  function take(): Entry[] {
    const batch: Entry[] = [];
    let rows = 0;
    while (queue.length > 0) {
      const next = queue[0] as Entry;
      if (batch.length > 0 && rows + next.rows > maxBatchRows) break;
      batch.push(next);
      rows += next.rows;
      queue.shift();
    }
    queuedRows -= rows;
    return batch;
  }

  async function loop(): Promise<void> {
    isRunning = true;
    while (queue.length > 0) await commit(take());
    isRunning = false;
    if (queue.length === 0) drained?.();
    else schedule();
  }

  async function commit(batch: Entry[]): Promise<void> {
    const events: EncodedEvents =
      batch.length === 1
        ? (batch[0] as Entry).events
        : {
            keys: batch.flatMap((entry) => entry.events.keys),
            rows: batch.flatMap((entry) => entry.events.rows),
          };
    const changes = batch.flatMap((entry) => entry.changes);
    const rows = batch.reduce((sum, entry) => sum + entry.rows, 0);
    const startedAt = now();
    try {
      const result = await store.append(events, changes);
      last = { ms: now() - startedAt, rows };
      stats.commits += 1;
      stats.committedRows += rows;
      pendingRows -= rows;
      const results = split(batch, result);
      batch.forEach((entry, i) => {
        entry.resolve(results[i] as AppendResult);
      });
    } catch (cause) {
      stats.failedCommits += 1;
      pendingRows -= rows;
      const error = cause instanceof StoreError ? cause : new StoreError('io', 'commit', { cause });
      for (const entry of batch) entry.reject(error);
      try {
        options.onError?.(error);
      } catch {
        // A throwing hook must not stop the writer loop.
      }
    }
  }

  return {
    submit(events, changes) {
      if (isClosed) return Promise.reject(new StoreError('closed'));
      let encoded: EncodedEvents;
      try {
        encoded = store.encode(events);
      } catch (error) {
        return Promise.reject(error);
      }
      const rows = Math.max(1, events.length);
      // A lone submit larger than the limit is still taken, or it could never be stored.
      if (pendingRows > 0 && pendingRows + rows > maxPendingRows) {
        stats.rejectedSubmits += 1;
        return Promise.reject(new StoreError('overloaded'));
      }
      return new Promise<AppendResult>((resolve, reject) => {
        queue.push({ events: encoded, changes, rows, resolve, reject });
        queuedRows += rows;
        pendingRows += rows;
        schedule();
      });
    },
    stats: () => ({
      pendingRows,
      ...stats,
      rowsPerCommit: stats.commits === 0 ? 0 : stats.committedRows / stats.commits,
      lastCommitMs: last?.ms,
      lastCommitRows: last?.rows,
    }),
    close() {
      isClosed = true;
      if (!isRunning && queue.length === 0) return Promise.resolve();
      closing ??= new Promise<void>((resolve) => {
        drained = resolve;
      });
      schedule();
      return closing;
    },
  };
}

/**
 * Each caller's share of one pooled result. Stores that report positions (duplicateIndexes,
 * refusedMergeIndexes: the DuckDB store does) give exact per-caller counts; without them the
 * batch's counts go to callers in submission order, capped by what each sent.
 */
function split(batch: readonly Entry[], result: AppendResult): AppendResult[] {
  const eventSizes = batch.map((entry) => entry.events.keys.length);
  const changeSizes = batch.map((entry) => entry.changes.length);
  const duplicates = share(eventSizes, result.duplicateIndexes, result.duplicates);
  const refused = share(changeSizes, result.refusedMergeIndexes, result.refusedMerges ?? 0);
  return batch.map((entry, i) => {
    const own = duplicates[i] as Share;
    const ownRefused = refused[i] as Share;
    return {
      inserted: entry.events.keys.length - own.count,
      duplicates: own.count,
      refusedMerges: ownRefused.count,
      ...(own.indexes === undefined ? {} : { duplicateIndexes: own.indexes }),
      ...(ownRefused.indexes === undefined ? {} : { refusedMergeIndexes: ownRefused.indexes }),
    };
  });
}

interface Share {
  count: number;
  indexes: number[] | undefined;
}

/** Splits batch-wide positions into each caller's own positions (or counts, without them). */
function share(
  sizes: readonly number[],
  indexes: readonly number[] | undefined,
  total: number,
): Share[] {
  if (indexes === undefined) {
    let left = total;
    return sizes.map((size) => {
      const count = Math.min(size, left);
      left -= count;
      return { count, indexes: undefined };
    });
  }
  const out: Share[] = sizes.map(() => ({ count: 0, indexes: [] }));
  const starts: number[] = [];
  let offset = 0;
  for (const size of sizes) {
    starts.push(offset);
    offset += size;
  }
  let caller = 0;
  for (const index of [...indexes].sort((a, b) => a - b)) {
    while (caller + 1 < sizes.length && index >= (starts[caller + 1] as number)) caller += 1;
    const own = out[caller] as Share;
    own.count += 1;
    own.indexes?.push(index - (starts[caller] as number));
  }
  return out;
}

function positiveInteger(value: number, key: string): number {
  if (!Number.isInteger(value) || value < 1) throw new StoreError('invalid_option', key);
  return value;
}
