/**
 * Expected arguments checked against their tool's JSON Schema before anything runs, so that a typo
 * is a load error and not a regression: a plain value the schema refuses, an argument name it does
 * not have, a matcher that can never accept a value of the property's type. Where the schema is not
 * plain enough to tell (anyOf, allOf, a `$ref` to another file), nothing is said.
 */
import { nearest } from '../core/suggest.js';
import type { SpecProblem } from './errors.js';
import { formatKey, formatPath, formatValue, type PathSegment } from './format.js';
import { isPlainObject, jsonKind } from './json.js';
import type { MatcherDefinition } from './matchers.js';
import { compileValue, matcherOf } from './spec.js';
import { fromFragmentPointer, toFragmentPointer } from './json-pointer.js';
import type { ToolSchemas } from './tool-schemas.js';

/** A problem of an expected value; `atKey` when it is about the key at `path`, not its value. */
export interface SchemaSpecProblem extends SpecProblem {
  atKey?: boolean;
}

/** A part of a tool's schema and where it sits in the whole (as JSON Pointer segments). */
interface Node {
  schema: Record<string, unknown>;
  pointer: PathSegment[];
}

/** What the walk needs at every step. */
interface Context {
  tool: string;
  /** The tools file as the config names it, for messages. */
  source: string;
  root: Record<string, unknown>;
  schemas: ToolSchemas;
  problems: SchemaSpecProblem[];
}

/**
 * The problems of an expected call's `arguments` (a valid spec, see checkArgumentSpec) against the
 * schema of the tool `tool` in `schemas`; paths are relative to `arguments`. Expectations may be
 * partial (`arguments: subset`), so a required argument left out is never a problem.
 */
export function checkAgainstToolSchema(
  tool: string,
  args: Record<string, unknown>,
  schemas: ToolSchemas,
  source: string,
): SchemaSpecProblem[] {
  const root = schemas.definition(tool)?.parameters;
  if (root === undefined || schemas.invalid.some((invalid) => invalid.name === tool)) return [];
  const context: Context = { tool, source, root, schemas, problems: [] };
  // The arguments object is never a matcher, even when it looks like one (a tool with a `type` parameter).
  const at = resolveRef({ schema: root, pointer: [] }, root);
  if (at !== undefined && isPlainObject(at.schema.properties)) checkObject(args, at, [], context);
  else if (at !== undefined && !Object.values(args).some(containsMatcher))
    checkLiteral(args, at, [], context);
  return context.problems;
}

function checkValue(value: unknown, node: Node, path: PathSegment[], context: Context): void {
  const at = resolveRef(node, context.root);
  if (at === undefined) return;
  const matcher = matcherOf(value);
  if (matcher) return checkMatcher(matcher, value as Record<string, unknown>, at, path, context);
  const container = isPlainObject(value) ? 'object' : Array.isArray(value) ? 'array' : undefined;
  if (container === undefined) return checkLiteral(value, at, path, context);
  if (refusesKind(at, container, path, context)) return;
  if (isPlainObject(value) && isPlainObject(at.schema.properties)) {
    checkObject(value, at, path, context);
  } else if (Array.isArray(value) && isPlainObject(at.schema.items)) {
    value.forEach((item, index) => checkValue(item, child(at, ['items']), [...path, index], context));
  } else if (!containsMatcher(value)) {
    checkLiteral(value, at, path, context);
  }
}

/** Every key must be one the schema names; each value is checked against its property's schema. */
function checkObject(
  value: Record<string, unknown>,
  node: Node,
  path: PathSegment[],
  context: Context,
): void {
  const properties = node.schema.properties as Record<string, unknown>;
  for (const [key, item] of Object.entries(value)) {
    const property = propertyNode(node, key);
    if (property === 'unknown') {
      const names = Object.keys(properties);
      const suggestion = nearest(key, names);
      const owner = path.length === 0 ? 'a parameter' : `a key of ${formatPath(path)}`;
      context.problems.push({
        path: [...path, key],
        atKey: true,
        message: `${formatKey(key)} is not ${owner} in ${context.source}`,
        hint: suggestion
          ? `did you mean "${suggestion}"?`
          : `the schema names: ${names.join(', ') || '(none)'}`,
      });
    } else if (property !== undefined) {
      checkValue(item, property, [...path, key], context);
    }
  }
}

