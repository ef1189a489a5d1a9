/** scale and rollout status|history|undo|restart|pause|resume, in the session's namespace (-n). */
import { duration, int, parse, type OptionSpec } from "../args";
import { UsageError } from "../errors";
import { age, formatTable } from "../format";
import { kindAndName } from "../resources";
import { connect } from "../session";
import { waitForRollout } from "../../client/index";
import type { Command } from "./types";

const scaleOptions: OptionSpec = {
  replicas: { type: "string", value: "N", description: "The new number of pods (required)" },
};

export const scaleCommand: Command = {
  name: "scale",
  summary: "Set a deployment's number of pods",
  usage: "cloudctl scale deployment NAME --replicas N [-n NAMESPACE]",
  kubectl: "kubectl scale deployment NAME --replicas N",
  options: scaleOptions,
  async run(args, io) {
    const p = parse(args, scaleOptions, "scale");
    const name = deploymentName(p.positionals, "scale");
    const replicas = int(p, "replicas", "scale");
    if (replicas === undefined) throw new UsageError("missing --replicas", "scale");
    const s = await connect(p);
    await s.client.deployments.scale.mutate({ name, namespace: s.namespace, replicas });
    io.out(`deployment/${name} scaled`);
  },
};

const rolloutOptions: OptionSpec = {
  "to-revision": {
    type: "string",
    value: "N",
    description: "undo: the revision to go back to (default the previous one)",
  },
  timeout: { type: "string", value: "DURATION", description: "status: give up after this long, e.g. 5m (default 10m)" },
  watch: { type: "boolean", short: "w", description: "status: wait for the rollout (the default)" },
};

const actions = ["status", "history", "undo", "restart", "pause", "resume"] as const;

export const rolloutCommand: Command = {
  name: "rollout",
  summary: "Watch, list, undo, restart, pause or resume a deployment's rollouts",
  usage: [
    "cloudctl rollout status deployment NAME [--timeout 5m]",
    "cloudctl rollout history deployment NAME",
    "cloudctl rollout undo deployment NAME [--to-revision N]",
    "cloudctl rollout restart|pause|resume deployment NAME",
  ].join("\n       "),
  details:
    "`rollout status` waits until the rollout completes and exits 1 if it fails (progress deadline exceeded) or times out.",
  kubectl: "kubectl rollout status|history|undo|restart|pause|resume deployment/NAME",
  options: rolloutOptions,
  async run(args, io) {
    const p = parse(args, rolloutOptions, "rollout");
    const [action, ...rest] = p.positionals;
    if (!action) throw new UsageError(`missing action (${actions.join(", ")})`, "rollout");
    if (!(actions as readonly string[]).includes(action))
      throw new UsageError(`unknown rollout action "${action}" (expected ${actions.join(", ")})`, "rollout");
    const name = deploymentName(rest, "rollout");
    const timeoutMs = duration(p, "timeout", "rollout");
    const toRevision = int(p, "to-revision", "rollout");
    const s = await connect(p);
    const c = s.client.deployments;
    const namespace = s.namespace;
    switch (action as (typeof actions)[number]) {
      case "status": {
        const d = await waitForRollout(s.client, name, {
          namespace,
          timeoutMs,
          onProgress: (progress) => {
            if (!progress.done && !progress.failed) io.out(progress.message);
          },
        });
        io.out(`deployment "${d.name}" successfully rolled out`);
        return;
      }
      case "history": {
        const d = await c.get.query({ name, namespace });
        const now = await s.serverNow();
        io.out(`deployment/${name}`);
        io.out(
          formatTable(
            ["REVISION", "IMAGES", "REPLICAS", "AGE", "CURRENT"],
            d.revisions.map((r) => [
              String(r.revision),
              r.template.spec.containers.map((x) => x.image).join(","),
              String(r.replicas),
              age(now - r.createdAt),
              r.revision === d.status.currentRevision ? "*" : "",
            ]),
          ),
        );
        return;
      }
      case "undo":
        await c.rollback.mutate({ name, namespace, toRevision });
        io.out(`deployment/${name} rolled back`);
        return;
      case "restart":
        await c.restart.mutate({ name, namespace });
        io.out(`deployment/${name} restarted`);
        return;
      case "pause":
        await c.pause.mutate({ name, namespace });
        io.out(`deployment/${name} paused`);
        return;
      case "resume":
        await c.resume.mutate({ name, namespace });
        io.out(`deployment/${name} resumed`);
        return;
    }
  },
};

function deploymentName(positionals: string[], command: string): string {
  const { name, rest } = kindAndName(positionals, command, ["deployments"]);
  if (!name) throw new UsageError("missing deployment NAME", command);
  if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`, command);
  return name;
}
