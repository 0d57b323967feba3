import type { FlagDefinition, PropertyFilter } from './schema.js';

// PostHog stores a `flag` filter's key as the target flag's id and its local-evaluation payload
// serves the target's key plus `dependency_chain`: every flag to evaluate first, in dependency
// order, ending with the target; an empty chain marks a cycle. This builds the same.

function dependencyFilters(flag: FlagDefinition): PropertyFilter[] {
  return flag.filters.groups.flatMap((condition) =>
    (condition.properties ?? []).filter((filter) => filter.type === 'flag'),
  );
}

/**
 * Returns the flags with every `flag` filter's key resolved to the target's key (from an id or
 * a key) and `dependency_chain` filled in; a dependency cycle yields an empty chain, which
 * evaluation reports as undecidable.
 *
 * @example
 * const env = { flags: resolveFlagDependencies(stored), groupTypeMapping, cohorts };
 */
export function resolveFlagDependencies(flags: readonly FlagDefinition[]): FlagDefinition[] {
  const byKey = new Map(flags.map((flag) => [flag.key, flag]));
  const byId = new Map(flags.map((flag) => [String(flag.id), flag]));
  const targetKey = (reference: string): string =>
    byKey.has(reference) ? reference : (byId.get(reference)?.key ?? reference);

  const chains = new Map<string, string[]>();
  // Depth-first, post-order; `null` when `key` is on a cycle or depends on one.
  const chainOf = (key: string, visiting: Set<string>): string[] | null => {
    const known = chains.get(key);
    if (known !== undefined) return known.length === 0 ? null : known;
    if (visiting.has(key)) return null;
    const flag = byKey.get(key);
    if (flag === undefined) return [key];
    visiting.add(key);
    const chain: string[] = [];
    for (const filter of dependencyFilters(flag)) {
      const sub = chainOf(targetKey(filter.key), visiting);
      if (sub === null) {
        visiting.delete(key);
        chains.set(key, []);
        return null;
      }
      for (const item of sub) if (!chain.includes(item)) chain.push(item);
    }
    visiting.delete(key);
    chain.push(key);
    chains.set(key, chain);
    return chain;
  };

  return flags.map((flag) => {
    if (dependencyFilters(flag).length === 0) return flag;
    const groups = flag.filters.groups.map((condition) => ({
      ...condition,
      properties: (condition.properties ?? []).map((filter) => {
        if (filter.type !== 'flag') return filter;
        const key = targetKey(filter.key);
        const onCycle = chainOf(flag.key, new Set()) === null;
        return { ...filter, key, dependency_chain: onCycle ? [] : (chainOf(key, new Set()) ?? []) };
      }),
    }));
    return { ...flag, filters: { ...flag.filters, groups } };
  });
}
