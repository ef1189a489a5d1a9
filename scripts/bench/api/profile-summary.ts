/**
 * `node --import tsx scripts/bench/api/profile-summary.ts <file.cpuprofile> [top]`: where a CPU
 * profile's time went: self time by function and by file, and inclusive time of the project's
 * own functions (so "listVisible" shows with what it calls). Percentages of the sampled time.
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error("usage: profile-summary.ts <file.cpuprofile> [top]");
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => {
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

/** The project's folder: run this from it (as npx does). */
const root = `file://${process.cwd()}/`;
const isOwn = (url: string) => url.startsWith(root) && !url.includes("/node_modules/");
const short = (url: string) =>
  url.startsWith(root) ? url.slice(root.length) : url.replace(/^.*node_modules\//, "nm:");
const label = (n: ProfileNode) =>
  `${n.callFrame.functionName || "(anonymous)"} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

/** Where a frame's code lives: a package, the database's wasm, node itself, or a project folder. */
const area = (n: ProfileNode): string => {
  const url = n.callFrame.url;
  if (url.startsWith("wasm://")) return "pglite (wasm)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg === "@electric-sql/pglite" ? "pglite (js)" : pkg;
  if (url.startsWith("node:"))
    return url
      .replace(/^node:internal\/(deps\/)?/, "node:")
      .split("/")
      .slice(0, 2)
      .join("/");
  if (isOwn(url)) return short(url).split("/").slice(0, 2).join("/");
  return n.callFrame.functionName.startsWith("(") ? n.callFrame.functionName : "native";
};

const selfByArea = new Map<string, number>();
const selfByFn = new Map<string, number>();
const selfByFile = new Map<string, number>();
const inclusive = new Map<string, number>();
for (const [id, us] of selfUs) {
  const n = byId.get(id) as ProfileNode;
  selfByFn.set(label(n), (selfByFn.get(label(n)) ?? 0) + us);
  selfByArea.set(area(n), (selfByArea.get(area(n)) ?? 0) + us);
  const f = short(n.callFrame.url) || n.callFrame.functionName;
  selfByFile.set(f, (selfByFile.get(f) ?? 0) + us);
  // Inclusive: once per distinct project function on the stack.
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const node = byId.get(cur) as ProfileNode;
    if (!isOwn(node.callFrame.url)) continue;
    const l = label(node);
    if (seen.has(l)) continue;
    seen.add(l);
    inclusive.set(l, (inclusive.get(l) ?? 0) + us);
  }
}
const print = (title: string, m: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
};
console.log(`sampled ${(total / 1000).toFixed(0)} ms`);
print("self time by area", selfByArea);
print("self time by function", selfByFn);
print("self time by file", selfByFile);
print("inclusive time, project functions", inclusive);
