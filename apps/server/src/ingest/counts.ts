/**
 * Per-project ingestion counters (uncatalogued events per name, schema violations per
 * property, drops): summed in memory on the request path and written to the metadata store
 * in the background, so counting costs a request nothing.
 */
export class IngestCounts {
  private pending = new Map<string, number>();

  add(projectId: number, kind: string, name: string, count = 1): void {
    const key = `${projectId}\u0000${kind}\u0000${name}`;
    this.pending.set(key, (this.pending.get(key) ?? 0) + count);
  }

  /** Takes what was counted since the last call, grouped by project. */
  take(): Map<number, Array<{ kind: string; name: string; count: number }>> {
    const out = new Map<number, Array<{ kind: string; name: string; count: number }>>();
    for (const [key, count] of this.pending) {
      const [project, kind = '', name = ''] = key.split('\u0000');
      const projectId = Number(project);
      const list = out.get(projectId) ?? [];
      list.push({ kind, name, count });
      out.set(projectId, list);
    }
    this.pending = new Map();
    return out;
  }
}
