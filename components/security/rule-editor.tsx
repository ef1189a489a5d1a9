"use client";
/**
 * One direction's rules of a security group, as rows of fields: protocol, port range, remote
 * (a CIDR or another group of the tenant), allow/deny, priority and description. Each field
 * shows its own problem (rule-draft.ts: the engine's checks) under it; a problem of the rule as
 * a whole (a duplicate) shows under the rule, and one of the direction (too many rules) above.
 */
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { DEFAULT_SECURITY_LIMITS } from "@/server/engine/network/security/limits";
import type { Direction } from "@/server/engine/network/security/types";
import { emptyRule, type Problem, type Problems, type RuleDraft, type RuleField, ruleProblems } from "./rule-draft";

/** A problem in the reader's language: the engine's words, or the form's own for a text box. */
export function useProblemText(): (p: Problem | undefined) => string | undefined {
  const t = useTranslations("security.problem");
  return (p) => (p === undefined ? undefined : "text" in p ? p.text : t(p.kind));
}

const PORTLESS = new Set(["icmp", "all"]);

function RuleRow({
  direction,
  index,
  rule,
  problems,
  shown,
  readOnly,
  groupNames,
  onChange,
  onBlur,
  onRemove,
}: {
  direction: Direction;
  index: number;
  rule: RuleDraft;
  problems: Problems;
  shown: (field: RuleField | "rule") => boolean;
  readOnly: boolean;
  groupNames: readonly string[];
  onChange: (rule: RuleDraft) => void;
  onBlur: (field: RuleField) => void;
  onRemove: () => void;
}) {
  const t = useTranslations("security.rule");
  const say = useProblemText();
  const mine = ruleProblems(problems, direction, index);
  const error = (f: RuleField) => (shown(f) ? (say(mine[f]) ?? null) : null);
  const set = (patch: Partial<RuleDraft>) => onChange({ ...rule, ...patch });
  const field = (f: RuleField) => ({ disabled: readOnly, onBlur: () => onBlur(f), error: error(f) });
  const portless = PORTLESS.has(rule.protocol);
  const remoteListId = `groups-${direction}-${index}`;
  return (
    <fieldset className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
      <legend className="px-1 text-sm font-medium">
        {t(direction === "ingress" ? "legendIngress" : "legendEgress", { n: index + 1 })}
      </legend>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <SelectField
          label={t("protocol")}
          value={rule.protocol}
          {...field("protocol")}
          onChange={(e) => {
            const protocol = e.target.value as RuleDraft["protocol"];
            // icmp and "all" take no ports: clear them rather than leave a refusal behind.
            set(PORTLESS.has(protocol) ? { protocol, portRangeMin: "", portRangeMax: "" } : { protocol });
          }}
        >
          {(["tcp", "udp", "icmp", "all"] as const).map((p) => (
            <option key={p} value={p}>
              {t(`protocols.${p}`)}
            </option>
          ))}
        </SelectField>
        <TextField
          label={t("portFrom")}
          inputMode="numeric"
          placeholder={portless ? t("noPorts") : t("allPorts")}
          value={rule.portRangeMin}
          {...field("portRangeMin")}
          disabled={readOnly || portless}
          onChange={(e) => set({ portRangeMin: e.target.value })}
        />
        <TextField
          label={t("portTo")}
          inputMode="numeric"
          placeholder={portless ? t("noPorts") : t("samePort")}
          value={rule.portRangeMax}
          {...field("portRangeMax")}
          disabled={readOnly || portless}
          onChange={(e) => set({ portRangeMax: e.target.value })}
        />
        <SelectField
          label={t("action")}
          value={rule.action}
          {...field("action")}
          onChange={(e) => set({ action: e.target.value as RuleDraft["action"] })}
        >
          <option value="allow">{t("allow")}</option>
          <option value="deny">{t("deny")}</option>
        </SelectField>
        <SelectField
          label={t("remoteKind")}
          value={rule.remoteKind}
          disabled={readOnly}
          onChange={(e) => set({ remoteKind: e.target.value as RuleDraft["remoteKind"] })}
        >
          <option value="cidr">{t("remoteCidr")}</option>
          <option value="group">{t("remoteGroup")}</option>
        </SelectField>
        {rule.remoteKind === "cidr" ? (
          <TextField
            label={t("remoteAddress")}
            placeholder="0.0.0.0/0"
            hint={t("remoteAddressHint")}
            value={rule.remoteAddress}
            {...field("remoteAddress")}
            onChange={(e) => set({ remoteAddress: e.target.value })}
          />
        ) : (
          <>
            <TextField
              label={t("remoteSecurityGroup")}
              list={remoteListId}
              value={rule.remoteSecurityGroup}
              {...field("remoteSecurityGroup")}
              onChange={(e) => set({ remoteSecurityGroup: e.target.value })}
            />
            <datalist id={remoteListId}>
              {groupNames.map((g) => (
                <option key={g} value={g} />
              ))}
            </datalist>
          </>
        )}
        <TextField
          label={t("priority")}
          inputMode="numeric"
          hint={t("priorityHint")}
          value={rule.priority}
          {...field("priority")}
          onChange={(e) => set({ priority: e.target.value })}
        />
        <TextField
          label={t("description")}
          value={rule.description}
          {...field("description")}
          onChange={(e) => set({ description: e.target.value })}
        />
      </div>
      <div className="mt-2 flex items-center justify-between gap-3">
        <p role={mine.rule && shown("rule") ? "alert" : undefined} className="text-xs text-red-600 dark:text-red-400">
          {shown("rule") ? say(mine.rule) : null}
        </p>
        {readOnly ? null : (
          <Button variant="ghost" onClick={onRemove}>
            {t("remove", { n: index + 1 })}
          </Button>
        )}
      </div>
    </fieldset>
  );
}

