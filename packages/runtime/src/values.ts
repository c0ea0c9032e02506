// The TypeScript form of each contract scalar, and its text forms. One choice
// per scalar, shared by every server and client, keeps CONTRACT.md's value
// semantics: int64 is a bigint (the whole signed 64-bit range), decimal a
// string of digits (exact, any precision), datetime a Date (an instant with
// millisecond precision), date a `YYYY-MM-DD` string, bytes a Uint8Array, json
// any JSON value, and a map a Map (so that no key, `__proto__` included, is
// special).

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** An exact decimal number as text: `-12.50`. Never a binary float. */
export type Decimal = string;
/** A calendar date as `YYYY-MM-DD`. */
export type DateString = string;
/** A UUID in its hyphenated text form. */
export type Uuid = string;

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
export const INT32_MIN = -(2 ** 31);
export const INT32_MAX = 2 ** 31 - 1;

export const INT64_TEXT = /^-?(0|[1-9][0-9]*)$/;
export const DECIMAL_TEXT = /^-?[0-9]+(\.[0-9]+)?$/;
export const UUID_TEXT = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_TEXT = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

export function isInt64(value: bigint): boolean {
  return value >= INT64_MIN && value <= INT64_MAX;
}

/** Parses the decimal text of an int64; undefined when it is not one. */
export function parseInt64(text: string): bigint | undefined {
  if (!INT64_TEXT.test(text) && !/^-?0+[0-9]*$/.test(text)) return undefined;
  const value = BigInt(text);
  return isInt64(value) ? value : undefined;
}

export function isDecimal(text: string): boolean {
  return DECIMAL_TEXT.test(text);
}

export function isDate(text: string): boolean {
  const m = DATE_TEXT.exec(text);
  return m !== null && isDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether the month has the day. Years 0 to 99 count as 1900 to 1999 do (as
 * Date.UTC, which this replaced, reads them): only 0000 differs, without a 29 February.
 */
function isDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const y = year < 100 ? year + 1900 : year;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return day <= (month === 2 && leap ? 29 : MONTH_DAYS[month - 1]!);
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));
/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: toISOString writes the years beyond with six digits and a sign. */
const FOUR_DIGIT_YEARS = [-62_167_219_200_000, 253_402_300_799_999] as const;

/**
 * RFC 3339 text of an instant, in UTC with milliseconds: the one form every
 * style sends. Exactly toISOString's text, by integer arithmetic for
 * four-digit years (toISOString is a C++ call several times slower);
 * toISOString itself for the rest, and for an invalid date (which it refuses).
 */
export function formatDateTime(value: Date): string {
  const ms = value.getTime();
  if (!(ms >= FOUR_DIGIT_YEARS[0] && ms <= FOUR_DIGIT_YEARS[1])) return value.toISOString();
  // Every quantity below fits 32 bits (`| 0` keeps V8 on integer arithmetic).
  const days = Math.floor(ms / 86_400_000) | 0;
  let time = (ms - days * 86_400_000) | 0;
  // The civil date of a day count (the inverse of daysFromCivil).
  const shifted = (days + 719468) | 0;
  const era = Math.floor(shifted / 146097) | 0;
  const dayOfEra = (shifted - era * 146097) | 0;
  const yearOfEra = ((dayOfEra - ((dayOfEra / 1460) | 0) + ((dayOfEra / 36524) | 0) - ((dayOfEra / 146096) | 0)) / 365) | 0;
  const dayOfYear = (dayOfEra - (365 * yearOfEra + ((yearOfEra / 4) | 0) - ((yearOfEra / 100) | 0))) | 0;
  const shiftedMonth = ((5 * dayOfYear + 2) / 153) | 0;
  const day = (dayOfYear - (((153 * shiftedMonth + 2) / 5) | 0) + 1) | 0;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = (yearOfEra + era * 400 + (month <= 2 ? 1 : 0)) | 0;
  const milli = time % 1000;
  time = ((time - milli) / 1000) | 0;
  const second = time % 60;
  time = ((time - second) / 60) | 0;
  const minute = time % 60;
  const hour = ((time - minute) / 60) | 0;
  return (
    TWO_DIGITS[(year / 100) | 0]! + TWO_DIGITS[year % 100]! + '-' + TWO_DIGITS[month]! + '-' + TWO_DIGITS[day]! +
    'T' + TWO_DIGITS[hour]! + ':' + TWO_DIGITS[minute]! + ':' + TWO_DIGITS[second]! + '.' + THREE_DIGITS[milli]! + 'Z'
  );
}

