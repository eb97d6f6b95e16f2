import { once } from 'node:events';
import { type AddressInfo, type Socket, createServer, connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FramedConnection } from '../../../servers/protocol/framed-connection.js';
import { Op } from '../../../servers/protocol/messages.js';
import { encodeMessage } from '../../../servers/protocol/serializer.js';

/** A connected pair: a raw client socket and the server side wrapped in a FramedConnection. */
async function pair(): Promise<{ client: Socket; framed: FramedConnection; close: () => void }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection');
  const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
  const [socket] = (await accepted) as [Socket];
  return {
    client,
    framed: new FramedConnection(socket),
    close: () => {
      client.destroy();
      socket.destroy();
      server.close();
    },
  };
}

describe('framed connection', () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => cleanup?.());

  it('stops reading when unread messages pile up, even empty DATA frames that carry no bytes', async () => {
    const { client, framed, close } = await pair();
    cleanup = close;
    const empty = encodeMessage({ op: Op.Data, data: Buffer.alloc(0) });
    // 200 000 empty frames: 1 MB on the wire, far more as parsed messages if nothing pushed back.
    client.write(Buffer.concat(Array.from({ length: 200_000 }, () => empty)));
    while (!framed.socket.isPaused()) await new Promise((r) => setImmediate(r));
    expect(framed.socket.isPaused()).toBe(true);
    // Reading them lets the socket flow again.
    for (let i = 0; i < 100_000; i++) await framed.receive();
    expect(framed.socket.isPaused()).toBe(false);
  });

  it('counts the strings and keys of unread requests, so long fields cannot pile up unbounded', async () => {
    const { client, framed, close } = await pair();
    cleanup = close;
    // Each COMMIT carries a 60 000-character version (~120 kB as a parsed string) in a 60 kB frame.
    const commit = encodeMessage({ op: Op.Commit, key: Buffer.alloc(32, 1), version: 'v'.repeat(60_000) });
    const sent = 2_000;
    client.write(Buffer.concat(Array.from({ length: sent }, () => commit)));
    while (!framed.socket.isPaused() && framed.bytesReceived < sent * commit.length) await new Promise((r) => setImmediate(r));
    // Paused after about 4 MiB of parsed messages (a few dozen), long before the 120 MB sent.
    expect(framed.socket.isPaused()).toBe(true);
    expect(framed.bytesReceived).toBeLessThan(4 * 1024 * 1024);
  });

  it('drops what the peer sends after end()', async () => {
    const { client, framed, close } = await pair();
    cleanup = close;
    client.write(encodeMessage({ op: Op.Ping }));
    expect(await framed.receive()).toEqual({ op: Op.Ping });
    framed.end();
    client.write(encodeMessage({ op: Op.Ping }));
    await expect(framed.receive(500)).rejects.toMatchObject({ code: expect.stringMatching(/CONNECTION_CLOSED|TIMEOUT/) });
  });
});
