import type { ErrorObject, ValidateFunction } from 'ajv';
import { nearest } from '../core/suggest.js';
import { fromJsonPointer } from '../evaluate/json-pointer.js';
import type { Problem } from './errors.js';
import type { LocatedDocument } from './yaml.js';

/**
 * A checker of documents against one of russo's own JSON Schemas (scenario, config), reporting each
 * problem at its file:line:col. `validate` is the schema's validator compiled ahead of time
 * (precompiled-validators.ts), so that no start compiles a schema.
 */
export function schemaChecker(validate: ValidateFunction): (document: LocatedDocument) => Problem[] {
  return (document) => problemsOf(validate, document);
}

function problemsOf(validate: ValidateFunction, document: LocatedDocument): Problem[] {
  if (validate(document.value)) return [];
  const errors = (validate.errors ?? []).filter((error) => !isNoise(error, validate.errors ?? []));
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const error of errors) {
    const problem = describe(error, document);
    const key = `${problem.line}:${problem.column}:${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

/**
 * Errors that only echo another one: the `if` of a provider branch, a `const` already said by an
 * enum, or a branch of an `anyOf` that is reported as a whole.
 */
function isNoise(error: ErrorObject, all: ErrorObject[]): boolean {
  if (error.keyword === 'if') return true;
  if (error.schemaPath.includes('/anyOf/')) {
    return all.some(
      (other) =>
        other.keyword === 'anyOf' &&
        error.schemaPath.startsWith(`${other.schemaPath}/`) &&
        error.instancePath.startsWith(other.instancePath),
    );
  }
  // An empty string breaks both minLength and a non-blank pattern: say it once.
  if (error.keyword === 'pattern') {
    return all.some((other) => other.keyword === 'minLength' && other.instancePath === error.instancePath);
  }
  if (error.keyword === 'const') {
    return all.some((other) => other.keyword === 'enum' && other.instancePath === error.instancePath);
  }
  return false;
}

function describe(error: ErrorObject, document: LocatedDocument): Problem {
  const path = fromJsonPointer(error.instancePath);
  const name = path.length === 0 ? 'the document' : `"${path.join('.')}"`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((error.parentSchema?.properties as Record<string, unknown>) ?? {}).filter(
        (candidate) => candidate !== '$schema',
      );
      const suggestion = nearest(key, allowed, 2);
      return {
        ...document.locate([...path, key], true),
        message: `unknown key "${key}"${path.length > 0 ? ` in ${name}` : ''}`,
        hint: suggestion
          ? `did you mean "${suggestion}"?`
          : `remove it; valid keys here: ${allowed.join(', ') || '(none)'}`,
      };
    }
    case 'required': {
      const missing = String(params.missingProperty);
      return {
        ...document.locate(path),
        message: `missing required key "${missing}"${path.length > 0 ? ` in ${name}` : ''}`,
        hint: requiredHint(missing),
      };
    }
    case 'type':
      return {
        ...document.locate(path),
        message: `${name} must be ${article(String(params.type))}, got ${typeName(error.data)}`,
        hint: typeHint(String(params.type)),
      };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const suggestion = typeof error.data === 'string' ? nearest(error.data, allowed, 2) : undefined;
      const what = path[path.length - 1] === 'provider' ? 'provider' : 'value';
      return {
        ...document.locate(path),
        message: `unknown ${what} ${JSON.stringify(error.data)} for ${name}`,
        hint: `${suggestion ? `did you mean "${suggestion}"? ` : ''}use one of: ${allowed.join(', ')}`,
      };
    }
    case 'minItems':
      return {
        ...document.locate(path),
        message: `${name} is empty`,
        hint: emptyHint(path[path.length - 1]),
      };
    case 'anyOf': {
      const types = (error.schema as Array<{ type?: string }>).flatMap((branch) =>
        branch.type ? [article(branch.type)] : [],
      );
      return {
        ...document.locate(path),
        message: `${name} must be ${types.join(' or ')}, got ${typeName(error.data)}`,
        hint: `write ${types.join(' or ')}`,
      };
    }
    case 'false schema': {
      const key = path[path.length - 1];
      return {
        ...document.locate(path, true),
        message: `"${String(key)}" cannot be used together with "turns"`,
        hint: 'a scenario has either `prompts` and `expect`, or `turns`: write the expected calls and forbidden tools under each turn, or remove `turns`',
      };
    }
    case 'minLength':
      return {
        ...document.locate(path),
        message: `${name} is an empty string`,
        hint: 'write a value or remove the key',
      };
    case 'pattern':
      return {
        ...document.locate(path),
        message:
          params.pattern === '\\S'
            ? `${name} is blank: it holds only spaces`
            : `${name} does not match the pattern ${String(params.pattern)}`,
        hint:
          params.pattern === '\\S'
            ? 'write what the caller says, or remove the line'
            : 'change the value to fit the pattern',
      };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return {
        ...document.locate(path),
        message: `${name} is ${JSON.stringify(error.data)}, but must be ${comparison(error.keyword)} ${String(params.limit)}`,
        hint: rangeHint(path[path.length - 1]),
      };
    default:
      return { ...document.locate(path), message: `${name} ${error.message ?? 'is invalid'}` };
  }
}

function requiredHint(key: string): string {
  switch (key) {
    case 'expect':
      return 'list the tool calls the agent must make; write `expect: []` if it must make none';
    case 'prompts':
      return 'add `prompts:` with at least one sentence the person says, or `turns:` for a conversation';
    case 'say':
      return 'write what the caller says in this turn: `- say: ...`';
    case 'provider':
      return 'name the provider, e.g. `provider: command`';
    default:
      return `add "${key}"`;
  }
}

function emptyHint(key: string | number | undefined): string {
  switch (key) {
    case 'prompts':
      return 'add at least one prompt: what the person says';
    case 'turns':
      return 'add at least one turn: `- say: ...`';
    default:
      return 'add at least one item';
  }
}

function typeHint(type: string): string {
  switch (type) {
    case 'array':
      return 'write a YAML list: one item per line starting with "- "';
    case 'object':
      return 'write a YAML mapping: `key: value` lines indented under this key';
    case 'integer':
      return 'write a whole number without quotes';
    case 'number':
      return 'write a number without quotes';
    case 'string':
      return 'write text (quote it if it looks like a number or contains ": ")';
    default:
      return `write ${article(type)}`;
  }
}

function rangeHint(key: string | number | undefined): string {
  switch (key) {
    case 'min_pass_rate':
      return 'a pass rate is a share between 0 and 1: write 0.8 for 80%';
    case 'runs':
      return 'run each prompt at least once: runs: 1 or more';
    case 'max_concurrency':
      return 'allow at least one run in flight';
    case 'timeout_s':
      return 'give each run a positive number of seconds';
    case 'snr_db':
      return 'an SNR is from -10 dB (noise louder than the voice) to 60 dB (faint noise); 10 is a busy café';
    case 'speed':
      return 'a speaking rate is from 0.5 (half as fast) to 2 (twice as fast); 1 leaves it unchanged';
    case 'rate':
      return 'a packet loss rate is the share of packets lost, from 0 to 0.5 (0.05 is a bad mobile line)';
    default:
      return 'change the value to fit the range';
  }
}

function comparison(keyword: string): string {
  return { minimum: '≥', maximum: '≤', exclusiveMinimum: '>', exclusiveMaximum: '<' }[keyword] ?? keyword;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** The JSON type of a YAML value, as a user would name it. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}
