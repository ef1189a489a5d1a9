"use client";
/**
 * The console shell's namespace selector: every namespace (the default) or one of the tenant's.
 * Lists read the selection through useNamespace and pass it to their queries.
 */
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useId } from "react";
import { useTRPC } from "@/components/trpc";
import { useNamespace } from "./use-namespace";

const ALL = "";

export function NamespaceSelector() {
  const t = useTranslations("namespaces");
  const trpc = useTRPC();
  const id = useId();
  const list = useQuery(trpc.namespaces.list.queryOptions());
  const { namespace, setNamespace } = useNamespace();
  const names = list.data?.items.map((n) => n.name) ?? [];
  // A selection the list does not hold (deleted, or typed into the URL) is still shown, not silently swapped.
  if (namespace && !names.includes(namespace)) names.push(namespace);
  return (
    <div className="flex items-center gap-2 text-sm">
      <label htmlFor={id} className="text-zinc-500 dark:text-zinc-400">
        {t("selector")}
      </label>
      <select
        id={id}
        value={namespace ?? ALL}
        onChange={(e) => setNamespace(e.target.value === ALL ? undefined : e.target.value)}
        className="h-8 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
      >
        <option value={ALL}>{t("all")}</option>
        {names.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </div>
  );
}
