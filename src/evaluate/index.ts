// The tool-call evaluator: grading, spec checks for the scenario loader, and the formatters renderers share.
export { evaluate, ToolCallEvaluator, DEFAULT_MATCH_OPTIONS } from './evaluator.js';
export { checkArgumentSpec, describeSpec } from './spec.js';
export { MatcherSpecError } from './errors.js';
export type { SpecProblem } from './errors.js';
export { formatValue, formatDiff, formatCall, formatPath, formatSchemaError } from './format.js';
export type { PathSegment } from './format.js';
export { FAILURE_RANKING } from './failures.js';
export { ToolSchemas } from './tool-schemas.js';
export { fromJsonPointer, toFragmentPointer } from './json-pointer.js';
export type { InvalidTool, LocatedSchemaError } from './tool-schemas.js';
export { checkAgainstToolSchema } from './schema-spec.js';
export type { SchemaSpecProblem } from './schema-spec.js';
export { ReplyChecker, checkReplyExpectation } from './reply.js';
export type { ReplyExpectation } from './reply.js';
export { compileToolResults, checkToolResults, isRuleList } from './responder.js';
export type { ToolResultRule } from './responder.js';
export { TurnEvaluator } from './turn.js';
export type { TurnExpectation, TurnEvaluatorOptions } from './turn.js';
