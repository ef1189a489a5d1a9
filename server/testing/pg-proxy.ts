/**
 * A TCP proxy in front of the test PostgreSQL server, to cut one session's path as a network
 * partition does: the server sees the session end (the proxy closes its side, as the server's
 * keepalive would), while the client sees nothing (its side stays open and silent). Sessions
 * are told apart by the `application_name` of their startup message (the test server speaks
 * no TLS; an SSL request is declined).
 */
import net from "node:net";

export interface PgProxy {
  /** The database URL through the proxy. */
  url: string;
  /** Cuts every session whose application_name starts with `prefix`; returns how many. */
  partition(prefix: string): number;
  close(): Promise<void>;
}

const sslRequestCode = 80877103;

interface Session {
  applicationName: string;
  client: net.Socket;
  server: net.Socket;
}

export async function startPgProxy(targetUrl: string): Promise<PgProxy> {
  const target = new URL(targetUrl);
  const sessions = new Set<Session>();
  const cut: net.Socket[] = [];
  const proxy = net.createServer((client) => {
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 8) return;
      const length = buffered.readInt32BE(0);
      if (buffered.length < length) return;
      if (buffered.readInt32BE(4) === sslRequestCode) {
        buffered = buffered.subarray(length);
        client.write("N");
        return;
      }
      client.off("data", onData);
      const applicationName = parameter(buffered.subarray(8, length), "application_name");
      const server = net.connect(Number(target.port || 5432), target.hostname);
      const session = { applicationName, client, server };
      sessions.add(session);
      server.write(buffered);
      client.pipe(server);
      server.pipe(client);
      const end = () => {
        sessions.delete(session);
        client.destroy();
        server.destroy();
      };
      client.on("close", end);
      server.on("close", end);
      client.on("error", () => undefined);
      server.on("error", () => undefined);
    };
    client.on("data", onData);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const url = new URL(targetUrl);
  url.hostname = "127.0.0.1";
  url.port = String((proxy.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    partition(prefix) {
      let count = 0;
      for (const session of [...sessions]) {
        if (!session.applicationName.startsWith(prefix)) continue;
        sessions.delete(session);
        session.client.unpipe(session.server);
        session.server.unpipe(session.client);
        session.client.removeAllListeners("close");
        session.server.removeAllListeners("close");
        session.server.destroy();
        session.client.resume(); // whatever the client still sends goes nowhere
        cut.push(session.client);
        count++;
      }
      return count;
    },
    async close() {
      for (const session of sessions) {
        session.client.destroy();
        session.server.destroy();
      }
      for (const client of cut) client.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}

/** A startup message's parameters: name\0value\0 … \0. */
function parameter(body: Buffer, name: string): string {
  const parts = body.toString("utf8").split("\0");
  for (let i = 0; i + 1 < parts.length; i += 2) if (parts[i] === name) return parts[i + 1] ?? "";
  return "";
}
