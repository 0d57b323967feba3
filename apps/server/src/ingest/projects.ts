import type { MetadataStore, Project } from '@tally/store';

const TTL_MS = 5_000;

/**
 * Token -> project and group-type lookups for the capture path, cached: every request needs
 * them and they change rarely. `invalidate` is called when a project's settings change.
 */
export class ProjectCache {
  private readonly byToken = new Map<string, { project: Project | undefined; atMs: number }>();
  private readonly groupTypes = new Map<string, number | undefined>();

  constructor(
    private readonly metadata: MetadataStore,
    private readonly now: () => number,
  ) {}

  async byTokenCached(token: string): Promise<Project | undefined> {
    const hit = this.byToken.get(token);
    if (hit !== undefined && this.now() - hit.atMs < TTL_MS) return hit.project;
    const project = await this.metadata.getProjectByToken(token);
    this.byToken.set(token, { project, atMs: this.now() });
    return project;
  }

  async groupTypeIndex(projectId: number, groupType: string): Promise<number | undefined> {
    const key = `${projectId}\u0000${groupType}`;
    if (this.groupTypes.has(key)) return this.groupTypes.get(key);
    const index = await this.metadata.groupTypeIndex(projectId, groupType);
    this.groupTypes.set(key, index);
    return index;
  }

  invalidate(): void {
    this.byToken.clear();
  }
}
