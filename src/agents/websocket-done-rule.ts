// In a file of its own, apart from the connection's code (websocket-link.ts), because it is part of
// the WebSocket agent's public options: russo's declarations must not need `ws`'s types, which a
// TypeScript project with skipLibCheck off would fail on without @types/ws.

/**
 * When the agent has answered: a message whose type (at `typeKey`, default `type`) is `messageType`,
 * a message that has `field`, `idleMs` without a message (counted from the first one), `count`
 * JSON messages, or the server closing the connection.
 */
export type DoneRule =
  | { messageType: string; typeKey?: string }
  | { field: string }
  | { idleMs: number }
  | { count: number }
  | { close: true };
