import { AgentError } from '../core/errors.js';

/**
 * Checks a configured URL (only the given protocols) and returns it as safe to print in ids and
 * messages: origin and path, without the query string, which may hold a token.
 */
export function printableUrl(text: string, protocols: string[]): string {
  const url = parseUrl(text, protocols);
  return `${url.origin}${url.pathname}`;
}

/** Parses a configured URL, accepting only the given protocols. */
function parseUrl(text: string, protocols: string[]): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AgentError(
      `"${text.replace(/\?.*/, '?…')}" is not a URL`,
      `write a full URL such as ${protocols[0]}//host/path`,
    );
  }
  if (!protocols.includes(url.protocol)) {
    throw new AgentError(
      `unsupported URL scheme ${url.protocol} (use ${protocols.join(' or ')})`,
      `write the URL as ${protocols[0]}//host/path`,
    );
  }
  return url;
}

/** The message of a network error with its cause (fetch hides ECONNREFUSED and friends in `cause`). */
export function causeMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause && cause !== error.message ? `${error.message} (${cause})` : error.message;
}
