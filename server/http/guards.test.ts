import { describe, expect, it } from "vitest";
import { checkCrossSite, readLimitedBody } from "./guards";

const post = (headers: Record<string, string>, body = "{}") =>
  new Request("http://localhost:3000/api/trpc/x", { method: "POST", headers, body });

describe("cross-site guard", () => {
  it("refuses a mutation without the client header", () => {
    expect(checkCrossSite(post({ origin: "http://localhost:3000", host: "localhost:3000" })).ok).toBe(false);
  });
  it("refuses a mutation from another origin even with the header", () => {
    expect(
      checkCrossSite(post({ "x-tc-client": "1", origin: "https://evil.example", host: "localhost:3000" })).ok,
    ).toBe(false);
    expect(
      checkCrossSite(post({ "x-tc-client": "1", "sec-fetch-site": "cross-site", host: "localhost:3000" })).ok,
    ).toBe(false);
  });
  it("refuses Origin: null and an unparsable Origin with a 4xx instead of throwing", () => {
    expect(checkCrossSite(post({ "x-tc-client": "1", origin: "null", host: "localhost:3000" }))).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(checkCrossSite(post({ "x-tc-client": "1", origin: "http://[::1", host: "localhost:3000" }))).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(checkCrossSite(post({ "x-tc-client": "1", origin: "not a url", host: "localhost:3000" }))).toMatchObject({
      ok: false,
      status: 400,
    });
  });
  it("allows a same-origin mutation and a script with the header", () => {
    expect(
      checkCrossSite(post({ "x-tc-client": "1", origin: "http://localhost:3000", host: "localhost:3000" })).ok,
    ).toBe(true);
    expect(checkCrossSite(post({ "x-tc-client": "script", host: "localhost:3000" })).ok).toBe(true);
  });
  it("lets queries (GET) through", () => {
    expect(checkCrossSite(new Request("http://localhost:3000/api/trpc/x")).ok).toBe(true);
  });
});

describe("body limit", () => {
  it("refuses a declared oversize body before reading it", async () => {
    const result = await readLimitedBody(post({ "content-length": "5000000" }, "{}"), 1024);
    expect(result).toMatchObject({ ok: false, status: 413 });
  });
  it("refuses an oversize body that did not declare its length", async () => {
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new Uint8Array(800));
        c.enqueue(new Uint8Array(800));
        c.close();
      },
    });
    const request = new Request("http://x/api", { method: "POST", body: stream, duplex: "half" } as RequestInit);
    expect(await readLimitedBody(request, 1024)).toMatchObject({ ok: false, status: 413 });
  });
  it("passes a body within the limit through unchanged", async () => {
    expect(await readLimitedBody(post({}, '{"a":1}'), 1024)).toEqual({ ok: true, body: '{"a":1}' });
  });
});
