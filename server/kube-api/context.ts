/** What every resource handler receives for one request. */
import type { ConversionContext, Orchestrator } from "../engine";
import type { Services } from "../services";
import type { Caller } from "./auth";

export interface ResourceTarget {
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
}

export interface KubeRequest {
  request: Request;
  url: URL;
  method: string;
  services: Services;
  engine: Orchestrator;
  caller: Caller;
  target: ResourceTarget;
  requestId: string;
  /** The request body (already bounded), for writes. */
  body: Uint8Array | undefined;
  /** A conversion context over the port for this request (lazily indexed). */
  conversion(): ConversionContext;
  /** Warnings sent back as `Warning: 299 - "..."` headers. */
  warnings: string[];
}

export const json = (value: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json", ...headers } });
