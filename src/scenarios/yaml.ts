import {
  LineCounter,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  visit,
  type Document,
} from 'yaml';
import { MAX_YAML_ALIASES } from './limits.js';
import type { Problem } from './errors.js';
import type { SourceLocation } from './types.js';

/** A parsed YAML document that can tell where any value in it is written. */
export interface LocatedDocument {
  file: string;
  value: unknown;
  /** Location of the value at `path`, or of its key when `key` is true; the nearest parent when the path is absent. */
  locate(path: ReadonlyArray<string | number>, key?: boolean): SourceLocation;
}

/**
 * Reads a YAML file's bytes as UTF-8 and parses every document. Bytes that are not UTF-8 (a file
 * saved as Latin-1, say) are a problem at their line instead of being read as U+FFFD.
 */
export function parseYamlBytes(
  file: string,
  bytes: Uint8Array,
): { documents: LocatedDocument[]; problems: Problem[] } {
  const decoded = decodeUtf8(bytes);
  if (typeof decoded === 'string') return parseYamlFile(file, decoded);
  const before = bytes.subarray(0, decoded.invalidAt);
  const line = before.filter((byte) => byte === 0x0a).length + 1;
  const column = decoded.invalidAt - (before.lastIndexOf(0x0a) + 1) + 1;
  return {
    documents: [],
    problems: [
      {
        file,
        line,
        column,
        message: `the file is not UTF-8: byte 0x${(bytes[decoded.invalidAt] ?? 0).toString(16).padStart(2, '0')} at this position cannot be read`,
        hint: 'save the file as UTF-8 (an editor\'s "Save with encoding" or `iconv -f latin1 -t utf-8`)',
      },
    ],
  };
}

/** The text of UTF-8 bytes, or the offset of the first byte that is not valid UTF-8. */
function decodeUtf8(bytes: Uint8Array): string | { invalidAt: number } {
  const strict = new TextDecoder('utf-8', { fatal: true });
  try {
    return strict.decode(bytes);
  } catch {
    // The shortest prefix that fails to decode (in stream mode, a sequence cut at the end is not a
    // failure) ends with the first invalid byte; failing is monotone in the length, so bisect.
    let low = 0;
    let high = bytes.length;
    while (low + 1 < high) {
      const middle = (low + high) >> 1;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, middle), { stream: true });
        low = middle;
      } catch {
        high = middle;
      }
    }
    // The first byte that fails may be one that cannot continue a sequence left open: report the
    // byte that opened it (a lead byte, 0b11xxxxxx, up to three bytes back), as a user would look.
    let invalidAt = high - 1;
    for (let back = 1; back <= 3 && invalidAt - back >= 0; back++) {
      const byte = bytes[invalidAt - back] as number;
      if (byte >= 0xc0) {
        invalidAt -= back;
        break;
      }
      if (byte < 0x80) break;
    }
    return { invalidAt };
  }
}

/** Parses every document of a YAML file; syntax errors come back as problems with their line and column. */
function parseYamlFile(file: string, text: string): { documents: LocatedDocument[]; problems: Problem[] } {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  if (!Array.isArray(parsed)) {
    return { documents: [], problems: [] };
  }
  const problems: Problem[] = [];
  const documents: LocatedDocument[] = [];
  for (const doc of parsed) {
    for (const error of doc.errors) {
      problems.push({
        ...at(error.pos[0]),
        message: `invalid YAML: ${firstLine(error.message)}`,
        hint: yamlHint(error.code),
      });
    }
    if (doc.errors.length > 0 || doc.contents === null) continue;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
    } catch (error) {
      // The yaml package refuses aliases that expand too often ("billion laughs"): say so at the first one.
      problems.push({
        ...at(firstAliasOffset(doc)),
        message: `the YAML aliases (*name) expand too often: ${firstLine((error as Error).message)}`,
        hint: `write the values out instead of repeating an anchor (*name) more than ${MAX_YAML_ALIASES} times`,
      });
      continue;
    }
    documents.push({ file, value, locate: (path, key = false) => at(offsetOf(doc, path, key)) });
  }
  return { documents, problems };
}

/** Offset of the first alias (`*name`) of a document, or of the document. */
function firstAliasOffset(doc: Document): number {
  let offset = isNode(doc.contents) ? (doc.contents.range?.[0] ?? 0) : 0;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? offset;
      return visit.BREAK;
    },
  });
  return offset;
}

/** Offset of the node at `path` (or of its key), falling back to the deepest existing parent. */
function offsetOf(doc: Document, path: ReadonlyArray<string | number>, key: boolean): number {
  let node: unknown = doc.contents;
  let offset = isNode(node) ? (node.range?.[0] ?? 0) : 0;
  for (const [index, segment] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && item.key.value === segment,
      );
      if (!pair) break;
      const keyNode = pair.key;
      const valueNode = pair.value;
      const isLast = index === path.length - 1;
      offset =
        key && isLast && isNode(keyNode)
          ? (keyNode.range?.[0] ?? offset)
          : rangeStart(valueNode, keyNode, offset);
      node = valueNode;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!isNode(item)) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

function rangeStart(value: unknown, key: unknown, fallback: number): number {
  if (isNode(value) && value.range) return value.range[0];
  if (isNode(key) && key.range) return key.range[0];
  return fallback;
}

/** The first line of a yaml error, without its own "at line N, column M:" (the location is printed apart). */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

function yamlHint(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'each key may appear once in a mapping: remove or rename the repeated key';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'check the indentation: items of a list start with "- " at the same column';
    case 'TAB_AS_INDENT':
      return 'indent with spaces, not tabs';
    default:
      return 'fix the YAML syntax at this position (quote strings that contain ": " or start with a special character)';
  }
}
