/**
 * A scenario's `tool_results` compiled into the ToolResponder that answers the agent's calls. A
 * tool's entry is a plain value (every call gets it as its result), or a list of rules
 * `{when, result}` / `{when, error}`: the first rule whose `when` matches the call's arguments
 * (the matchers of `expect`, always by subset) answers it, and a rule without `when` matches any call.
 */
import { missingMockMessage } from '../core/tool-call.js';
import type { ToolCall, ToolOutcome, ToolResponder } from '../core/types.js';
import type { SpecProblem } from './errors.js';
import { isPlainObject } from './json.js';
import { checkArgumentSpec, compileArguments, type ValueSpec } from './spec.js';

/** One rule of a tool's mocked outcomes: the arguments it applies to, and the result or error it answers. */
export interface ToolResultRule {
  /** Argument matchers, as in `expect` (subset); absent: the rule matches every call. */
  when?: Record<string, unknown>;
  result?: unknown;
  error?: unknown;
}

const RULE_KEYS = ['when', 'result', 'error'];

/**
 * Whether a tool's entry is a list of rules rather than a plain value: a non-empty list whose every
 * item is a mapping with only the keys `when`, `result` and `error`, and exactly one of `result` and
 * `error`. (A plain list that looks like that is mocked as `[{result: [...]}]`.)
 */
export function isRuleList(value: unknown): value is ToolResultRule[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (item) =>
        isPlainObject(item) &&
        Object.keys(item).every((key) => RULE_KEYS.includes(key)) &&
        Object.hasOwn(item, 'result') !== Object.hasOwn(item, 'error'),
    )
  );
}

/**
 * Every problem of a scenario's `tool_results` (paths from `tool_results`): a `when` that is not a
 * mapping of valid matchers, a rule that can never be picked because a rule without `when` comes
 * first, and a list that looks like rules but is not (a misspelt key), which would be mocked as a
 * plain value.
 */
export function checkToolResults(toolResults: Readonly<Record<string, unknown>>): SpecProblem[] {
  const problems: SpecProblem[] = [];
  for (const [name, entry] of Object.entries(toolResults)) {
    if (isRuleList(entry)) {
      const fallback = entry.findIndex((rule) => rule.when === undefined);
      entry.forEach((rule, index) => {
        if (rule.when !== undefined) {
          for (const problem of checkArgumentSpec(rule.when)) {
            problems.push({ ...problem, path: [name, index, 'when', ...problem.path] });
          }
        }
        if (fallback !== -1 && index > fallback) {
          problems.push({
            path: [name, index],
            message: `${name}: rule ${index + 1} can never be picked: rule ${fallback + 1} has no \`when\` and matches every call first`,
            hint: 'put the rule without `when` (the fallback) last',
          });
        }
      });
    } else if (Array.isArray(entry) && entry.some((item) => isPlainObject(item) && 'when' in item)) {
      // Not a rule list, so some item is not a rule.
      const index = entry.findIndex((item) => !isRuleList([item]));
      problems.push({
        path: [name, index],
        message: `${name}: this list has \`when\` rules, but item ${index + 1} is not a rule, so the whole list would be mocked as one plain value`,
        hint: 'give each rule only `when` and one of `result` or `error`; to mock a plain list, write it as `- result: [...]`',
      });
    }
  }
  return problems;
}

/** The outcome source of one tool: a plain value, or rules with compiled `when`s. */
type Entry = { value: unknown } | { rules: Array<{ when: ValueSpec | undefined; outcome: ToolOutcome }> };

/**
 * Compiles `tool_results` once (a scenario's runs share the responder). A call to a tool without an
 * entry, or that no rule matches, is told that no result is mocked. Throws a MatcherSpecError for an
 * invalid `when` (the loader reports those at their line first: see checkToolResults).
 */
export function compileToolResults(toolResults: Readonly<Record<string, unknown>>): ToolResponder {
  const entries = new Map<string, Entry>();
  for (const [name, entry] of Object.entries(toolResults)) {
    if (!isRuleList(entry)) {
      entries.set(name, { value: entry });
      continue;
    }
    const rules = entry.map((rule, index) => ({
      when: rule.when === undefined ? undefined : compileArguments(rule.when, index, `${name} when`),
      outcome: Object.hasOwn(rule, 'error') ? { error: rule.error } : { result: rule.result },
    }));
    entries.set(name, { rules });
  }
  return (call: ToolCall): ToolOutcome => {
    const entry = entries.get(call.name);
    if (entry === undefined) return { missing: missingMockMessage(call.name) };
    if ('value' in entry) return { result: entry.value };
    const rule = entry.rules.find(
      ({ when }) => when === undefined || when.compare(call.arguments, [], 'subset').length === 0,
    );
    return rule?.outcome ?? { missing: noRuleMessage(call.name) };
  };
}

/** What the agent is told when none of a tool's rules matches its call. */
function noRuleMessage(name: string): string {
  return `no result is mocked for this call of ${name}: no \`when\` of its tool_results rules matches the arguments (add a rule without \`when\` as the fallback)`;
}
