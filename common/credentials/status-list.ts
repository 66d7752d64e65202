// The W3C Bitstring Status List: a GZIP-compressed bitstring, multibase base64url, bit 0 leftmost.
import { gunzipSync, gzipSync } from 'node:zlib';

/** The minimum length the W3C Recommendation asks for, for group privacy: 16 KiB of bits. */
export const STATUS_LIST_LENGTH = 131_072;

export type StatusPurpose = 'revocation' | 'suspension';
export const STATUS_PURPOSES: readonly StatusPurpose[] = ['revocation', 'suspension'];

/** A bitstring of `length` bits, all clear. */
export function emptyBitstring(length = STATUS_LIST_LENGTH): Uint8Array {
  return new Uint8Array(Math.ceil(length / 8));
}

/** Sets bit `index`: the first bit is the most significant bit of the first byte. */
export function setBit(bits: Uint8Array, index: number): void {
  const byte = index >> 3;
  if (index < 0 || byte >= bits.length) throw new RangeError(`status index ${index} is outside the list`);
  bits[byte] = (bits[byte] ?? 0) | (0x80 >> (index & 7));
}

export function bitAt(bits: Uint8Array, index: number): boolean {
  const byte = bits[index >> 3];
  if (index < 0 || byte === undefined) throw new RangeError(`status index ${index} is outside the list`);
  return (byte & (0x80 >> (index & 7))) !== 0;
}

/** The `encodedList` value: 'u' (multibase base64url) then the GZIP of the bits, unpadded. */
export function encodeBitstring(bits: Uint8Array): string {
  return `u${gzipSync(bits).toString('base64url')}`;
}

/** Reads an `encodedList`; throws on a value that is not multibase base64url of a GZIP stream. */
export function decodeBitstring(encoded: string): Uint8Array {
  if (!encoded.startsWith('u')) throw new Error('encodedList is not multibase base64url (no "u" prefix)');
  return new Uint8Array(gunzipSync(Buffer.from(encoded.slice(1), 'base64url')));
}
