/**
 * Sets the Duration of a WebM file (pure, no DOM). MediaRecorder streams WebM without knowing the length, so
 * the Segment Info has no Duration element and players show "Infinity" and cannot seek. This writes one:
 * Duration (ID 0x4489, float64) = milliseconds · 1e6 / TimecodeScale, inside Info (ID 0x1549A966) of the
 * first Segment (ID 0x18538067). An existing Duration is overwritten in place; otherwise the element is
 * appended to Info and the sizes of Info (and of the Segment, when it is known) grow by its length.
 * Files with a SeekHead (positions after Info would move) or that do not parse are returned unchanged;
 * Chromium's and Firefox's MediaRecorder write neither SeekHead nor Cues.
 * EBML reference: Matroska spec (RFC 9559), sections 4 (variable-size integers) and 5.1.2 (Info).
 */

const ID_SEGMENT = 0x18538067;
const ID_SEEK_HEAD = 0x114d9b74;
const ID_INFO = 0x1549a966;
const ID_TIMECODE_SCALE = 0x2ad7b1;
const ID_DURATION = 0x4489;
/** Matroska's default TimecodeScale: 1 ms per tick, in nanoseconds. */
const DEFAULT_TIMECODE_SCALE = 1_000_000;

interface Element {
  id: number;
  /** Offset of the element's first byte (its ID). */
  start: number;
  /** Offset and byte width of the size field. */
  sizeAt: number;
  sizeWidth: number;
  /** Offset of the payload; its length, or null when the size is "unknown" (all ones). */
  dataAt: number;
  size: number | null;
}

/** Width in bytes of a variable-size integer from its first byte (1–8), or 0 if invalid. */
function vintWidth(first: number): number {
  for (let w = 1; w <= 8; w++) if (first & (0x80 >> (w - 1))) return w;
  return 0;
}

function readElement(b: Uint8Array, at: number): Element | null {
  if (at >= b.length) return null;
  const idWidth = vintWidth(b[at]!);
  if (idWidth === 0 || idWidth > 4 || at + idWidth > b.length) return null;
  let id = 0;
  for (let i = 0; i < idWidth; i++) id = id * 256 + b[at + i]!;
  const sizeAt = at + idWidth;
  if (sizeAt >= b.length) return null;
  const sizeWidth = vintWidth(b[sizeAt]!);
  if (sizeWidth === 0 || sizeAt + sizeWidth > b.length) return null;
  let size = b[sizeAt]! & (0xff >> sizeWidth);
  let allOnes = size === 0xff >> sizeWidth;
  for (let i = 1; i < sizeWidth; i++) {
    size = size * 256 + b[sizeAt + i]!;
    if (b[sizeAt + i] !== 0xff) allOnes = false;
  }
  return { id, start: at, sizeAt, sizeWidth, dataAt: sizeAt + sizeWidth, size: allOnes ? null : size };
}

