// @tally/simulator: drives the PSA demo with personas across many tenants on a simulated clock,
// sending its usage to Tally (`tally simulate`, and the demo data of `npm start`).

// ### Options
export type { ResolvedSimulateOptions, SimulateOptions } from './options.js';
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
