/**
 * JSON Pointers (RFC 6901) both ways: ajv names the place of an error in a value with one
 * (`/guests/0/name`), and a place in a schema is asked for, or referred to, with one in a URI fragment.
 */
import type { PathSegment } from './format.js';

/** An ajv `instancePath` as path segments: `/guests/0/name` → ['guests', 0, 'name']. */
export function fromJsonPointer(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map(unescapeSegment)
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

/** A place in a schema as a URI fragment pointer: ['properties', 'a/b c'] → `/properties/a~1b%20c`. */
export function toFragmentPointer(segments: readonly PathSegment[]): string {
  return segments
    .map((segment) => `/${encodeURIComponent(String(segment).replace(/~/g, '~0').replace(/\//g, '~1'))}`)
    .join('');
}

/** The keys a local `$ref` names: `#/definitions/a%20b` → ['definitions', 'a b']; `#` → []. */
export function fromFragmentPointer(fragment: string): string[] {
  if (fragment === '#' || fragment === '#/') return [];
  return fragment
    .slice(2)
    .split('/')
    .map((segment) => unescapeSegment(decodeURIComponent(segment)));
}

function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
