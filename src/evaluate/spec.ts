/**
 * Expected values, compiled once: a plain value compares by deep equality, a plain object or list
 * compares key by key or item by item, and an object whose keys are exactly a matcher's keys is
 * that matcher. Compiling collects every mistake as a SpecProblem instead of stopping at the first.
 */
import type { ArgumentDiff, MatchOptions } from '../core/types.js';
import { editDistance } from '../core/suggest.js';
import { MatcherSpecError, type SpecProblem } from './errors.js';
import { formatKey, formatPath, formatValue, type PathSegment } from './format.js';
import { isPlainObject, jsonKind, presentKeys } from './json.js';
import { checkJson, MATCHERS, type Matcher, type MatcherDefinition } from './matchers.js';

/** How argument objects compare: `exact` refuses keys that were not expected, `subset` ignores them. */
export type ArgumentsMode = MatchOptions['arguments'];

/** A compiled expected value. */
export interface ValueSpec {
  /** The expected side of a diff, e.g. `2`, `matches /^19:00/`, `{party_size: 2}`. */
  describe(): string;
  /** The differences between this spec and an actual value that is present; empty when it matches. */
  compare(actual: unknown, path: PathSegment[], mode: ArgumentsMode): ArgumentDiff[];
}

/** Lists every problem of an expected call's `arguments` (absent arguments have none); empty when it is valid. */
export function checkArgumentSpec(args: unknown): SpecProblem[] {
  const problems: SpecProblem[] = [];
  compileArgumentsInto(args, problems);
  return problems;
}

/**
 * Compiles an expected call's `arguments`; undefined when they are absent (then any arguments do).
 * Throws a MatcherSpecError with every problem when the spec is invalid.
 */
export function compileArguments(args: unknown, callIndex: number, callName: string): ValueSpec | undefined {
  const problems: SpecProblem[] = [];
  const spec = compileArgumentsInto(args, problems);
  if (problems.length > 0) throw new MatcherSpecError(problems, { index: callIndex, name: callName });
  return spec;
}

function compileArgumentsInto(args: unknown, problems: SpecProblem[]): ValueSpec | undefined {
  if (args === undefined) return undefined;
  if (!isPlainObject(args)) {
    problems.push({
      path: [],
      message: `arguments must be an object of argument names to values, got ${formatValue(args)}`,
      hint: 'write the expected arguments as a mapping, e.g. arguments: {party_size: 2}',
    });
    return undefined;
  }
  return objectSpec(args, [], problems);
}

/** Describes an expected value as diffs show it (`matches /^19:00/`, `one of 2, 3`, `any value`). Throws on an invalid spec. */
export function describeSpec(spec: unknown): string {
  const problems: SpecProblem[] = [];
  const compiled = compileValue(spec, [], problems);
  if (problems.length > 0) throw new MatcherSpecError(problems);
  return compiled.describe();
}

/** Compiles one expected value at `path`, adding any problem found. */
export function compileValue(value: unknown, path: PathSegment[], problems: SpecProblem[]): ValueSpec {
  const kind = jsonKind(value);
  if (kind === 'array') {
    return arraySpec(
      (value as unknown[]).map((item, index) => compileValue(item, [...path, index], problems)),
    );
  }
  if (kind === 'object') return objectOrMatcherSpec(value as Record<string, unknown>, path, problems);
  if (kind === undefined) checkJson(value, path, problems);
  return literalSpec(value);
}

function objectOrMatcherSpec(
  value: Record<string, unknown>,
  path: PathSegment[],
  problems: SpecProblem[],
): ValueSpec {
  const keys = Object.keys(value);
  const definition = matcherOf(value);
  if (definition) return matcherSpec(definition.compile(value, path, problems, compileValue));
  const reserved = MATCHERS.find((candidate) => candidate.reserved && keys.includes(candidate.name));
  if (reserved) {
    problems.push(wrongKeysProblem(reserved, keys, path));
    return matcherSpec(undefined);
  }
  const typo = keys.length === 1 ? likelyTypo(keys[0]!, value[keys[0]!]) : undefined;
  if (typo) {
    problems.push({
      path: [...path, keys[0]!],
      message: `unknown matcher "${keys[0]}"`,
      hint: `did you mean ${typo.name}, as in ${typo.example}? To expect a literal object with a "${keys[0]}" key, write {equals: {${formatKey(keys[0]!)}: …}}`,
    });
    return matcherSpec(undefined);
  }
  return objectSpec(value, path, problems);
}

/** The matcher an expected value is written as (`{regex: "^19"}` is regex), or undefined for a plain value. */
export function matcherOf(value: unknown): MatcherDefinition | undefined {
  if (!isPlainObject(value)) return undefined;
  const keys = Object.keys(value);
  return MATCHERS.find((candidate) => isMatcher(candidate, keys, value));
}

