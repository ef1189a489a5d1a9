/**
 * The Kubernetes API's TLS material: a certificate authority made on first start and kept,
 * and a server certificate it signs; or files an operator provides.
 *
 * Where the CA lives: the database's settings table (`kube-api.ca`), not the data folder. The
 * database is what every server process of an installation shares (a standby on PostgreSQL
 * serves the same CA as the leader) and what a backup keeps; the data folder may be
 * `memory://` or absent (DATABASE_URL). The CA key must survive restarts: every kubeconfig
 * handed out carries this CA, so a new one would break them all.
 *
 * The server certificate is made afresh at each start from the kept CA, for the names of now
 * (localhost, 127.0.0.1, ::1 and KUBE_API_HOSTS), so adding a host needs only a restart and
 * no kubeconfig changes. Keys are ECDSA P-256 (Go's TLS and OpenSSL accept them).
 *
 * KUBE_API_TLS_CERT_FILE + KUBE_API_TLS_KEY_FILE: serve those instead (KUBE_API_TLS_CA_FILE,
 * optional, is the CA kubeconfigs then carry; without it they carry the certificate itself,
 * which suffices for a self-signed one).
 */
// @peculiar/x509's dependency injection (tsyringe) needs the Reflect metadata API loaded first.
import "reflect-metadata";
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import type { Database } from "@/db/client";
import { getOrCreateSetting } from "@/db/queries/settings";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const EC = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGN = { name: "ECDSA", hash: "SHA-256" } as const;
const CA_SETTING = "kube-api.ca";
const DAY = 86_400_000;

export interface TlsMaterial {
  /** PEM: the server's certificate (chain) and key, for https.createServer. */
  cert: string;
  key: string;
  /** PEM: what kubeconfigs carry as certificate-authority-data. */
  ca: string;
}

interface StoredCa {
  cert: string;
  key: string;
}

/** The names a server certificate covers: the local ones and `extra` (comma-separated). */
export function serverNames(extra: string | undefined): string[] {
  const names = ["localhost", "127.0.0.1", "::1"];
  for (const raw of (extra ?? "").split(",")) {
    const name = raw.trim();
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

async function exportKey(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey("pkcs8", key as webcrypto.CryptoKey);
  return x509.PemConverter.encode(der, "PRIVATE KEY");
}

async function importKey(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decode(pem)[0];
  if (!der) throw new Error("kube-api: the stored CA key is not PEM");
  return (await webcrypto.subtle.importKey("pkcs8", der, EC, true, ["sign"])) as unknown as CryptoKey;
}

const generateKeys = async () =>
  (await webcrypto.subtle.generateKey(EC, true, ["sign", "verify"])) as unknown as CryptoKeyPair;

/** A new self-signed CA (ten years). */
export async function createCa(now = Date.now()): Promise<StoredCa> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: "CN=tenant-cloud-kube-ca",
    keys,
    signingAlgorithm: SIGN,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 3650 * DAY),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString("pem"), key: await exportKey(keys.privateKey) };
}

/** A server certificate for `names`, signed by `ca` (one year; remade at every start). */
export async function createServerCertificate(ca: StoredCa, names: string[], now = Date.now()): Promise<TlsMaterial> {
  const caCert = new x509.X509Certificate(ca.cert);
  const caKey = await importKey(ca.key);
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.create({
    subject: "CN=tenant-cloud-kube-apiserver",
    issuer: caCert.subject,
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: SIGN,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 365 * DAY),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        names.map((n) => (isIP(n) ? { type: "ip" as const, value: n } : { type: "dns" as const, value: n })),
      ),
      await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
    ],
  });
  return { cert: cert.toString("pem"), key: await exportKey(keys.privateKey), ca: ca.cert };
}

/** The installation's CA: the kept one, or one made now and kept (race-safe across processes). */
export async function loadOrCreateCa(db: Database): Promise<StoredCa> {
  const fresh = await createCa();
  const stored = await getOrCreateSetting(db, CA_SETTING, () => JSON.stringify(fresh));
  const parsed = JSON.parse(stored) as Partial<StoredCa>;
  if (typeof parsed.cert !== "string" || typeof parsed.key !== "string")
    throw new Error(`kube-api: setting ${CA_SETTING} does not hold a CA`);
  return { cert: parsed.cert, key: parsed.key };
}

export interface TlsEnv {
  KUBE_API_TLS_CERT_FILE?: string;
  KUBE_API_TLS_KEY_FILE?: string;
  KUBE_API_TLS_CA_FILE?: string;
  KUBE_API_HOSTS?: string;
}

/** The operator's files when given (both or neither), else the kept CA and a fresh server certificate. */
export async function loadTlsMaterial(db: Database, env: TlsEnv = process.env as TlsEnv): Promise<TlsMaterial> {
  const certFile = env.KUBE_API_TLS_CERT_FILE;
  const keyFile = env.KUBE_API_TLS_KEY_FILE;
  if (certFile || keyFile) {
    if (!certFile || !keyFile)
      throw new Error("kube-api: set both KUBE_API_TLS_CERT_FILE and KUBE_API_TLS_KEY_FILE, or neither");
    const cert = readFileSync(certFile, "utf8");
    const key = readFileSync(keyFile, "utf8");
    const ca = env.KUBE_API_TLS_CA_FILE ? readFileSync(env.KUBE_API_TLS_CA_FILE, "utf8") : cert;
    return { cert, key, ca };
  }
  return createServerCertificate(await loadOrCreateCa(db), serverNames(env.KUBE_API_HOSTS));
}
