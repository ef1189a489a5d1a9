/**
 * kube-proxy's syncProxyRules for the baseline (iptables-baseline.ts): from every service's
 * recorded ports and endpoints, every rule regenerated, the whole iptables-restore payload
 * written (the text kube-proxy pipes to iptables-restore: chain declarations, KUBE-SERVICES,
 * KUBE-SVC and KUBE-SEP chains in nat; REJECT rules for ports without endpoints in filter),
 * and the table the walk reads compiled anew (iptables-restore replaces the kernel's table
 * whole). O(all rules) per call, which is the cost being modelled.
 */
import { formatIpv4, type Ipv4 } from "../ipv4";
import type { Backends } from "./backends";
import { PROTOCOL_CODE, type ServiceProtocol } from "./service";

/** A service port as the change trackers left it: chain names and usable endpoints worked out. */
export interface BaselinePort {
  readonly name: string;
  readonly protocol: ServiceProtocol;
  readonly port: number;
  readonly svcChain: string;
  readonly comment: string;
  backends: Backends;
  sepChains: string[];
}

export interface BaselineService {
  readonly key: string;
  readonly mark: number;
  readonly clusterIP: Ipv4;
  readonly publicIp: Ipv4 | undefined;
  readonly affinity: boolean;
  readonly ports: BaselinePort[];
}

/** What one sync wrote: rule count and the iptables-restore payload's size. */
export interface RestoreStats {
  readonly rules: number;
  readonly bytes: number;
}

/**
 * The compiled rules, as parallel arrays in rule order. nat KUBE-SERVICES rule i matches
 * destination natDst[i], mark natMark[i] (or any mark for public addresses, natPublic[i] = 1)
 * and port << 2 | protocol natPortProto[i], and jumps to chain natChain[i]; chain c holds
 * chainLength[c] endpoint rules from sepIp/sepPort[chainStart[c]]. reject* are filter's REJECTs.
 */
export interface CompiledRules {
  readonly natDst: Int32Array;
  readonly natMark: Int32Array;
  readonly natPortProto: Int32Array;
  readonly natPublic: Uint8Array;
  readonly natChain: Int32Array;
  readonly rejectDst: Int32Array;
  readonly rejectMark: Int32Array;
  readonly rejectPortProto: Int32Array;
  readonly rejectPublic: Uint8Array;
  readonly chainStart: Int32Array;
  readonly chainLength: Int32Array;
  readonly chainAffinity: Uint8Array;
  readonly sepIp: Uint32Array;
  readonly sepPort: Uint16Array;
}

