// Entry: antd in Chinese (zhCN; no space put between two characters on a button), i18next, and the app.
import { ConfigProvider } from "antd";
import zhCN from "antd/locale/zh_CN";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App } from "./App";
import "./console.css";
import "./i18n";
import "./time";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} button={{ autoInsertSpace: false }}>
      <App />
    </ConfigProvider>
  </StrictMode>,
);
