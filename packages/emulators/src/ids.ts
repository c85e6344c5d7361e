import { createHash } from 'node:crypto';

/*
 * Deterministic identifiers. Every id the emulators invent is a hash of stable names, so the same scenario file
 * yields the same ids on every run and on every machine (tests and screenshots can hard-code them).
 */

/** Hex digest of the parts (joined with a separator that cannot occur in names). */
export function hashHex(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

/** `length` lowercase hex characters derived from the parts. */
export function hexFrom(length: number, ...parts: string[]): string {
  let out = '';
  let round = 0;
  while (out.length < length) {
    out += hashHex(String(round++), ...parts);
  }
  return out.slice(0, length);
}

/** A version-4-shaped GUID (Entra object ids, request ids) derived from the parts. */
export function guidFrom(...parts: string[]): string {
  const h = hexFrom(32, 'guid', ...parts).split('');
  h[12] = '4';
  h[16] = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(
    16,
    20,
  )}-${s.slice(20)}`;
}

/**
 * Identity Store ids look like `9067a1b2c3-<uuid>`: the prefix is the hex part of the identity store id
 * (`d-9067a1b2c3`), as in real Identity Center.
 */
export function identityStoreIdFrom(
  identityStoreId: string,
  ...parts: string[]
): string {
  const match = /^d-([0-9a-f]{10})$/.exec(identityStoreId);
  const prefix = match ? match[1] : hexFrom(10, identityStoreId);
  return `${prefix}-${guidFrom(identityStoreId, ...parts)}`;
}

/** Lowercase base-36 characters (Organizations root and OU ids use `[0-9a-z]`). */
export function base36From(length: number, ...parts: string[]): string {
  const hex = hexFrom(length * 2, 'b36', ...parts);
  let out = '';
  for (let i = 0; i < length; i++) {
    out += (parseInt(hex.slice(i * 2, i * 2 + 2), 16) % 36).toString(36);
  }
  return out;
}

/** URL- and token-safe base64 (no padding), used for paging and delta tokens. */
export function toBase64Url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

export function fromBase64Url(token: string): string | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(token)) {
    return undefined;
  }
  return Buffer.from(token, 'base64url').toString('utf8');
}
