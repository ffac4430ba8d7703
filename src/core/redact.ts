/**
 * Redaction of known secrets from text that came from outside russo (agents, providers, servers):
 * every secret, and the forms an echo gives it (URL-encoded, JSON-escaped, base64 as in a Basic or
 * Bearer header), becomes `[redacted]`. Applied once where a result is made, so every report reads
 * clean text.
 */

/** What a secret is replaced with. */
const REDACTED = '[redacted]';

/** Shorter values are left alone: they would match ordinary words and numbers. */
const MIN_SECRET_LENGTH = 8;

/** Returns `text` with every known secret replaced by `[redacted]`. */
export type Redact = (text: string) => string;

// `*_KEY`, `*_TOKEN`, `*_SECRET`, `*PASSWORD*` (and `*PASSWD*`), in any case.
const SECRET_NAME = /(?:^|_)(?:KEY|TOKEN|SECRET)$|PASSWORD|PASSWD/i;

/** Whether an environment variable's name says it holds a secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** The values in `env` of the variables named in `names` and of every variable whose name looks secret. */
export function secretsOfEnv(
  env: Record<string, string | undefined>,
  names: Iterable<string> = [],
): string[] {
  const wanted = new Set(names);
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && (wanted.has(name) || isSecretName(name))) secrets.push(value);
  }
  return secrets;
}

/**
 * Builds the redactor of `secrets` (values under MIN_SECRET_LENGTH are ignored). All forms of all
 * secrets are one regular expression, longest first; where matches overlap, the whole span is
 * redacted. Text cut short before it got here (an excerpt ending in `…`, a tail starting with it)
 * may hold part of a secret at the cut: that part is redacted too.
 */
export function createRedactor(secrets: Iterable<string>): Redact {
  const literals = new Set<string>();
  for (const secret of secrets) {
    for (const form of formsOf(secret)) {
      for (const literal of [form, ...base64Cores(form)]) literals.add(literal);
    }
  }
  if (literals.size === 0) return (text) => text;
  // Longest first: at one position the alternation takes the first that fits.
  const longestFirst = [...literals].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(longestFirst.map(escapeTolerant).join('|'), 'g');
  return (text) => {
    const spans = findSpans(text, pattern);
    if (spans.length > 0) text = replaceSpans(text, spans);
    return text.includes(CUT) ? redactCuts(text, longestFirst) : text;
  };
}

/**
 * Every stretch of `text` that `pattern` (global) matches, overlapping or touching matches joined
 * into one: after each match the search goes on from the next character, not from the match's end.
 */
function findSpans(text: string, pattern: RegExp): Array<[from: number, to: number]> {
  const spans: Array<[from: number, to: number]> = [];
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const from = match.index;
    const to = from + match[0].length;
    const last = spans[spans.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else spans.push([from, to]);
    pattern.lastIndex = from + 1;
  }
  return spans;
}

/** `text` with each span replaced by one `[redacted]`. */
function replaceSpans(text: string, spans: Array<[from: number, to: number]>): string {
  let out = '';
  let copied = 0;
  for (const [from, to] of spans) {
    out += text.slice(copied, from) + REDACTED;
    copied = to;
  }
  return out + text.slice(copied);
}

// The mark of text cut short (see excerpt in tool-call.ts), and the shortest piece of a secret
// redacted next to it: shorter ones say little and would hit ordinary endings.
const CUT = '…';
const MIN_CUT_PIECE = 4;

/** Redacts the start of a secret just before each `…` and the end of one just after it. */
function redactCuts(text: string, literals: string[]): string {
  const pieces = text.split(CUT);
  return pieces
    .map((piece, index) => {
      let clean = piece;
      if (index < pieces.length - 1) {
        const k = longestOverlap(literals, (literal, k) => clean.endsWith(literal.slice(0, k)));
        if (k > 0) clean = clean.slice(0, -k) + REDACTED;
      }
      if (index > 0) {
        const k = longestOverlap(literals, (literal, k) => clean.startsWith(literal.slice(-k)));
        if (k > 0) clean = REDACTED + clean.slice(k);
      }
      return clean;
    })
    .join(CUT);
}

