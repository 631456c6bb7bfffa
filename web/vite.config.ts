// The console is built into web/dist and served by Flask at `/` (api/console.py), and the API's
// documentation (docs.html, Swagger UI) at /api/v1/docs; `npm run dev` proxies the API to a local
// `python app.py`.
//
// Chunks: each page is loaded when first opened (React.lazy in App.tsx). React, i18n and the antd parts that
// two or more chunks share are vendor chunks of their own, cached across builds that change only the
// console's code; what one screen alone needs (RJSF and ajv for task forms, antd's Table for my work,
// Swagger UI for the docs) stays with it. Sign-in loads ~950 kB (310 kB gzipped) instead of 1.7 MB.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const VENDORS = [
  { name: "react", test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler)[\\/]/ },
  { name: "antd", test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+|@emotion)[\\/]/, minShareCount: 2 },
  { name: "i18n", test: /node_modules[\\/](i18next|react-i18next|dayjs)[\\/]/ },
];

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    assetsDir: "assets",
    chunkSizeWarningLimit: 1600, // Swagger UI's own bundle, loaded by the docs page only
    rolldownOptions: {
      input: { console: "index.html", docs: "docs.html" },
      output: { codeSplitting: { groups: VENDORS } },
    },
  },
  server: { proxy: { "/api": "http://127.0.0.1:8000" } },
});
