/**
 * The PostHog-compatible capture paths and their body limits (posthog-wire-protocol.md §1.1,
 * from `rust/capture/src/router.rs`). Every path exists with and without the trailing slash.
 */
export const CAPTURE_PATHS: readonly string[] = Object.freeze([
  '/batch',
  '/batch/',
  '/e',
  '/e/',
  '/i/v0/e',
  '/i/v0/e/',
  '/capture',
  '/capture/',
  '/track',
  '/track/',
  '/engage',
  '/engage/',
]);

const MIB = 1024 * 1024;
/** Server SDKs (posthog-node, python, go) batch up to this much on `/batch`. */
export const DEFAULT_BATCH_MAX_BODY_BYTES = 20 * MIB;
/** Browser and single-event endpoints. */
export const DEFAULT_MAX_BODY_BYTES = 2 * MIB;

/**
 * The request body limit for a capture path: 20 MiB for `/batch`, 2 MiB for the others.
 *
 * @example
 * ```ts
 * maxBodyBytesFor('/batch/'); // 20971520
 * ```
 */
export function maxBodyBytesFor(path: string): number {
  return isPath(path, '/batch') ? DEFAULT_BATCH_MAX_BODY_BYTES : DEFAULT_MAX_BODY_BYTES;
}

/**
 * True for `/engage` and `/engage/`: the only paths where an object without `event` is accepted
 * (it becomes `$identify`).
 *
 * @example
 * ```ts
 * isEngagePath('/engage/'); // true
 * ```
 */
export function isEngagePath(path: string): boolean {
  return isPath(path, '/engage');
}

/**
 * The legacy endpoints where a payload that is still base64 after decompression is unwrapped
 * once more (`path_is_legacy_endpoint` in `rust/capture/src/v0_request.rs`).
 */
export function isLegacyPath(path: string): boolean {
  return (
    isPath(path, '/e') ||
    isPath(path, '/capture') ||
    isPath(path, '/engage') ||
    isPath(path, '/track')
  );
}

/** `base` itself or anything below it (`/engage`, `/engage/`), never `/engaged`. */
function isPath(path: string, base: string): boolean {
  return path === base || path.startsWith(`${base}/`);
}
