import { type AddressInfo, type Socket, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { connectAndLogin } from '../../../servers/protocol/client-handshake.js';
import { FramedConnection } from '../../../servers/protocol/framed-connection.js';
import { Op } from '../../../servers/protocol/messages.js';

describe('the client side of the login', () => {
  it('gives the whole login one deadline: a node that answers one step late and then stalls is given up at the timeout, not one timeout per step', async () => {
    const sockets: Socket[] = [];
    // Answers HELLO with a valid challenge after 1.5 s, then never answers the proof.
    const server = createServer((socket) => {
      sockets.push(socket);
      const conn = new FramedConnection(socket);
      void (async () => {
        const hello = await conn.receive(10_000);
        if (hello.op !== Op.Hello) return;
        const nonce = /r=([^,]+)/.exec(hello.clientFirst)![1]!;
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        await conn.send({ op: Op.Challenge, version: 2, serverFirst: `r=${nonce}server,s=${Buffer.from('salt').toString('base64')},i=4096` });
      })().catch(() => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const started = Date.now();
      const failure = await connectAndLogin({ host: '127.0.0.1', port }, 'alice', 'wonderland', { timeoutMs: 2_000 }).catch((error: unknown) => error);
      const took = Date.now() - started;
      expect(failure).toMatchObject({ code: 'TIMEOUT', message: 'No answer to the login within 2 s.' });
      // Per-step timeouts would take 1.5 + 2 s; one deadline ends at 2 s (slack for a busy machine, but short of 3.5 s).
      expect(took).toBeLessThan(3_300);
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });
});
