import { describe, expect, it } from "vitest";
import { z } from "zod";
import { engineTemplates } from "@/i18n/engine-messages";
import { EngineError, notFound as engineNotFound } from "../engine/core/errors";
import { AppError, notFound } from "../errors";
import { readdirSync } from "node:fs";
import { weakPasswordReason } from "../auth/password-strength";
import { defaultCallLimits, tooManyCallsMessage } from "../http/rate-limit";
import { describeUnstorable } from "../trpc/storable-text";
import { appTexts } from "./app-messages";
import { catalogParts } from "./catalogs";
import {
  detailOf,
  localeOfHeaders,
  localizeDetail,
  localizeIssue,
  localizeServerText,
  translatorFor,
} from "./translate";

const say = (e: AppError | EngineError, locale: "en" | "zh-CN") =>
  localizeDetail(detailOf(e, e instanceof EngineError), locale, e.message);
const issuesOf = (schema: z.ZodType, input: unknown) => schema.safeParse(input).error?.issues ?? [];

describe("server error translation", () => {
  it("has every template's key in both catalogs", () => {
    for (const locale of ["en", "zh-CN"] as const) {
      const t = translatorFor(locale);
      for (const { id } of engineTemplates)
        expect(t.has(`engineMessages.${id}`), `${locale}: engineMessages.${id}`).toBe(true);
      for (const { id } of appTexts) expect(t.has(`appMessages.${id}`), `${locale}: appMessages.${id}`).toBe(true);
    }
  });

  it("keeps the server's English texts word for word (scripts and the CLI read them)", () => {
    // Texts with values, as their throwers write them (so a reworded thrower fails here).
    const samples: Record<string, string> = {
      needsRole: "This needs the admin role or higher; you are viewer.",
      slugTaken: 'The tenant id "acme" is taken; choose another.',
      passwordWeak: weakPasswordReason("password") ?? "",
      signInThrottled: "Too many failed sign-in attempts. Try again in 7 second(s).",
      tooManyReads: tooManyCallsMessage("read", defaultCallLimits, 12),
      tooManyWrites: tooManyCallsMessage("write", defaultCallLimits, 3),
      batchTooLarge: "A batch may carry at most 50 calls; this one has 51. Send them in smaller batches.",
      unstorableKey: describeUnstorable({ path: "spec.labels", in: "key", reason: "nul" }),
      unstorableField: describeUnstorable({ path: "spec.name", in: "value", reason: "surrogate" }),
      unstorableInputKey: describeUnstorable({ path: "", in: "key", reason: "surrogate" }),
      unstorableInput: describeUnstorable({ path: "", in: "value", reason: "nul" }),
    };
    for (const { id, template } of appTexts) {
      const text = samples[id] ?? template;
      expect(detailOf(new AppError("FORBIDDEN", text), false)?.key, id).toBe(`appMessages.${id}`);
      expect(say(new AppError("FORBIDDEN", text), "en"), id).toBe(text);
      expect(say(new AppError("FORBIDDEN", text), "zh-CN"), id).not.toBe(text);
    }
  });

  it("says the access work's refusals in Chinese: invitations, the tenant limit, tokens, passwords, limits", () => {
    const zh = (text: string, detail?: ConstructorParameters<typeof AppError>[2]) =>
      say(new AppError("FORBIDDEN", text, detail), "zh-CN");
    expect(zh("Invitations are accepted in the console, not with an API token.")).toBe(
      "邀请只能在控制台中接受，不能使用 API 令牌接受。",
    );
    // Refusals whose detail names a key in another catalog part (access.json, the core file) still translate.
    expect(zh("This invitation has expired. Ask for a new link.", { key: "invitationErrors.expired" })).not.toMatch(
      /[A-Za-z]{4}/,
    );
    expect(
      zh("You are already a member of Acme.", { key: "invitationErrors.alreadyMember", params: { tenant: "Acme" } }),
    ).toMatch(/Acme/);
    expect(
      zh("This invitation link is not valid: it was already used, cancelled, or mistyped.", {
        key: "invitationErrors.invalid",
      }),
    ).not.toMatch(/invitation/);
    expect(
      zh("Whoever sent this invitation can no longer grant its role. Ask for a new link.", {
        key: "invitationErrors.inviterCannotGrant",
      }),
    ).not.toMatch(/invitation/);
    const limit = "You have created 5 tenants, the most one account may create. Ask an operator if you need more.";
    expect(zh(limit, { key: "tenants.limitReached", params: { limit: 5 } })).toBe(
      "你已创建 5 个租户，已达单个账号的上限。如需更多，请联系运维人员。",
    );
    expect(say(new AppError("FORBIDDEN", limit, { key: "tenants.limitReached", params: { limit: 5 } }), "en")).toBe(
      limit,
    );
    expect(zh("API tokens act inside one tenant and cannot create tenants.")).toBe(
      "API 令牌只在一个租户内操作，不能创建租户。",
    );
    expect(zh(weakPasswordReason("password") ?? "")).toMatch(/^此密码太容易被猜到/);
    expect(zh(describeUnstorable({ path: "spec.name", in: "value", reason: "nul" }))).toBe(
      "字段“spec.name”包含空字符 NUL（U+0000），无法保存，请删除。",
    );
    expect(
      detailOf(
        new AppError("BAD_REQUEST", describeUnstorable({ path: "spec.name", in: "value", reason: "nul" })),
        false,
      )?.field,
    ).toBe("spec.name");
  });

  it("translates texts written outside the formatter by the request's language (HTTP limits, server actions)", () => {
    const text = tooManyCallsMessage("write", defaultCallLimits, 9);
    expect(localizeServerText(text, new Headers({ "accept-language": "zh-CN" }))).toBe(
      "请求过多：每个账号和每个 API 令牌每 60 秒最多 1200 次更改。请在 9 秒后重试。",
    );
    expect(localizeServerText(text, undefined)).toBe(text);
    expect(localizeServerText("Not a known text.", new Headers({ "accept-language": "zh-CN" }))).toBe(
      "Not a known text.",
    );
  });

  it("sees every catalog part the console loads, in both languages", () => {
    for (const locale of ["en", "zh-CN"] as const) {
      const files = readdirSync(`messages/${locale}`)
        .map((f) => f.replace(/\.json$/, ""))
        .sort();
      expect(Object.keys(catalogParts[locale]).sort(), locale).toEqual(files);
    }
  });

  it("substitutes values, translating the terms among them", () => {
    const e = new AppError("FORBIDDEN", "This needs the admin role or higher; you are viewer.");
    expect(say(e, "zh-CN")).toBe("此操作需要管理员或更高角色；你当前是查看者。");
    expect(say(engineNotFound("node pool", "gpu"), "zh-CN")).toBe("未找到节点池“gpu”");
    expect(say(engineNotFound("node pool", "gpu"), "en")).toBe('node pool "gpu" not found');
    expect(say(notFound("Invoice"), "zh-CN")).toBe("未找到账单。");
    const grace = { key: "errors.spans.days", params: { count: 3 }, text: "3 days" };
    const frozen = new EngineError("GROWTH_FROZEN", "Your balance…", {
      key: "errors.growthFrozen",
      params: { since: "2026-03-01", graceHours: 72, grace },
    });
    expect(say(frozen, "zh-CN")).toBe(
      "账户余额自 2026-03-01 起为负，已超过 3 天的宽限期：已暂停创建和扩容工作负载。请在“计费”页面充值后继续。",
    );
    expect(say(frozen, "en")).toMatch(
      /^Your balance has been negative since 2026-03-01, past the grace period of 3 days:/,
    );
  });

  it("falls back to the English message for an unknown key or text", () => {
    expect(say(new AppError("CONFLICT", "Something nobody catalogued."), "zh-CN")).toBe("Something nobody catalogued.");
    expect(say(new EngineError("INVALID", "plain engine text", { key: "errors.noSuchKey" }), "zh-CN")).toBe(
      "plain engine text",
    );
    expect(
      say(
        new EngineError("INVALID", "a nested one", {
          key: "errors.notFound",
          params: { kind: { key: "errors.kinds.widget", text: "widget" }, ref: "w" },
        }),
        "zh-CN",
      ),
    ).toBe("未找到widget“w”");
  });

  it("translates zod's own messages by issue code and keeps texts a schema wrote", () => {
    const schema = z
      .object({
        n: z.number().int().max(10),
        s: z.string().min(1),
        e: z.enum(["a", "b"]),
        w: z.number().min(5, "Write five or more."),
      })
      .strict();
    const zh = issuesOf(schema, { n: 11, s: "", e: "c", w: 1, x: 1 }).map((i) => localizeIssue(i, "zh-CN"));
    expect(zh).toEqual([
      "不能大于 10。",
      "此项为必填项。",
      '必须是以下之一："a", "b"。',
      "Write five or more.",
      '无法识别的字段："x"。',
    ]);
    const en = issuesOf(schema, { n: 1.5, s: "x", e: "a", w: 5 }).map((i) => localizeIssue(i, "en"));
    expect(en).toEqual(["Must be a whole number."]);
    expect(
      issuesOf(z.object({ a: z.number().min(1, "Replicas cannot be negative.") }), { a: 0 }).map((i) =>
        localizeIssue(i, "zh-CN"),
      ),
    ).toEqual(["副本数不能为负数。"]);
  });

  it("takes the locale from the cookie, then Accept-Language, else English", () => {
    expect(localeOfHeaders(undefined)).toBe("en");
    expect(localeOfHeaders(new Headers())).toBe("en");
    expect(localeOfHeaders(new Headers({ cookie: "a=1; tc-locale=zh-CN" }))).toBe("zh-CN");
    expect(localeOfHeaders(new Headers({ "accept-language": "zh-TW,zh;q=0.8" }))).toBe("zh-CN");
    expect(localeOfHeaders(new Headers({ cookie: "tc-locale=en", "accept-language": "zh-CN" }))).toBe("en");
    expect(localeOfHeaders(new Headers({ cookie: "tc-locale=fr" }))).toBe("en");
    expect(localeOfHeaders(new Headers({ cookie: "tc-locale=%E0%A4%A", "accept-language": "zh" }))).toBe("zh-CN");
  });
});
