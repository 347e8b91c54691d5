import { crc32, deflateSync, gzipSync } from 'node:zlib';
import { solidPng } from './png.js';

/** Real images encoded by Chromium (canvas.toDataURL, 8×4, with an sRGB ICC profile). */
const JPEG_8X4 =
  '/9j/4AAQSkZJRgABAQAAAQABAAD/4gHYSUNDX1BST0ZJTEUAAQEAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADb/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAEAAgDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAf/xAAkEAAAAwUJAAAAAAAAAAAAAAAAAgMEBRETIgEGFBUhMTJCUf/EABUBAQEAAAAAAAAAAAAAAAAAAAYH/8QAGhEAAAcAAAAAAAAAAAAAAAAAAAECBDFysf/aAAwDAQACEQMRAD8AnTQ+J13mV1Zc7U5ClqmMTQg0qcqTnjqWraHUvgAAHNIVY9FsbQqx6P/Z';
const WEBP_LOSSY_8X4 =
  'UklGRkwCAABXRUJQVlA4WAoAAAAgAAAABwAAAwAASUNDUMgBAAAAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADZWUDggXgAAAJADAJ0BKggABAABQCYlqAJ0ugH4AMwA/QDLAP0AIQB/MyhytzAA/ub/JF/+KQ/+ELgKFX9H7rPzd7O1eip+mjbTf+f6W0sPfrh255kv/vqVKkv4yp71KlSX/w/gAAA=';
const WEBP_LOSSLESS_8X4 =
  'UklGRgICAABXRUJQVlA4WAoAAAAgAAAABwAAAwAASUNDUMgBAAAAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADZWUDhMEwAAAC8HwAAADzD/n2GO+Q8HwxHR/zAA';

export const validJpeg = (): Buffer => Buffer.from(JPEG_8X4, 'base64');
export const validWebp = (): Buffer => Buffer.from(WEBP_LOSSY_8X4, 'base64');
export const validWebpLossless = (): Buffer => Buffer.from(WEBP_LOSSLESS_8X4, 'base64');
export const validPng = (): Buffer => solidPng(8, 4, [200, 0, 0]);

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Buffer, crc?: number): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc ?? crc32(body));
  return Buffer.concat([length, body, sum]);
}

function ihdr(width: number, height: number, bitDepth = 8, colourType = 2): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width >>> 0, 0);
  header.writeUInt32BE(height >>> 0, 4);
  header[8] = bitDepth;
  header[9] = colourType;
  return header;
}

/** A PNG built chunk by chunk: signature, IHDR, then whatever follows. */
function png(width: number, height: number, ...rest: Buffer[]): Buffer {
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr(width, height)), ...rest]);
}

const IEND = pngChunk('IEND', Buffer.alloc(0));

/**
 * A PNG declaring `width`×`height` whose IDAT inflates to a few rows only: the header promises a
 * bitmap of width×height×3 bytes that a decoder would allocate before finding the data short.
 */
function pngBomb(width: number, height: number): Buffer {
  return png(width, height, pngChunk('IDAT', deflateSync(Buffer.alloc(1024))), IEND);
}

/** SOI, a JFIF APP0, a baseline Start Of Frame declaring a size, EOI: a header and no image. */
function jpegWithFrame(width: number, height: number): Buffer {
  const sof = Buffer.from([
    0xff,
    0xc0,
    0x00,
    0x11,
    0x08,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    0x03,
    0x01,
    0x22,
    0x00,
    0x02,
    0x11,
    0x01,
    0x03,
    0x11,
    0x01,
  ]);
  const app0 = Buffer.from('ffe000104a46494600010100000100010000', 'hex');
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.from([0xff, 0xd9])]);
}

/** A JPEG with a COM (comment) segment inserted right after SOI. */
function jpegWithComment(comment: string): Buffer {
  const jpeg = validJpeg();
  const text = Buffer.from(comment, 'latin1');
  const header = Buffer.from([0xff, 0xfe, (text.length + 2) >> 8, (text.length + 2) & 0xff]);
  return Buffer.concat([jpeg.subarray(0, 2), header, text, jpeg.subarray(2)]);
}

