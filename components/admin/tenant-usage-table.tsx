"use client";
import { useTranslations } from "next-intl";
import { formatCores } from "@/components/format";
import { formatGiB, UsageBar } from "@/components/nodes/usage-bar";
import { TextField } from "@/components/ui/field";
import { PageButtons } from "@/components/ui/page-buttons";
import { Table, Td } from "@/components/ui/table";
import { useClientPages } from "@/components/ui/use-client-pages";
import type { TenantUsage } from "@/server/engine/api/operator-queries";

type Row = TenantUsage & { tenantName: string | null };

const pageSize = 20;

/**
 * Capacity and usage of every tenant in the engine, searchable by name or id, a page at a time.
 * Used is what the pods bound to a tenant's nodes request; Pending pods take no room and are
 * shown beside the pod bar instead.
 */
export function TenantUsageTable({ rows }: { rows: Row[] }) {
  const tc = useTranslations("adminCluster");
  const cl = useTranslations("cluster");
  const tl = useTranslations("lists");
  const pages = useClientPages(
    rows,
    pageSize,
    (u, needle) => u.tenantId.toLowerCase().includes(needle) || (u.tenantName ?? "").toLowerCase().includes(needle),
  );
  return (
    <div className="space-y-3">
      <div className="max-w-sm">
        <TextField
          type="search"
          label={tc("usageSearch")}
          value={pages.query}
          onChange={(e) => pages.setQuery(e.target.value)}
          maxLength={100}
          hint={tl("matches", { count: pages.total })}
        />
      </div>
      <Table
        caption={tc("usageTitle")}
        head={[tc("tenant"), tc("nodes"), tc("deployments"), tc("cpu"), tc("memory"), tc("pods")]}
      >
        {pages.items.map((u) => (
          <tr key={u.tenantId}>
            <Td>
              <div className="font-medium">{u.tenantName ?? "—"}</div>
              <div className="font-mono text-xs text-zinc-500">{u.tenantId}</div>
            </Td>
            <Td className="tabular-nums">
              {u.quota.nodes !== undefined ? cl("ofCount", { used: u.nodes, total: u.quota.nodes }) : u.nodes}
            </Td>
            <Td className="tabular-nums">{u.deployments}</Td>
            <Td>
              <UsageBar
                compact
                label={tc("cpuOf", { tenant: u.tenantName ?? u.tenantId })}
                used={u.used.cpuMillis}
                total={u.capacity.cpuMillis}
                text={cl("ofCores", { used: formatCores(u.used.cpuMillis), total: formatCores(u.capacity.cpuMillis) })}
              />
              <QuotaNote
                value={
                  u.quota.cpuMillis !== undefined ? cl("cores", { value: formatCores(u.quota.cpuMillis) }) : undefined
                }
              />
            </Td>
            <Td>
              <UsageBar
                compact
                label={tc("memoryOf", { tenant: u.tenantName ?? u.tenantId })}
                used={u.used.memoryBytes}
                total={u.capacity.memoryBytes}
                text={cl("ofGib", { used: formatGiB(u.used.memoryBytes), total: formatGiB(u.capacity.memoryBytes) })}
              />
              <QuotaNote
                value={
                  u.quota.memoryBytes !== undefined ? cl("gib", { value: formatGiB(u.quota.memoryBytes) }) : undefined
                }
              />
            </Td>
            <Td>
              <UsageBar
                compact
                label={tc("podsOf", { tenant: u.tenantName ?? u.tenantId })}
                used={u.used.pods}
                total={u.capacity.pods}
                text={cl("ofCount", { used: u.used.pods, total: u.capacity.pods })}
              />
              <QuotaNote value={u.quota.pods !== undefined ? String(u.quota.pods) : undefined} />
              {u.pending > 0 ? (
                <div className="text-xs text-amber-700 dark:text-amber-400">
                  {tc("pendingPods", { count: u.pending })}
                </div>
              ) : null}
            </Td>
          </tr>
        ))}
      </Table>
      <PageButtons
        label={tc("usagePages")}
        page={pages.page}
        pages={pages.pages}
        onPrevious={pages.previous}
        onNext={pages.next}
      />
    </div>
  );
}

function QuotaNote({ value }: { value: string | undefined }) {
  const tc = useTranslations("adminCluster");
  return (
    <div className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
      {value === undefined ? tc("quotaNone") : tc("quotaOf", { value })}
    </div>
  );
}
