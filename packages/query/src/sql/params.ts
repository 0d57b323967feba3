import type { SqlParam } from '../runner.js';

/** Collects positional parameters while SQL is written: `add(v)` returns `$n`. */
export interface ParamList {
  readonly values: SqlParam[];
  add(value: SqlParam): string;
}

export function paramList(): ParamList {
  const values: SqlParam[] = [];
  return {
    values,
    add(value) {
      values.push(value);
      return `$${values.length}`;
    },
  };
}

/** One statement ready for a SqlRunner. */
export interface RenderedSql {
  readonly sql: string;
  readonly params: readonly SqlParam[];
}