/** A RIFF container with a chunk list, its size field as given (or correct). */
function riff(form: string, chunks: Buffer, sizeField?: number): Buffer {
  const head = Buffer.alloc(12);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(sizeField ?? chunks.length + 4, 4);
  head.write(form, 8, 'latin1');
  return Buffer.concat([head, chunks]);
}

function riffChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(type, 0, 'latin1');
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, data.length % 2 === 1 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

/** A WebP extended header (VP8X) declaring a canvas size, with no image data at all. */
function webpCanvas(width: number, height: number): Buffer {
  const vp8x = Buffer.alloc(10);
  vp8x.writeUIntLE(width - 1, 4, 3);
  vp8x.writeUIntLE(height - 1, 7, 3);
  return riff('WEBP', riffChunk('VP8X', vp8x));
}

const GIF_1X1 = Buffer.from(
  '47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b',
  'hex',
);

/** A 2×2 24-bit BMP. */
function bmp(): Buffer {
  const pixels = Buffer.alloc(16, 0x7f);
  const header = Buffer.alloc(54);
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(54 + pixels.length, 2);
  header.writeUInt32LE(54, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(2, 18);
  header.writeInt32LE(2, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(24, 28);
  header.writeUInt32LE(pixels.length, 34);
  return Buffer.concat([header, pixels]);
}

/** A minimal TIFF header (one IFD with width and height), little or big endian. */
function tiff(littleEndian: boolean): Buffer {
  const b = Buffer.alloc(8 + 2 + 2 * 12 + 4);
  const u16 = (v: number, at: number) =>
    littleEndian ? b.writeUInt16LE(v, at) : b.writeUInt16BE(v, at);
  const u32 = (v: number, at: number) =>
    littleEndian ? b.writeUInt32LE(v, at) : b.writeUInt32BE(v, at);
  b.write(littleEndian ? 'II' : 'MM', 0, 'latin1');
  u16(42, 2);
  u32(8, 4);
  u16(2, 8);
  [
    [256, 4, 1, 2],
    [257, 4, 1, 2],
  ].forEach(([tag = 0, type = 0, count = 0, value = 0], i) => {
    const at = 10 + i * 12;
    u16(tag, at);
    u16(type, at + 2);
    u32(count, at + 4);
    u32(value, at + 8);
  });
  return b;
}

/** A ZIP archive holding one stored file (local header, central directory, end record). */
function zip(name: string, content: string): Buffer {
  const data = Buffer.from(content);
  const fileName = Buffer.from(name);
  const sum = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(10, 4);
  local.writeUInt32LE(sum, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(10, 6);
  central.writeUInt32LE(sum, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const localSize = local.length + fileName.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(localSize, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}

const SVG_SCRIPT =
  '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="4"><script>fetch("/api/users")</script></svg>';
const SVG_ONLOAD =
  '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)" width="8" height="4"/>';
const SVG_XXE =
  '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg" width="8" height="4"><text>&x;</text></svg>';
const HTML_PAGE =
  '<!doctype html><html><body><script>alert(document.domain)</script></body></html>';
const PDF_JS =
  '%PDF-1.4\n1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';

/** One upload: the bytes, how they are sent, and what the controller must answer. */
export interface UploadCase {
  /** What the case is, and why the expectation is what it is. */
  label: string;
  /** The `name` query as sent (already URL-encoded when `rawName`), or none. */
  name?: string;
  rawName?: boolean;
  contentType: string;
  headers?: Record<string, string>;
  bytes: Buffer;
  /** `refused`: a 4xx (`status` when fixed) and nothing stored; `accepted`: stored as `type`. */
  expect:
    | { outcome: 'refused'; status?: number }
    | { outcome: 'accepted'; type: 'image/png' | 'image/jpeg' | 'image/webp' };
}

const refused = (status?: number) =>
  ({ outcome: 'refused', ...(status === undefined ? {} : { status }) }) as const;

/**
 * Hostile uploads. The rule (issue "Trust"): PNG, JPEG and WebP only, recognised by their magic
 * bytes and a readable header, at most 20 MB and 40 Mpx, stored under a name the client does not
 * choose (the sha256 of the bytes) and served with `nosniff`. So a file is refused when it is
 * not one of those formats whatever it is called or declared as, when it is cut short, when its
 * header lies or promises an oversized bitmap, or when the name it is filed under is not a plain
 * file name.
 */
export function hostileUploads(): UploadCase[] {
  const png8x4 = validPng();
  const jpeg = validJpeg();
  const webp = validWebp();
  const cases: UploadCase[] = [];
  const add = (
    label: string,
    bytes: Buffer,
    contentType: string,
    name = 'banner.png',
    status?: number,
  ) => {
    cases.push({ label, name, contentType, bytes, expect: refused(status) });
  };

  // Markup and scripts, declared honestly or disguised as images.
  add('SVG with a script, as image/svg+xml', Buffer.from(SVG_SCRIPT), 'image/svg+xml', 'x.svg');
  add('SVG with a script, as image/png named .png', Buffer.from(SVG_SCRIPT), 'image/png');
  add('SVG with onload, as image/webp', Buffer.from(SVG_ONLOAD), 'image/webp', 'x.webp');
  add('SVG with an external entity (XXE)', Buffer.from(SVG_XXE), 'image/svg+xml', 'x.svg');
  add('gzipped SVG (svgz)', gzipSync(SVG_SCRIPT), 'image/svg+xml', 'x.svgz');
  add('SVG behind a UTF-8 BOM, as image/png', Buffer.from(`\ufeff${SVG_SCRIPT}`), 'image/png');
  add('HTML page as text/html', Buffer.from(HTML_PAGE), 'text/html', 'x.html');
  add('HTML page as image/png', Buffer.from(HTML_PAGE), 'image/png');
  add('HTML after whitespace, as image/jpeg', Buffer.from(`\n\n  ${HTML_PAGE}`), 'image/jpeg');
  add(
    'JavaScript as application/octet-stream',
    Buffer.from('alert(1)'),
    'application/octet-stream',
  );
  // Documents, archives, executables.
  add('PDF with an OpenAction script', Buffer.from(PDF_JS), 'application/pdf', 'x.pdf');
  add('PDF as image/png', Buffer.from(PDF_JS), 'image/png');
  add('ZIP archive', zip('a.html', HTML_PAGE), 'application/zip', 'x.zip');
  add('ZIP archive as image/webp', zip('a.html', HTML_PAGE), 'image/webp', 'x.webp');
  add('gzip stream of a PNG, as image/png', gzipSync(png8x4), 'image/png');
  add(
    'Windows executable (MZ) named .exe.png',
    Buffer.from('MZ\x90\x00\x03\x00PE\x00\x00'),
    'image/png',
    'x.exe.png',
  );
  add(
    'ELF executable',
    Buffer.from('\x7fELF\x02\x01\x01\x00', 'latin1'),
    'application/octet-stream',
  );
  // Image formats that are not allowed.
  add('GIF', GIF_1X1, 'image/gif', 'x.gif');
  add('GIF named .png as image/png', GIF_1X1, 'image/png');
  add('BMP', bmp(), 'image/bmp', 'x.bmp');
  add('TIFF, little endian', tiff(true), 'image/tiff', 'x.tiff');
  add('TIFF, big endian, as image/png', tiff(false), 'image/png');
  add(
    'ICO',
    Buffer.from('0000010001000101000001002000300000001600000000', 'hex'),
    'image/x-icon',
    'x.ico',
  );
  add(
    'AVIF (ISO-BMFF ftyp)',
    Buffer.from('000000206674797061766966000000006176696d6d696631', 'hex'),
    'image/avif',
    'x.avif',
  );
  add('JPEG XL codestream', Buffer.from('ff0afa7f0100', 'hex'), 'image/jxl', 'x.jxl');
  add(
    'Photoshop PSD',
    Buffer.from('8BPS\x00\x01\x00\x00\x00\x00\x00\x00\x00\x03', 'latin1'),
    'image/png',
  );
  // Polyglots: an image signature in front of something else.
  add(
    'PNG signature followed by HTML',
    Buffer.concat([PNG_SIGNATURE, Buffer.from(HTML_PAGE)]),
    'image/png',
  );
  add(
    'PNG signature followed by JavaScript',
    Buffer.concat([PNG_SIGNATURE, Buffer.from('alert(1)//')]),
    'image/png',
  );
  add(
    'GIFAR: a GIF with a ZIP appended',
    Buffer.concat([GIF_1X1, zip('A.class', 'cafebabe')]),
    'image/png',
  );
  add(
    'JPEG SOI followed by HTML',
    Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from(HTML_PAGE)]),
    'image/jpeg',
    'x.jpg',
  );
  add(
    'RIFF/WEBP header followed by HTML',
    riff('WEBP', Buffer.from(HTML_PAGE)),
    'image/webp',
    'x.webp',
  );
  add('HTML followed by a PNG', Buffer.concat([Buffer.from(HTML_PAGE), png8x4]), 'image/png');
  add('RIFF AVI', riff('AVI ', riffChunk('LIST', Buffer.alloc(4))), 'image/webp', 'x.webp');
  add('RIFF WAVE', riff('WAVE', riffChunk('fmt ', Buffer.alloc(16))), 'image/webp', 'x.webp');
  // Truncated images.
  add('PNG signature only', PNG_SIGNATURE, 'image/png');
  add('PNG cut inside IHDR', png8x4.subarray(0, 20), 'image/png');
  add('PNG cut right after IHDR (no IDAT, no IEND)', png8x4.subarray(0, 33), 'image/png');
  add('PNG cut inside IDAT', png8x4.subarray(0, png8x4.length - 16), 'image/png');
  add('PNG without IEND', png8x4.subarray(0, png8x4.length - 12), 'image/png');
  add('JPEG SOI only', Buffer.from([0xff, 0xd8, 0xff]), 'image/jpeg', 'x.jpg');
  add('JPEG cut before its frame header', jpeg.subarray(0, 200), 'image/jpeg', 'x.jpg');
  add('JPEG with a frame header and no scan', jpegWithFrame(8, 4), 'image/jpeg', 'x.jpg');
  add(
    'JPEG cut inside the scan (no EOI)',
    jpeg.subarray(0, jpeg.length - 20),
    'image/jpeg',
    'x.jpg',
  );
  add('WebP header only', webp.subarray(0, 12), 'image/webp', 'x.webp');
  add('WebP cut inside VP8X', webp.subarray(0, 24), 'image/webp', 'x.webp');
  add('WebP cut inside the bitstream', webp.subarray(0, webp.length - 40), 'image/webp', 'x.webp');
  // Headers that lie.
  add(
    'WebP whose RIFF size is larger than the file',
    riff('WEBP', webp.subarray(12), 0x7fffffff),
    'image/webp',
    'x.webp',
  );
  add('WebP whose RIFF size is 0', riff('WEBP', webp.subarray(12), 0), 'image/webp', 'x.webp');
  add(
    'WebP VP8X canvas of 16384×16384 with no image data',
    webpCanvas(16384, 16384),
    'image/webp',
    'x.webp',
  );
  add('PNG with a zero width', png(0, 4, IEND), 'image/png');
  add('PNG with a width of 2^31', png(0x80000000, 4, IEND), 'image/png');
  add('PNG decompression bomb: 50000×50000, 1 kB of IDAT', pngBomb(50_000, 50_000), 'image/png');
  add('PNG decompression bomb: 1×100000000', pngBomb(1, 100_000_000), 'image/png');
  add(
    'PNG whose IHDR CRC is wrong',
    Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr(8, 4), 0xdeadbeef), png8x4.subarray(33)]),
    'image/png',
  );
  add(
    'PNG with an impossible bit depth and colour type',
    Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr(8, 4, 7, 9)), png8x4.subarray(33)]),
    'image/png',
  );
  add('JPEG frame of 65535×65535', jpegWithFrame(65_535, 65_535), 'image/jpeg', 'x.jpg');
  // Empty and oversized bodies; encodings.
  add('empty file', Buffer.alloc(0), 'image/png');
  add(
    'more than 20 MB (a PNG padded past the limit)',
    Buffer.concat([png8x4, Buffer.alloc(20 * 1024 * 1024 + 1 - png8x4.length)]),
    'image/png',
    'banner.png',
    413,
  );
  cases.push({
    label: 'gzip content-encoding bomb: 64 MB of zeros in 64 kB',
    name: 'banner.png',
    contentType: 'image/png',
    headers: { 'content-encoding': 'gzip' },
    bytes: gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 }),
    expect: refused(413),
  });
  cases.push({
    label: 'unknown content-encoding',
    name: 'banner.png',
    contentType: 'image/png',
    headers: { 'content-encoding': 'compress' },
    bytes: png8x4,
    expect: refused(415),
  });
  add('a real PNG sent as text/plain (not parsed as an upload)', png8x4, 'text/plain');
  add('a real PNG sent as application/json', png8x4, 'application/json');
  // A real PNG under names that are not plain file names.
  const named = (label: string, name: string) => {
    cases.push({
      label,
      name,
      rawName: true,
      contentType: 'image/png',
      bytes: png8x4,
      expect: refused(400),
    });
  };
  named('name with ../', encodeURIComponent('../evil.png'));
  named('name ..%2f (encoded slash, decoded once)', '..%2fevil.png');
  named('name %252e%252e%252f (double-encoded)', '%252e%252e%252fevil.png');
  named('name with a NUL byte', encodeURIComponent('evil.png\u0000.html'));
  named('name with U+202E (right-to-left override)', encodeURIComponent('evil\u202egnp.exe'));
  named('name of 129 characters', `${'a'.repeat(125)}.png`);
  named('name of 8000 characters', `${'a'.repeat(7996)}.png`);
  named('empty name', '');
  named('name ..', '..');
  named('name .htaccess', '.htaccess');
  named('name with a backslash', encodeURIComponent('..\\evil.png'));
  named('name with a space and newline', encodeURIComponent('a b\n.png'));
  named('name given twice', 'a.png&name=b.png');
  cases.push({
    label: 'no name at all',
    contentType: 'image/png',
    bytes: png8x4,
    expect: refused(400),
  });
  return cases;
}

