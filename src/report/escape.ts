/**
 * Escaping for every report format. Prompts, transcripts, tool arguments and error messages come from
 * models, agents and files: none of it may inject markup, break a table, ping a user or move a cursor.
 */

// C0 and C1 controls, DEL, lone surrogates, the two XML non-characters, and the bidi overrides that
// can make text read differently from what it is.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\ufffe\uffff\u202a-\u202e\u2066-\u2069]|\p{Surrogate}/gu;

/** Replaces control and bidi characters with visible `\u001b`-style text; characters in `keep` stay. */
export function showControls(text: string, keep = ''): string {
  return text.replace(INVISIBLE, (char) =>
    keep.includes(char) ? char : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/**
 * Text for an XML 1.0 element or attribute: markup characters become entities, and characters XML 1.0
 * forbids become visible text. In attributes, tabs and line breaks become character references so
 * that attribute normalization keeps them.
 */
export function escapeXml(text: string, where: 'text' | 'attribute' = 'text'): string {
  const special = where === 'attribute' ? /[&<>"'\t\n\r]/g : /[&<>"']/g;
  return showControls(text, '\t\n\r').replace(special, (char) => XML_ENTITIES[char] as string);
}

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for HTML element content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return showControls(text, '\t\n\r').replace(/[&<>"']/g, (char) => HTML_ENTITIES[char] as string);
}

/**
 * Text for a markdown paragraph or table cell (GitHub flavour): HTML is neutralized, markdown
 * punctuation is backslash-escaped (`|` included, so a cell never splits), line breaks become `<br>`,
 * and `@` / `#` get a word joiner so that text from a model never mentions a user or links an issue.
 */
export function escapeMarkdown(text: string): string {
  return showControls(text, '\n\r')
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[@#]/g, '$&\u2060')
    .replace(/\r\n|\r|\n/g, '<br>');
}

/** A fenced markdown code block that `text` cannot close early (the fence is longer than any backtick run in it). */
export function markdownFence(text: string, info = ''): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${showControls(text, '\t\n')}\n${fence}`;
}
