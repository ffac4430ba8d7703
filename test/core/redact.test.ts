import { describe, expect, it } from 'vitest';
import { createRedactor, isSecretName, redactDeep, secretsOfEnv } from '../../src/core/redact.js';

const KEY = 'sk-test-Zq8vR2mW4xK7pL9n';
const base64 = (text: string) => Buffer.from(text).toString('base64');
const base64url = (text: string) => Buffer.from(text).toString('base64url');

describe('createRedactor', () => {
  const redact = createRedactor([KEY]);

  it('replaces every occurrence of a secret', () => {
    expect(redact(`key=${KEY}; again ${KEY}.`)).toBe('key=[redacted]; again [redacted].');
  });

  it('leaves ordinary text alone, returning the same string', () => {
    const text =
      'Booked a table for 2 at 19:00 under the name Ann. sk-test is a prefix; Bearer tokens are fine to mention. ' +
      'c2stdGVzdC1 is a base64 fragment too short to say anything.';
    expect(redact(text)).toBe(text);
    expect(createRedactor([])('anything')).toBe('anything');
  });

  it('ignores values shorter than 8 characters, which would match ordinary words', () => {
    const short = createRedactor(['secret1', 'table', '', '2']);
    expect(short('secret1 table for 2')).toBe('secret1 table for 2');
    expect(createRedactor(['secret12'])('a secret12 b')).toBe('a [redacted] b');
  });

  it('matches the secret URL-encoded, with either hex case and + for a space', () => {
    const secret = 'p@ss/w0rd+x y:z';
    const redactUrl = createRedactor([secret]);
    const encoded = encodeURIComponent(secret);
    expect(encoded).not.toBe(secret);
    expect(redactUrl(`GET /hook?token=${encoded}&x=1`)).toBe('GET /hook?token=[redacted]&x=1');
    expect(redactUrl(`token=${encoded.toLowerCase()}`)).toBe('token=[redacted]');
    expect(redactUrl('token=p%40ss%2Fw0rd%2Bx+y%3Az')).toBe('token=[redacted]');
    expect(redactUrl(`half ${encodeURI(secret)}`)).toBe('half [redacted]');
  });

  it('matches the secret JSON-escaped, also inside JSON that was escaped again', () => {
    const secret = 'quote"back\\slash/tab\there';
    const redactJson = createRedactor([secret]);
    const once = JSON.stringify({ authorization: secret });
    expect(redactJson(once)).toBe('{"authorization":"[redacted]"}');
    const twice = JSON.stringify({ body: once });
    expect(redactJson(twice)).toBe(JSON.stringify({ body: '{"authorization":"[redacted]"}' }));
    expect(redactJson('escaped slash quote"back\\\\slash\\/tab\\there')).toBe('escaped slash [redacted]');
  });

  it('matches the base64 of the secret, of "Bearer <secret>" and of "user:<secret>"', () => {
    for (const text of [KEY, `Bearer ${KEY}`, `user:${KEY}`, `x-api-key ${KEY} and more`]) {
      for (const encoded of [base64(text), base64url(text)]) {
        const out = redact(`Authorization: Basic ${encoded}`);
        // Only the characters that encode the prefix, or share at most 4 bits with the secret, survive.
        const kept = out.match(/^Authorization: Basic ([A-Za-z0-9+/_-]*)\[redacted\]([A-Za-z0-9+/=_-]*)$/);
        expect(kept, `${text} as ${encoded}`).not.toBeNull();
        const prefix = text.slice(0, text.indexOf(KEY));
        expect(kept![1]!.length).toBeLessThanOrEqual(Math.ceil((prefix.length * 8) / 6) + 1);
        const suffix = text.slice(text.indexOf(KEY) + KEY.length);
        expect(kept![2]!.replace(/=/g, '').length).toBeLessThanOrEqual(
          Math.ceil((suffix.length * 8) / 6) + 1,
        );
      }
    }
  });

  it('matches base64 that was URL-encoded in turn (a query parameter)', () => {
    const secret = 'key?>~~?>value??>>'; // its base64 holds + and /
    const encoded = encodeURIComponent(base64(`user:${secret}`));
    expect(encoded).toContain('%2B');
    expect(encoded).toContain('%2F');
    expect(createRedactor([secret])(`?auth=${encoded}&page=2`)).toBe('?auth=dXNlcjp[redacted]4%3D&page=2');
  });

  it('redacts the part of a secret at the edge of a text cut short with …', () => {
    // An excerpt cut inside the key, and a tail that starts inside it.
    expect(redact(`HTTP 400: {"echo": "Bearer ${KEY.slice(0, 11)}…`)).toBe(
      'HTTP 400: {"echo": "Bearer [redacted]…',
    );
    expect(redact(`…${KEY.slice(-9)} exited with code 1`)).toBe('…[redacted] exited with code 1');
    expect(redact(`a ${KEY.slice(0, 6)}… b …${KEY.slice(-5)} c`)).toBe('a [redacted]… b …[redacted] c');
    // Too short to say anything, or not next to a cut: left alone.
    expect(redact(`${KEY.slice(0, 3)}… and ${KEY.slice(0, 11)} …`)).toBe(
      `${KEY.slice(0, 3)}… and ${KEY.slice(0, 11)} …`,
    );
    expect(redact('a sentence that trails off…')).toBe('a sentence that trails off…');
  });

  it('redacts the whole span where secrets overlap, and a secret inside a longer one', () => {
    const overlapping = createRedactor(['abcdefgh1234', '1234wxyz5678']);
    expect(overlapping('xx abcdefgh1234wxyz5678 yy')).toBe('xx [redacted] yy');
    const nested = createRedactor(['secretvalue', 'supersecretvalue']);
    expect(nested('supersecretvalue, secretvalue')).toBe('[redacted], [redacted]');
    expect(nested('one supersecretvaluesecretvalue')).toBe('one [redacted]');
  });

  it('takes regular expression characters literally', () => {
    const secret = 'a.b*c+d?e(f)[g]{h}|i^j$k\\l';
    const literal = createRedactor([secret]);
    expect(literal(`<${secret}>`)).toBe('<[redacted]>');
    const near = secret.replace('.', 'X');
    expect(literal(near)).toBe(near);
    // A lone surrogate has no URL encoding: still matched as it is.
    expect(createRedactor(['lone\uD800surrogate'])('a lone\uD800surrogate')).toBe('a [redacted]');
  });

  it('matches a secret trimmed, and each line of a multi-line secret', () => {
    const pem =
      '-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEF\nAASCBKcwggSjAgEAAoIBAQC7\n-----END KEY-----\n';
    const multi = createRedactor([pem, '  padded-secret-value \n']);
    expect(multi('line MIIEvQIBADANBgkqhkiG9w0BAQEF seen')).toBe('line [redacted] seen');
    expect(multi('got padded-secret-value!')).toBe('got [redacted]!');
  });
});