/** Parses an RFC 3339 date-time with an offset; digits beyond milliseconds are cut. */
export function parseDateTime(text: string): Date | undefined {
  const m = DATETIME_TEXT.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (!isDay(year, month, day) || hour > 23 || minute > 59 || second > 60) return undefined;
  let offset = 0;
  if (m[8] !== undefined) {
    const offsetHours = Number(m[9]);
    const offsetMinutes = Number(m[10]);
    if (offsetHours > 23 || offsetMinutes > 59) return undefined;
    offset = (m[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  }
  // A leap second is the second before it; digits beyond milliseconds are cut.
  const ms = m[7] === undefined ? 0 : Number(m[7].length >= 3 ? m[7].slice(0, 3) : m[7].padEnd(3, '0'));
  return new Date(daysFromCivil(year, month, day) * 86_400_000 + ((hour * 60 + minute - offset) * 60 + (second === 60 ? 59 : second)) * 1000 + ms);
}

export function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

// Base64 by table, not Buffer (the core runs in browsers) and not a regex (a
// repeated group overflows V8's stack on a few MiB): linear time, constant
// stack, for values of any size the contract allows.
const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_CODES = new Uint8Array(64);
/** The 6-bit value of each char code, 255 for a char outside the alphabet. */
const BASE64_VALUES = new Uint8Array(256).fill(255);
for (let i = 0; i < 64; i++) {
  BASE64_CODES[i] = BASE64_ALPHABET.charCodeAt(i);
  BASE64_VALUES[BASE64_ALPHABET.charCodeAt(i)] = i;
}
const PAD = 61; // '='
const ascii = new TextDecoder('latin1');

export function encodeBase64(bytes: Uint8Array): string {
  const length = bytes.length;
  const out = new Uint8Array(Math.ceil(length / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = BASE64_CODES[n >>> 18]!;
    out[o++] = BASE64_CODES[(n >>> 12) & 63]!;
    out[o++] = BASE64_CODES[(n >>> 6) & 63]!;
    out[o++] = BASE64_CODES[n & 63]!;
  }
  if (i < length) {
    const n = (bytes[i]! << 16) | (i + 1 < length ? bytes[i + 1]! << 8 : 0);
    out[o++] = BASE64_CODES[n >>> 18]!;
    out[o++] = BASE64_CODES[(n >>> 12) & 63]!;
    out[o++] = i + 1 < length ? BASE64_CODES[(n >>> 6) & 63]! : PAD;
    out[o++] = PAD;
  }
  return ascii.decode(out);
}

/** Standard padded base64 only; undefined for anything else. */
export function decodeBase64(text: string): Uint8Array | undefined {
  const length = text.length;
  if (length % 4 !== 0) return undefined;
  const padding = length === 0 ? 0 : text.charCodeAt(length - 1) !== PAD ? 0 : text.charCodeAt(length - 2) === PAD ? 2 : 1;
  const out = new Uint8Array((length / 4) * 3 - padding);
  let o = 0;
  const full = padding === 0 ? length : length - 4;
  for (let i = 0; i < full; i += 4) {
    const a = BASE64_VALUES[text.charCodeAt(i)] ?? 255;
    const b = BASE64_VALUES[text.charCodeAt(i + 1)] ?? 255;
    const c = BASE64_VALUES[text.charCodeAt(i + 2)] ?? 255;
    const d = BASE64_VALUES[text.charCodeAt(i + 3)] ?? 255;
    if (a === 255 || b === 255 || c === 255 || d === 255) return undefined;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >>> 16;
    out[o++] = (n >>> 8) & 255;
    out[o++] = n & 255;
  }
  if (padding > 0) {
    const a = BASE64_VALUES[text.charCodeAt(full)] ?? 255;
    const b = BASE64_VALUES[text.charCodeAt(full + 1)] ?? 255;
    const c = padding === 1 ? BASE64_VALUES[text.charCodeAt(full + 2)] ?? 255 : 0;
    if (a === 255 || b === 255 || c === 255) return undefined;
    const n = (a << 18) | (b << 12) | (c << 6);
    out[o++] = n >>> 16;
    if (padding === 1) out[o++] = (n >>> 8) & 255;
  }
  return out;
}

/** Copies any Uint8Array view (a Buffer included) into a plain Uint8Array. */
export function toBytes(value: Uint8Array): Uint8Array {
  return new Uint8Array(value);
}

export function isJsonValue(value: unknown): value is JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return false;
    return Object.values(value as Record<string, unknown>).every(isJsonValue);
  }
  return false;
}

/** Compares two decimal texts (or numbers) exactly. */
export function compareDecimal(a: string, b: string): number {
  const [ai, af] = splitDecimal(a);
  const [bi, bf] = splitDecimal(b);
  const negA = ai.startsWith('-');
  const negB = bi.startsWith('-');
  const zeroA = /^-?0*$/.test(ai) && /^0*$/.test(af);
  const zeroB = /^-?0*$/.test(bi) && /^0*$/.test(bf);
  const signA = zeroA ? 0 : negA ? -1 : 1;
  const signB = zeroB ? 0 : negB ? -1 : 1;
  if (signA !== signB) return signA < signB ? -1 : 1;
  if (signA === 0) return 0;
  const ia = ai.replace(/^-/, '').replace(/^0+/, '');
  const ib = bi.replace(/^-/, '').replace(/^0+/, '');
  let magnitude = 0;
  if (ia.length !== ib.length) magnitude = ia.length < ib.length ? -1 : 1;
  else if (ia !== ib) magnitude = ia < ib ? -1 : 1;
  else {
    const width = Math.max(af.length, bf.length);
    const fa = af.padEnd(width, '0');
    const fb = bf.padEnd(width, '0');
    magnitude = fa === fb ? 0 : fa < fb ? -1 : 1;
  }
  return signA * magnitude;
}

function splitDecimal(text: string): [string, string] {
  const [int, frac = ''] = text.split('.');
  return [int!, frac];
}
