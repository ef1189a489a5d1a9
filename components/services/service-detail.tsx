"use client";
/**
 * One service: its addresses (ClusterIP, EXTERNAL-IP, the DNS name pods resolve it by), its
 * ports and selector, the endpoints its EndpointSlices hold (ready and not ready, by pod), and
 * the rows of the tenant's forwarding table that carry its traffic. Editing is its YAML (the
 * Kubernetes API's own validation); members may delete it after a confirmation.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type ReactNode, useState } from "react";
import { useCanWrite } from "@/components/console/use-current-role";
import { EditYamlButton, KubectlLine } from "@/components/manifest/manifest-actions";
import { inNamespace, useNamespace } from "@/components/namespaces/use-namespace";
import { EngineClock } from "@/components/nodes/engine-clock";
import { useTRPC } from "@/components/trpc";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Badge, Card, EmptyState, ErrorNote, PageHeader, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import { isNotFound, linkClass, NotFoundPanel } from "@/components/workloads/common";
import type { ServiceDetailViewOut } from "@/server/trpc/views/services";
import { externalAddress, portMapping, selectorText } from "./format";

export function ServiceDetail({ name }: { name: string }) {
  const t = useTranslations("services");
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const canWrite = useCanWrite();
  const { namespace } = useNamespace();
  const scope = namespace ? { namespace } : {};
  const svc = useQuery(
    trpc.services.get.queryOptions({ name, ...scope }, { retry: (n, e) => !isNotFound(e) && n < 2 }),
  );
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation(
    trpc.services.delete.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.services.list.queryKey() });
        router.push("/services");
      },
    }),
  );

  if (isNotFound(svc.error)) {
    return (
      <div>
        <PageHeader title={name} />
        <NotFoundPanel
          title={t("notFoundTitle")}
          body={t("notFoundBody", { name })}
          href="/services"
          linkLabel={t("backToList")}
        />
      </div>
    );
  }
  const s = svc.data;
  const target = s ? { kind: "Service", name, namespace: s.namespace } : undefined;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <nav aria-label={t("breadcrumb")} className="text-sm">
          <Link href="/services" className={linkClass}>
            {t("title")}
          </Link>
          <span className="px-1 text-zinc-400">/</span>
          <span>{name}</span>
        </nav>
        <EngineClock />
      </div>
      <PageHeader
        title={name}
        description={s ? <Badge>{s.type}</Badge> : undefined}
        actions={
          target ? (
            <>
              <EditYamlButton target={target} canWrite={canWrite} />
              {canWrite ? (
                <Button variant="danger" disabled={remove.isPending} onClick={() => setConfirming(true)}>
                  {t("delete")}
                </Button>
              ) : null}
            </>
          ) : null
        }
      />
      {target ? <KubectlLine target={target} /> : null}
      <ErrorNote message={remove.error?.message} />
      {svc.isPending ? (
        <SkeletonRows rows={4} />
      ) : svc.error ? (
        <ErrorNote message={t("loadError", { message: svc.error.message })} />
      ) : s ? (
        <>
          <Addresses s={s} />
          <Endpoints s={s} />
          <Forwarding s={s} />
        </>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title={t("deleteTitle", { name })}
        body={t("deleteBody", { name, namespace: s?.namespace ?? "" })}
        actionLabel={t("delete")}
        busy={remove.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          if (s) remove.mutate({ name, namespace: s.namespace, resourceVersion: s.resourceVersion });
          setConfirming(false);
        }}
      />
    </div>
  );
}

function Addresses({ s }: { s: ServiceDetailViewOut }) {
  const t = useTranslations("services");
  const rows: [string, string, string][] = [
    ["clusterIP", t("col.clusterIP"), s.clusterIP ?? t("allocating")],
    ["externalIP", t("col.externalIP"), externalAddress(s.externalIP, t("externalPending"))],
    ["dnsName", t("dnsName"), s.dnsName],
    ["selector", t("selector"), selectorText(s.selector)],
    ["sessionAffinity", t("sessionAffinity"), s.sessionAffinity],
  ];
  return (
    <Card title={t("addresses")}>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
        {rows.map(([key, label, value]) => (
          <div key={key} className="contents">
            <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
            <dd className="font-mono text-xs break-all" data-testid={`service-${key}`}>
              {value}
            </dd>
          </div>
        ))}
        <dt className="text-zinc-500 dark:text-zinc-400">{t("col.ports")}</dt>
        <dd>
          <ul className="font-mono text-xs">
            {s.ports.map((p) => (
              <li key={`${p.protocol}/${p.port}`}>{portMapping(p)}</li>
            ))}
          </ul>
        </dd>
      </dl>
      {s.type === "LoadBalancer" ? <PublicAddressNote s={s} /> : null}
    </Card>
  );
}

/** Where a LoadBalancer's public address comes from: the PublicIP bound to it, or how to get one. */
function PublicAddressNote({ s }: { s: ServiceDetailViewOut }) {
  const t = useTranslations("services");
  const link = (chunks: ReactNode) => (
    <Link href={inNamespace("/public-ips", s.namespace)} className={linkClass}>
      {chunks}
    </Link>
  );
  return (
    <p className="mt-3 text-xs text-zinc-500" data-testid="service-publicIp">
      {s.publicIp
        ? t.rich("boundPublicIp", { name: s.publicIp, link })
        : t.rich("pendingExternal", { pending: t("externalPending"), link })}
    </p>
  );
}

