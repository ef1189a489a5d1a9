/**
 * Secrets encrypted at rest, as Kubernetes' `aesgcm` encryption provider does for etcd: the
 * store seals a Secret's `data` before it is written (change log and all) and opens it as it
 * is read back, so the database never holds a Secret's values in the clear; memory, the API
 * and watches see plain base64, as Kubernetes serves it.
 *
 * Sealed form: `data` empty and `sealed: "aesgcm:v1:<keyId>:<base64 iv|ciphertext|tag>"`.
 * The object's kind and id are the additional authenticated data, so a sealed value moved to
 * another object does not open. Objects of other kinds pass through untouched.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import type { EngineObject } from "@/server/engine";

export interface ObjectSealer {
  seal(object: EngineObject): EngineObject;
  open(object: EngineObject): EngineObject;
}

const PREFIX = "aesgcm:v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;

type SealedSecret = Extract<EngineObject, { kind: "Secret" }> & { sealed?: string };

/** A 32-byte key from SECRETS_ENCRYPTION_KEY (base64), or undefined when unset; a bad value throws at start. */
export function secretsKeyFromEnv(value = process.env.SECRETS_ENCRYPTION_KEY): Buffer | undefined {
  if (value === undefined || value === "") return undefined;
  const key = Buffer.from(value, "base64");
  if (key.length !== 32)
    throw new Error("SECRETS_ENCRYPTION_KEY must be 32 bytes, base64-encoded (for example `openssl rand -base64 32`)");
  return key;
}

/** A key derived from another secret (for services started without one of their own: tests). */
export function deriveSecretsKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "tenant-cloud", "secrets at rest", 32));
}

export function newSecretsKey(): string {
  return randomBytes(32).toString("base64");
}

export function createSecretSealer(key: Buffer): ObjectSealer {
  if (key.length !== 32) throw new Error("the secrets key must be 32 bytes");
  // Names the key without revealing it, so a database sealed under another key says so.
  const keyId = createHash("sha256").update(key).digest("base64url").slice(0, 8);
  const aad = (o: EngineObject) => Buffer.from(`${o.kind}/${o.id}`);

  return {
    seal(object) {
      if (object.kind !== "Secret") return object;
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, iv).setAAD(aad(object));
      const body = Buffer.concat([cipher.update(JSON.stringify(object.data)), cipher.final(), cipher.getAuthTag()]);
      const sealed: SealedSecret = {
        ...object,
        data: {},
        sealed: `${PREFIX}${keyId}:${Buffer.concat([iv, body]).toString("base64")}`,
      };
      return sealed;
    },

    open(object) {
      if (object.kind !== "Secret") return object;
      const { sealed, ...rest } = object as SealedSecret;
      if (sealed === undefined) return object;
      const [id, payload] = sealed.slice(PREFIX.length).split(":");
      if (!sealed.startsWith(PREFIX) || id !== keyId || payload === undefined)
        throw new Error(
          `secret ${object.id} was sealed under another key (${id}); this server's key is ${keyId}: set SECRETS_ENCRYPTION_KEY to the key it was written with`,
        );
      const bytes = Buffer.from(payload, "base64");
      const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, IV_BYTES)).setAAD(aad(object));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      const text = Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return { ...rest, data: JSON.parse(text.toString("utf8")) as Record<string, string> };
    },
  };
}

/** For stores built without a key (benchmarks, tests of other kinds): a Secret is refused, never stored in the clear. */
export const noSecretsSealer: ObjectSealer = {
  seal(object) {
    if (object.kind === "Secret") throw new Error("this store has no key to encrypt secrets at rest");
    return object;
  },
  open(object) {
    if (object.kind === "Secret" && "sealed" in object)
      throw new Error("this store has no key to decrypt secrets (SECRETS_ENCRYPTION_KEY)");
    return object;
  },
};