/** The longest k (at least MIN_CUT_PIECE, shorter than the literal) for which `fits` holds; 0 if none. */
function longestOverlap(literals: string[], fits: (literal: string, k: number) => boolean): number {
  let best = 0;
  for (const literal of literals) {
    for (let k = literal.length - 1; k >= Math.max(MIN_CUT_PIECE, best + 1); k--) {
      if (fits(literal, k)) {
        best = k;
        break;
      }
    }
  }
  return best;
}

/**
 * Redacts every string in a JSON-like value, object keys included (tool call arguments, whole agent
 * responses). Returns `value` itself when nothing changed.
 */
export function redactDeep<T>(value: T, redact: Redact): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) {
    const items = value.map((item: unknown) => redactDeep(item, redact));
    return (items.some((item, index) => item !== value[index]) ? items : value) as T;
  }
  if (typeof value === 'object' && value !== null) {
    let changed = false;
    const entries = Object.entries(value).map(([key, item]) => {
      const clean: [string, unknown] = [redact(key), redactDeep(item, redact)];
      if (clean[0] !== key || clean[1] !== item) changed = true;
      return clean;
    });
    return (changed ? Object.fromEntries(entries) : value) as T;
  }
  return value;
}

/** The secret as given, trimmed, and each of its lines (a PEM key is echoed line by line), long enough to redact. */
function formsOf(secret: string): string[] {
  const forms = [secret, secret.trim(), ...secret.split(/\r?\n/).map((line) => line.trim())];
  return [...new Set(forms)].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

/**
 * A pattern of `text` that also matches it URL-encoded (either hex case, `+` for a space) and
 * JSON-escaped once or more, character by character, so a partly escaped echo matches too.
 */
function escapeTolerant(text: string): string {
  let pattern = '';
  let plain = ''; // characters that neither encoding changes (letters, digits, - _ . ~ ...)
  for (const char of text) {
    const url = urlEncoded(char);
    if (url === char) {
      plain += char;
      continue;
    }
    const forms = [
      escapeRegExp(char),
      url.replace(/[a-f]/gi, (hex) => `[${hex.toLowerCase()}${hex.toUpperCase()}]`),
    ];
    if (char === ' ') forms.push('\\+');
    // JSON escaping at any depth (JSON inside a JSON string): backslashes, then the escape's letter.
    const json = char === '/' ? '\\/' : JSON.stringify(char).slice(1, -1);
    if (json !== char) forms.push(`\\\\+${escapeRegExp(json.slice(1))}`);
    pattern += `${escapeRegExp(plain)}(?:${forms.join('|')})`;
    plain = '';
  }
  return pattern + escapeRegExp(plain);
}

/** `char` URL-encoded; a lone surrogate, which has no encoding, as it is. */
function urlEncoded(char: string): string {
  try {
    return encodeURIComponent(char);
  } catch {
    return char;
  }
}

/**
 * The base64 of `text` as it reads inside any longer base64 text (`Bearer <key>`, `user:<key>`):
 * one form per byte offset modulo 3 (and their URL-safe alphabet), cut to the characters that
 * depend on `text` alone.
 */
function base64Cores(text: string): string[] {
  const bytes = new TextEncoder().encode(text);
  const cores = new Set<string>();
  for (let offset = 0; offset < 3; offset++) {
    const padded = new Uint8Array(offset + bytes.length);
    padded.set(bytes, offset);
    const encoded = btoa(String.fromCharCode(...padded));
    // Character i holds bits 6i..6i+5: keep those that lie wholly inside the text's bits.
    const core = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * padded.length) / 6));
    cores.add(core);
    cores.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...cores];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
