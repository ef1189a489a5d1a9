#!/usr/bin/env node
/** Every catalog part has the same keys and ICU placeholders in every language. */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "messages");
const locales = ["en", "zh-CN"];
const files = ["", ...readdirSync(path.join(root, "en")).map((f) => `/${f}`)];
const flatten = (obj, prefix = "") =>
  Object.entries(obj).flatMap(([k, v]) =>
    v && typeof v === "object" ? flatten(v, `${prefix}${k}.`) : [[`${prefix}${k}`, String(v)]],
  );
const placeholders = (s) =>
  [...s.matchAll(/\{(\w+)/g)]
    .map((m) => m[1])
    .sort()
    .join(",");

const problems = [];
for (const file of files) {
  const load = (l) =>
    new Map(flatten(JSON.parse(readFileSync(file ? path.join(root, l, file) : path.join(root, `${l}.json`), "utf8"))));
  const [base, ...others] = locales.map(load);
  others.forEach((other, i) => {
    const l = locales[i + 1];
    for (const [k, v] of base) {
      if (!other.has(k)) problems.push(`${l}${file}: missing ${k}`);
      else if (placeholders(v) !== placeholders(other.get(k)))
        problems.push(`${l}${file}: placeholders differ in ${k}`);
    }
    for (const k of other.keys()) if (!base.has(k)) problems.push(`${l}${file}: extra ${k}`);
  });
}
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`catalogs: ${files.length} part(s) in ${locales.length} languages agree`);
