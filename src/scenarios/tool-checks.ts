/**
 * A scenario checked against the tools file (`agent.tools`): every tool it names in `expect`,
 * `forbid` and `tool_results` (its own, or its turns') must be defined there, and expected argument
 * values and the `when` of tool_results rules must fit the tool's JSON Schema. A typo is then a load
 * error at its line, not a run that fails, a guard that guards nothing or a rule never picked.
 */
import { nearest } from '../core/suggest.js';
import { checkAgainstToolSchema, isRuleList, type ToolSchemas } from '../evaluate/index.js';
import type { Problem } from './errors.js';
import type { SourceLocation } from './types.js';
import type { LocatedDocument } from './yaml.js';

/** The tools of a suite, compiled, and the tools file as the config names it (for messages). */
export interface ToolsContext {
  schemas: ToolSchemas;
  source: string;
}

/** Expected calls and forbidden tools, as a scenario or one of its turns writes them. */
interface CallReferences {
  expect?: Array<{ name: string; arguments?: Record<string, unknown> }>;
  forbid?: string[];
}

/** The parts of a scenario (as written, after schema validation) that name tools. */
export interface ToolReferences extends CallReferences {
  turns?: CallReferences[];
  tool_results?: Record<string, unknown>;
}

/**
 * Problems of the tools file itself: a tool whose schema cannot be compiled, or a name used twice.
 * They are reported where the config names the file.
 */
export function toolsFileProblems(tools: ToolsContext, where: SourceLocation): Problem[] {
  return tools.schemas.invalid.map((invalid) => ({
    ...where,
    message: `tool "${invalid.name}" in ${tools.source} ${invalid.message}`,
    hint: 'fix the tool definition: its "parameters" must be a JSON Schema (draft-07) and each name is used once',
  }));
}

/**
 * Problems of one scenario against the tools: unknown tool names (with the nearest defined name), and,
 * when `checkArguments`, expected argument values the tool's schema refuses.
 */
export function toolProblems(
  scenario: ToolReferences,
  document: LocatedDocument,
  tools: ToolsContext,
  checkArguments: boolean,
): Problem[] {
  const problems: Problem[] = [];
  const unknown = (name: string, where: SourceLocation): void => {
    if (tools.schemas.definition(name) !== undefined) return;
    const suggestion = nearest(name, tools.schemas.names);
    problems.push({
      ...where,
      message: `unknown tool "${name}": ${tools.source} defines no tool of that name`,
      hint: suggestion
        ? `did you mean "${suggestion}"?`
        : `use one of: ${tools.schemas.names.join(', ')}; or add the tool to ${tools.source}`,
    });
  };
  const checkValues = (
    name: string,
    values: Record<string, unknown> | undefined,
    at: Array<string | number>,
  ): void => {
    if (!checkArguments || values === undefined) return;
    for (const problem of checkAgainstToolSchema(name, values, tools.schemas, tools.source)) {
      problems.push({
        ...document.locate([...at, ...problem.path], problem.atKey),
        message: `${name}: ${problem.message}`,
        hint: problem.hint,
      });
    }
  };
  const checkCalls = (calls: CallReferences, at: Array<string | number>): void => {
    calls.expect?.forEach((call, index) => {
      unknown(call.name, document.locate([...at, 'expect', index, 'name']));
      checkValues(call.name, call.arguments, [...at, 'expect', index, 'arguments']);
    });
    (calls.forbid ?? []).forEach((name, index) => unknown(name, document.locate([...at, 'forbid', index])));
  };
  checkCalls(scenario, []);
  scenario.turns?.forEach((turn, index) => checkCalls(turn, ['turns', index]));
  for (const [name, entry] of Object.entries(scenario.tool_results ?? {})) {
    unknown(name, document.locate(['tool_results', name], true));
    if (!isRuleList(entry) || tools.schemas.definition(name) === undefined) continue;
    entry.forEach((rule, index) => checkValues(name, rule.when, ['tool_results', name, index, 'when']));
  }
  return problems;
}
