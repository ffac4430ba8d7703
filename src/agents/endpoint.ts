import { AgentError } from '../core/errors.js';

/** Parses a configured URL, accepting only the given protocols. */
export function parseUrl(text: string, protocols: string[]): URL {
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