/** An object is a matcher when its keys are exactly the matcher's; `type` and `any` also need a fitting value. */
function isMatcher(definition: MatcherDefinition, keys: string[], value: Record<string, unknown>): boolean {
  return (
    definition.required.every((key) => keys.includes(key)) &&
    keys.every((key) => definition.required.includes(key) || definition.optional.includes(key)) &&
    (definition.reserved || definition.plausible(value[definition.name]))
  );
}

function wrongKeysProblem(definition: MatcherDefinition, keys: string[], path: PathSegment[]): SpecProblem {
  const allowed = [...definition.required, ...definition.optional];
  const unknown = keys.filter((key) => !allowed.includes(key));
  const missing = definition.required.filter((key) => !keys.includes(key));
  const parts = [
    ...(missing.length > 0 ? [`${definition.name} needs ${missing.join(', ')}`] : []),
    ...(unknown.length > 0 ? [`${definition.name} does not take ${unknown.join(', ')}`] : []),
  ];
  return {
    path: unknown.length > 0 ? [...path, unknown[0]!] : path,
    message: parts.join('; '),
    hint: `write ${definition.example}; to expect a literal object with these keys, write {equals: {…}}`,
  };
}

/**
 * The matcher a single-key object probably meant (`regexp`, `oneof`, `tpye`): the key is within edit
 * distance 2 of its name (1 for names of four letters or less, so `time` and `age` stay plain keys)
 * and the value suits that matcher.
 */
function likelyTypo(key: string, value: unknown): MatcherDefinition | undefined {
  let best: MatcherDefinition | undefined;
  let bestDistance = Infinity;
  for (const definition of MATCHERS) {
    const distance = editDistance(key.toLowerCase(), definition.name);
    const allowed = definition.name.length <= 4 ? 1 : 2;
    if (distance <= allowed && distance < bestDistance && definition.plausible(value)) {
      best = definition;
      bestDistance = distance;
    }
  }
  return best;
}

function diff(
  kind: ArgumentDiff['kind'],
  path: PathSegment[],
  expected: string,
  actual?: unknown,
): ArgumentDiff {
  return kind === 'missing'
    ? { path: formatPath(path), kind, expected }
    : { path: formatPath(path), kind, expected, actual };
}

function literalSpec(expected: unknown): ValueSpec {
  const describe = () => formatValue(expected);
  return {
    describe,
    compare: (actual, path) => (actual === expected ? [] : [diff('mismatch', path, describe(), actual)]),
  };
}

/** A matcher; undefined (an invalid spec, already reported) never matches. */
function matcherSpec(matcher: Matcher | undefined): ValueSpec {
  const describe = () => matcher?.describe() ?? 'an invalid matcher';
  return {
    describe,
    compare: (actual, path, mode) =>
      matcher?.test(actual, mode) ? [] : [diff('mismatch', path, describe(), actual)],
  };
}

function arraySpec(items: ValueSpec[]): ValueSpec {
  const describe = () => `[${items.map((item) => item.describe()).join(', ')}]`;
  return {
    describe,
    compare(actual, path, mode) {
      if (!Array.isArray(actual) || actual.length !== items.length)
        return [diff('mismatch', path, describe(), actual)];
      const diffs: ArgumentDiff[] = [];
      items.forEach((item, index) => diffs.push(...item.compare(actual[index], [...path, index], mode)));
      return diffs;
    },
  };
}

function objectSpec(value: Record<string, unknown>, path: PathSegment[], problems: SpecProblem[]): ValueSpec {
  const entries = Object.entries(value).map(
    ([key, item]) => [key, compileValue(item, [...path, key], problems)] as const,
  );
  const expectedKeys = new Set(Object.keys(value));
  const describe = () =>
    `{${entries.map(([key, item]) => `${formatKey(key)}: ${item.describe()}`).join(', ')}}`;
  return {
    describe,
    compare(actual, path, mode) {
      if (!isPlainObject(actual)) return [diff('mismatch', path, describe(), actual)];
      const diffs: ArgumentDiff[] = [];
      for (const [key, item] of entries) {
        if (actual[key] === undefined) diffs.push(diff('missing', [...path, key], item.describe()));
        else diffs.push(...item.compare(actual[key], [...path, key], mode));
      }
      if (mode === 'exact') {
        for (const key of presentKeys(actual)) {
          if (!expectedKeys.has(key))
            diffs.push(diff('unexpected', [...path, key], 'no such key', actual[key]));
        }
      }
      return diffs;
    },
  };
}
