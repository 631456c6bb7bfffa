// The console is built into web/dist and served by Flask at `/` (api/console.py); `npm run dev` proxies
// the API to a local `python app.py`.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", assetsDir: "assets", chunkSizeWarningLimit: 4000 },
  server: { proxy: { "/api": "http://127.0.0.1:8000" } },
});
