import { CaptureError } from './errors.js';

/**
 * LZ-string's `decompressFromBase64`, the "lz64" format old posthog-js releases sent
 * (`?compression=lz64`, form body `data=<lz64>`).
 *
 * The format (pieroxy/lz-string 1.4): an LZW bit stream packed 6 bits per character into the
 * base64 alphabet, most significant bit first. Dictionary codes start 3 bits wide and widen by
 * one bit each time the dictionary doubles; code 0 introduces an 8-bit character, code 1 a 16-bit
 * character (UTF-16 code unit), code 2 ends the stream.
 *
 * Differences from the reference implementation, all on invalid input: a character outside the
 * alphabet, an unknown dictionary code or a stream that ends without the end marker throw
 * `bad_encoding` instead of decoding as zero bits or returning `""`/`null`.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const CHARACTER_VALUES: Int8Array = (() => {
  const values = new Int8Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i += 1) values[ALPHABET.charCodeAt(i)] = i;
  // Padding: its bit 6 is never read (6 bits per character), so it decodes as zero.
  values['='.charCodeAt(0)] = 0;
  return values;
})();

const BITS_PER_CHARACTER_MASK = 32; // 1 << (6 - 1)
const END_OF_STREAM = 2;
/** Dictionary codes past 2^30 cannot happen under any sane output cap; stop before overflow. */
const MAX_CODE_BITS = 30;

/**
 * Decompresses an LZ-string base64 payload. The output is capped at `maxOutputUnits` UTF-16 code
 * units (a UTF-8 byte limit is a safe cap: UTF-8 never takes fewer bytes than UTF-16 code units),
 * checked as the output grows, so an LZ bomb stops at the cap.
 *
 * @example
 * ```ts
 * decompressFromBase64('BIUwNmD2A0AEDukBOYAmBCIA', 1024); // 'Hello, world!'
 * ```
 */
export function decompressFromBase64(input: string, maxOutputUnits: number): string {
  if (input.length === 0) throw invalid();
  const length = input.length;
  let value = characterValue(input, 0);
  let position = BITS_PER_CHARACTER_MASK;
  let index = 1;

  const readBits = (count: number): number => {
    let bits = 0;
    for (let bit = 0; bit < count; bit += 1) {
      if ((value & position) !== 0) bits |= 1 << bit;
      position >>= 1;
      if (position === 0) {
        position = BITS_PER_CHARACTER_MASK;
        // Past the end reads as zero bits, like the reference; the loop below rejects a stream
        // that runs out before its end marker.
        value = index < length ? characterValue(input, index) : 0;
        index += 1;
      }
    }
    return bits;
  };

  // Codes 0..2 are the literal/end markers; real entries start at 3 (the first literal).
  const dictionary: string[] = ['', '', ''];
  let enlargeIn = 4;
  let numBits = 3;

  let first: string;
  switch (readBits(2)) {
    case 0:
      first = String.fromCharCode(readBits(8));
      break;
    case 1:
      first = String.fromCharCode(readBits(16));
      break;
    case END_OF_STREAM:
      return '';
    default:
      throw invalid();
  }
  dictionary.push(first);
  const output: string[] = [first];
  let outputUnits = first.length;
  let previous = first;

  for (;;) {
    if (index > length) throw invalid();
    let code = readBits(numBits);
    if (code === 0 || code === 1) {
      dictionary.push(String.fromCharCode(readBits(code === 0 ? 8 : 16)));
      code = dictionary.length - 1;
      enlargeIn -= 1;
    } else if (code === END_OF_STREAM) {
      return output.join('');
    }
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits += 1;
    }

    let entry: string;
    if (code < dictionary.length) {
      entry = dictionary[code] as string;
    } else if (code === dictionary.length) {
      // The classic LZW corner case: the code being defined right now.
      entry = previous + previous.charAt(0);
    } else {
      throw invalid();
    }
    outputUnits += entry.length;
    if (outputUnits > maxOutputUnits) {
      throw new CaptureError('payload_too_large', { reason: 'decompressed_size' });
    }
    output.push(entry);
    dictionary.push(previous + entry.charAt(0));
    enlargeIn -= 1;
    previous = entry;
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits += 1;
    }
    if (numBits > MAX_CODE_BITS) throw invalid();
  }
}

function characterValue(input: string, index: number): number {
  const code = input.charCodeAt(index);
  const value = code < 128 ? (CHARACTER_VALUES[code] as number) : -1;
  if (value < 0) throw invalid();
  return value;
}

function invalid(): CaptureError {
  return new CaptureError('bad_encoding', { reason: 'invalid_lz64' });
}
