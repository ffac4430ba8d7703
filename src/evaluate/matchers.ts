/**
 * The value matchers of expected arguments (`{regex}`, `{any: true}`, `{type}`, `{one_of}`,
 * `{approx, tolerance}`, `{ignore_case}`, `{equals}`): for each, the keys that make an object that
 * matcher, how to check its spec once, how to describe it and how to test an actual value.
 */
import { nearest } from '../core/suggest.js';
import type { SpecProblem } from './errors.js';
import { formatValue, type PathSegment } from './format.js';
import { deepEqual, jsonKind } from './json.js';
import type { ArgumentsMode, ValueSpec } from './spec.js';

/** A checked matcher, ready to test values. */
export interface Matcher {
  /** The expected side of a diff, e.g. `matches /^19:00/`. */
  describe(): string;
  test(actual: unknown, mode: ArgumentsMode): boolean;
}

/** Compiles a nested expected value (for `one_of`), adding any problem found. */
export type CompileValue = (value: unknown, path: PathSegment[], problems: SpecProblem[]) => ValueSpec;

/** A kind of matcher: an object whose keys are `required` plus any of `optional` is one. */
export interface MatcherDefinition {
  /** The key that names the matcher, e.g. `regex`. */
  name: string;
  required: readonly string[];
  optional: readonly string[];
  /**
   * True when the name is no word a tool's arguments use (`regex`, `approx`, ...): an object holding
   * it with other keys is then a mistake, not data. False for `type` and `any`, common argument names:
   * `{type: …}` and `{any: …}` are matchers only when `plausible` holds for their value, else plain objects.
   */
  reserved: boolean;
  /** How the matcher is written, for hints. */
  example: string;
  /** Whether `value` could be meant as this matcher's main value (a typo check suggests the matcher only then). */
  plausible(value: unknown): boolean;
  /** Checks the spec; returns the matcher, or undefined after adding problems. */
  compile(
    spec: Record<string, unknown>,
    path: PathSegment[],
    problems: SpecProblem[],
    compileValue: CompileValue,
  ): Matcher | undefined;
}

/** The names `{type}` accepts. */
export const TYPE_NAMES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'] as const;
type TypeName = (typeof TYPE_NAMES)[number];

const TYPE_DESCRIPTIONS: Record<TypeName, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

/** How to expect an object that holds `key: value` when `{key: value}` reads as a matcher. */
function dataHint(key: string, value: unknown): string {
  return `to expect an object whose "${key}" is ${formatValue(value)}, write {${key}: {equals: ${formatValue(value)}}}`;
}

const regex: MatcherDefinition = {
  name: 'regex',
  required: ['regex'],
  optional: ['flags'],
  reserved: true,
  example: '{regex: "^19:00", flags: "i"}',
  plausible: (value) => typeof value === 'string',
  compile(spec, path, problems) {
    const { regex: pattern, flags = '' } = spec;
    if (typeof pattern !== 'string') {
      problems.push({
        path: [...path, 'regex'],
        message: `regex must be a string, got ${formatValue(pattern)}`,
        hint: 'write the pattern as a string, e.g. {regex: "^19:00"}',
      });
      return undefined;
    }
    if (typeof flags !== 'string' || /[gy]/.test(flags) || !validFlags(flags)) {
      problems.push({
        path: [...path, 'flags'],
        message: `invalid regex flags ${formatValue(flags)}`,
        hint: 'use a string of the flags i, m, s, u, v (g and y are refused: they make a regex remember its last match)',
      });
      return undefined;
    }
    let compiled: RegExp;
    try {
      compiled = new RegExp(pattern, flags);
    } catch (error) {
      problems.push({
        path: [...path, 'regex'],
        message: `invalid regex: ${(error as Error).message}`,
        hint: "fix the pattern; in YAML, write it in single quotes so that backslashes stay as written ('^\\d+$')",
      });
      return undefined;
    }
    return {
      describe: () => `matches /${pattern}/${flags}`,
      test: (actual) => typeof actual === 'string' && compiled.test(actual),
    };
  },
};

function validFlags(flags: string): boolean {
  try {
    new RegExp('', flags);
    return true;
  } catch {
    return false;
  }
}

const any: MatcherDefinition = {
  name: 'any',
  required: ['any'],
  optional: [],
  reserved: false,
  example: '{any: true}',
  plausible: (value) => typeof value === 'boolean',
  compile(spec, path, problems) {
    if (spec.any !== true) {
      problems.push({
        path: [...path, 'any'],
        message: `any must be true, got ${formatValue(spec.any)}`,
        hint: `write {any: true} to accept any value of a key that is present; ${dataHint('any', spec.any)}`,
      });
      return undefined;
    }
    return { describe: () => 'any value', test: () => true };
  },
};

const type: MatcherDefinition = {
  name: 'type',
  required: ['type'],
  optional: [],
  reserved: false,
  example: '{type: string}',
  plausible: (value) => typeof value === 'string',
  compile(spec, path, problems) {
    const name = spec.type as string; // plausible: only a string makes {type} a matcher
    if (!TYPE_NAMES.includes(name as TypeName)) {
      const suggestion = nearest(name, TYPE_NAMES, 2);
      problems.push({
        path: [...path, 'type'],
        message: `unknown type ${formatValue(name)}`,
        hint:
          `use one of ${TYPE_NAMES.join(', ')}${suggestion ? ` (did you mean ${suggestion}?)` : ''}; ` +
          dataHint('type', name),
      });
      return undefined;
    }
    const typeName = name as TypeName;
    return {
      describe: () => TYPE_DESCRIPTIONS[typeName],
      test: (actual) => (typeName === 'integer' ? Number.isInteger(actual) : jsonKind(actual) === typeName),
    };
  },
};

