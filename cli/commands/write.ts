/** create deployment|namespace|quota, apply -f, delete; namespaced kinds in the session's namespace (-n). */
import { readFile } from "node:fs/promises";
import { expectPositionals, int, parse, str, type OptionSpec } from "../args";
import { CliError, UsageError } from "../errors";
import { parseManifests } from "../manifest";
import { parseHard } from "../quota-hard";
import { kindAndName, singular } from "../resources";
import { connect, type Session } from "../session";
import { isCloudError } from "../../client/index";
import type { Command } from "./types";

const createOptions: OptionSpec = {
  image: { type: "string", value: "IMAGE", description: "Container image, e.g. nginx:1.27 (required)" },
  replicas: { type: "string", value: "N", description: "Number of pods (default 1)" },
  cpu: { type: "string", value: "CPU", description: "CPU request per pod, e.g. 500m (default 100m)" },
  memory: { type: "string", value: "MEM", description: "Memory request per pod, e.g. 256Mi (default 128Mi)" },
  port: { type: "string", value: "PORT", description: "Container port to declare" },
  env: { type: "string", multiple: true, value: "KEY=VALUE", description: "Environment variable (repeatable)" },
  hard: {
    type: "string",
    value: "RESOURCE=QUANTITY,...",
    description: "Quotas only: the limits, e.g. cpu=2,memory=4Gi,pods=10 (required)",
  },
};

