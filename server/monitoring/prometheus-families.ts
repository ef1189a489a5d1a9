/**
 * The metric families of `/api/metrics` (prometheus.ts), with cAdvisor's and kube-state-metrics'
 * names, help texts, types and label names, made on a fresh registry for each scrape. Counters are
 * prom-client Counters written once per series with their cumulative total (counters.ts), so each
 * is typed `counter` in the exposition and `rate()` works on it.
 */
import { Counter, Gauge, type Registry } from "prom-client";
import type { ContainerTotals } from "./counters";

const containerLabels = ["tenant", "namespace", "pod", "container", "image", "node", "deployment", "revision"] as const;
const networkLabels = [...containerLabels, "interface"] as const;
const podLabels = ["tenant", "namespace", "pod", "uid"] as const;
const podContainerLabels = [...podLabels, "container"] as const;
const deploymentLabels = ["tenant", "namespace", "deployment"] as const;
/** `security_group` and `rule` only on a security group rule's deny (empty label = absent in Prometheus). */
const dropLabels = ["tenant", "namespace", "pod", "direction", "reason", "security_group", "rule"] as const;
/** The admitting rule: `rule` is its index in the group's direction list, or "same-group". */
const ruleHitLabels = ["tenant", "namespace", "pod", "direction", "security_group", "rule"] as const;
/** A PublicIP object (`publicip`: its name) and the address it holds. */
const publicIpLabels = ["tenant", "namespace", "publicip", "address"] as const;

/** cAdvisor's counters, each from one field of a container's totals. */
const containerCounters: readonly [string, string, keyof ContainerTotals][] = [
  ["container_cpu_usage_seconds_total", "Cumulative cpu time consumed in seconds.", "cpuSeconds"],
  [
    "container_cpu_cfs_throttled_seconds_total",
    "Total time duration the container has been throttled.",
    "cpuThrottledSeconds",
  ],
  ["container_fs_reads_bytes_total", "Cumulative count of bytes read.", "fsReadBytes"],
  ["container_fs_writes_bytes_total", "Cumulative count of bytes written.", "fsWriteBytes"],
  ["container_fs_reads_total", "Cumulative count of reads completed.", "fsReads"],
  ["container_fs_writes_total", "Cumulative count of writes completed.", "fsWrites"],
];
const networkCounters: readonly [string, string, keyof ContainerTotals][] = [
  ["container_network_receive_bytes_total", "Cumulative count of bytes received.", "netRxBytes"],
  ["container_network_transmit_bytes_total", "Cumulative count of bytes transmitted.", "netTxBytes"],
  ["container_network_receive_packets_total", "Cumulative count of packets received.", "netRxPackets"],
  ["container_network_transmit_packets_total", "Cumulative count of packets transmitted.", "netTxPackets"],
  [
    "container_network_receive_packets_dropped_total",
    "Cumulative count of packets dropped while receiving.",
    "netRxDropped",
  ],
  [
    "container_network_transmit_packets_dropped_total",
    "Cumulative count of packets dropped while transmitting.",
    "netTxDropped",
  ],
];

