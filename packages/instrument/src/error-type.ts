/** `IDENTIFIER_PATTERN` of the catalog's `error_type`, anchored. */
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]{0,79}$/;

/** Thrown values that are not objects (`throw 'oops'`) have no class. */
export const NON_ERROR_TYPE = 'NonError';

/**
 * The class name of a thrown value, for `error_type`: `error.name` when it is an identifier
 * (the catalog's definition), except that a subclass which kept the inherited name `Error`
 * (Hono's `HTTPException`) reports its constructor's name; else `Error`. Never the message: a
 * message often quotes user input (prior art §6 item 1 sent raw messages).
 */
export function errorTypeOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return NON_ERROR_TYPE;
  const { name } = error as { name?: unknown };
  if (typeof name === 'string' && name !== 'Error' && IDENTIFIER.test(name)) return name;
  const ctor = (error as { constructor?: { name?: unknown } }).constructor;
  if (typeof ctor?.name === 'string' && IDENTIFIER.test(ctor.name)) return ctor.name;
  return typeof name === 'string' && IDENTIFIER.test(name) ? name : 'Error';
}