/**
 * Files that are images by the rule and must be accepted, served as images with `nosniff`: the
 * controls, and images carrying text a browser would run if it sniffed them as HTML. The
 * `nosniff` header and the sniffed image type are what make them harmless.
 */
export function acceptedUploads(): UploadCase[] {
  const png8x4 = validPng();
  const ok = (type: 'image/png' | 'image/jpeg' | 'image/webp') =>
    ({ outcome: 'accepted', type }) as const;
  return [
    {
      label: 'control: PNG',
      name: 'control.png',
      contentType: 'image/png',
      bytes: png8x4,
      expect: ok('image/png'),
    },
    {
      label: 'control: JPEG',
      name: 'control.jpg',
      contentType: 'image/jpeg',
      bytes: validJpeg(),
      expect: ok('image/jpeg'),
    },
    {
      label: 'control: WebP (lossy)',
      name: 'control.webp',
      contentType: 'image/webp',
      bytes: validWebp(),
      expect: ok('image/webp'),
    },
    {
      label: 'control: WebP (lossless)',
      name: 'control-ll.webp',
      contentType: 'image/webp',
      bytes: validWebpLossless(),
      expect: ok('image/webp'),
    },
    {
      label: 'JPEG declared as image/png and named .png: stored and served as image/jpeg',
      name: 'disguised.png',
      contentType: 'image/png',
      bytes: validJpeg(),
      expect: ok('image/jpeg'),
    },
    {
      label: 'PNG sent as application/octet-stream',
      name: 'octet.png',
      contentType: 'application/octet-stream',
      bytes: solidPng(3, 3, [1, 2, 3]),
      expect: ok('image/png'),
    },
    {
      label: 'PNG with HTML appended after IEND',
      name: 'tail.png',
      contentType: 'image/png',
      bytes: Buffer.concat([solidPng(5, 5, [9, 9, 9]), Buffer.from(HTML_PAGE)]),
      expect: ok('image/png'),
    },
    {
      label: 'PNG with a tEXt chunk holding a script',
      name: 'text.png',
      contentType: 'image/png',
      bytes: png(
        4,
        4,
        pngChunk('tEXt', Buffer.from(`Comment\0${HTML_PAGE}`, 'latin1')),
        solidPng(4, 4, [0, 0, 0]).subarray(33),
      ),
      expect: ok('image/png'),
    },
    {
      label: 'JPEG with a script in a COM segment',
      name: 'comment.jpg',
      contentType: 'image/jpeg',
      bytes: jpegWithComment(HTML_PAGE),
      expect: ok('image/jpeg'),
    },
    {
      label: 'JPEG with a ZIP appended (JPEG/ZIP polyglot)',
      name: 'jpegzip.jpg',
      contentType: 'image/jpeg',
      bytes: Buffer.concat([validJpeg(), zip('a.html', HTML_PAGE)]),
      expect: ok('image/jpeg'),
    },
  ];
}
