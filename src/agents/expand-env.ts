import { AgentError } from '../core/errors.js';

const ENV_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces every `${NAME}` in a config value with the environment variable NAME, so secrets
 * (tokens in headers or URLs) stay out of the files. An unset or empty variable is an AgentError
 * that names the variable and `where` it is used, never its value.
 */
export function expandEnv(template: string, env: NodeJS.ProcessEnv, where: string): string {
  return template.replace(ENV_REFERENCE, (_, name: string) => {
    const value = env[name];
    if (value === undefined || value === '') {
      throw new AgentError(
        `${where} uses \${${name}}, but the environment variable ${name} is not set`,
        `export ${name} before running russo (in GitHub Actions: \`env: ${name}: \${{ secrets.${name} }}\`)`,
      );
    }
    return value;
  });
}

/** Expands `${NAME}` in every value of a header map (see expandEnv). */
export function expandHeaders(
  headers: Record<string, string> | undefined,
  env: NodeJS.ProcessEnv,
  provider: string,
): Record<string, string> {
  const expanded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    expanded[name] = expandEnv(value, env, `agent.headers.${name} of provider ${provider}`);
  }
  return expanded;
}

/**
 * The names of the variables referenced as `${NAME}` in any string inside `value` (a provider's
 * config): their values reach requests and processes, so the suite redacts them from results.
 */
export function envReferences(value: unknown): string[] {
  const names = new Set<string>();
  const visit = (item: unknown): void => {
    if (typeof item === 'string') {
      for (const match of item.matchAll(ENV_REFERENCE)) names.add(match[1] ?? '');
    } else if (typeof item === 'object' && item !== null) {
      Object.values(item).forEach(visit);
    }
  };
  visit(value);
  return [...names];
}
