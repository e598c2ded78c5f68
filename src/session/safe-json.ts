/**
 * Defensive JSON parsing for files read from sessions (which may be truncated, corrupted or hostile).
 * Keys that could reach an object's prototype chain (`__proto__`, `constructor`, `prototype`) are dropped
 * while parsing, so a validated value never carries them. Zod validation happens after this, in the caller.
 */

const DANGEROUS_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const RISKY_TEXT = /__proto__|constructor|prototype|\\u/;

function dropDangerousKeys(this: unknown, key: string, value: unknown): unknown {
  return DANGEROUS_KEYS.has(key) ? undefined : value;
}

/** Parse JSON text, dropping dangerous keys. Returns `{ ok: false, reason }` instead of throwing. */
export function parseJsonSafe(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    // The reviver costs ~2× on big files; skip it when no dangerous key can be present (a key can only be
    // spelled with those letters or with \u escapes).
    const risky = RISKY_TEXT.test(text);
    return { ok: true, value: risky ? JSON.parse(text, dropDangerousKeys) : JSON.parse(text) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // V8 quotes the text around the error; keep the sentence short and free of raw bytes.
    // eslint-disable-next-line no-control-regex
    return { ok: false, reason: reason.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]+/g, ' ').slice(0, 160) };
  }
}

/** A zod issue list as one short phrase: `at "events[0].step": expected number`. Used in error sentences. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  const first = issues[0];
  if (!first) return 'it does not match the schema';
  const where = first.path.length > 0 ? `field "${first.path.map(String).join('.')}"` : 'the value';
  const more =
    issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return `${where} is invalid: ${first.message.replace(/\.$/, '')}${more}`;
}