/** Two passes over the services: sizes first, so each compiled array is allocated once. */
export function restoreAll(services: ReadonlyMap<string, BaselineService>): {
  rules: CompiledRules;
  stats: RestoreStats;
} {
  let nat = 0;
  let reject = 0;
  let seps = 0;
  let chains = 0;
  for (const s of services.values())
    for (const p of s.ports) {
      const addresses = s.publicIp === undefined ? 1 : 2;
      if (p.backends.ips.length === 0) reject += addresses;
      else {
        nat += addresses;
        chains++;
        seps += p.backends.ips.length;
      }
    }
  const natDst = new Int32Array(nat);
  const natMark = new Int32Array(nat);
  const natPortProto = new Int32Array(nat);
  const natPublic = new Uint8Array(nat);
  const natChain = new Int32Array(nat);
  const rejectDst = new Int32Array(reject);
  const rejectMark = new Int32Array(reject);
  const rejectPortProto = new Int32Array(reject);
  const rejectPublic = new Uint8Array(reject);
  const chainStart = new Int32Array(chains);
  const chainLength = new Int32Array(chains);
  const chainAffinity = new Uint8Array(chains);
  const sepIp = new Uint32Array(seps);
  const sepPort = new Uint16Array(seps);
  const natLines: string[] = ["*nat", ":KUBE-SERVICES - [0:0]"];
  const chainLines: string[] = [];
  const filterLines: string[] = ["*filter", ":KUBE-SERVICES - [0:0]"];
  let n = 0;
  let r = 0;
  let c = 0;
  let e = 0;
  for (const s of services.values())
    for (const p of s.ports) {
      const pp = (p.port << 2) | (PROTOCOL_CODE[p.protocol] as number);
      const proto = p.protocol.toLowerCase();
      const match = `-p ${proto} -m ${proto} --dport ${p.port}`;
      const vip = formatIpv4(s.clusterIP);
      const lb = s.publicIp === undefined ? undefined : formatIpv4(s.publicIp);
      const count = p.backends.ips.length;
      if (count === 0) {
        filterLines.push(
          `-A KUBE-SERVICES -m mark --mark 0x${s.mark.toString(16)} -m comment --comment "${p.comment} has no endpoints" -d ${vip}/32 ${match} -j REJECT`,
        );
        rejectDst[r] = s.clusterIP | 0;
        rejectMark[r] = s.mark;
        rejectPortProto[r++] = pp;
        if (lb !== undefined) {
          filterLines.push(
            `-A KUBE-SERVICES -m comment --comment "${p.comment} has no endpoints" -d ${lb}/32 ${match} -j REJECT`,
          );
          rejectDst[r] = (s.publicIp as number) | 0;
          rejectMark[r] = s.mark;
          rejectPublic[r] = 1;
          rejectPortProto[r++] = pp;
        }
        continue;
      }
      natLines.push(
        `-A KUBE-SERVICES -m mark --mark 0x${s.mark.toString(16)} -m comment --comment "${p.comment} cluster IP" -d ${vip}/32 ${match} -j ${p.svcChain}`,
      );
      natDst[n] = s.clusterIP | 0;
      natMark[n] = s.mark;
      natPortProto[n] = pp;
      natChain[n++] = c;
      if (lb !== undefined) {
        natLines.push(
          `-A KUBE-SERVICES -m comment --comment "${p.comment} loadbalancer IP" -d ${lb}/32 ${match} -j ${p.svcChain}`,
        );
        natDst[n] = (s.publicIp as number) | 0;
        natMark[n] = s.mark;
        natPublic[n] = 1;
        natPortProto[n] = pp;
        natChain[n++] = c;
      }
      chainLines.push(`:${p.svcChain} - [0:0]`);
      chainStart[c] = e;
      chainLength[c] = count;
      chainAffinity[c++] = s.affinity ? 1 : 0;
      for (let i = 0; i < count; i++) {
        const sep = p.sepChains[i] as string;
        const to = `${formatIpv4(p.backends.ips[i] as number)}:${p.backends.ports[i]}`;
        if (s.affinity)
          chainLines.push(
            `-A ${p.svcChain} -m comment --comment "${p.comment} -> ${to}" -m recent --name ${sep} --rcheck --seconds 10800 --reap -j ${sep}`,
          );
        const probability =
          i < count - 1 ? ` -m statistic --mode random --probability ${(1 / (count - i)).toFixed(10)}` : "";
        chainLines.push(`-A ${p.svcChain} -m comment --comment "${p.comment} -> ${to}"${probability} -j ${sep}`);
        chainLines.push(`:${sep} - [0:0]`);
        chainLines.push(`-A ${sep} -m comment --comment ${p.comment} -s ${to.split(":")[0]}/32 -j KUBE-MARK-MASQ`);
        chainLines.push(
          `-A ${sep} -m comment --comment ${p.comment}${s.affinity ? ` -m recent --name ${sep} --set` : ""} ${match.slice(0, match.indexOf(" --dport"))} -j DNAT --to-destination ${to}`,
        );
        sepIp[e] = p.backends.ips[i] as number;
        sepPort[e++] = p.backends.ports[i] as number;
      }
    }
  const payload = [...natLines, ...chainLines, "COMMIT", ...filterLines, "COMMIT", ""].join("\n");
  return {
    rules: {
      natDst,
      natMark,
      natPortProto,
      natPublic,
      natChain,
      rejectDst,
      rejectMark,
      rejectPortProto,
      rejectPublic,
      chainStart,
      chainLength,
      chainAffinity,
      sepIp,
      sepPort,
    },
    stats: { rules: natLines.length + chainLines.length + filterLines.length - 4, bytes: payload.length },
  };
}
