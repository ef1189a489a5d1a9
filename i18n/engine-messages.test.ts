/**
 * The engine's template table against the engine itself: every event, condition and container
 * message that a run through the engine's paths produces is read by the table, its key is in
 * both catalogs, and the English catalog renders it back as the engine wrote it.
 */
import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import en from "@/messages/en/errors.json";
import zh from "@/messages/zh-CN/errors.json";
import { isEngineError, type MessageRef } from "@/server/engine";
import { livePods, startHarness, webDeployment } from "@/server/engine/test-kit";
import { parseEngineMessage, parseQuotaText } from "./engine-messages";
import { renderMessage, type Translate } from "./render-message";

const T = "t";
const translator = (messages: Record<string, unknown>, locale: string): Translate => {
  const t = createTranslator({
    locale,
    messages,
    onError: (e) => {
      throw e;
    },
  });
  return Object.assign((key: string, values?: Record<string, string | number>) => t(key as never, values as never), {
    has: (key: string) => t.has(key as never),
  });
};
const tEn = translator(en, "en");
const tZh = translator(zh, "zh-CN");

/** Every key a message uses, nested ones too. */
function keysOf(ref: MessageRef): string[] {
  const nested = Object.values(ref.params ?? {}).flatMap((v) =>
    Array.isArray(v) ? v.flatMap(keysOf) : typeof v === "object" ? keysOf(v) : [],
  );
  return [ref.key, ...nested].filter(Boolean);
}

/** `name` with one container of these requests (and limits). */
function sized(
  name: string,
  requests: { cpu: string; memory: string },
  replicas = 1,
  limits: { cpu?: string; memory?: string } = {},
) {
  const d = webDeployment(name, replicas);
  return {
    ...d,
    template: {
      ...d.template,
      spec: { containers: [{ name: "app", image: "nginx:1.27", resources: { requests, limits } }] },
    },
  };
}
const withEnv = (name: string, value: string) => {
  const d = webDeployment(name, 1);
  return {
    ...d,
    template: {
      ...d.template,
      spec: { containers: [{ name: "app", image: "nginx:1.27", env: [{ name: "A", value }] }] },
    },
  };
};
const twins = () => {
  const d = webDeployment("twins", 1);
  return {
    ...d,
    template: {
      ...d.template,
      spec: {
        containers: [
          { name: "app", image: "nginx:1.27" },
          { name: "app", image: "nginx:1.27" },
        ],
      },
    },
  };
};

