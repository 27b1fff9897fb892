import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

// The playground is a static page over the library's source (src/index.ts). It is served and
// previewed on 127.0.0.1 only, and builds to playground/dist with relative asset paths so the
// folder works from any path on any static host.
const here = fileURLToPath(new URL(".", import.meta.url));
const repository = fileURLToPath(new URL("..", import.meta.url));

// The built page may load its own script and stylesheet and nothing else: no fetch, no images or
// fonts from elsewhere. (Only in the build: the dev server injects styles and opens a websocket.)
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

const contentSecurityPolicy: Plugin = {
  name: "content-security-policy",
  apply: "build",
  transformIndexHtml: () => [
    { tag: "meta", attrs: { "http-equiv": "Content-Security-Policy", content: CONTENT_SECURITY_POLICY }, injectTo: "head-prepend" },
  ],
};

export default defineConfig({
  root: here,
  plugins: [contentSecurityPolicy],
  base: "./",
  publicDir: false,
  server: { host: "127.0.0.1", fs: { allow: [repository] } },
  preview: { host: "127.0.0.1" },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // One script and one stylesheet, nothing fetched from elsewhere.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
});
