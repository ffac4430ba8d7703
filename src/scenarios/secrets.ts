import type { Problem } from './errors.js';
import type { LocatedDocument } from './yaml.js';

// Keys whose values are credentials, and value shapes of well-known API keys. A value that is an
// environment reference (`${OPENAI_API_KEY}`) is fine: that is how secrets reach a config.
const SECRET_KEY = /(api[_-]?key|secret|password|passwd|token|authorization|credential|private[_-]?key)/i;
const SECRET_VALUE = [
  /\bsk-(proj-|svcacct-|ant-)?[A-Za-z0-9_-]{20,}/, // OpenAI, Anthropic
  /\bAIza[0-9A-Za-z_-]{35}\b/, // Google
  /\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b/, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{22,}/,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/, // Slack
  /\bBearer\s+[A-Za-z0-9._~+/-]{20,}/i,
];
const ENV_REFERENCE = /\$\{[A-Za-z_][A-Za-z0-9_]*\}/g;
// What is left of a credential value once its references are removed may be a scheme word
// (`Bearer ${TOKEN}`); a run of 8 or more non-space characters is a literal secret.
const LITERAL_SECRET = /\S{8,}/;

/**
 * Finds secrets written into a file: values shaped like well-known API keys anywhere, and (in
 * config files, where `checkKeys` is set) any literal value under a credential-like key. The
 * problem never quotes the secret.
 */
export function findSecrets(document: LocatedDocument, checkKeys: boolean): Problem[] {
  const problems: Problem[] = [];
  const visit = (value: unknown, path: Array<string | number>): void => {
    if (typeof value === 'string') {
      const key = path[path.length - 1];
      const byKey = checkKeys && typeof key === 'string' && SECRET_KEY.test(key) && isLiteralSecret(value);
      const byValue = SECRET_VALUE.some((pattern) => pattern.test(value));
      if (byKey || byValue) {
        const variable = typeof key === 'string' ? key.toUpperCase().replace(/[^A-Z0-9]+/g, '_') : 'API_KEY';
        problems.push({
          ...document.locate(path),
          message: `a secret is written in the file (${value.length} characters): files are committed, secrets must not be`,
          hint: `remove it, rotate it if it was pushed, and read it from the environment: write "\${${variable}}" and set ${variable} (in CI, from a repository secret)`,
        });
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, [...path, index]));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
    }
  };
  visit(document.value, []);
  return problems;
}

/** A credential value that holds more than environment references (and a scheme word such as Bearer). */
function isLiteralSecret(value: string): boolean {
  const rest = value.replace(ENV_REFERENCE, '');
  if (rest === value) return value.trim() !== '';
  return LITERAL_SECRET.test(rest);
}
