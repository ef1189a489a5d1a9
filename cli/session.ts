/**
 * What a command needs to talk to the server: the typed client for the chosen context and the
 * namespace to act in. `-n` wins, then the context's namespace; without either, commands name
 * no namespace (the server acts in the tenant's default one) and lists read the tenant's
 * default namespace, as kubectl lists `default`. `-A` lists every namespace.
 */
import { createCloudClient, type CloudClient } from "../client/index";
import { bool, str, type Parsed } from "./args";
import { resolveContext } from "./config";
import { UsageError } from "./errors";

export interface Session {
  client: CloudClient;
  url: string;
  contextName: string;
  /** The namespace named by -n or the context; undefined: the tenant's default (the server resolves it). */
  namespace: string | undefined;
  /** -A: lists span every namespace and show a NAMESPACE column. */
  allNamespaces: boolean;
  /** The namespace a list reads: undefined with -A (every namespace), else the named or default one. */
  listNamespace(): Promise<string | undefined>;
  /** The server's clock (modelled time, which may run faster than real time). */
  serverNow(): Promise<number>;
}

export async function connect(p: Parsed): Promise<Session> {
  const context = await resolveContext(str(p, "context"));
  const flag = str(p, "namespace");
  const all = bool(p, "all-namespaces");
  if (flag && all) throw new UsageError("-n/--namespace and -A/--all-namespaces cannot be used together", "get");
  return sessionFor(context.url, context.token, context.name, { namespace: flag ?? context.namespace, all });
}

export function sessionFor(
  url: string,
  token: string,
  contextName: string,
  scope: { namespace?: string; all?: boolean } = {},
): Session {
  const retries = process.env.CLOUDCTL_RETRIES ? Number(process.env.CLOUDCTL_RETRIES) : undefined;
  const client = createCloudClient({ url, token, clientName: "cloudctl", retries });
  let defaultNamespace: Promise<string | undefined> | undefined;
  return {
    client,
    url,
    contextName,
    namespace: scope.namespace,
    allNamespaces: scope.all === true,
    listNamespace() {
      if (scope.all) return Promise.resolve(undefined);
      if (scope.namespace) return Promise.resolve(scope.namespace);
      const asked =
        defaultNamespace ?? client.namespaces.list.query({}).then(({ items }) => items.find((n) => n.default)?.name);
      defaultNamespace = asked;
      return asked;
    },
    async serverNow() {
      return (await client.session.clock.query()).now;
    },
  };
}
