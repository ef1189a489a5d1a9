"use client";
/**
 * A security group's form: its name, how it attaches to pods (a label selector, optionally in
 * some namespaces, or as the default of namespaces), same-group traffic, and its inbound and
 * outbound rules on two tabs. Problems show at their field as soon as the field is left (and
 * all of them once a save is tried): they are the engine's own checks (rule-draft.ts), so a
 * group the form accepts is one the server accepts. A refusal the server still makes (a
 * remote group deleted meanwhile, a conflict) shows at the field it names, else above the save.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "@/components/trpc";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Card, ErrorNote } from "@/components/ui/panel";
import type { SecurityGroupView } from "@/server/trpc/views/security-groups";
import { RuleEditor, useProblemText } from "./rule-editor";
import { type FieldKey, fieldKeyOfPath, type GroupDraft, groupProblems, inputOfDraft, problemAt } from "./rule-draft";
import { Tabs } from "./tabs";

type ServerRefusal = { key: FieldKey | null; text: string };

/** Where the server's refusal belongs: the field its `data.field` names, else the banner. */
function refusalOf(error: { message: string; data?: unknown } | null): ServerRefusal | null {
  if (!error) return null;
  const field = (error.data as { field?: string } | undefined)?.field;
  const key = field ? fieldKeyOfPath(field) : null;
  return key && field ? { key, text: problemAt(error.message, field) } : { key: null, text: error.message };
}

