// The WebM Duration patch (renderer/sessions/webm-duration.ts) on hand-built files shaped like MediaRecorder's:
// EBML header, a Segment of unknown size, Info without Duration, Tracks, a Cluster. The output is parsed here
// byte by byte (independently of the module's own reader) to check the Duration element and the sizes.
import { describe, expect, it } from 'vitest';
import { readWebmDurationMs, setWebmDuration } from '../../renderer/sessions/webm-duration';

const bytes = (...parts: (number[] | Uint8Array)[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => Array.from(p)));
/** An element with a 1-byte size field (payload < 127 bytes). */
const el = (id: number[], payload: number[] | Uint8Array): Uint8Array =>
  bytes(id, [0x80 | payload.length], payload);
const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

const EBML_HEADER = el([0x1a, 0x45, 0xdf, 0xa3], el([0x42, 0x82], ascii('webm')));
const UNKNOWN_SIZE = [0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
const TRACKS = el([0x16, 0x54, 0xae, 0x6b], el([0xae], el([0xd7], [1])));
const CLUSTER = el([0x1f, 0x43, 0xb6, 0x75], bytes(el([0xe7], [0]), el([0xa3], [0x81, 0, 0, 0x80, 1, 2, 3])));

function info(timecodeScale: number[] | null, extra: number[] | Uint8Array = []): Uint8Array {
  const scale = timecodeScale ? el([0x2a, 0xd7, 0xb1], timecodeScale) : new Uint8Array();
  return el([0x15, 0x49, 0xa9, 0x66], bytes(scale, el([0x4d, 0x80], ascii('Chrome')), extra));
}

/** Chromium's layout: Segment of unknown size (8-byte all-ones size field). */
function chromeLike(infoEl: Uint8Array): Uint8Array {
  return bytes(EBML_HEADER, [0x18, 0x53, 0x80, 0x67], UNKNOWN_SIZE, infoEl, TRACKS, CLUSTER);
}

/** Finds `needle` in `hay`; -1 if absent. */
function indexOf(hay: Uint8Array, needle: number[]): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** The float64 after the Duration ID and its 0x88 size byte, checked by hand. */
function durationTicks(file: Uint8Array): number {
  const at = indexOf(file, [0x44, 0x89, 0x88]);
  expect(at).toBeGreaterThan(0);
  return new DataView(file.buffer, file.byteOffset + at + 3, 8).getFloat64(0);
}

describe('setWebmDuration', () => {
  it('adds Duration to a MediaRecorder-style file, in TimecodeScale ticks, growing Info by 11 bytes', () => {
    const input = chromeLike(info([0x0f, 0x42, 0x40])); // TimecodeScale 1 000 000 ns = 1 ms per tick
    expect(readWebmDurationMs(input)).toBeNull();
    const out = setWebmDuration(input, 2534.5);
    expect(out.length).toBe(input.length + 11);
    expect(durationTicks(out)).toBe(2534.5);
    const infoAt = indexOf(out, [0x15, 0x49, 0xa9, 0x66]);
    expect(out[infoAt + 4]! & 0x7f).toBe((input[infoAt + 4]! & 0x7f) + 11); // Info's 1-byte size field
    // Everything after Info (Tracks, Cluster) is byte-identical, and the Segment stays of unknown size.
    expect(Array.from(out.subarray(out.length - TRACKS.length - CLUSTER.length))).toEqual(
      Array.from(bytes(TRACKS, CLUSTER)),
    );
    expect(Array.from(out.subarray(EBML_HEADER.length + 4, EBML_HEADER.length + 12))).toEqual(UNKNOWN_SIZE);
    expect(readWebmDurationMs(out)).toBe(2534.5);
    expect(Array.from(input.subarray(0, 4))).toEqual([0x1a, 0x45, 0xdf, 0xa3]); // input untouched
    expect(readWebmDurationMs(input)).toBeNull();
  });

  it('scales milliseconds by a non-default TimecodeScale, and uses 1 ms per tick when it is absent', () => {
    const micro = setWebmDuration(chromeLike(info([0x03, 0xe8])), 1500); // 1000 ns per tick
    expect(durationTicks(micro)).toBe(1_500_000);
    expect(readWebmDurationMs(micro)).toBe(1500);
    const absent = setWebmDuration(chromeLike(info(null)), 1500);
    expect(durationTicks(absent)).toBe(1500);
  });

  it('overwrites an existing Duration in place', () => {
    const zero = [0x44, 0x89, 0x88, 0, 0, 0, 0, 0, 0, 0, 0];
    const input = chromeLike(info([0x0f, 0x42, 0x40], zero));
    const out = setWebmDuration(input, 900);
    expect(out.length).toBe(input.length);
    expect(durationTicks(out)).toBe(900);
  });

  it('grows a known Segment size and widens a size field that overflows', () => {
    const big = new Uint8Array(100).fill(0x41); // Info payload 119, + 11 > 126: needs a 2-byte size field
    const infoEl = info([0x0f, 0x42, 0x40], el([0x57, 0x41], big));
    const body = bytes(infoEl, TRACKS, CLUSTER);
    const input = bytes(
      EBML_HEADER,
      [0x18, 0x53, 0x80, 0x67],
      [0x40 | (body.length >> 8), body.length & 0xff],
      body,
    );
    const out = setWebmDuration(input, 42);
    expect(readWebmDurationMs(out)).toBe(42);
    const segSize = ((out[EBML_HEADER.length + 4]! & 0x3f) << 8) | out[EBML_HEADER.length + 5]!;
    expect(segSize).toBe(out.length - EBML_HEADER.length - 6); // the Segment still spans to the end of the file
    expect(out.length).toBe(input.length + 12); // Duration (11) + one more byte of Info size
  });

  it('returns files it cannot patch safely unchanged: a SeekHead before Info, not WebM, a bad duration', () => {
    const seekHead = el([0x11, 0x4d, 0x9b, 0x74], el([0x4d, 0xbb], [0x53, 0xab, 0x81, 0x01]));
    const withSeek = bytes(EBML_HEADER, [0x18, 0x53, 0x80, 0x67], UNKNOWN_SIZE, seekHead, info(null));
    expect(setWebmDuration(withSeek, 1000)).toBe(withSeek);
    const junk = Uint8Array.from([0, 1, 2, 3]);
    expect(setWebmDuration(junk, 1000)).toBe(junk);
    const ok = chromeLike(info(null));
    expect(setWebmDuration(ok, Number.POSITIVE_INFINITY)).toBe(ok);
  });
});
