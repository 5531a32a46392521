/**
 * Shared plumbing for the loopback test servers: listen on 127.0.0.1 on an
 * ephemeral port, remember every socket, and close everything (including
 * connections that are hung on purpose) so that jest never waits on a handle.
 */
import { createServer, type Server as NetServer, type Socket } from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** Remembers the sockets of a server so they can all be destroyed at stop. */
export class SocketTracker {
  readonly sockets = new Set<Socket>();

  constructor(server: NetServer) {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  destroyAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}

/** Listens on 127.0.0.1 (port 0 = ephemeral unless given) and resolves the port. */
export function listenOnLoopback(server: NetServer, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, LOOPBACK, () => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('server has no TCP address'));
        return;
      }
      resolve(address.port);
    });
  });
}

/** Stops accepting, destroys every open socket and waits for the server to close. */
export function closeServer(server: NetServer, tracker?: SocketTracker): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      tracker?.destroyAll();
      resolve();
      return;
    }
    server.close(() => resolve());
    tracker?.destroyAll();
    const http = server as NetServer & { closeAllConnections?: () => void };
    http.closeAllConnections?.();
  });
}

/**
 * A URL on 127.0.0.1 where nothing listens: binds an ephemeral port, then
 * closes it, so a connection attempt is refused (ECONNREFUSED).
 */
export async function refusedEndpoint(): Promise<string> {
  const server = createServer();
  const port = await listenOnLoopback(server);
  await closeServer(server);
  return `http://${LOOPBACK}:${port}`;
}

/** Reads a whole request body. */
export function readBody(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer | string) =>
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk),
    );
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}