describe('redactDeep', () => {
  const redact = createRedactor([KEY]);

  it('redacts strings at any depth and object keys, keeping other values', () => {
    const args = {
      [KEY]: { note: `token ${KEY}`, count: 3 },
      list: [KEY, 3, true, null, { deeper: [`Bearer ${KEY}`] }],
      plain: 'table for two',
    };
    expect(redactDeep(args, redact)).toEqual({
      '[redacted]': { note: 'token [redacted]', count: 3 },
      list: ['[redacted]', 3, true, null, { deeper: ['Bearer [redacted]'] }],
      plain: 'table for two',
    });
    expect(JSON.stringify(redactDeep(args, redact))).not.toContain(KEY);
  });

  it('returns the same value when nothing is secret', () => {
    const args = { party_size: 2, time: '19:00', guests: [{ name: 'Ann' }] };
    expect(redactDeep(args, redact)).toBe(args);
    expect(redactDeep(undefined, redact)).toBeUndefined();
    expect(redactDeep(42, redact)).toBe(42);
  });
});

describe('secrets of the environment', () => {
  it('knows names that look secret, in any case', () => {
    for (const name of [
      'OPENAI_API_KEY',
      'GITHUB_TOKEN',
      'CLIENT_SECRET',
      'DB_PASSWORD',
      'my_passwd',
      'TOKEN',
      'x_key',
    ])
      expect(isSecretName(name), name).toBe(true);
    for (const name of [
      'PATH',
      'HOME',
      'KEYBOARD',
      'TOKENIZER_PATH',
      'SECRETARY',
      'MONKEY',
      'INPUT_CACHE-KEY',
    ])
      expect(isSecretName(name), name).toBe(false);
  });

  it('takes the values of secret-looking names and of the names given, not the others', () => {
    const env = {
      OPENAI_API_KEY: 'sk-one-1234567890',
      AGENT_URL: 'https://agent.example/hook?sig=abcdef123',
      HOME: '/home/runner',
      UNSET_TOKEN: undefined,
    };
    expect(secretsOfEnv(env)).toEqual(['sk-one-1234567890']);
    expect(secretsOfEnv(env, ['AGENT_URL', 'MISSING'])).toEqual([
      'sk-one-1234567890',
      'https://agent.example/hook?sig=abcdef123',
    ]);
  });
});