/** Encodes `value` as an EBML size of exactly `width` bytes, or null if it does not fit. */
function encodeSize(value: number, width: number): Uint8Array | null {
  if (value >= 2 ** (7 * width) - 1) return null; // all ones is reserved for "unknown"
  const out = new Uint8Array(width);
  let v = value;
  for (let i = width - 1; i >= 0; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  out[0]! |= 0x80 >> (width - 1);
  return out;
}

/** The same size field, or a wider one if the new value needs it (EBML allows any width up to 8). */
function resize(value: number, width: number): Uint8Array {
  for (let w = width; w <= 8; w++) {
    const enc = encodeSize(value, w);
    if (enc) return enc;
  }
  throw new Error(`EBML size ${value} does not fit in 8 bytes`);
}

function readUint(b: Uint8Array, at: number, len: number): number {
  let v = 0;
  for (let i = 0; i < len; i++) v = v * 256 + b[at + i]!;
  return v;
}

/** Children of a master element's payload [from, to). */
function children(b: Uint8Array, from: number, to: number): Element[] {
  const out: Element[] = [];
  for (let at = from; at < to;) {
    const e = readElement(b, at);
    if (!e || e.size === null) break;
    out.push(e);
    at = e.dataAt + e.size;
  }
  return out;
}

/** The file with its Duration set to `durationMs` milliseconds (see the header); the input is not modified. */
export function setWebmDuration(file: Uint8Array, durationMs: number): Uint8Array {
  if (!(durationMs >= 0) || !Number.isFinite(durationMs)) return file;
  const header = readElement(file, 0);
  if (!header || header.size === null) return file;
  const segment = readElement(file, header.dataAt + header.size);
  if (!segment || segment.id !== ID_SEGMENT) return file;
  const segmentEnd = segment.size === null ? file.length : segment.dataAt + segment.size;
  // The Segment's top-level children up to Info (Info comes before the first Cluster in every muxer).
  let info: Element | null = null;
  for (let at = segment.dataAt; at < segmentEnd;) {
    const e = readElement(file, at);
    if (!e || e.size === null) return file;
    if (e.id === ID_SEEK_HEAD) return file;
    if (e.id === ID_INFO) {
      info = e;
      break;
    }
    at = e.dataAt + e.size;
  }
  if (!info || info.size === null) return file;
  const infoEnd = info.dataAt + info.size;
  const fields = children(file, info.dataAt, infoEnd);
  const scaleField = fields.find((e) => e.id === ID_TIMECODE_SCALE);
  const timecodeScale =
    scaleField && scaleField.size
      ? readUint(file, scaleField.dataAt, scaleField.size)
      : DEFAULT_TIMECODE_SCALE;
  const ticks = (durationMs * 1e6) / (timecodeScale || DEFAULT_TIMECODE_SCALE);

  const existing = fields.find((e) => e.id === ID_DURATION);
  if (existing && (existing.size === 8 || existing.size === 4)) {
    const out = file.slice();
    const view = new DataView(out.buffer, out.byteOffset + existing.dataAt, existing.size);
    if (existing.size === 8) view.setFloat64(0, ticks);
    else view.setFloat32(0, ticks);
    return out;
  }

  const duration = new Uint8Array(11); // ID (2) + size 0x88 (1) + float64 (8)
  duration[0] = 0x44;
  duration[1] = 0x89;
  duration[2] = 0x88;
  new DataView(duration.buffer).setFloat64(3, ticks);
  const infoSize = resize(info.size + duration.length, info.sizeWidth);
  const infoGrowth = duration.length + infoSize.length - info.sizeWidth;
  const segmentSize =
    segment.size === null
      ? file.subarray(segment.sizeAt, segment.dataAt)
      : resize(segment.size + infoGrowth, segment.sizeWidth);

  const parts = [
    file.subarray(0, segment.sizeAt),
    segmentSize,
    file.subarray(segment.dataAt, info.sizeAt),
    infoSize,
    file.subarray(info.dataAt, infoEnd),
    duration,
    file.subarray(infoEnd),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The Duration of a WebM file in milliseconds, or null if it has none (for tests and diagnostics). */
export function readWebmDurationMs(file: Uint8Array): number | null {
  const header = readElement(file, 0);
  if (!header || header.size === null) return null;
  const segment = readElement(file, header.dataAt + header.size);
  if (!segment || segment.id !== ID_SEGMENT) return null;
  const segmentEnd = segment.size === null ? file.length : segment.dataAt + segment.size;
  for (let at = segment.dataAt; at < segmentEnd;) {
    const e = readElement(file, at);
    if (!e || e.size === null) return null;
    if (e.id === ID_INFO) {
      const fields = children(file, e.dataAt, e.dataAt + e.size);
      const scaleField = fields.find((f) => f.id === ID_TIMECODE_SCALE);
      const scale =
        scaleField && scaleField.size
          ? readUint(file, scaleField.dataAt, scaleField.size)
          : DEFAULT_TIMECODE_SCALE;
      const d = fields.find((f) => f.id === ID_DURATION);
      if (!d || (d.size !== 8 && d.size !== 4)) return null;
      const view = new DataView(file.buffer, file.byteOffset + d.dataAt, d.size);
      const ticks = d.size === 8 ? view.getFloat64(0) : view.getFloat32(0);
      return (ticks * scale) / 1e6;
    }
    at = e.dataAt + e.size;
  }
  return null;
}
