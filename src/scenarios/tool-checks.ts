/**
 * A scenario checked against the tools file (`agent.tools`): every tool it names in `expect`,
 * `forbid` and `tool_results` must be defined there, and expected argument values must fit the
 * tool's JSON Schema. A typo is then a load error at its line, not a run that fails or a guard
 * that guards nothing.
 */
import { nearest } from '../core/suggest.js';
import { checkAgainstToolSchema, type ToolSchemas } from '../evaluate/index.js';
import type { Problem } from './errors.js';
import type { SourceLocation } from './types.js';
import type { LocatedDocument } from './yaml.js';

/** The tools of a suite, compiled, and the tools file as the config names it (for messages). */
export interface ToolsContext {
  schemas: ToolSchemas;
  source: string;
}

/** The parts of a scenario (as written, after schema validation) that name tools. */
export interface ToolReferences {
  expect: Array<{ name: string; arguments?: Record<string, unknown> }>;
  forbid?: string[];
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
  scenario.expect.forEach((call, index) => {
    unknown(call.name, document.locate(['expect', index, 'name']));
    if (!checkArguments || call.arguments === undefined) return;
    const found = checkAgainstToolSchema(call.name, call.arguments, tools.schemas, tools.source);
    for (const problem of found) {
      problems.push({
        ...document.locate(['expect', index, 'arguments', ...problem.path], problem.atKey),
        message: `${call.name}: ${problem.message}`,
        hint: problem.hint,
      });
    }
  });
  (scenario.forbid ?? []).forEach((name, index) => unknown(name, document.locate(['forbid', index])));
  for (const name of Object.keys(scenario.tool_results ?? {})) {
    unknown(name, document.locate(['tool_results', name], true));
  }
  return problems;
}
