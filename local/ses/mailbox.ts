import type { Server } from 'node:http';
import startSesEmulator from 'aws-ses-v2-local';
import { foreignHost } from '../http';

/**
 * aws-ses-v2-local: the SES API the proxy forwards to, and the mailbox (its web UI and `/store`,
 * every email sent, temporary passwords included). The package checks no Host header, so its request
 * handler is put behind the local stack's loopback check before any request can reach it. Rejects
 * with the listen error (EADDRINUSE when the port is taken).
 */
export async function startMailbox(options: { host: string; port: number }): Promise<Server> {
  const server = await startSesEmulator(options);
  // Express hands a listen error (EADDRINUSE) to the package's callback, which resolves anyway with
  // a server that is not listening: listening again reports the error itself.
  if (!server.listening) {
    await new Promise<void>((listening, failed) => {
      server.once('error', failed);
      server.listen(options.port, options.host, () => {
        server.off('error', failed);
        listening();
      });
    });
  }
  const handlers = server.listeners('request') as ((...args: unknown[]) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req, res) => {
    const refusal = foreignHost(req);
    if (!refusal) {
      for (const handle of handlers) handle(req, res);
      return;
    }
    res.writeHead(421, { 'content-type': 'application/json' }).end(JSON.stringify({ message: refusal }));
  });
  return server;
}
