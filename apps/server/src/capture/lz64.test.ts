import { describe, expect, it } from 'vitest';
import { CaptureError } from './errors.js';
import { decompressFromBase64 } from './lz64.js';

/**
 * An independent LZ-string `compressToBase64` (pieroxy/lz-string 1.4 `_compress` with 6 bits per
 * character), written from the format description for these tests only. It is checked against
 * the reference library's published outputs before being used to produce test inputs.
 */
function compressToBase64(input: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';
  const bitsPerChar = 6;
  const out: string[] = [];
  let dataVal = 0;
  let dataPosition = 0;
  const writeBits = (count: number, value: number): void => {
    let v = value;
    for (let i = 0; i < count; i += 1) {
      dataVal = (dataVal << 1) | (v & 1);
      if (dataPosition === bitsPerChar - 1) {
        dataPosition = 0;
        out.push(alphabet.charAt(dataVal));
        dataVal = 0;
      } else {
        dataPosition += 1;
      }
      v >>= 1;
    }
  };

  const dictionary = new Map<string, number>();
  const toCreate = new Set<string>();
  let enlargeIn = 2;
  let dictSize = 3;
  let numBits = 2;
  let w = '';
  const grow = (): void => {
    enlargeIn -= 1;
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits += 1;
    }
  };
  const emit = (phrase: string): void => {
    if (toCreate.has(phrase)) {
      const code = phrase.charCodeAt(0);
      if (code < 256) {
        writeBits(numBits, 0);
        writeBits(8, code);
      } else {
        writeBits(numBits, 1);
        writeBits(16, code);
      }
      grow();
      toCreate.delete(phrase);
    } else {
      writeBits(numBits, dictionary.get(phrase) as number);
    }
    grow();
  };

  for (const c of input.split('')) {
    if (!dictionary.has(c)) {
      dictionary.set(c, dictSize);
      dictSize += 1;
      toCreate.add(c);
    }
    const wc = w + c;
    if (dictionary.has(wc)) {
      w = wc;
    } else {
      emit(w);
      dictionary.set(wc, dictSize);
      dictSize += 1;
      w = c;
    }
  }
  if (w !== '') emit(w);
  writeBits(numBits, 2);
  // Flush the last character.
  for (;;) {
    dataVal <<= 1;
    if (dataPosition === bitsPerChar - 1) {
      out.push(alphabet.charAt(dataVal));
      break;
    }
    dataPosition += 1;
  }
  const result = out.join('');
  return result + '='.repeat((4 - (result.length % 4)) % 4);
}

// Published outputs of the reference library: the VB/C# port test suites for "Hello, world!",
// and pieroxy/lz-string's own base64 test for the tattoo text.
const HELLO = 'Hello, world!';
const HELLO_LZ64 = 'BIUwNmD2A0AEDukBOYAmBCIA';
const TATTOO =
  "During tattooing, ink is injected into the skin, initiating an immune response, and cells called \"macrophages\" move into the area and \"eat up\" the ink. The macrophages carry some of the ink to the body's lymph nodes, but some that are filled with ink stay put, embedded in the skin. That's what makes the tattoo visible under the skin. Dalhousie Uiversity's Alec Falkenham is developing a topical cream that works by targeting the macrophages that have remained at the site of the tattoo. New macrophages move in to consume the previously pigment-filled macrophages and then migrate to the lymph nodes, eventually taking all the dye with them. \"When comparing it to laser-based tattoo removal, in which you see the burns, the scarring, the blisters, in this case, we've designed a drug that doesn't really have much off-target effect,\" he said. \"We're not targeting any of the normal skin cells, so you won't see a lot of inflammation. In fact, based on the process that we're actually using, we don't think there will be any inflammation at all and it would actually be anti-inflammatory.";
const TATTOO_LZ64 =
  'CIVwTglgdg5gBAFwIYIQezdGAaO0DWeAznlAFYCmAxghQCanqIAWFcR+0u0ECEKWOEih4AtqJBQ2YCkQAOaKEQq5hDKhQA2mklSTb6cAESikVMGjnMkMWUbii0ANzbQmCVkJlIhUBkYoUOBA5ew9XKHwAOjgAFU9Tc0trW10kMDAAT3Y0UTY0ADMWCMJ3TwAjNDpMgHISTUzRKzgoKtlccpAEHLyWIPS2AogDBgB3XmZSQiJkbLku3ApRcvo6Q2hi9k4oGPiUOrhR627TfFlN5FQMOCcIIghyzTZJNbBNjmgY4H1mNBB7tgAVQgLjA9wQtRIAEEnlQ4AAxfRnKDWUTEOBrFyaSyCHzoOQQPSaODmQJojxBUZoMD4EjlbLIMC2PiwTaJCxWGznCndawuOAyUzQQxBcLsXj5Ipiy7oNAxAByFFGDjMHJS50c/I2TCoiiIIF6YrkMlufyIDTgBJgeSgCAAtEMRiqkpzUr4GOERKIIDAwCg2GU2A0mpNWmsiIsXLaQPoLchtvBY5tqmxxh5iqIYkYAOqsES6prpQS8RBoOCaJDKMB28qVwwy66C5z6bgiI6EyaZP7sCgBirgJS4MVEPQZLBDiqaO60MGtlh3El13CjCg1fnhn1SBg+OhgEDwHkYtCyKA1brebTZPlsCRUSaFAp2xnMuAUAoFagIbD2TxEJAQOgs2zVcZBaNBumfCgWUTKBskKTZWjAUxiQ+fMtB0XAiDLLsQEORQzx7NgfGxbp4OgAoK3EARFBiABJEQCjML84FrZQGEUTZjTQDQiBIQ8VxqUCmJjS9gnuWBlzYOh8Ig5gCGKUDxm0FiiNg0gKKQKi+A4/plLUPBuipEBNG3GgRItFZfD4O1yMo0x0CyKIgA';

