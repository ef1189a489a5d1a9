import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";
import { fixedSecurityHeaders } from "./server/http/security-headers";

const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

const nextConfig: NextConfig = {
  // A separate build folder (with its own tsconfig, which Next rewrites) lets several browser-test
  // builds of one checkout run side by side.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Side builds skip Next's type check: `tsc` checks the tree, and a half-edited file elsewhere must not block them.
  ...(process.env.NEXT_DIST_DIR
    ? { typescript: { tsconfigPath: `${process.env.NEXT_DIST_DIR}.tsconfig.json`, ignoreBuildErrors: true } }
    : {}),
  // PGlite ships WASM and data files, os-lock a native addon: both load from node_modules, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "os-lock"],
  poweredByHeader: false,
  // The proxy buffers request bodies; the API refuses more than 1 MiB anyway (server/http/guards.ts).
  experimental: { proxyClientMaxBodySize: "2mb" },
  // Browser hardening on every response; the CSP (with its per-request nonce) and HSTS come from proxy.ts.
  async headers() {
    return [{ source: "/:path*", headers: fixedSecurityHeaders }];
  },
};

export default withNextIntl(nextConfig);
