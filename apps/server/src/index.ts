// @tally/server: PostHog-compatible capture and the read API on an embedded store, and `tally start`.

/// HTTP app
export type { AppDeps } from './app.js';
export { createApp } from './app.js';
export { main } from './cli/main.js';
export type { ServerConfig } from './config.js';
export { ConfigError, ENV_NAMES, resolveConfig } from './config.js';
/// Errors
export type { ServerErrorCode } from './errors.js';
export { ServerError } from './errors.js';
/// Running Tally
export type { Tally } from './server.js';
export { DATABASE_FILE, listen, openTally } from './server.js';
