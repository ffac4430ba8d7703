import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ToolDefinition } from '../core/types.js';
import type { Problem } from './errors.js';
import type { SourceLocation } from './types.js';

/**
 * Reads the tool definitions file: a JSON array of `{name, description, parameters}` or of OpenAI's
 * `{type: "function", function: {...}}` / `{type: "function", name, ...}` shapes, or an object with
 * such an array under `tools`. Returns provider-neutral definitions, or problems at `where`.
 */
export function loadTools(
  baseDir: string,
  path: string,
  where: SourceLocation,
): { tools: ToolDefinition[]; problems: Problem[] } {
  const absolute = resolve(baseDir, path);
  const fail = (message: string, hint: string) => ({ tools: [], problems: [{ ...where, message, hint }] });
  if (!existsSync(absolute)) {
    return fail(
      `tools file ${path} does not exist`,
      `the path is relative to the config file's folder (${baseDir})`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(absolute, 'utf8'));
  } catch (error) {
    return fail(`tools file ${path} is not valid JSON: ${(error as Error).message}`, 'fix the JSON syntax');
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { tools?: unknown })?.tools;
  if (!Array.isArray(list)) {
    return fail(
      `tools file ${path} must hold a JSON array of tool definitions`,
      'write [{"name": ..., "parameters": {...}}]',
    );
  }
  const tools: ToolDefinition[] = [];
  const problems: Problem[] = [];
  list.forEach((entry: unknown, index) => {
    const tool = toDefinition(entry);
    if (tool) tools.push(tool);
    else {
      problems.push({
        ...where,
        message: `tool #${index + 1} in ${path} has no name`,
        hint: 'each tool needs "name" (and usually "description" and "parameters", a JSON Schema)',
      });
    }
  });
  return { tools, problems };
}

function toDefinition(entry: unknown): ToolDefinition | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const record = entry as Record<string, unknown>;
  const inner = (
    typeof record.function === 'object' && record.function !== null ? record.function : record
  ) as Record<string, unknown>;
  if (typeof inner.name !== 'string' || inner.name === '') return undefined;
  return {
    name: inner.name,
    ...(typeof inner.description === 'string' ? { description: inner.description } : {}),
    ...(typeof inner.parameters === 'object' && inner.parameters !== null
      ? { parameters: inner.parameters as Record<string, unknown> }
      : {}),
  };
}