async function runThroughTheEngine() {
  const h = await startHarness();
  const { engine } = h;
  const errors: unknown[] = [];
  const texts = new Set<string>();
  // Events age out and conditions change: read what there is after every step.
  const collect = () => {
    for (const e of engine.listEvents(T, { limit: 1000 }).items) texts.add(e.message);
    for (const d of engine.listDeployments(T, { limit: 100 }).items)
      for (const c of d.status.conditions) if (c.message) texts.add(c.message);
    for (const p of engine.listPods(T, { limit: 1000 }).items) {
      for (const c of p.status.conditions) if (c.message) texts.add(c.message);
      for (const s of p.status.containerStatuses)
        if ("waiting" in s.state && s.state.waiting.message) texts.add(s.state.waiting.message);
    }
  };
  const settle = async (ms?: number) => {
    await engine.settle(ms);
    collect();
  };
  const attempt = async (f: () => Promise<unknown>) => {
    try {
      await f();
    } catch (e) {
      errors.push(e);
    }
  };
  await engine.setQuota(T, { pods: 12, cpu: "6", nodes: 3 });
  await engine.createNodePool(T, { name: "p", machineType: "4c8g", minSize: 2, maxSize: 3, warmPoolSize: 1 });
  await settle();
  // A pod no pool's machine holds (but a bigger machine type would): accepted, with a Warning (NoNodePoolFits).
  await engine.createDeployment(T, sized("wide", { cpu: "5", memory: "1Gi" }, 0));
  await engine.deleteDeployment(T, "wide");
  // Refusals at validation, each naming its field.
  await attempt(() => engine.createDeployment(T, sized("huge", { cpu: "12", memory: "1Gi" })));
  await attempt(() => engine.createDeployment(T, sized("bytes", { cpu: "100m", memory: "256" })));
  await attempt(() =>
    engine.createDeployment(T, sized("tiny", { cpu: "100m", memory: "128Mi" }, 1, { memory: "1Mi" })),
  );
  await attempt(() =>
    engine.createDeployment(T, sized("both", { cpu: "100m", memory: "4000000" }, 1, { memory: "1Mi" })),
  );
  await attempt(() => engine.createDeployment(T, sized("lots", { cpu: "lots", memory: "128Mi" })));
  await attempt(() =>
    engine.createDeployment(T, sized("limits", { cpu: "500m", memory: "256Mi" }, 1, { cpu: "100m", memory: "128Mi" })),
  );
  await attempt(() => engine.createDeployment(T, withEnv("nul", "x\u0000")));
  await attempt(() => engine.createDeployment(T, withEnv("surrogate", "x\uD800")));
  await attempt(() =>
    engine.createDeployment(T, {
      ...webDeployment("keynul", 1),
      template: { ...webDeployment("keynul", 1).template, labels: { "a\u0000": "b" } },
    }),
  );
  await attempt(() =>
    engine.createDeployment(T, {
      ...webDeployment("keysur", 1),
      template: { ...webDeployment("keysur", 1).template, labels: { "a\uDC00": "b" } },
    }),
  );
  await attempt(() => engine.createDeployment(T, twins()));
  await engine.createDeployment(T, webDeployment("web", 3));
  await engine.createDeployment(T, webDeployment("crash", 1, "myapp:crash"));
  await engine.createDeployment(T, webDeployment("missing", 1, "nginx:missing"));
  const oom = webDeployment("oom", 1, "busybox:1");
  const c = oom.template.spec.containers[0];
  if (c)
    Object.assign(c, {
      env: [
        { name: "SIM_EXIT", value: "137" },
        { name: "SIM_RUN_SECONDS", value: "3" },
      ],
      resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { memory: "64Mi" } },
    });
  await engine.createDeployment(T, oom);
  await engine.createDeployment(T, {
    ...webDeployment("nowhere", 1),
    progressDeadlineSeconds: 30,
    template: {
      ...webDeployment("nowhere", 1).template,
      spec: { ...webDeployment("nowhere", 1).template.spec, nodeSelector: { zone: "mars" } },
    },
  });
  await settle(120_000);
  await engine.runFor(60_000, collect);
  // Rollouts, rollback, pause/resume, restart, scaling both ways.
  await engine.updateDeployment(T, "web", { template: webDeployment("web", 3, "nginx:1.28").template });
  await settle();
  await engine.rollbackDeployment(T, "web");
  await settle();
  await engine.pauseDeployment(T, "web");
  await attempt(() => engine.rollbackDeployment(T, "web"));
  await attempt(() => engine.restartDeployment(T, "web"));
  await engine.resumeDeployment(T, "web");
  await engine.restartDeployment(T, "web");
  await engine.scaleDeployment(T, "web", 1);
  await settle();
  // Refusals.
  await attempt(() => engine.scaleDeployment(T, "web", 100));
  await attempt(() => engine.createDeployment(T, webDeployment("web", 1)));
  await attempt(() => engine.rollbackDeployment(T, "web", 99));
  await attempt(() => engine.createNodePool(T, { name: "p", machineType: "2c4g", minSize: 0, maxSize: 1 }));
  await attempt(() => engine.createNodePool(T, { name: "q", machineType: "2c4g", minSize: 3, maxSize: 1 }));
  await attempt(() => engine.createNodePool(T, { name: "r", machineType: "2c4g", minSize: 3, maxSize: 3 }));
  await attempt(() => engine.updateNodePool(T, "p", { machineType: "8c16g" }));
  await attempt(() => engine.createNodePool(T, { name: "s", machineType: "2c4g", minSize: 0, maxSize: 9 }));
  await attempt(() => engine.updateNodePool(T, "p", { maxSize: 9 }));
  await attempt(() => engine.deleteNodePool(T, "p"));
  await attempt(async () => engine.getDeployment(T, "nope"));
  // Nodes: cordon, drain, a moved pod, a failed node and its recovery, a pool scaled down.
  const [first, second] = engine.listNodes(T).items.filter((n) => !n.warm);
  if (!first || !second) throw new Error("expected two nodes");
  const pod = livePods(engine, T, "web").find((p) => p.nodeId === first.id) ?? livePods(engine, T, "web")[0];
  if (pod) await attempt(() => engine.movePod(T, pod.name, pod.nodeId === first.id ? second.name : first.name));
  if (pod) await attempt(() => engine.movePod(T, pod.name, pod.nodeName ?? ""));
  await settle();
  await engine.cordonNode(T, first.name);
  await engine.uncordonNode(T, first.name);
  await engine.drainNode(T, first.name);
  await settle();
  await engine.injectNodeFailure(second.id);
  await engine.runFor(400_000, collect);
  await engine.recoverNode(second.id);
  await settle();
  // Over quota after the fact: replica sets are refused pods (FailedCreate).
  await engine.setQuota(T, { pods: 1, cpu: "6", nodes: 3 });
  for (const p of livePods(engine, T, "crash")) await engine.deletePod(T, p.name, { gracePeriodSeconds: 0 });
  await settle();
  await engine.updateNodePool(T, "p", { minSize: 0 });
  await engine.deleteDeployment(T, "crash");
  await engine.runFor(900_000, collect);

  collect();
  await engine.stop();
  return { texts: [...texts], errors };
}

