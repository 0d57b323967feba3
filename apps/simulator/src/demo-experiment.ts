// The demo's one experiment, "New ticket form": its known effect, and its setup in Tally before
// the run (the `new-ticket-form` flag, tenant-bucketed 50/50, and the experiment bound to it,
// started on the run's first day), through Tally's API with a personal API key.
import { NEW_TICKET_FORM_VARIANT, TICKET_FORM_FLAG } from '@tally/psa-demo';
import { SimulatorError } from './options.js';

/**
 * The known true effect: a ticket filed through the new form needs this share of a
 * technician's work sessions (the form asks up front what the technician would ask first), so a
 * session resolves it with the classic chance divided by this. Applied only to tickets the PSA
 * said it took through the new form; the simulator never decides the variant itself. Time to
 * resolution falls by more than the 30% in sessions, as shorter work also shortens the queue:
 * Tally measures about -35% to -63% (apps/simulator/test/demo-experiment.e2e.test.ts).
 */
export const NEW_TICKET_FORM_SESSIONS_FACTOR = 0.7;

export const DEMO_EXPERIMENT_NAME = 'New ticket form';

export interface DemoExperiment {
  readonly projectId: number;
  readonly flagId: number;
  readonly experimentId: number;
  /** `GET` it with the personal API key: exposures, SRM, chance to win per metric. */
  readonly resultsUrl: string;
}

const FLAG = {
  key: TICKET_FORM_FLAG,
  name: 'New ticket form (experiment)',
  filters: {
    groups: [{ properties: [], rollout_percentage: 100 }],
    multivariate: {
      variants: [
        { key: 'control', rollout_percentage: 50 },
        { key: NEW_TICKET_FORM_VARIANT, rollout_percentage: 50 },
      ],
    },
    // By tenant: everyone at an MSP sees the same form, and the tenant is the unit compared.
    aggregation_group_type_index: 0,
  },
};

/**
 * The experiment's definition. Time to resolution is a ratio (minutes summed over tickets
 * resolved, per tenant), so a busy tenant weighs as much as its tickets.
 */
function demoExperimentDefinition(tenants: number) {
  return {
    name: DEMO_EXPERIMENT_NAME,
    description:
      'Does the new ticket form shorten time to resolution? Tenants are split 50/50 by the new-ticket-form flag; the PSA demo simulator gives the new form a known effect.',
    feature_flag_key: TICKET_FORM_FLAG,
    parameters: {
      // Results from a quarter of the tenants per variant: about half of those the run exposes
      // (small tenants may file no ticket at all), not PostHog's 100 of a large user base.
      minimum_exposed_units: Math.max(1, Math.ceil(tenants / 4)),
    },
    metrics: [
      {
        kind: 'ratio',
        name: 'Time to resolution (minutes per resolved ticket)',
        numerator: { event: 'ticket_resolved', property: 'time_to_resolution_minutes' },
        denominator: { event: 'ticket_resolved' },
        lower_is_better: true,
      },
      { kind: 'count', name: 'Tickets resolved per tenant', event: 'ticket_resolved' },
    ],
  };
}

interface Listed {
  id: number;
  key?: string;
  feature_flag_key?: string | null;
  name?: string;
  api_token?: string;
  archived?: boolean;
  start_date?: string | null;
}

export interface DemoExperimentOptions {
  readonly tallyUrl: string;
  readonly apiKey: string;
  /** The project's write token: the experiment goes into the project it belongs to. */
  readonly token: string;
  readonly tenants: number;
  /** The run's first day: the experiment starts then. */
  readonly startMs: number;
}

/**
 * Creates the flag and the experiment, or reuses them when they exist (a second run on the same
 * Tally), and starts the experiment on the run's first day unless it is running already.
 * Throws a SimulatorError (`experiment_setup`) naming the call and Tally's answer.
 *
 * @example
 * const { resultsUrl } = await setUpDemoExperiment({ tallyUrl: 'http://127.0.0.1:8787',
 *   apiKey: 'phx_...', token: 'phc_...', tenants: 24, startMs: Date.parse('2026-01-05') });
 */
export async function setUpDemoExperiment(o: DemoExperimentOptions): Promise<DemoExperiment> {
  const base = `${o.tallyUrl.replace(/\/+$/, '')}/api/projects`;
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${o.apiKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).catch(() => undefined);
    const json = (await response?.json().catch(() => undefined)) as
      | { code?: string; attr?: string; results?: Listed[] }
      | undefined;
    if (response?.ok !== true || json === undefined) {
      const answer =
        response === undefined
          ? 'no answer'
          : `${response.status} ${json?.code ?? ''} ${json?.attr ?? ''}`.trim();
      throw new SimulatorError(
        `experiment setup: ${method} /api/projects${path} answered ${answer}`,
        'experiment_setup',
      );
    }
    return json;
  };
  const projects = (await api('GET', '')).results ?? [];
  const project = projects.find((p) => p.api_token === o.token);
  if (project === undefined) {
    throw new SimulatorError(
      'experiment setup: the API key cannot see the project of the write token',
      'experiment_setup',
    );
  }
  const at = `/${project.id}`;
  const flags = (await api('GET', `${at}/feature_flags`)).results ?? [];
  const flag =
    flags.find((f) => f.key === TICKET_FORM_FLAG) ??
    ((await api('POST', `${at}/feature_flags`, FLAG)) as Listed);
  const experiments = (await api('GET', `${at}/experiments`)).results ?? [];
  let experiment =
    experiments.find(
      (e) =>
        e.feature_flag_key === TICKET_FORM_FLAG && e.name === DEMO_EXPERIMENT_NAME && !e.archived,
    ) ?? ((await api('POST', `${at}/experiments`, demoExperimentDefinition(o.tenants))) as Listed);
  if (experiment.start_date == null) {
    experiment = (await api('PATCH', `${at}/experiments/${experiment.id}`, {
      start_date: new Date(o.startMs).toISOString(),
    })) as Listed;
  }
  return {
    projectId: project.id,
    flagId: flag.id,
    experimentId: experiment.id,
    resultsUrl: `${base}${at}/experiments/${experiment.id}/results`,
  };
}
