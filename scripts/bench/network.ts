/**
 * Network benchmark: `npm run bench:network [-- --only forwarding,ipam,qos,filter] [-- --quick]`.
 * The tenant-network control plane's data structures (server/engine/network), each scenario with
 * its same-run baseline where the issue asks for a comparison:
 * - forwarding: per-tenant service tables against a global table rebuilt as kube-proxy's
 *   iptables mode does (update and first-packet lookup at 1,000 and 10,000 services);
 * - ipam: address allocations and releases per second (a tenant subnet, the public pool);
 * - qos: a contended NIC's guarantees, lending and PPS cap, and the model's cost for 30,000 pods;
 * - filter: packet decisions per second at 1, 60 and 1,000 rules, and the connectivity check.
 * stdout: one JSON line per figure set (`scenario` names it). stderr: progress.
 */
import { log } from "./lib";

const SCENARIOS = {
  forwarding: () => import("./network/forwarding"),
  ipam: () => import("./network/ipam"),
  qos: () => import("./network/qos"),
  filter: () => import("./network/filter"),
} as const;
type Scenario = keyof typeof SCENARIOS;

function selected(argv: string[]): Scenario[] {
  const names: string[] = [];
  argv.forEach((a, i) => {
    if (a === "--only" && argv[i + 1]) names.push(...(argv[i + 1] as string).split(","));
    else if (a.startsWith("--only=")) names.push(...a.slice(7).split(","));
  });
  const known = Object.keys(SCENARIOS) as Scenario[];
  for (const n of names)
    if (!known.includes(n as Scenario)) throw new Error(`unknown scenario "${n}" (one of ${known.join(", ")})`);
  return names.length > 0 ? (names as Scenario[]) : known;
}

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
for (const name of selected(argv)) {
  log(`network: ${name}${quick ? " (quick)" : ""}`);
  const { run } = await SCENARIOS[name]();
  for (const line of await run({ quick })) process.stdout.write(`${JSON.stringify(line)}\n`);
}
