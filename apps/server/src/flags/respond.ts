// The answer to a flag request, in each shape PostHog's clients read (posthog-wire-protocol.md
// §2.1): `/flags?v=2` and `/decide?v=4` get `flags` with details; `/flags` without a version and
// `/decide?v=3` the legacy maps (payloads as JSON text); `/decide?v=2` active keys with values,
// `/decide?v=1` the list of active keys.

/** One flag's answer, as the evaluator gives it. */
export interface FlagAnswer {
  readonly key: string;
  readonly id: number;
  readonly version: number;
  readonly enabled: boolean;
  readonly variant: string | null;
  readonly reason: { code: string; condition_index: number | null; description: string };
  /** The payload for the answer's value, parsed; undefined when the flag has none. */
  readonly payload: unknown;
}

export type FlagResponseShape = 'v2' | 'legacy' | 'decide_v1' | 'decide_v2';

export function responseShape(path: string, version: string | undefined): FlagResponseShape {
  const v = Number(version ?? '');
  if (path.startsWith('/decide')) {
    if (v >= 4) return 'v2';
    if (v === 3) return 'legacy';
    return v === 2 ? 'decide_v2' : 'decide_v1';
  }
  return v >= 2 ? 'v2' : 'legacy';
}

export function flagResponse(
  shape: FlagResponseShape,
  answers: readonly FlagAnswer[],
  requestId: string,
  evaluatedAt: number,
): Record<string, unknown> {
  const value = (a: FlagAnswer) => (a.enabled ? (a.variant ?? true) : false);
  const active = answers.filter((a) => a.enabled);
  switch (shape) {
    case 'v2':
      return {
        flags: Object.fromEntries(
          answers.map((a) => [
            a.key,
            {
              key: a.key,
              enabled: a.enabled,
              variant: a.variant,
              reason: a.reason,
              metadata: {
                id: a.id,
                version: a.version,
                description: null,
                payload: a.payload === undefined ? null : JSON.stringify(a.payload),
              },
            },
          ]),
        ),
        errorsWhileComputingFlags: false,
        requestId,
        evaluatedAt,
      };
    case 'legacy':
      return {
        featureFlags: Object.fromEntries(answers.map((a) => [a.key, value(a)])),
        featureFlagPayloads: Object.fromEntries(
          active
            .filter((a) => a.payload !== undefined)
            .map((a) => [a.key, JSON.stringify(a.payload)]),
        ),
        errorsWhileComputingFlags: false,
        requestId,
      };
    case 'decide_v2':
      return { featureFlags: Object.fromEntries(active.map((a) => [a.key, value(a)])) };
    case 'decide_v1':
      return { featureFlags: active.map((a) => a.key) };
  }
}
