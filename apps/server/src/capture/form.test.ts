import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import {
  isFormContentType,
  isLikelyUrlencodedForm,
  parseCaptureForm,
  startsWithFormKey,
} from './form.js';

const bytes = (text: string): Uint8Array => Buffer.from(text);

describe('isLikelyUrlencodedForm', () => {
  it('recognises capture form keys at the start or after an &', () => {
    expect(isLikelyUrlencodedForm(bytes('data=eyJ9'))).toBe(true);
    expect(isLikelyUrlencodedForm(bytes('compression=lz64&data=abc'))).toBe(true);
    expect(isLikelyUrlencodedForm(bytes('x=1&data=abc'))).toBe(true);
    expect(isLikelyUrlencodedForm(bytes('_=1767225600000'))).toBe(true);
  });

  it('does not mistake JSON or base64 for a form', () => {
    expect(isLikelyUrlencodedForm(bytes('{"data=":1}'))).toBe(false);
    expect(isLikelyUrlencodedForm(bytes('eyJkYXRhIjoxfQ=='))).toBe(false);
    expect(isLikelyUrlencodedForm(bytes('metadata=1'))).toBe(false);
  });
});

describe('startsWithFormKey', () => {
  it('only looks at the start of the payload', () => {
    expect(startsWithFormKey(bytes('data=abc'))).toBe(true);
    expect(startsWithFormKey(bytes('compression=lz64&data=abc'))).toBe(true);
    expect(startsWithFormKey(bytes('x=1&data=abc'))).toBe(false);
    expect(startsWithFormKey(new Uint8Array([0x1f, 0x8b, 0x08, 0x26, 0x69, 0x70, 0x3d]))).toBe(
      false,
    );
  });
});

describe('isFormContentType', () => {
  it('matches the media type, ignoring case and parameters', () => {
    expect(isFormContentType('application/x-www-form-urlencoded')).toBe(true);
    expect(isFormContentType('Application/X-WWW-Form-Urlencoded; charset=UTF-8')).toBe(true);
    expect(isFormContentType('application/json')).toBe(false);
    expect(isFormContentType(undefined)).toBe(false);
  });
});

describe('parseCaptureForm', () => {
  it('reads data, compression and ver', () => {
    expect(parseCaptureForm(bytes('compression=lz64&data=abcd&ver=1.2.3'))).toEqual({
      data: 'abcd',
      compression: 'lz64',
      libVersion: '1.2.3',
    });
  });

  it('accepts lib_version and treats an empty data as absent', () => {
    expect(parseCaptureForm(bytes('data=&lib_version=2'))).toEqual({
      data: undefined,
      compression: undefined,
      libVersion: '2',
    });
  });

  it('restores + signs in base64 data, and leaves other data alone', () => {
    expect(parseCaptureForm(bytes('data=ab+c')).data).toBe('ab+c');
    expect(parseCaptureForm(bytes('data=%7B%22a%22%3A%22b c%22%7D')).data).toBe('{"a":"b c"}');
  });
});
