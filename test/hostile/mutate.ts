/**
 * Shared pieces of the hostile-input property tests: mutations of real-looking seeds (truncate, splice, delete,
 * flip bytes, duplicate a tag, inject entities and markup) and a wall-clock check for each single parse.
 */
import fc from 'fast-check';
import { afterAll } from 'vitest';

/** Generous: one parse on a loaded 2-core machine; a real hang or quadratic blow-up takes far longer. */
export const PER_INPUT_MS = 2000;

/** Runs `work` and fails when that one call took longer than PER_INPUT_MS. */
export function timed<T>(what: string, work: () => T): T {
  const started = performance.now();
  const result = work();
  const ms = performance.now() - started;
  if (ms > PER_INPUT_MS) throw new Error(`${what} took ${Math.round(ms)} ms (bound ${PER_INPUT_MS} ms)`);
  return result;
}

export async function timedAsync<T>(what: string, work: () => Promise<T>, boundMs = PER_INPUT_MS): Promise<T> {
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  if (ms > boundMs) throw new Error(`${what} took ${Math.round(ms)} ms (bound ${boundMs} ms)`);
  return result;
}

/** Snippets hostile documents are made of: entities of every kind, stray markup, controls, odd Unicode. */
export const INJECTIONS = [
  '&',
  '<',
  '>',
  '&amp;',
  '&amp;amp;',
  '&lol;',
  '&lol9;',
  '&#0;',
  '&#x0;',
  '&#xD800;',
  '&#99999999;',
  '&#x110000;',
  '&nbsp;',
  '&#8217;',
  '&%ext;',
  '<!DOCTYPE x [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>',
  '<!DOCTYPE x SYSTEM "file:///etc/passwd">',
  '<!ENTITY % ext SYSTEM "http://127.0.0.1:1/evil.dtd"> %ext;',
  '<!ENTITY xxe SYSTEM "file:///etc/passwd">&xxe;',
  '<![CDATA[',
  ']]>',
  '<!--',
  '-->',
  '<?xml version="1.0" encoding="EUC-KR"?>',
  '<?pi ',
  '</',
  '/>',
  '"',
  "'",
  '\u0000',
  '\u0001',
  '\u000b',
  '\ufeff',
  '\ufffe',
  '\ud800',
  '\u202e',
  '\u200b',
  '\r\n',
  '삼성전자',
  '💥',
  '<script>alert(1)</script>',
  '<b>',
  '</b>',
  '<item>',
  '</item>',
  '<entry>',
  '</entry>',
  '<p>',
  '</div>',
  '<x a="1" a="2">',
  'javascript:alert(1)',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  'null',
];

export type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'duplicateTag'; which: number };

const anyText = fc.oneof(
  fc.constantFrom(...INJECTIONS),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

/** Positions are fractions of the text's length, so one mutation applies to any seed. */
export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({
    kind: fc.constant('delete' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    length: fc.integer({ min: 1, max: 200 }),
  }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), text: anyText }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    length: fc.integer({ min: 1, max: 300 }),
  }),
  fc.record({ kind: fc.constant('duplicateTag' as const), which: fc.nat() }),
);

export function applyMutation(text: string, m: Mutation): string {
  const at = (f: number) => Math.min(text.length, Math.floor(f * text.length));
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, at(m.at));
    case 'delete':
      return text.slice(0, at(m.at)) + text.slice(at(m.at) + m.length);
    case 'insert':
      return text.slice(0, at(m.at)) + m.text + text.slice(at(m.at));
    case 'duplicate': {
      const from = at(m.at);
      return text.slice(0, from) + text.slice(from, from + m.length) + text.slice(from);
    }
    case 'duplicateTag': {
      // an element with its content, written twice (`<title>a</title><title>a</title>`)
      const elements = [...text.matchAll(/<([A-Za-z][\w:.-]*)[^<>]*>[^<]*<\/\1>/g)];
      const element = elements.length ? elements[m.which % elements.length] : undefined;
      if (!element) return text;
      const end = element.index + element[0].length;
      return text.slice(0, end) + element[0] + text.slice(end);
    }
  }
}

/** A seed with 1 to 4 mutations applied. */
export function mutatedArb(seeds: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(mutationArb, { minLength: 1, maxLength: 4 }))
    .map(([seed, mutations]) => mutations.reduce(applyMutation, seed));
}

/** Bytes of an encoded seed with bytes flipped, cut or inserted: invalid UTF-8 and broken double-byte pairs. */
export function mutatedBytesArb(seeds: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  const edit = fc.oneof(
    fc.record({
      kind: fc.constant('flip' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      bits: fc.nat(255),
    }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
    }),
  );
  return fc.tuple(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 6 })).map(([seed, edits]) => {
    let bytes = Uint8Array.from(seed);
    for (const e of edits) {
      const at = Math.min(bytes.length, Math.floor(e.at * bytes.length));
      if (e.kind === 'flip' && at < bytes.length) bytes[at] = (bytes[at] as number) ^ (e.bits || 0x80);
      else if (e.kind === 'cut') bytes = bytes.slice(0, at);
      else if (e.kind === 'insert')
        bytes = Uint8Array.from([...bytes.subarray(0, at), ...e.bytes, ...bytes.subarray(at)]);
    }
    return bytes;
  });
}

/** Random text of every kind: ASCII, full Unicode, lone surrogates, markup-ish soup. */
export const randomTextArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc
    .array(fc.oneof(fc.constantFrom(...INJECTIONS), fc.string({ maxLength: 8 })), { maxLength: 60 })
    .map((parts) => parts.join('')),
);

/**
 * Property settings: a fixed seed by default (HOSTILE_SEED overrides it, fast-check prints the seed and path of a
 * failure), and a time limit so a slow machine shortens the run instead of failing it.
 */
export function runs(numRuns: number, timeLimitMs: number): fc.Parameters<unknown> {
  const seed = process.env.HOSTILE_SEED ? Number(process.env.HOSTILE_SEED) : 20261202;
  return { numRuns, seed, interruptAfterTimeLimit: timeLimitMs, markInterruptAsFailure: false };
}

/**
 * Counts the inputs a file tries, by kind, and prints the totals and the time when the file is done (the figures
 * the README's Reliability section quotes). Returns the counter.
 */
export function countInputs(label: string): (what: string) => void {
  const tried: Record<string, number> = {};
  const started = performance.now();
  afterAll(() => {
    const total = Object.values(tried).reduce((a, b) => a + b, 0);
    console.log(
      `${label}: ${total} inputs in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      JSON.stringify(tried),
    );
  });
  return (what) => {
    tried[what] = (tried[what] ?? 0) + 1;
  };
}