/** The families of one scrape on a fresh registry; a counter is written once per series, with its total. */
export function metricFamilies(registry: Registry) {
  const registers = [registry];
  const gauge = (name: string, help: string, labelNames: readonly string[]) =>
    new Gauge({ name, help, labelNames, registers });
  const counter = (name: string, help: string, labelNames: readonly string[]) =>
    new Counter({ name, help, labelNames, registers });
  return {
    containerCounters: containerCounters.map(([name, help, field]) => ({
      field,
      metric: counter(name, help, containerLabels),
    })),
    networkCounters: networkCounters.map(([name, help, field]) => ({
      field,
      metric: counter(name, help, networkLabels),
    })),
    networkDrops: counter(
      "tenant_network_drops_total",
      "Packets of the pod's modelled traffic dropped, by direction and reason (the filter or shaper that dropped them; for a security group rule's deny, the group and the rule's index).",
      dropLabels,
    ),
    ruleHits: {
      packets: counter(
        "tenant_network_rule_hits_packets_total",
        "Packets of the pod's modelled traffic a security group rule admitted, by direction, group and rule index (\"same-group\": the group's allowSameGroupTraffic), as they got through the pod's shaping.",
        ruleHitLabels,
      ),
      bytes: counter(
        "tenant_network_rule_hits_bytes_total",
        "Bytes of the pod's modelled traffic a security group rule admitted, by direction, group and rule index (\"same-group\": the group's allowSameGroupTraffic), as they got through the pod's shaping.",
        ruleHitLabels,
      ),
    },
    publicIp: {
      receiveBytes: counter(
        "public_ip_receive_bytes_total",
        "Bytes the public IP's holder received across the public network (the traffic model's achieved traffic).",
        publicIpLabels,
      ),
      transmitBytes: counter(
        "public_ip_transmit_bytes_total",
        "Bytes the public IP's holder sent out from it across the public network (the traffic model's achieved traffic).",
        publicIpLabels,
      ),
      blackholedPackets: counter(
        "public_ip_blackholed_packets_total",
        "Packets to the public IP dropped while DDoS protection black-holed it.",
        publicIpLabels,
      ),
      blackholed: gauge(
        "public_ip_blackholed",
        "1 while DDoS protection black-holes the public IP (traffic to it is dropped), else 0.",
        publicIpLabels,
      ),
    },
    workingSet: gauge("container_memory_working_set_bytes", "Current working set in bytes.", containerLabels),
    rss: gauge("container_memory_rss", "Size of RSS in bytes.", containerLabels),
    memoryLimit: gauge(
      "container_spec_memory_limit_bytes",
      "Memory limit for the container in bytes (0 when it has none).",
      containerLabels,
    ),
    startTime: gauge(
      "container_start_time_seconds",
      "Start time of the container since unix epoch in seconds.",
      containerLabels,
    ),
    // cAdvisor's container_network_tcp_usage_total is a gauge named like a counter; ours is named as a gauge.
    tcp: gauge("container_network_tcp_connections", "TCP sockets of the container by state.", [
      ...containerLabels,
      "tcp_state",
    ]),
    podInfo: gauge("kube_pod_info", "Information about pod.", [
      ...podLabels,
      "node",
      "created_by_kind",
      "created_by_name",
    ]),
    podOwner: gauge("kube_pod_owner", "Information about the Pod's owner.", [
      ...podLabels,
      "owner_kind",
      "owner_name",
      "owner_is_controller",
    ]),
    phase: gauge("kube_pod_status_phase", "The pods current phase.", [...podLabels, "phase"]),
    containerInfo: gauge("kube_pod_container_info", "Information about a container in a pod.", [
      ...podContainerLabels,
      "image_spec",
      "image",
    ]),
    restarts: counter(
      "kube_pod_container_status_restarts_total",
      "The number of container restarts per container.",
      podContainerLabels,
    ),
    ready: gauge(
      "kube_pod_container_status_ready",
      "Describes whether the containers readiness check succeeded.",
      podContainerLabels,
    ),
    running: gauge(
      "kube_pod_container_status_running",
      "Describes whether the container is currently in running state.",
      podContainerLabels,
    ),
    waiting: gauge(
      "kube_pod_container_status_waiting",
      "Describes whether the container is currently in waiting state.",
      podContainerLabels,
    ),
    terminated: gauge(
      "kube_pod_container_status_terminated",
      "Describes whether the container is currently in terminated state.",
      podContainerLabels,
    ),
    waitingReason: gauge(
      "kube_pod_container_status_waiting_reason",
      "Describes the reason the container is currently in waiting state.",
      [...podContainerLabels, "reason"],
    ),
    requests: gauge("kube_pod_container_resource_requests", "The number of requested resource by a container.", [
      ...podContainerLabels,
      "node",
      "resource",
      "unit",
    ]),
    limits: gauge("kube_pod_container_resource_limits", "The number of requested limit resource by a container.", [
      ...podContainerLabels,
      "node",
      "resource",
      "unit",
    ]),
    replicaSetOwner: gauge("kube_replicaset_owner", "Information about the ReplicaSet's owner.", [
      "tenant",
      "namespace",
      "replicaset",
      "owner_kind",
      "owner_name",
      "owner_is_controller",
    ]),
    deployment: {
      specReplicas: gauge(
        "kube_deployment_spec_replicas",
        "Number of desired pods for a deployment.",
        deploymentLabels,
      ),
      replicas: gauge("kube_deployment_status_replicas", "The number of replicas per deployment.", deploymentLabels),
      available: gauge(
        "kube_deployment_status_replicas_available",
        "The number of available replicas per deployment.",
        deploymentLabels,
      ),
      unavailable: gauge(
        "kube_deployment_status_replicas_unavailable",
        "The number of unavailable replicas per deployment.",
        deploymentLabels,
      ),
      updated: gauge(
        "kube_deployment_status_replicas_updated",
        "The number of updated replicas per deployment.",
        deploymentLabels,
      ),
      ready: gauge(
        "kube_deployment_status_replicas_ready",
        "The number of ready replicas per deployment.",
        deploymentLabels,
      ),
      observedGeneration: gauge(
        "kube_deployment_status_observed_generation",
        "The generation observed by the deployment controller.",
        deploymentLabels,
      ),
      generation: gauge(
        "kube_deployment_metadata_generation",
        "Sequence number representing a specific generation of the desired state.",
        deploymentLabels,
      ),
    },
  };
}
export type MetricFamilies = ReturnType<typeof metricFamilies>;
