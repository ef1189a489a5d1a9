/**
 * For tests of `/api/metrics`: a reader of the Prometheus text format 0.0.4 as prom-client writes
 * it (one `# HELP` and one `# TYPE` line per family, then its samples, no timestamps), and
 * `promtool check metrics` run on a body. Strict: a line it cannot read throws, so a malformed
 * body fails the test that reads it.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: string;
  help: string;
  samples: Sample[];
}

const labelPattern = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/y;

function readLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  labelPattern.lastIndex = 0;
  while (labelPattern.lastIndex < text.length) {
    const m = labelPattern.exec(text);
    if (!m) throw new Error(`cannot read the labels {${text}}`);
    labels[m[1] as string] = (m[2] as string).replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
  }
  return labels;
}

export function parseExposition(body: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const family = (name: string) => {
    let f = families.get(name);
    if (!f) {
      f = { name, type: "untyped", help: "", samples: [] };
      families.set(name, f);
    }
    return f;
  };
  for (const line of body.split("\n")) {
    if (line === "") continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      const f = family(meta[2] as string);
      if (meta[1] === "HELP") f.help = meta[3] as string;
      else f.type = meta[3] as string;
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) throw new Error(`cannot read the line: ${line}`);
    const value = Number(sample[3]);
    if (Number.isNaN(value)) throw new Error(`not a number in: ${line}`);
    family(sample[1] as string).samples.push({ labels: readLabels(sample[2] ?? ""), value });
  }
  return families;
}

export const promtoolPath = "/usr/bin/promtool";
export const hasPromtool = existsSync(promtoolPath);

/** `promtool check metrics` on `body` (on stdin): its exit status and what it printed. */
export function promtoolCheck(body: string): { status: number | null; output: string } {
  const run = spawnSync(promtoolPath, ["check", "metrics"], { input: body, encoding: "utf8", timeout: 30_000 });
  if (run.error) throw run.error;
  return { status: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}
