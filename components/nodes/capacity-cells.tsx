"use client";
import { useTranslations } from "next-intl";
import { formatCores } from "@/components/format";
import { Td } from "@/components/ui/table";
import { formatGiB, UsageBar } from "./usage-bar";

interface NodeAllocation {
  name: string;
  allocated: { cpuMillis: number; memoryBytes: number; pods: number };
  capacity: { cpuMillis: number; memoryBytes: number; pods: number };
}

/** The cpu, memory and pod bars of a node's row: what is allocated against its capacity. */
export function NodeCapacityCells({ node: n }: { node: NodeAllocation }) {
  const t = useTranslations("nodesPage");
  const tc = useTranslations("cluster");
  return (
    <>
      <Td>
        <UsageBar
          compact
          label={t("cpuOf", { node: n.name })}
          used={n.allocated.cpuMillis}
          total={n.capacity.cpuMillis}
          text={tc("ofCores", { used: formatCores(n.allocated.cpuMillis), total: formatCores(n.capacity.cpuMillis) })}
        />
      </Td>
      <Td>
        <UsageBar
          compact
          label={t("memoryOf", { node: n.name })}
          used={n.allocated.memoryBytes}
          total={n.capacity.memoryBytes}
          text={tc("ofGib", { used: formatGiB(n.allocated.memoryBytes), total: formatGiB(n.capacity.memoryBytes) })}
        />
      </Td>
      <Td>
        <UsageBar
          compact
          label={t("podsOf", { node: n.name })}
          used={n.allocated.pods}
          total={n.capacity.pods}
          text={tc("ofCount", { used: n.allocated.pods, total: n.capacity.pods })}
        />
      </Td>
    </>
  );
}