export const createCommand: Command = {
  name: "create",
  summary: "Create a deployment, a namespace or a resource quota",
  usage: [
    "cloudctl create deployment NAME --image IMAGE [--replicas N] [--cpu 500m] [--memory 256Mi] [--port 8080] [--env K=V] [-n NAMESPACE]",
    "       cloudctl create namespace NAME",
    "       cloudctl create quota NAME --hard cpu=2,memory=4Gi,pods=10 [-n NAMESPACE]",
  ].join("\n"),
  details:
    "A resource quota limits what the deployments of its namespace request, beside the tenant's quota; change one with apply -f.",
  kubectl:
    "kubectl create deployment NAME --image IMAGE [--replicas N]; kubectl create namespace NAME\nconsole only: create quota (the Kubernetes API serves ResourceQuotas read-only)",
  options: createOptions,
  async run(args, io) {
    const p = parse(args, createOptions, "create");
    const { kind, name, rest } = kindAndName(p.positionals, "create", ["deployments", "namespaces", "resourcequotas"]);
    if (!name) throw new UsageError("missing NAME", "create");
    if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`, "create");
    if (kind === "resourcequotas") {
      const hard = parseHard(str(p, "hard"), "create");
      const s = await connect(p);
      // As kubectl's create: an existing quota is an error, not replaced (apply -f changes one).
      if (await quotaExists(s, name, s.namespace)) throw new CliError(`resourcequotas "${name}" already exists`);
      await s.client.resourceQuotas.set.mutate({ name, namespace: s.namespace, hard });
      io.out(`resourcequota/${name} created`);
      return;
    }
    if (kind === "namespaces") {
      const s = await connect(p);
      await s.client.namespaces.create.mutate({ name });
      io.out(`namespace/${name} created`);
      return;
    }
    const image = str(p, "image");
    if (!image) throw new UsageError("missing --image", "create");
    const replicas = int(p, "replicas", "create") ?? 1;
    const port = int(p, "port", "create");
    const env = ((p.values.env as string[] | undefined) ?? []).map((e) => {
      const i = e.indexOf("=");
      if (i < 1) throw new UsageError(`--env must be KEY=VALUE, got "${e}"`, "create");
      return { name: e.slice(0, i), value: e.slice(i + 1) };
    });
    const requests = { cpu: str(p, "cpu") ?? "100m", memory: str(p, "memory") ?? "128Mi" };
    const s = await connect(p);
    await s.client.deployments.create.mutate({
      name,
      namespace: s.namespace,
      replicas,
      template: {
        labels: { app: name },
        spec: {
          containers: [
            {
              name,
              image,
              env,
              ports: port ? [{ containerPort: port, protocol: "TCP" }] : [],
              resources: { requests, limits: {} },
            },
          ],
        },
      },
    });
    io.out(`deployment/${name} created`);
  },
};

const applyOptions: OptionSpec = {
  filename: {
    type: "string",
    short: "f",
    value: "FILE",
    description: "A YAML or JSON file; - reads standard input (required)",
  },
};

export const applyCommand: Command = {
  name: "apply",
  summary: "Create or update objects from a YAML or JSON file",
  usage: "cloudctl apply -f FILE|-",
  details:
    "Accepts kube-shaped manifests (kind: Deployment, metadata.name, metadata.namespace, spec.replicas, spec.template...) or the API's shape; several YAML documents may be separated by ---. Kinds: Deployment, NodePool, Namespace, ResourceQuota (spec.hard: cpu, memory, pods). A deployment or quota without metadata.namespace goes to -n's namespace (default: the context's, else the tenant's default).",
  kubectl:
    "kubectl apply -f FILE (Deployments, ConfigMaps, Secrets, LimitRanges, new Namespaces)\nconsole only: NodePool and ResourceQuota documents (read-only in the Kubernetes API)",
  options: applyOptions,
  async run(args, io) {
    const p = parse(args, applyOptions, "apply");
    expectPositionals(p, [], "apply");
    const file = str(p, "filename");
    if (!file) throw new UsageError("missing -f FILE", "apply");
    let text: string;
    try {
      text = file === "-" ? await io.readStdin() : await readFile(file, "utf8");
    } catch (error) {
      throw new CliError(
        `cannot read ${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`,
      );
    }
    const manifests = parseManifests(text, file === "-" ? "<stdin>" : file);
    const s = await connect(p);
    for (const m of manifests) {
      if (m.kind === "Namespace") {
        const exists = (await s.client.namespaces.list.query({})).items.some((n) => n.name === m.name);
        if (!exists) await s.client.namespaces.create.mutate(m.input);
        io.out(`namespace/${m.name} ${exists ? "unchanged" : "created"}`);
        continue;
      }
      if (m.kind === "ResourceQuota") {
        const namespace = m.input.namespace ?? s.namespace;
        const exists = await quotaExists(s, m.name, namespace);
        await s.client.resourceQuotas.set.mutate({ ...m.input, namespace });
        io.out(`resourcequota/${m.name} ${exists ? "configured" : "created"}`);
        continue;
      }
      const namespace = m.kind === "Deployment" ? (m.input.namespace ?? s.namespace) : undefined;
      const exists = await (m.kind === "Deployment"
        ? deploymentExists(s.client, m.name, namespace)
        : nodePoolExists(s.client, m.name));
      if (m.kind === "Deployment") {
        if (!exists) await s.client.deployments.create.mutate({ ...m.input, namespace });
        else {
          const { name, replicas, template, strategy, revisionHistoryLimit, progressDeadlineSeconds } = m.input;
          await s.client.deployments.update.mutate({
            name,
            namespace,
            replicas,
            template,
            strategy,
            revisionHistoryLimit,
            progressDeadlineSeconds,
          });
        }
        io.out(`deployment/${m.name} ${exists ? "configured" : "created"}`);
      } else {
        if (!exists) await s.client.nodePools.create.mutate(m.input);
        else {
          const { name, machineType, minSize, maxSize, labels, trimmedImage, staticIp, warmPoolSize } = m.input;
          await s.client.nodePools.update.mutate({
            name,
            machineType,
            minSize,
            maxSize,
            labels,
            trimmedImage,
            staticIp,
            warmPoolSize,
          });
        }
        io.out(`nodepool/${m.name} ${exists ? "configured" : "created"}`);
      }
    }
  },
};

type Client = Awaited<ReturnType<typeof connect>>["client"];

/** Whether the namespace (undefined: the tenant's default) holds quota `name`; a namespace has few. */
async function quotaExists(s: Session, name: string, namespace: string | undefined): Promise<boolean> {
  const ns = namespace ?? (await s.client.namespaces.list.query({})).items.find((n) => n.default)?.name;
  const { items } = await s.client.resourceQuotas.list.query({ namespace: ns });
  return items.some((q) => q.name === name);
}

/** Looked up by name, not searched for in a page: a tenant may have any number of deployments. */
async function deploymentExists(client: Client, name: string, namespace: string | undefined): Promise<boolean> {
  try {
    await client.deployments.get.query({ name, namespace });
    return true;
  } catch (error) {
    if (isCloudError(error) && error.code === "NOT_FOUND") return false;
    throw error;
  }
}

/** Pools have no lookup by name: every page is read until the name is found. */
async function nodePoolExists(client: Client, name: string): Promise<boolean> {
  let cursor: string | undefined;
  do {
    const page = await client.nodePools.list.query({ limit: 500, cursor });
    if (page.items.some((o) => o.name === name)) return true;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return false;
}

const deleteOptions: OptionSpec = {
  "grace-period": {
    type: "string",
    value: "SECONDS",
    description: "Pods only: seconds to let the container stop (default the pod's)",
  },
};

export const deleteCommand: Command = {
  name: "delete",
  summary: "Delete a deployment, pod, node pool, namespace or resource quota",
  usage: "cloudctl delete deployment|pod|nodepool|namespace|quota NAME [-n NAMESPACE]",
  details:
    "Deleting a namespace deletes everything in it; it shows Terminating (cloudctl get namespaces) until that is gone.",
  kubectl: "kubectl delete deployment|pod|namespace NAME\nconsole only: delete nodepool|quota",
  options: deleteOptions,
  async run(args, io) {
    const p = parse(args, deleteOptions, "delete");
    const { kind, name, rest } = kindAndName(p.positionals, "delete", [
      "deployments",
      "pods",
      "nodepools",
      "namespaces",
      "resourcequotas",
    ]);
    if (!name) throw new UsageError("missing NAME", "delete");
    if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`, "delete");
    const s = await connect(p);
    const namespace = s.namespace;
    try {
      if (kind === "deployments") await s.client.deployments.delete.mutate({ name, namespace });
      else if (kind === "pods")
        await s.client.pods.delete.mutate({ name, namespace, gracePeriodSeconds: int(p, "grace-period", "delete") });
      else if (kind === "namespaces") await s.client.namespaces.delete.mutate({ name });
      else if (kind === "resourcequotas") await s.client.resourceQuotas.delete.mutate({ name, namespace });
      else await s.client.nodePools.delete.mutate({ name });
    } catch (error) {
      if (isCloudError(error) && error.code === "NOT_FOUND")
        throw new CliError(`${singular[kind]} "${name}" not found`);
      throw error;
    }
    io.out(`${singular[kind]} "${name}" deleted`);
  },
};
