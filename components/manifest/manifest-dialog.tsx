"use client";
/**
 * Edit an object as its Kubernetes manifest, or create objects from pasted manifests: the YAML
 * goes to the server, which applies it through the Kubernetes API's own write path (as
 * `kubectl apply` would), and each document's outcome comes back; a refusal's fields are marked
 * at their lines. Editing sends the text it loaded beside the edit, so only the person's changes
 * are written (as `kubectl edit` does): a change made meanwhile to a field they did not touch
 * stays, one to a field they changed too is refused (Conflict) instead of overwritten.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useTRPC } from "@/components/trpc";
import { Button } from "@/components/ui/button";
import { ErrorNote } from "@/components/ui/panel";
import { KubectlCommand } from "./kubectl-command";
import { type Diagnostic, fieldDiagnostic } from "./yaml-diagnostics";
import { YamlEditor } from "./yaml-editor";

export interface ManifestTarget {
  kind: string;
  name: string;
  namespace?: string;
}

export interface ApplyResult {
  index: number;
  kind: string;
  name: string;
  outcome: "created" | "configured" | "unchanged" | "skipped" | "failed";
  message?: string;
  reason?: string;
  causes?: { field: string; message: string }[];
  resourceVersion?: string;
}

/** What "Create from YAML" starts from, by the page it is opened on. */
export const STARTER_MANIFESTS = {
  Deployment: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 80
`,
  Service: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 80
`,
  NetworkPolicy: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-web
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes:
    - Ingress
  ingress:
    - from:
        - podSelector:
            matchLabels:
              role: frontend
      ports:
        - protocol: TCP
          port: 80
`,
  ConfigMap: `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  color: blue
`,
} as const;
export type StarterManifest = keyof typeof STARTER_MANIFESTS;

/** Where each refused document's fields are, in the text that was sent. */
export function problemsOf(text: string, results: readonly ApplyResult[]): Diagnostic[] {
  return results
    .filter((r) => r.outcome === "failed")
    .flatMap((r) =>
      r.causes && r.causes.length > 0
        ? r.causes.map((c) => fieldDiagnostic(text, c.field, c.message, r.index))
        : [fieldDiagnostic(text, "metadata.name", r.message ?? r.outcome, r.index)],
    );
}

export function ManifestDialog(props: {
  open: boolean;
  onClose: () => void;
  /** The object to edit; absent: create from pasted YAML. */
  target?: ManifestTarget;
  readOnly?: boolean;
  /** Creating: the example the editor starts with (default a Deployment). */
  starter?: StarterManifest;
}) {
  const t = useTranslations("manifest");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { target } = props;
  const loaded = useQuery(
    trpc.manifests.get.queryOptions(target ?? { kind: "", name: "" }, {
      enabled: props.open && target !== undefined,
      // The editor keeps what the person typed: no refetch behind their back.
      staleTime: Number.POSITIVE_INFINITY,
      refetchOnWindowFocus: false,
    }),
  );
  const initial = target ? loaded.data?.yaml : STARTER_MANIFESTS[props.starter ?? "Deployment"];
  const [text, setText] = useState(initial ?? "");
  const [sent, setSent] = useState("");
  useEffect(() => setText(initial ?? ""), [initial]);

  const apply = useMutation(
    trpc.manifests.applyYaml.mutationOptions({
      onSettled: (data, _e, vars) => {
        setSent(vars.yaml);
        // Only when something was stored: reloading after a refusal would replace the person's
        // edit (and its marked lines) with the object's newest version.
        const stored = data?.results.some((r) => r.outcome === "created" || r.outcome === "configured");
        if (stored && !vars.dryRun) void queryClient.invalidateQueries();
      },
    }),
  );
  const results = (apply.data?.results ?? []) as ApplyResult[];
  const problems = useMemo(() => problemsOf(sent, results), [sent, results]);
  const conflict = results.some((r) => r.reason === "Conflict");

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) {
      apply.reset();
      dialog.showModal();
    } else if (!props.open && dialog.open) dialog.close();
  }, [props.open, apply]);

  const reload = async () => {
    apply.reset();
    await loaded.refetch();
  };

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={props.onClose}
      className="m-auto w-full max-w-4xl rounded-lg border border-zinc-200 bg-white p-6 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <h2 id={titleId} className="text-lg font-semibold">
        {target ? t("title", { kind: target.kind, name: target.name }) : t("createTitle")}
      </h2>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        {props.readOnly ? t("readOnly") : target ? t("intro") : t("createIntro")}
      </p>
      <div className="mt-4">
        {target && loaded.isPending ? (
          <p className="text-sm">{t("loading")}</p>
        ) : target && loaded.isError ? (
          <ErrorNote message={loaded.error.message} />
        ) : props.open ? (
          <YamlEditor
            initial={initial ?? ""}
            onChange={setText}
            problems={problems}
            readOnly={props.readOnly}
            label={t("editorLabel")}
          />
        ) : null}
      </div>
      {loaded.data?.kubectl ? (
        <div className="mt-3">
          <p className="mb-1 text-xs text-zinc-500">{t("kubectl")}</p>
          <KubectlCommand command={loaded.data.kubectl} />
        </div>
      ) : null}
      <ApplyOutcome results={results} warnings={apply.data?.warnings ?? []} dryRun={apply.variables?.dryRun} />
      <ErrorNote message={apply.isError ? apply.error.message : null} />
      {problems.length > 0 ? (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
          {t("problems", { count: problems.length })}
        </p>
      ) : null}
      <div className="mt-6 flex flex-wrap justify-end gap-2">
        {conflict ? (
          <Button variant="secondary" onClick={reload}>
            {t("reload")}
          </Button>
        ) : null}
        <Button variant="secondary" onClick={props.onClose}>
          {t("cancel")}
        </Button>
        {props.readOnly ? null : (
          <>
            <Button
              variant="secondary"
              disabled={apply.isPending || text.trim() === ""}
              onClick={() => apply.mutate({ yaml: text, original: loaded.data?.yaml, dryRun: true })}
            >
              {t("dryRun")}
            </Button>
            <Button
              disabled={apply.isPending || text.trim() === ""}
              onClick={() => apply.mutate({ yaml: text, original: loaded.data?.yaml, dryRun: false })}
            >
              {apply.isPending ? t("saving") : target ? t("save") : t("create")}
            </Button>
          </>
        )}
      </div>
    </dialog>
  );
}

function ApplyOutcome({ results, warnings, dryRun }: { results: ApplyResult[]; warnings: string[]; dryRun?: boolean }) {
  const t = useTranslations("manifest");
  if (results.length === 0) return null;
  const allFine = results.every((r) => r.outcome !== "failed");
  return (
    <div className="mt-3 text-sm" data-testid="apply-results">
      {dryRun && allFine ? <p>{t("valid")}</p> : null}
      <ul className="list-disc pl-5">
        {results.map((r) => (
          <li key={r.index} className={r.outcome === "failed" ? "text-red-700 dark:text-red-400" : undefined}>
            {r.outcome === "created"
              ? t("resultCreated", { kind: r.kind, name: r.name })
              : r.outcome === "configured"
                ? t("resultConfigured", { kind: r.kind, name: r.name })
                : r.outcome === "unchanged"
                  ? t("resultUnchanged", { kind: r.kind, name: r.name })
                  : r.outcome === "skipped"
                    ? t("resultSkipped", { kind: r.kind, name: r.name })
                    : t("resultFailed", { kind: r.kind, name: r.name, message: r.message ?? "" })}
          </li>
        ))}
      </ul>
      {warnings.length > 0 ? (
        <div className="mt-2">
          <p className="font-medium">{t("warnings")}</p>
          <ul className="list-disc pl-5 text-amber-700 dark:text-amber-400">
            {warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
