import { describe, expect, it } from "vitest";
import { fieldDiagnostic, splitFieldPath, syntaxDiagnostics } from "./yaml-diagnostics";

const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
        - name: side
          image: "Bad Image"
`;

describe("manifest diagnostics", () => {
  it("a field path from a refusal points at its line, or its nearest present parent", () => {
    expect(fieldDiagnostic(manifest, "spec.template.spec.containers[1].image", "bad").line).toBe(15);
    expect(fieldDiagnostic(manifest, "spec.replicas", "bad").line).toBe(8);
    expect(fieldDiagnostic(manifest, "metadata.labels['app.kubernetes.io/name']", "bad").line).toBe(6);
    // Missing: reported where it belongs.
    expect(fieldDiagnostic(manifest, "spec.template.spec.containers[0].ports", "bad").line).toBe(12);
    expect(fieldDiagnostic(manifest, "spec.selector", "required").line).toBe(7);
    expect(fieldDiagnostic("", "spec", "x").line).toBe(1);
  });

  it("a second document's path is looked up in that document", () => {
    const two = `kind: ConfigMap\ndata:\n  a: "1"\n---\nkind: Secret\ndata:\n  b: nope\n`;
    expect(fieldDiagnostic(two, "data.b", "not base64", 1).line).toBe(7);
  });

  it("syntax errors say their line", () => {
    const bad = "metadata:\n  name: web\nspec:\n  replicas: 2\n  bad\n";
    expect(syntaxDiagnostics(bad)).toEqual([
      { line: 5, from: 44, to: 47, message: "Implicit map keys need to be followed by map values" },
    ]);
    expect(syntaxDiagnostics(manifest)).toEqual([]);
  });

  it("splits Kubernetes field paths", () => {
    expect(splitFieldPath("spec.containers[0].env[2].name")).toEqual(["spec", "containers", 0, "env", 2, "name"]);
    expect(splitFieldPath("metadata.annotations['a.b/c']")).toEqual(["metadata", "annotations", "a.b/c"]);
  });
});
