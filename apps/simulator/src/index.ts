// @tally/simulator: drives the PSA demo with personas across many tenants on a simulated clock,
// sending its usage to Tally (`tally simulate`, and the demo data of `npm start`).

// ### Demo experiment
export type { DemoExperiment, DemoExperimentOptions } from './demo-experiment.js';
export {
  DEMO_EXPERIMENT_NAME,
  NEW_TICKET_FORM_SESSIONS_FACTOR,
  setUpDemoExperiment,
} from './demo-experiment.js';
// ### Options
export type { ResolvedSimulateOptions, SimulateOptions, SimulatorErrorCode } from './options.js';
export {
  DEFAULT_DAYS,
  DEFAULT_SEED,
  DEFAULT_TENANTS,
  DEFAULT_USAGE_STATS_SWITCH,
  MAX_DAYS,
  MAX_TENANTS,
  resolveSimulateOptions,
  SimulatorError,
} from './options.js';
// ### Building blocks
export type { Random } from './random.js';
export { createRandom } from './random.js';
// ### Run
export type { SimulationResult } from './simulate.js';
export { simulate } from './simulate.js';
