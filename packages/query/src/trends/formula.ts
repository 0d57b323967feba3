import { QueryError } from '../errors.js';

// Trends formulas: series letters (A = first series), numbers, + - * /, parentheses and unary
// minus. Evaluated per interval and per breakdown value; division by zero yields 0 (PostHog).

export type Formula =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'series'; readonly index: number }
  | { readonly kind: 'negate'; readonly operand: Formula }
  | {
      readonly kind: 'binary';
      readonly op: '+' | '-' | '*' | '/';
      readonly left: Formula;
      readonly right: Formula;
    };

const TOKEN = /\s*(?:(\d+(?:\.\d+)?|\.\d+)|([A-Za-z])|([-+*/()]))/y;

/** Parses a formula over `seriesCount` series; an error names `path`, never the text. */
export function parseFormula(text: string, seriesCount: number, path: string): Formula {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (match === null) {
      if (text.slice(start).trim() === '') break;
      throw new QueryError('invalid_query', path, 'unexpected character in formula');
    }
    tokens.push((match[1] ?? match[2] ?? match[3] ?? '').toUpperCase());
  }
  let at = 0;
  const peek = (): string | undefined => tokens[at];
  const fail = (detail: string): never => {
    throw new QueryError('invalid_query', path, detail);
  };

  function expression(): Formula {
    let left = term();
    for (let op = peek(); op === '+' || op === '-'; op = peek()) {
      at++;
      left = { kind: 'binary', op, left, right: term() };
    }
    return left;
  }
  function term(): Formula {
    let left = unary();
    for (let op = peek(); op === '*' || op === '/'; op = peek()) {
      at++;
      left = { kind: 'binary', op, left, right: unary() };
    }
    return left;
  }
  function unary(): Formula {
    if (peek() === '-') {
      at++;
      return { kind: 'negate', operand: unary() };
    }
    if (peek() === '+') {
      at++;
      return unary();
    }
    return primary();
  }
  function primary(): Formula {
    const token = peek();
    at++;
    if (token === undefined) return fail('formula ends too early');
    if (token === '(') {
      const inner = expression();
      if (peek() !== ')') fail('unbalanced parentheses in formula');
      at++;
      return inner;
    }
    if (/^[A-Z]$/.test(token)) {
      const index = token.charCodeAt(0) - 65;
      if (index >= seriesCount) fail('formula refers to a series that does not exist');
      return { kind: 'series', index };
    }
    if (/^[\d.]/.test(token)) return { kind: 'number', value: Number(token) };
    return fail('unexpected token in formula');
  }

  if (tokens.length === 0) fail('empty formula');
  const formula = expression();
  if (at !== tokens.length) fail('unexpected token in formula');
  return formula;
}

/** Evaluates with `values[i]` for series i; x / 0 is 0, and a non-finite result is 0. */
export function evaluateFormula(formula: Formula, values: readonly number[]): number {
  const result = evaluate(formula, values);
  return Number.isFinite(result) ? result : 0;
}

function evaluate(formula: Formula, values: readonly number[]): number {
  switch (formula.kind) {
    case 'number':
      return formula.value;
    case 'series':
      return values[formula.index] ?? 0;
    case 'negate':
      return -evaluate(formula.operand, values);
    case 'binary': {
      const left = evaluate(formula.left, values);
      const right = evaluate(formula.right, values);
      if (formula.op === '+') return left + right;
      if (formula.op === '-') return left - right;
      if (formula.op === '*') return left * right;
      return right === 0 ? 0 : left / right;
    }
  }
}
