import { describe, expect, it } from 'vitest';
import { streamUpload } from '../../src-renderer/api/stream-upload.js';
import { uploadChunks } from '../../src-renderer/api/upload-chunks.js';
import { createFakeVault } from './helpers/fake-vault.js';

function streamOf(sizes: number[]): ReadableStream<Uint8Array> {
  let n = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const size = sizes.shift();
      if (size === undefined) return controller.close();
      controller.enqueue(new Uint8Array(size).map(() => n++ % 251));
    },
  });
}

describe('streamed uploads', () => {
  it('re-cuts reads into chunks of at most the limit, joining small ones', async () => {
    const sizes: number[] = [];
    for await (const chunk of uploadChunks(streamOf([3, 3, 3, 10, 1]), 4)) sizes.push(chunk.length);
    expect(sizes).toEqual([4, 4, 4, 4, 4]);
  });

  it('keeps every byte in order', async () => {
    const out: number[] = [];
    for await (const chunk of uploadChunks(streamOf([5, 7, 2]), 6)) out.push(...chunk);
    expect(out).toEqual(Array.from({ length: 14 }, (_, i) => i % 251));
  });

  it('sends one chunk at a time and ends once all are written', async () => {
    const fake = createFakeVault();
    await fake.api.session.connect({ target: { kind: 'local' }, username: 'alice', password: 'secret', remember: false });
    const file = new File([new Uint8Array(2500)], 'big.bin', { lastModified: 1000 });
    await streamUpload(fake.api, file, 'docs/big.bin', 1024);
    const names = fake.calls.map((c) => c.name).filter((n) => n.startsWith('uploads.'));
    expect(names).toEqual(['uploads.begin', 'uploads.write', 'uploads.write', 'uploads.write', 'uploads.end']);
    expect(fake.objects.get('docs/big.bin')?.size).toBe(2500);
  });

  it('cancels the host transfer when the local file cannot be read', async () => {
    const fake = createFakeVault();
    await fake.api.session.connect({ target: { kind: 'local' }, username: 'alice', password: 'secret', remember: false });
    const broken = { size: 10, lastModified: 0, stream: () => new ReadableStream<Uint8Array>({ pull: (c) => c.error(new Error('The file changed on disk.')) }) };
    await expect(streamUpload(fake.api, broken, 'x.bin')).rejects.toThrow('The file changed on disk.');
    expect(fake.calls.map((c) => c.name)).toContain('transfers.cancel');
  });
});