/**
 * `shown(ruleKey, field)`: whether a rule's problem at that field is shown yet (the field was
 * left, or a save was tried); keyed by the rule's own key, so removing a rule moves nothing.
 */
export function RuleEditor({
  direction,
  rules,
  problems,
  shown,
  readOnly,
  groupNames,
  onChange,
  onBlur,
}: {
  direction: Direction;
  rules: readonly RuleDraft[];
  problems: Problems;
  shown: (ruleKey: string, field: RuleField | "rule") => boolean;
  readOnly: boolean;
  groupNames: readonly string[];
  onChange: (rules: RuleDraft[]) => void;
  onBlur: (ruleKey: string, field: RuleField) => void;
}) {
  const t = useTranslations("security.rule");
  const say = useProblemText();
  const limit = DEFAULT_SECURITY_LIMITS.rulesPerGroup;
  const directionProblem = say(problems[direction]);
  return (
    <div className="space-y-3">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {t(direction === "ingress" ? "countIngress" : "countEgress", { count: rules.length, limit })}
      </p>
      {directionProblem ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {directionProblem}
        </p>
      ) : null}
      {rules.length === 0 ? (
        <p className="rounded-md border border-dashed border-zinc-300 p-4 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          {t(direction === "ingress" ? "noneIngress" : "noneEgress")}
        </p>
      ) : null}
      {rules.map((rule, i) => (
        <RuleRow
          key={rule.key}
          direction={direction}
          index={i}
          rule={rule}
          problems={problems}
          readOnly={readOnly}
          groupNames={groupNames}
          shown={(f) => shown(rule.key, f)}
          onBlur={(f) => onBlur(rule.key, f)}
          onChange={(next) => onChange(rules.map((r, j) => (j === i ? next : r)))}
          onRemove={() => onChange(rules.filter((_, j) => j !== i))}
        />
      ))}
      {readOnly ? null : (
        <Button variant="secondary" disabled={rules.length >= limit} onClick={() => onChange([...rules, emptyRule()])}>
          {t(direction === "ingress" ? "addIngress" : "addEgress")}
        </Button>
      )}
    </div>
  );
}
