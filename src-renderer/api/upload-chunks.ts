/** Re-cuts a byte stream into chunks of at most `max` bytes, joining small reads so each send carries a lot. */
export async function* uploadChunks(stream: ReadableStream<Uint8Array>, max: number): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let pending: Uint8Array | null = null;
  let filled = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let offset = 0;
      while (offset < value.length) {
        pending ??= new Uint8Array(max);
        const take = Math.min(max - filled, value.length - offset);
        pending.set(value.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled === max) {
          yield pending;
          pending = null;
          filled = 0;
        }
      }
    }
    if (pending && filled > 0) yield pending.subarray(0, filled);
  } finally {
    // Stops reading the file when the consumer gives up (an error or a cancel).
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