/**
 * The schema of `key` in an object schema: its property, a matching pattern property, or the
 * additionalProperties schema. 'unknown' when the schema does not allow the key: a model only sees
 * `properties`, so a name outside them is a typo unless the schema says other keys are welcome
 * (`additionalProperties: true` or a schema). Undefined when the key is allowed but unconstrained.
 */
function propertyNode(node: Node, key: string): Node | 'unknown' | undefined {
  const properties = node.schema.properties as Record<string, unknown>;
  if (Object.hasOwn(properties, key)) return child(node, ['properties', key]);
  const patterns = isPlainObject(node.schema.patternProperties) ? node.schema.patternProperties : {};
  const pattern = Object.keys(patterns).find((candidate) => matchesPattern(candidate, key));
  if (pattern !== undefined) return child(node, ['patternProperties', pattern]);
  const additional = node.schema.additionalProperties;
  if (isPlainObject(additional)) return child(node, ['additionalProperties']);
  return additional === true ? undefined : 'unknown';
}

/** A plain value (with no matcher inside) must validate against its part of the schema. */
function checkLiteral(value: unknown, node: Node, path: PathSegment[], context: Context): void {
  const errors = context.schemas.validateAt(context.tool, toFragmentPointer(node.pointer), value) ?? [];
  for (const error of errors) {
    // Expectations may leave arguments out; whether the agent sends them is checked at run time.
    if (error.keyword === 'required') continue;
    const where = [...path, ...error.path];
    context.problems.push({
      path: where,
      atKey: error.keyword === 'additionalProperties',
      message: `${formatPath(where) || 'arguments'} ${error.message} (${context.source})`,
      hint: literalHint(error.keyword, value),
    });
  }
}

function literalHint(keyword: string, value: unknown): string {
  const off =
    "expect a value the tool's schema accepts: the agent's calls are checked against it too (if the schema is wrong, fix it or set match: {validate_arguments: false})";
  if (keyword === 'type' && typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))
    return `write the number without quotes; ${off}`;
  return off;
}

/** Whether a matcher can ever accept a value that the schema allows; `one_of` and `equals` look inside. */
function checkMatcher(
  matcher: MatcherDefinition,
  spec: Record<string, unknown>,
  node: Node,
  path: PathSegment[],
  context: Context,
): void {
  switch (matcher.name) {
    case 'one_of':
      (spec.one_of as unknown[]).forEach((option, index) =>
        checkValue(option, node, [...path, 'one_of', index], context),
      );
      return;
    case 'equals':
      checkLiteral(spec.equals, node, [...path, 'equals'], context);
      return;
    case 'regex':
    case 'ignore_case':
      if (!refusesMatcher(matcher, 'string', node, path, context))
        checkAgainstEnum(matcher, spec, node, path, context);
      return;
    case 'approx':
      refusesMatcher(matcher, 'number', node, path, context);
      return;
    case 'type':
      refusesMatcher(matcher, spec.type as string, node, path, context);
      return;
  }
}

/** Adds a problem when the schema's types leave no value of `kind` for the matcher; true when it did. */
function refusesMatcher(
  matcher: MatcherDefinition,
  kind: string,
  node: Node,
  path: PathSegment[],
  context: Context,
): boolean {
  const kinds = declaredKinds(node.schema);
  if (kinds === undefined || allows(kinds, kind)) return false;
  const schema = `${context.source} says ${kindsText(kinds)}`;
  context.problems.push({
    path,
    message:
      matcher.name === 'type'
        ? `${formatPath(path)}: {type: ${kind}} can never match: ${schema}`
        : `${formatPath(path)}: {${matcher.name}} matches only ${kind}s, but ${schema}`,
    hint: `expect a ${kindsText(kinds)} value, or a matcher for one (e.g. {type: ${[...kinds][0]}})`,
  });
  return true;
}