const oneOf: MatcherDefinition = {
  name: 'one_of',
  required: ['one_of'],
  optional: [],
  reserved: true,
  example: '{one_of: [2, 3]}',
  plausible: (value) => Array.isArray(value),
  compile(spec, path, problems, compileValue) {
    const options = spec.one_of;
    if (!Array.isArray(options) || options.length === 0) {
      problems.push({
        path: [...path, 'one_of'],
        message: `one_of must be a non-empty list of values, got ${formatValue(options)}`,
        hint: 'write the accepted values as a list, e.g. {one_of: [2, 3]}; each may be a matcher',
      });
      return undefined;
    }
    const alternatives = options.map((option, index) =>
      compileValue(option, [...path, 'one_of', index], problems),
    );
    return {
      describe: () => `one of ${alternatives.map((alternative) => alternative.describe()).join(', ')}`,
      test: (actual, mode) =>
        alternatives.some((alternative) => alternative.compare(actual, [], mode).length === 0),
    };
  },
};

const approx: MatcherDefinition = {
  name: 'approx',
  required: ['approx', 'tolerance'],
  optional: [],
  reserved: true,
  example: '{approx: 19.5, tolerance: 0.5}',
  plausible: (value) => typeof value === 'number',
  compile(spec, path, problems) {
    const { approx: center, tolerance } = spec;
    const before = problems.length;
    if (typeof center !== 'number' || !Number.isFinite(center)) {
      problems.push({
        path: [...path, 'approx'],
        message: `approx must be a number, got ${formatValue(center)}`,
        hint: 'write the number without quotes, e.g. {approx: 19.5, tolerance: 0.5}',
      });
    }
    if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) {
      problems.push({
        path: [...path, 'tolerance'],
        message: `tolerance must be a number of 0 or more, got ${formatValue(tolerance)}`,
        hint: 'write the largest accepted distance from approx, without quotes, e.g. {approx: 19.5, tolerance: 0.5}',
      });
    }
    if (problems.length > before) return undefined;
    const [mid, width] = [center as number, tolerance as number];
    return {
      describe: () => `≈ ${mid} ± ${width}`,
      test: (actual) => typeof actual === 'number' && withinTolerance(actual, mid, width),
    };
  },
};

/** Inclusive bounds, with room for binary rounding: 0.4 is within 0.1 of 0.3 although 0.4 - 0.3 > 0.1 in floats. */
function withinTolerance(actual: number, center: number, tolerance: number): boolean {
  const rounding = 4 * Number.EPSILON * Math.max(Math.abs(actual), Math.abs(center), tolerance);
  return Math.abs(actual - center) <= tolerance + rounding;
}

const ignoreCase: MatcherDefinition = {
  name: 'ignore_case',
  required: ['ignore_case'],
  optional: [],
  reserved: true,
  example: '{ignore_case: "Paris"}',
  plausible: (value) => typeof value === 'string',
  compile(spec, path, problems) {
    const text = spec.ignore_case;
    if (typeof text !== 'string') {
      problems.push({
        path: [...path, 'ignore_case'],
        message: `ignore_case must be a string, got ${formatValue(text)}`,
        hint: 'write the expected text, e.g. {ignore_case: "Paris"}',
      });
      return undefined;
    }
    const folded = foldCase(text);
    return {
      describe: () => `${formatValue(text)} ignoring case`,
      test: (actual) => typeof actual === 'string' && foldCase(actual) === folded,
    };
  },
};

/** Upper then lower case, so that letters whose cases differ in length compare equal too (ß, SS, ss). */
export function foldCase(text: string): string {
  return text.toUpperCase().toLowerCase();
}

const equals: MatcherDefinition = {
  name: 'equals',
  required: ['equals'],
  optional: [],
  reserved: true,
  example: '{equals: {regex: "not a matcher"}}',
  plausible: () => true,
  compile(spec, path, problems) {
    const literal = spec.equals;
    const before = problems.length;
    checkJson(literal, [...path, 'equals'], problems);
    if (problems.length > before) return undefined;
    return { describe: () => formatValue(literal), test: (actual) => deepEqual(actual, literal) };
  },
};

/** Adds a problem for every part of `value` that JSON cannot hold, so a literal can ever match. */
export function checkJson(value: unknown, path: PathSegment[], problems: SpecProblem[]): void {
  const kind = jsonKind(value);
  if (kind === undefined) {
    problems.push({
      path,
      message: `${formatValue(value)} is not a JSON value`,
      hint: 'tool-call arguments are JSON: use a string, finite number, boolean, null, list or object',
    });
  } else if (kind === 'array') {
    (value as unknown[]).forEach((item, index) => checkJson(item, [...path, index], problems));
  } else if (kind === 'object') {
    for (const [key, item] of Object.entries(value as Record<string, unknown>))
      checkJson(item, [...path, key], problems);
  }
}

/** Every matcher, in the order their key sets are tried. */
export const MATCHERS: readonly MatcherDefinition[] = [regex, any, type, oneOf, approx, ignoreCase, equals];