describe("the engine's message templates", () => {
  it("read every event, condition and error the engine produces, into keys both catalogs have", async () => {
    const { texts, errors } = await runThroughTheEngine();
    const unread = texts.filter((t) => !parseEngineMessage(t));
    expect(unread).toEqual([]);
    // The run reaches the paths people meet most (so a reworded one is caught here).
    const seen = new Set(texts.map((t) => parseEngineMessage(t)?.key));
    for (const id of [
      "scheduled",
      "noNodesAvailable",
      "failedCreate",
      "pullFailed",
      "restartBackOff",
      "crashLoopBackOff",
      "oomKilledLimit",
      "nodeLost",
      "replicaSetTimedOut",
      "notTriggerScaleUp",
      "noPoolFitsPod",
    ]) {
      expect(seen, id).toContain(`engineMessages.${id}`);
    }
    const errorTexts = errors.map((e) => {
      if (!isEngineError(e)) throw e;
      return e;
    });
    expect(errorTexts.length).toBeGreaterThanOrEqual(8);
    // Each refusal added for issue 11 is reached and read (so a reworded one is caught here).
    const errorKeys = new Set(
      errorTexts.flatMap((e) => keysOf((e.detail ?? parseEngineMessage(e.message)) as MessageRef)),
    );
    for (const id of [
      "podTooBig",
      "memoryBelowMinimumBytes",
      "memoryBelowMinimum",
      "issueList",
      "notCpu",
      "cpuLimitBelowRequest",
      "valueNul",
      "valueSurrogate",
      "keyNul",
      "keySurrogate",
      "containerNamesUnique",
      "poolMaxAboveQuota",
      "poolBusy",
    ]) {
      expect(errorKeys, id).toContain(`engineMessages.${id}`);
    }
    for (const e of errorTexts) expect(e.detail ?? parseEngineMessage(e.message), e.message).toBeDefined();
    // The new refusals say the engine's English word for word, a real translation in Chinese, and name their field.
    const verbatim = new Set([
      "memoryBelowMinimumBytes",
      "memoryBelowMinimum",
      "issueList",
      "cpuLimitBelowRequest",
      "valueNul",
      "valueSurrogate",
      "keyNul",
      "keySurrogate",
      "containerNamesUnique",
    ]);
    for (const e of errorTexts) {
      const ref = parseEngineMessage(e.message);
      if (!ref || !keysOf(ref).some((k) => verbatim.has(k.replace("engineMessages.", "")))) continue;
      expect(renderMessage(tEn, ref), e.message).toBe(e.message);
      expect(renderMessage(tZh, ref), e.message).not.toBe(e.message);
      expect(ref.field, e.message).toMatch(/^spec\.template\./);
    }
    const cpu = errorTexts
      .map((e) => parseEngineMessage(e.message))
      .find((r) => r && keysOf(r).includes("engineMessages.notCpu"));
    expect(cpu?.field).toBe("spec.template.spec.containers[0].resources.requests.cpu");
    const refs = [
      ...texts.map((t) => parseEngineMessage(t) as MessageRef),
      ...errorTexts.map((e) => (e.detail ?? parseEngineMessage(e.message)) as MessageRef),
    ];
    for (const ref of refs) {
      for (const key of keysOf(ref)) {
        expect(tEn.has(key), `en: ${key}`).toBe(true);
        expect(tZh.has(key), `zh-CN: ${key}`).toBe(true);
      }
      // A rendered message, not an empty string or a catalog key that leaked through.
      expect(renderMessage(tZh, ref)).toMatch(/\S/);
      expect(renderMessage(tZh, ref)).not.toMatch(/\b(engineMessages|appMessages|errors)\.[a-zA-Z]/);
    }
    // English events read as the engine wrote them (quota refusals inside them are reworded for people).
    for (const text of texts)
      if (!/exceeded quota/.test(text)) expect(renderMessage(tEn, parseEngineMessage(text) as MessageRef)).toBe(text);
  }, 60_000);

  it("translates the scheduler's reasons one by one and keeps a reason it does not know", () => {
    const ref = parseEngineMessage(
      "0/5 nodes are available: 3 Insufficient cpu, 1 node(s) were not ready, 1 Disk pressure.",
    ) as MessageRef;
    expect(renderMessage(tZh, ref)).toBe("0/5 个节点可用：3 个节点 CPU 不足，1 个节点未就绪，1 Disk pressure。");
  });

  it("reads Kubernetes' quota text into the same data as the quota admission attaches", () => {
    const ref = parseQuotaText(
      "exceeded quota: tenant-quota, requested: cpu=500m,pods=1, used: cpu=2,pods=3, limited: cpu=2,pods=3",
    ) as MessageRef;
    expect(renderMessage(tZh, ref)).toBe(
      "超出租户配额：CPU：再申请 500m，已用 2，上限 2；Pod 数：再申请 1，已用 3，上限 3。请减少申请量，或请运维人员提高配额。",
    );
    expect(renderMessage(tEn, ref)).toBe(
      "Over the tenant's quota: CPU: 500m more requested, 2 of 2 in use; pods: 1 more requested, 3 of 3 in use. Ask for less, or ask an operator for a larger quota.",
    );
  });

  it("answers undefined for a text it does not know, so callers show it as it is", () => {
    expect(parseEngineMessage("Backup finished: 3 volumes copied")).toBeUndefined();
    expect(
      parseEngineMessage("spec.replicas: Too big: expected number to be <=1000; spec.paused: Invalid input"),
    ).toBeUndefined();
  });
});