/** A `{regex}` or `{ignore_case}` on a property with a list of allowed strings must fit one of them. */
function checkAgainstEnum(
  matcher: MatcherDefinition,
  spec: Record<string, unknown>,
  node: Node,
  path: PathSegment[],
  context: Context,
): void {
  const allowed = node.schema.enum;
  if (!Array.isArray(allowed) || !allowed.every((value) => typeof value === 'string')) return;
  // The matcher's own test, so that "fits" means exactly what it means when a call is graded.
  const compiled = matcher.compile(spec, [], [], compileValue);
  if (compiled === undefined || allowed.some((value) => compiled.test(value, 'subset'))) return;
  const suggestion =
    matcher.name === 'ignore_case' ? nearest(spec.ignore_case as string, allowed) : undefined;
  context.problems.push({
    path: [...path, matcher.name],
    message: `${formatPath(path)}: ${formatValue(spec)} matches none of the values ${context.source} allows: ${allowed.map((value) => formatValue(value)).join(', ')}`,
    hint: suggestion ? `did you mean ${formatValue(suggestion)}?` : 'expect one of the allowed values',
  });
}

/** Adds a problem when a plain object or list sits where the schema allows no such kind; true when it did. */
function refusesKind(node: Node, kind: 'object' | 'array', path: PathSegment[], context: Context): boolean {
  const kinds = declaredKinds(node.schema);
  if (kinds === undefined || kinds.has(kind)) return false;
  context.problems.push({
    path,
    message: `${formatPath(path) || 'arguments'} must be ${kindsText(kinds)}, got ${kind === 'object' ? 'an object' : 'a list'} (${context.source})`,
    hint: 'expect a value of the type the schema gives',
  });
  return true;
}

/** The JSON types a schema allows, from `type`, `enum` or `const`; undefined when it does not say. */
function declaredKinds(schema: Record<string, unknown>): Set<string> | undefined {
  const { type } = schema;
  if (typeof type === 'string') return new Set([type]);
  if (Array.isArray(type) && type.every((item) => typeof item === 'string')) return new Set(type);
  const values = Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const] : undefined;
  if (values === undefined) return undefined;
  return new Set(values.map((value) => (Number.isInteger(value) ? 'integer' : (jsonKind(value) ?? 'null'))));
}

/** Whether a value of `kind` can be one of `kinds`; integers are numbers, and whole numbers are integers. */
function allows(kinds: Set<string>, kind: string): boolean {
  if (kind === 'number' || kind === 'integer') return kinds.has('number') || kinds.has('integer');
  return kinds.has(kind);
}

function kindsText(kinds: Set<string>): string {
  return [...kinds].join(' or ');
}

/** Follows local `$ref`s (`#/definitions/x`, `#/$defs/x`); undefined for any other reference or a loop. */
function resolveRef(node: Node, root: Record<string, unknown>): Node | undefined {
  let current = node;
  for (let hops = 0; hops < 32; hops++) {
    const ref = current.schema.$ref;
    if (ref === undefined) return current;
    if (typeof ref !== 'string' || !ref.startsWith('#')) return undefined;
    const pointer = fromFragmentPointer(ref);
    let target: unknown = root;
    for (const segment of pointer) target = isPlainObject(target) ? target[segment] : undefined;
    if (!isPlainObject(target)) return undefined;
    current = { schema: target, pointer };
  }
  return undefined;
}

/** The part of `node`'s schema at `segments` below it; a schema that is not an object constrains nothing here. */
function child(node: Node, segments: string[]): Node {
  let schema: unknown = node.schema;
  for (const segment of segments) schema = isPlainObject(schema) ? schema[segment] : undefined;
  return { schema: isPlainObject(schema) ? schema : {}, pointer: [...node.pointer, ...segments] };
}

function containsMatcher(value: unknown): boolean {
  if (matcherOf(value)) return true;
  if (Array.isArray(value)) return value.some(containsMatcher);
  return isPlainObject(value) && Object.values(value).some(containsMatcher);
}

function matchesPattern(pattern: string, key: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(key);
  } catch {
    return false;
  }
}
