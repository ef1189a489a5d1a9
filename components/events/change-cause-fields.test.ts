import { describe, expect, it } from "vitest";
import { describeTemplateChange } from "@/server/engine/kinds/change-cause";
import type { PodTemplate } from "@/server/engine/kinds/types";
import { translatorFor } from "@/server/i18n/translate";
import { changeCauseFieldList } from "./change-cause-fields";

const before: PodTemplate = {
  labels: { app: "web" },
  annotations: {},
  spec: {
    containers: [
      {
        name: "app",
        image: "nginx:1.27",
        env: [],
        ports: [],
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: {} },
      },
    ],
    restartPolicy: "Always",
    terminationGracePeriodSeconds: 30,
    nodeSelector: {},
  },
};
/** Every field the engine compares, changed at once. */
const after: PodTemplate = {
  labels: { app: "web2" },
  annotations: { note: "x" },
  spec: {
    containers: [
      {
        name: "main",
        image: "nginx:1.28",
        command: ["sh"],
        env: [{ name: "A", value: "1" }],
        ports: [{ containerPort: 80, protocol: "TCP" }],
        resources: { requests: { cpu: "200m", memory: "128Mi" }, limits: {} },
      },
    ],
    restartPolicy: "OnFailure",
    terminationGracePeriodSeconds: 10,
    nodeSelector: { zone: "a" },
  },
};

describe("a template change's fields", () => {
  it("are named in both languages, every field the engine can record", () => {
    const cause = describeTemplateChange(before, after);
    if (cause.reason !== "TemplateChanged") throw new Error(cause.reason);
    const fields = [...cause.fields, "containers"];
    expect(fields.length).toBeGreaterThanOrEqual(12);
    for (const locale of ["en", "zh-CN"] as const) {
      for (const f of fields)
        expect(translatorFor(locale).has(`changeCauses.fields.${f}`), `${locale}: ${f}`).toBe(true);
    }
    expect(changeCauseFieldList(translatorFor("zh-CN"), ["env", "restartPolicy"])).toBe("环境变量、重启策略");
    expect(changeCauseFieldList(translatorFor("en"), ["env", "restartPolicy"])).toBe(
      "environment variables, restart policy",
    );
    expect(changeCauseFieldList(translatorFor("zh-CN"), ["somethingNew"])).toBe("somethingNew");
  });
});
