/**
 * A fixed corpus of hostile form values (strings, and values of the wrong type) for the fuzz
 * pass, and a seeded picker so that every run sends exactly the same requests.
 */

const FRAGMENTS = [
  // SQL
  "' OR '1'='1",
  "'; DROP TABLE tickets; --",
  '" OR ""="',
  "1' UNION SELECT password_hash FROM users --",
  "admin'--",
  '1; SELECT pg_sleep(5)',
  "%' AND 1=1 --",
  '\\',
  "\\'",
  '$$; DROP TABLE users; $$',
  // HTML and script
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "javascript:alert('x')",
  '<svg/onload=alert(1)>',
  '{{constructor.constructor("alert(1)")()}}',
  '{{> layouts/main}}',
  '<!--',
  ']]>',
  '<iframe src="//evil.example">',
  '[x](javascript:alert(1))',
  '![x](data:text/html;base64,PHNjcmlwdD4=)',
  // format strings and templating
  '%s%s%s%s%n',
  '%x%x%x',
  '${process.exit(1)}',
  '#{7*7}',
  '{0}',
  '%00',
  '%2e%2e%2f%2e%2e%2f',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  // control characters and null bytes
  '\u0000',
  'a\u0000b',
  '\u0000\u0000\u0000',
  '\r\n\r\n',
  '\t',
  '\u0008\u001b[31m',
  '\u007f',
  'line1\nline2',
  '\r',
  // unicode
  '\u202Egnp.exe',
  'مرحبا بالعالم',
  'שלום\u200Fעולם',
  '𝕳𝖊𝖑𝖑𝖔',
  '😀😃😄😁🙈',
  '👨‍👩‍👧‍👦',
  '\uFEFF',
  '\u200B\u200B',
  'Z̴̡̛̤͕a̷l̶g̸o̵',
  '\uD800',
  '\uDFFF\uD800',
  'ｓｃｒｉｐｔ',
  'İıŞş',
  '日本語のテキスト',
  // numbers and type confusion as text
  '-1',
  '0',
  '1e309',
  'NaN',
  'Infinity',
  '99999999999999999999999',
  '0x41',
  'true',
  'null',
  'undefined',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-4fff-bfff-ffffffffffff',
  // emails
  'a@b',
  '@example.test',
  'x@example.test\r\nBcc: victim@example.test',
  '"quoted"@example.test',
  'user+tag@例え.jp',
  // blank
  '',
  ' ',
  '   \t  ',
];

function long(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

const LONG = [
  long('a', 201),
  long('a', 255),
  long('x', 1_001),
  long('é', 5_000),
  long('😀', 3_000),
  long('<b>', 10_000),
  long('\u0000', 500),
  long('a', 50_001),
  long('A', 150_000),
  long("' OR 1=1 -- ", 2_000),
];

/** At least 200 distinct hostile strings: the fragments, some combined, some padded, some very long. */
export const HOSTILE_STRINGS: string[] = (() => {
  const all = new Set<string>([...FRAGMENTS, ...LONG]);
  for (const fragment of FRAGMENTS) {
    all.add(`Normal text ${fragment}`);
    all.add(`${fragment}${fragment}`);
  }
  return [...all];
})();

/** Values no HTML form sends but a crafted request can: arrays, objects, numbers, null (sent as JSON). */
export const WRONG_TYPES: unknown[] = [
  ['a', 'b'],
  [],
  { nested: 'x' },
  { $gt: '' },
  42,
  -1,
  1.5,
  true,
  false,
  null,
  ['<script>'],
  [['deep']],
];

/** Small deterministic PRNG (mulberry32), so the sampled corpus is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `count` strings from the corpus, chosen with the given random source (no repeats). */
export function sample(random: () => number, count: number, from: readonly string[] = HOSTILE_STRINGS): string[] {
  const pool = [...from];
  const picked: string[] = [];
  while (picked.length < count && pool.length) picked.push(pool.splice(Math.floor(random() * pool.length), 1)[0]);
  return picked;
}
