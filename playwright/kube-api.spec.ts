import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { parse } from "yaml";
import { kubeApiPort } from "../playwright.config";
import { freshEmail } from "./accounts";
import { createTenantThroughUi, signUpThroughUi } from "./helpers";

const run = promisify(execFile);

/**
 * The README's path from sign-up to kubectl, in the production server: the console's token
 * page hands out a kubeconfig, and the real kubectl binary uses it against the server's own
 * Kubernetes API listener; what kubectl creates shows in the console.
 */
test("a new tenant downloads a kubeconfig and drives its namespace with kubectl", async ({ page }) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "tc-kubectl-"));
  try {
    await signUpThroughUi(page, freshEmail("kubectl"));
    await createTenantThroughUi(page, "Kube Shop");
    await page.getByRole("link", { name: "API tokens" }).click();
    await page.getByLabel("Token name").fill("laptop");
    await page.getByRole("button", { name: "Create token" }).click();
    await expect(page.getByTestId("kubectl-example")).toHaveText(
      "kubectl --kubeconfig kubeconfig-laptop.yaml get pods",
    );

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download kubeconfig" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("kubeconfig-laptop.yaml");
    const kubeconfig = path.join(dir, "kubeconfig.yaml");
    await download.saveAs(kubeconfig);
    const config = parse(await readFile(kubeconfig, "utf8"));
    expect(config.clusters[0].cluster.server).toBe(`https://localhost:${kubeApiPort}`);
    expect(config.clusters[0].cluster["certificate-authority-data"]).toMatch(/^[A-Za-z0-9+/=]+$/);
    const namespace: string = config.contexts[0].context.namespace;
    expect(namespace).toMatch(/^kube-shop/);

    const kubectl = (...args: string[]) =>
      run("/usr/bin/kubectl", ["--kubeconfig", kubeconfig, "--cache-dir", path.join(dir, "cache"), ...args], {
        timeout: 30_000,
      });
    const empty = await kubectl("get", "pods");
    expect(`${empty.stdout}${empty.stderr}`).toContain(`No resources found in ${namespace} namespace.`);

    const manifest = path.join(dir, "web.yaml");
    await writeFile(
      manifest,
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello
spec:
  replicas: 1
  selector:
    matchLabels: { app: hello }
  template:
    metadata:
      labels: { app: hello }
    spec:
      containers:
        - name: web
          image: nginx:1.27
`,
    );
    expect((await kubectl("apply", "-f", manifest)).stdout).toContain("deployment.apps/hello created");
    const listed = await kubectl("get", "deployments");
    expect(listed.stdout).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/);
    expect(listed.stdout).toMatch(/\nhello\s+/);

    // What kubectl made is the console's object too.
    await page.getByRole("link", { name: "Workloads" }).click();
    await expect(page.getByRole("link", { name: "hello" })).toBeVisible();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
