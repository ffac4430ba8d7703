import type { Agent } from 'node:http';
import type { createConnection } from 'node:net';
import type { SecureContext, SecureContextOptions } from 'node:tls';

/**
 * Options of the `ws` socket of each Realtime session: TLS options (`ca`, `cert`, `key`, … or a ready
 * `secureContext`) and the `ws` client options below, each with the type `ws` gives it. Written out
 * here, apart from the socket's code, so that russo's public types need neither `ws`'s nor the SDK's
 * Realtime types: with skipLibCheck off, a TypeScript project without `@types/ws` would fail on them.
 */
export interface RealtimeSocketOptions extends SecureContextOptions {
  secureContext?: SecureContext;
  rejectUnauthorized?: boolean;
  /** The http(s).Agent of the handshake: a proxy's, or one that resumes TLS sessions. */
  agent?: Agent;
  createConnection?: typeof createConnection;
  headers?: Record<string, string>;
  handshakeTimeout?: number;
  maxPayload?: number;
  perMessageDeflate?: boolean;
  followRedirects?: boolean;
  maxRedirects?: number;
  origin?: string;
}
