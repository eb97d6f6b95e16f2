/**
 * A sentence for the errors of starting to listen (a node, the web host), saying what to change; undefined
 * for other errors. One wording whichever way a node was started: `dfs-vault node`, or by a cluster.
 */
export function describeListenError(error: unknown): string | undefined {
  const errno = error as NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string };
  switch (errno.code) {
    case 'EADDRINUSE':
      return `Port ${errno.port} on ${errno.address} is already in use (is another node or cluster running?). Stop it or choose another --port.`;
    case 'EACCES':
      return errno.syscall === 'listen' ? `Not allowed to listen on port ${errno.port}; ports below 1024 need privileges. Choose another --port.` : undefined;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return errno.syscall === 'getaddrinfo' && errno.hostname ? `No such host: ${errno.hostname}. Give --host a name or address of this machine (0.0.0.0 for all of them).` : undefined;
    case 'EADDRNOTAVAIL':
      return `${errno.address} is not an address of this machine. Give --host one of its addresses (0.0.0.0 for all of them).`;
    default:
      return undefined;
  }
}
