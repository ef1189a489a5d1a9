/** What a command needs to talk to the server: the typed client for the chosen context. */
import { createCloudClient, type CloudClient } from "../client/index";
import { str, type Parsed } from "./args";
import { resolveContext } from "./config";

export interface Session {
  client: CloudClient;
  url: string;
  contextName: string;
  /** The server's clock (modelled time, which may run faster than real time). */
  serverNow(): Promise<number>;
}

export async function connect(p: Parsed): Promise<Session> {
  const context = await resolveContext(str(p, "context"));
  return sessionFor(context.url, context.token, context.name);
}

export function sessionFor(url: string, token: string, contextName: string): Session {
  const retries = process.env.CLOUDCTL_RETRIES ? Number(process.env.CLOUDCTL_RETRIES) : undefined;
  const client = createCloudClient({ url, token, clientName: "cloudctl", retries });
  return {
    client,
    url,
    contextName,
    async serverNow() {
      return (await client.session.clock.query()).now;
    },
  };
}
