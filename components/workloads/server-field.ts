/**
 * Where in the wizard's form a server refusal belongs. The server names the input it is about
 * as data (`field`, a path like `spec.replicas`; `fieldErrors`, messages by input name), in
 * every language; its message is in the reader's language and is never parsed for a field.
 */

/** What a failed create brings back (server/actions/run.ts ActionResult). */
export interface ServerRefusal {
  error: string;
  field?: string;
  fieldErrors?: Record<string, string[] | undefined>;
}

const CONTAINER = /^template\.spec\.containers\[0\]\./;

/**
 * The form field for an input path, as the engine (`spec.template.spec.containers[0].image`)
 * or the procedure's input (`template.spec.containers[0].image`, `replicas`) names it; null
 * for inputs the form has no field for.
 */
export function formFieldOfPath(path: string): string | null {
  const p = path.replace(/^spec\.(?=template\b|replicas\b|strategy\b)/, "");
  if (p === "name" || p === "replicas" || p === "strategy.maxSurge" || p === "strategy.maxUnavailable")
    return p.replace(/^strategy\./, "");
  // Both zero: the one a person most likely meant to raise.
  if (p === "strategy") return "maxUnavailable";
  if (p === "template.spec.restartPolicy") return "restartPolicy";
  if (!CONTAINER.test(p)) return null;
  const c = p.replace(CONTAINER, "");
  const containerFields: Record<string, string> = {
    image: "image",
    "resources.requests.cpu": "cpu",
    "resources.requests.memory": "memory",
    "resources.limits.cpu": "cpuLimit",
    "resources.limits.memory": "memoryLimit",
  };
  if (containerFields[c]) return containerFields[c];
  const env = /^env\[(\d+)\]\.name$/.exec(c);
  if (env) return `env.${env[1]}.name`;
  const port = /^ports\[(\d+)\]\.containerPort$/.exec(c);
  return port ? `ports.${port[1]}.containerPort` : null;
}

/** The form field and the message to show there; field null: the form's general banner. */
export function placeServerError(r: ServerRefusal): { field: string | null; message: string } {
  const named = r.field ? formFieldOfPath(r.field) : null;
  if (named) return { field: named, message: r.error };
  for (const [input, messages] of Object.entries(r.fieldErrors ?? {})) {
    const field = formFieldOfPath(input);
    const first = messages?.[0];
    if (field && first) return { field, message: first };
  }
  return { field: null, message: r.error };
}
