import zlib from 'node:zlib';

/**
 * A real PNG (160×100, two bands of colour: a card-like picture) the browser can draw as a preview and
 * central accepts by its first bytes. `top` is the upper band's colour, so two files can differ.
 */
export function bandedPng(top: [number, number, number] = [30, 90, 160]): Buffer {
  const [w, h] = [160, 100];
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      const o = y * (w * 3 + 1) + 1 + x * 3;
      raw.set(y < 30 ? top : [235, 240, 245], o);
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The bytes of a download the page started (a saved blob), read whole. */
export async function downloadedBytes(download: {
  createReadStream(): Promise<NodeJS.ReadableStream>;
}): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of await download.createReadStream()) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}