export function GroupForm({
  initial,
  existing,
  readOnly,
  groupNames,
  onSaved,
}: {
  initial: GroupDraft;
  /** Editing a stored group: its resourceVersion (a save after someone else's is refused, CONFLICT). */
  existing?: { resourceVersion: string };
  readOnly: boolean;
  /** The tenant's groups, offered as remotes and checked as the server checks them. */
  groupNames: readonly string[];
  onSaved: (group: SecurityGroupView) => void;
}) {
  const t = useTranslations("security.form");
  const say = useProblemText();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(initial);
  const [tab, setTab] = useState<"ingress" | "egress">("ingress");
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [tried, setTried] = useState(false);
  const [refusal, setRefusal] = useState<ServerRefusal | null>(null);
  const problems = groupProblems(draft, new Set(groupNames));
  const invalid = Object.keys(problems).length > 0;
  const settled = () => queryClient.invalidateQueries({ queryKey: trpc.security.pathKey() });
  const onError = (e: { message: string; data?: unknown }) => setRefusal(refusalOf(e));
  const create = useMutation(trpc.security.create.mutationOptions({ onSettled: settled, onError }));
  const update = useMutation(trpc.security.update.mutationOptions({ onSettled: settled, onError }));
  const busy = create.isPending || update.isPending;

  const edit = (patch: Partial<GroupDraft>) => {
    setRefusal(null);
    setDraft((d) => ({ ...d, ...patch }));
  };
  const touch = (key: string) => setTouched((s) => new Set(s).add(key));
  const groupFieldError = (key: FieldKey) =>
    refusal?.key === key ? refusal.text : tried || touched.has(key) ? (say(problems[key]) ?? null) : null;
  // A rule's fields are touched by the rule's own key (its problems are found by its index);
  // a problem of the whole rule (a duplicate) shows once any of its fields was left.
  const ruleShown = (ruleKey: string, field: string) =>
    tried ||
    (field === "rule" ? [...touched].some((k) => k.startsWith(`${ruleKey}.`)) : touched.has(`${ruleKey}.${field}`));
  const ruleRefusal = refusal?.key && /^(ingress|egress)\./.test(refusal.key) ? refusal : null;

  const save = () => {
    setTried(true);
    setRefusal(null);
    if (invalid) {
      // Show the tab where the first problem is.
      const first = Object.keys(problems)[0];
      if (first?.startsWith("egress")) setTab("egress");
      else if (first?.startsWith("ingress")) setTab("ingress");
      return;
    }
    const input = inputOfDraft(draft);
    const done = { onSuccess: (saved: SecurityGroupView) => onSaved(saved) };
    if (existing) update.mutate({ ...input, resourceVersion: existing.resourceVersion }, done);
    else create.mutate(input, done);
  };

  const rules = (direction: "ingress" | "egress") => (
    <RuleEditor
      direction={direction}
      rules={direction === "ingress" ? draft.ingressRules : draft.egressRules}
      problems={ruleRefusal ? { ...problems, [ruleRefusal.key as string]: { text: ruleRefusal.text } } : problems}
      shown={(key, field) => ruleShown(key, field) || ruleRefusal !== null}
      readOnly={readOnly}
      groupNames={groupNames}
      onBlur={(key, field) => touch(`${key}.${field}`)}
      onChange={(next) => edit(direction === "ingress" ? { ingressRules: next } : { egressRules: next })}
    />
  );

  return (
    <form
      noValidate
      className="space-y-4"
      aria-label={existing ? t("editLabel", { name: initial.name }) : t("createLabel")}
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <Card>
        <div className="grid gap-3 md:grid-cols-2">
          <TextField
            label={t("name")}
            hint={existing ? t("nameFixed") : t("nameHint")}
            value={draft.name}
            disabled={readOnly || existing !== undefined}
            error={groupFieldError("name")}
            onBlur={() => touch("name")}
            onChange={(e) => edit({ name: e.target.value })}
          />
          <SelectField
            label={t("attach")}
            value={draft.attach}
            disabled={readOnly}
            onChange={(e) => edit({ attach: e.target.value as GroupDraft["attach"] })}
          >
            <option value="none">{t("attachNone")}</option>
            <option value="selector">{t("attachSelector")}</option>
            <option value="namespaceDefault">{t("attachDefault")}</option>
          </SelectField>
          {draft.attach === "selector" ? (
            <>
              <TextField
                label={t("selector")}
                placeholder="app=web"
                hint={t("selectorHint")}
                value={draft.selector}
                disabled={readOnly}
                error={groupFieldError("selector")}
                onBlur={() => touch("selector")}
                onChange={(e) => edit({ selector: e.target.value })}
              />
              <TextField
                label={t("namespaces")}
                hint={t("namespacesHint")}
                value={draft.namespaces}
                disabled={readOnly}
                error={groupFieldError("namespaces")}
                onBlur={() => touch("namespaces")}
                onChange={(e) => edit({ namespaces: e.target.value })}
              />
            </>
          ) : null}
          {draft.attach === "namespaceDefault" ? (
            <TextField
              label={t("defaultFor")}
              hint={t("defaultForHint")}
              value={draft.defaultForNamespaces}
              disabled={readOnly}
              error={groupFieldError("defaultForNamespaces")}
              onBlur={() => touch("defaultForNamespaces")}
              onChange={(e) => edit({ defaultForNamespaces: e.target.value })}
            />
          ) : null}
        </div>
        <label className="mt-3 flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={draft.allowSameGroupTraffic}
            disabled={readOnly}
            onChange={(e) => edit({ allowSameGroupTraffic: e.target.checked })}
          />
          {t("sameGroup")}
        </label>
      </Card>
      <Tabs
        label={t("rulesTabs")}
        tabs={[
          { key: "ingress", label: t("ingressTab", { count: draft.ingressRules.length }) },
          { key: "egress", label: t("egressTab", { count: draft.egressRules.length }) },
        ]}
        selected={tab}
        onSelect={setTab}
      >
        {rules(tab)}
      </Tabs>
      {readOnly ? null : (
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={busy}>
            {existing ? t("save") : t("create")}
          </Button>
          {tried && invalid ? <p className="text-sm text-red-600 dark:text-red-400">{t("fixProblems")}</p> : null}
        </div>
      )}
      <ErrorNote message={refusal && refusal.key === null ? refusal.text : null} />
    </form>
  );
}
