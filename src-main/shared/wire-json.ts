/**
 * JSON for the browser host's calls: like JSON, but bytes (Uint8Array) travel as `{"$bytes": "<base64>"}` so that
 * every contract call, `uploads.write` included, works over HTTP. Pure; runs in Node and in the browser.
 */

/** Serializes a request or response, encoding bytes as base64. */
export function toWireJson(value: unknown): string {
  // The holder's own value, not `v`: a Buffer's toJSON has already turned `v` into {type, data} by the time the replacer runs.
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const original = this[key];
    return original instanceof Uint8Array ? { $bytes: bytesToBase64(original) } : v;
  });
}

/** Parses wire JSON, decoding `{"$bytes": ...}` back into Uint8Array (with `decode`, a faster decoder: Node's Buffer). */
export function fromWireJson(text: string, decode: (base64: string) => Uint8Array = base64ToBytes): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const bytes = (v as { $bytes?: unknown }).$bytes;
      if (keys.length === 1 && typeof bytes === 'string') return decode(bytes);
    }
    return v;
  });
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
