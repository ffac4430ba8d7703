/**
 * The JSON Schemas of a suite's tools, compiled once with ajv: the agent's calls are validated
 * against them at run time, and the scenario loader checks expected values against parts of them.
 */
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import type { ArgumentsValidator, SchemaError, ToolDefinition } from '../core/types.js';
import { validateDraft07 } from './draft-07-validator.generated.js';
import { formatPath, formatValue, type PathSegment } from './format.js';
import { fromJsonPointer } from './json-pointer.js';
import { jsonKind } from './json.js';

/** A schema error with its path as segments, so that the scenario loader can point into a file. */
export interface LocatedSchemaError {
  path: PathSegment[];
  message: string;
  /** The JSON Schema keyword that failed (`type`, `required`, `enum`, ...). */
  keyword: string;
}

/** A tool whose schema could not be compiled (or whose name is used twice), and why. */
export interface InvalidTool {
  name: string;
  message: string;
}

/** How tool schemas compile; the meta-schema that checks them first was compiled with the same options. */
export const TOOL_SCHEMA_OPTIONS: Options = {
  allErrors: true,
  verbose: true,
  // Tool schemas are written for models, not for ajv: keywords it does not know are ignored, and
  // `format` is documentation (ajv knows no format without a plugin).
  strict: false,
  validateFormats: false,
  logger: false,
};
/** The id of the JSON Schema meta-schema (draft-07) that ajv checks schemas against. */
export const DRAFT_07 = 'http://json-schema.org/draft-07/schema';

const compiledSchemas = new WeakMap<readonly ToolDefinition[], ToolSchemas>();

/**
 * The tools' argument schemas. Each tool's schema is compiled once, when the set is built; parts of a
 * schema (`validateAt`) are compiled the first time they are asked for and kept by ajv.
 */
export class ToolSchemas implements ArgumentsValidator {
  /** Tools whose schema ajv cannot compile, or that share a name with an earlier tool: never validated. */
  readonly invalid: InvalidTool[] = [];
  // ajv's own check of each schema against the meta-schema would compile the meta-schema at every
  // start; the same check runs precompiled (`checked`).
  private readonly ajv = new Ajv({ ...TOOL_SCHEMA_OPTIONS, validateSchema: false });
  private readonly definitions = new Map<string, ToolDefinition>();
  private readonly keys = new Map<string, string>();

  /**
   * The schemas of a list of tools, compiled once per list: loading a suite (which checks expected
   * values against them) and running it (which validates calls) share them instead of compiling
   * every schema, and the JSON Schema meta-schema, twice at each start.
   */
  static of(tools: readonly ToolDefinition[]): ToolSchemas {
    let schemas = compiledSchemas.get(tools);
    if (schemas === undefined) compiledSchemas.set(tools, (schemas = new ToolSchemas(tools)));
    return schemas;
  }

  constructor(tools: readonly ToolDefinition[]) {
    tools.forEach((tool, index) => {
      if (this.definitions.has(tool.name)) {
        this.invalid.push({ name: tool.name, message: 'is defined more than once' });
        return;
      }
      this.definitions.set(tool.name, tool);
      if (tool.parameters === undefined) return;
      const key = `tool-${index}`;
      // The draft a tool declares is dropped: ajv validates with draft-07, which reads every keyword
      // that tool schemas use in practice, and an unknown `$schema` URL would stop the compile.
      const { $schema: _draft, ...schema } = tool.parameters;
      try {
        this.ajv.addSchema(schema, key);
        this.checked(schema);
        this.ajv.getSchema(key);
        this.keys.set(tool.name, key);
      } catch (error) {
        this.ajv.removeSchema(key);
        this.invalid.push({
          name: tool.name,
          message: `has a schema ajv cannot compile: ${(error as Error).message}`,
        });
      }
    });
  }

  /** Throws ajv's own error when `schema` breaks the meta-schema, as ajv's addSchema would. */
  private checked(schema: object): void {
    if (!validateDraft07(schema)) {
      throw new Error(`schema is invalid: ${this.ajv.errorsText(validateDraft07.errors)}`);
    }
  }

  /** The names of the tools, in file order. */
  get names(): string[] {
    return [...this.definitions.keys()];
  }

  /** The definition of the tool `name`, if there is one. */
  definition(name: string): ToolDefinition | undefined {
    return this.definitions.get(name);
  }

  /** The schema errors of a call's arguments; undefined when the tool is unknown or has no usable schema. */
  validate(name: string, args: Record<string, unknown>): SchemaError[] | undefined {
    return this.validateAt(name, '', args)?.map((error) => ({
      path: formatPath(error.path),
      message: error.message,
    }));
  }

  /**
   * The schema errors of `value` against the part of the tool's schema at JSON Pointer `pointer`
   * (e.g. `/properties/party_size`); `$ref`s inside resolve against the whole schema. Paths in the
   * errors are relative to `value`. Undefined when the tool has no usable schema.
   */
  validateAt(name: string, pointer: string, value: unknown): LocatedSchemaError[] | undefined {
    const key = this.keys.get(name);
    if (key === undefined) return undefined;
    const validate = this.ajv.getSchema(`${key}#${pointer}`) as ValidateFunction | undefined;
    if (validate === undefined) return undefined;
    return validate(value) ? [] : readableErrors(validate.errors ?? []);
  }
}

/** Ajv's errors as path + phrase, without the ones that only repeat another (`if` of an if/then). */
function readableErrors(errors: readonly ErrorObject[]): LocatedSchemaError[] {
  const seen = new Set<string>();
  const readable: LocatedSchemaError[] = [];
  for (const error of errors) {
    if (error.keyword === 'if') continue;
    const described = describe(error);
    const key = `${formatPath(described.path)}\u0000${described.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    readable.push(described);
  }
  return readable;
}

function describe(error: ErrorObject): LocatedSchemaError {
  const path = fromJsonPointer(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const keyword = error.keyword;
  switch (keyword) {
    case 'required':
      return { keyword, path: [...path, String(params.missingProperty)], message: 'is required' };
    case 'additionalProperties':
      return {
        keyword,
        path: [...path, String(params.additionalProperty)],
        message: 'is not a parameter of the tool (its schema allows no other keys)',
      };
    case 'type':
      return { keyword, path, message: `must be ${String(params.type)}${got(error.data)}` };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((value) => formatValue(value));
      return { keyword, path, message: `must be one of ${allowed.join(', ')}${got(error.data)}` };
    }
    case 'const':
      return { keyword, path, message: `must be ${formatValue(params.allowedValue)}${got(error.data)}` };
    default:
      return { keyword, path, message: `${error.message ?? 'is invalid'}${got(error.data)}` };
  }
}

/** `, got "two"`; objects and lists are named, not repeated. */
function got(value: unknown): string {
  const kind = jsonKind(value);
  if (kind === undefined) return '';
  if (kind === 'object') return ', got an object';
  if (kind === 'array') return ', got a list';
  return `, got ${formatValue(value, 60)}`;
}