const NO_LIMIT = Number.MAX_SAFE_INTEGER;

function errorOf(run: () => unknown): CaptureError {
  try {
    run();
  } catch (error) {
    if (error instanceof CaptureError) return error;
    throw error;
  }
  throw new Error('expected a CaptureError');
}

describe('decompressFromBase64', () => {
  it('decodes the reference library outputs', () => {
    expect(decompressFromBase64(HELLO_LZ64, NO_LIMIT)).toBe(HELLO);
    expect(decompressFromBase64(TATTOO_LZ64, NO_LIMIT)).toBe(TATTOO);
  });

  it('is matched by the test compressor on the reference vectors', () => {
    expect(compressToBase64(HELLO)).toBe(HELLO_LZ64);
    // The reference test compares before padding; ours pads to a multiple of 4 like 1.4.4.
    expect(compressToBase64(TATTOO).replace(/=+$/, '')).toBe(TATTOO_LZ64);
  });

  it.each([
    ['empty string', ''],
    ['one character', 'a'],
    ['repeats', 'aaaaabaaaaacaaaaadaaaaaeaaaaa'],
    ['a long run (LZW corner case)', 'x'.repeat(5000)],
    ['16-bit characters', 'héllo wörld — 日本語テキスト ✓'],
    ['astral characters', '🍎🍇 emoji 🍎🍇'],
    [
      'a posthog-js event array',
      JSON.stringify([
        {
          event: '$pageview',
          properties: { token: 'phc_x', $current_url: 'https://example.test/a?b=c' },
        },
      ]),
    ],
  ])('round-trips %s', (_name, text) => {
    expect(decompressFromBase64(compressToBase64(text), NO_LIMIT)).toBe(text);
  });

  it('round-trips every printable ASCII and a sweep of BMP characters', () => {
    let text = '';
    for (let code = 32; code < 127; code += 1) text += String.fromCharCode(code);
    for (let code = 160; code < 55_296; code += 97) text += String.fromCharCode(code);
    expect(decompressFromBase64(compressToBase64(text), NO_LIMIT)).toBe(text);
  });

  it('accepts the output with or without padding', () => {
    const compressed = compressToBase64('padding check!');
    expect(decompressFromBase64(compressed.replace(/=+$/, ''), NO_LIMIT)).toBe('padding check!');
  });

  it('refuses characters outside the base64 alphabet', () => {
    const error = errorOf(() =>
      decompressFromBase64(`${HELLO_LZ64.slice(0, 10)}!${HELLO_LZ64.slice(11)}`, NO_LIMIT),
    );
    expect(error.code).toBe('bad_encoding');
    expect(error.reason).toBe('invalid_lz64');
  });

  it('refuses a stream cut before its end marker', () => {
    const error = errorOf(() => decompressFromBase64(TATTOO_LZ64.slice(0, 200), NO_LIMIT));
    expect(error.code).toBe('bad_encoding');
  });

  it('refuses an empty input', () => {
    expect(errorOf(() => decompressFromBase64('', NO_LIMIT)).code).toBe('bad_encoding');
  });

  it('refuses a dictionary code that does not exist yet', () => {
    // First literal 'A' (code 0 + 8 bits), then code 7 with only 4 entries: `00 10000010 111`.
    const bits = `00${'10000010'}111`.padEnd(18, '0');
    let text = '';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    for (let i = 0; i < bits.length; i += 6)
      text += alphabet.charAt(Number.parseInt(bits.slice(i, i + 6), 2));
    expect(errorOf(() => decompressFromBase64(text, NO_LIMIT)).code).toBe('bad_encoding');
  });

  it('stops an LZ bomb at the output cap with payload_too_large', () => {
    // 200 000 characters of one letter pack into under 2 KB.
    const bomb = compressToBase64('A'.repeat(200_000));
    expect(bomb.length).toBeLessThan(2048);
    const error = errorOf(() => decompressFromBase64(bomb, 10_000));
    expect(error.code).toBe('payload_too_large');
    expect(error.status).toBe(413);
  });

  it('allows output exactly at the cap', () => {
    expect(decompressFromBase64(compressToBase64('B'.repeat(1000)), 1000)).toHaveLength(1000);
  });
});
