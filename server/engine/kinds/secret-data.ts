/**
 * Base64 as Kubernetes' `[]byte` fields take it (standard alphabet, padded), and the Secret
 * types whose required keys Kubernetes checks.
 */
import { z } from "zod";

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export const base64 = z.string().regex(BASE64, "must be base64 (standard alphabet, padded)");

export const toBase64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

/** The keys a Secret of a built-in type must have (Kubernetes' validation of `type`). */
export const REQUIRED_SECRET_KEYS: Readonly<Record<string, readonly string[]>> = {
  "kubernetes.io/tls": ["tls.crt", "tls.key"],
  "kubernetes.io/dockerconfigjson": [".dockerconfigjson"],
  "kubernetes.io/dockercfg": [".dockercfg"],
  "kubernetes.io/ssh-auth": ["ssh-privatekey"],
};