function Endpoints({ s }: { s: ServiceDetailViewOut }) {
  const t = useTranslations("services");
  const ready = s.endpoints.filter((e) => e.ready).length;
  return (
    <Card title={t("endpoints", { ready, total: s.endpoints.length })}>
      {s.endpoints.length === 0 ? (
        <EmptyState title={t("noEndpoints")}>{s.selector ? t("noEndpointsBody") : t("noSelectorBody")}</EmptyState>
      ) : (
        <Table caption={t("endpointsCaption")} head={[t("col.pod"), t("col.address"), t("col.node"), t("col.state")]}>
          {s.endpoints.map((e) => (
            <tr key={`${e.namespace}/${e.pod}/${e.address}`}>
              <Td className="font-mono text-xs">{e.pod}</Td>
              <Td className="font-mono text-xs">{e.address}</Td>
              <Td className="font-mono text-xs">{e.nodeName ?? "–"}</Td>
              <Td>
                {e.terminating ? (
                  <Badge tone="warn">{t("terminating")}</Badge>
                ) : e.ready ? (
                  <Badge tone="good">{t("ready")}</Badge>
                ) : (
                  <Badge tone="bad">{t("notReady")}</Badge>
                )}
              </Td>
            </tr>
          ))}
        </Table>
      )}
      {s.endpointPorts.length > 0 ? (
        <p className="mt-2 text-xs text-zinc-500">
          {t("endpointPorts", { ports: s.endpointPorts.map((p) => `${p.port}/${p.protocol}`).join(", ") })}
        </p>
      ) : null}
    </Card>
  );
}

function Forwarding({ s }: { s: ServiceDetailViewOut }) {
  const t = useTranslations("services");
  return (
    <Card title={t("forwarding")}>
      <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">{t("forwardingBody")}</p>
      {s.forwarding.length === 0 ? (
        <p className="text-sm">{t("noForwarding")}</p>
      ) : (
        <Table
          caption={t("forwarding")}
          head={[t("col.address"), t("col.ports"), t("col.affinity"), t("col.backends")]}
        >
          {s.forwarding.map((f) => (
            <tr key={`${f.address}:${f.port}/${f.protocol}`}>
              <Td className="font-mono text-xs">{f.address}</Td>
              <Td className="font-mono text-xs">
                {f.port}/{f.protocol}
                {f.portName ? ` (${f.portName})` : ""}
              </Td>
              <Td className="text-xs">{f.sessionAffinity}</Td>
              <Td className="font-mono text-xs">{f.backends.length === 0 ? t("noBackends") : f.backends.join(", ")}</Td>
            </tr>
          ))}
        </Table>
      )}
    </Card>
  );
}
