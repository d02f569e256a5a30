import type { Readable } from 'node:stream';

/**
 * A stream's bytes, or `undefined` once more than `max` have arrived: then `overflow` decides what
 * becomes of the rest (drained, to keep a client's connection usable, or destroyed, to stop a
 * hostile vendor). Read with listeners, not a stream iterator (an async generator and an
 * end-of-stream watcher per read); an error, or a close before the end, rejects as the iterator would.
 */
export function readCapped(stream: Readable, max: number, overflow: () => void): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const take = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) {
        chunks.push(chunk);
        return;
      }
      settled = true;
      stream.off('data', take);
      overflow();
      resolve(undefined);
    };
    stream.on('data', take);
    stream.once('end', () => {
      if (settled) return;
      settled = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    stream.once('error', (error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
    stream.once('close', () => {
      if (settled) return;
      settled = true;
      reject(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    });
  });
}
