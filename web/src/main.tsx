// Entry: antd in Chinese (zhCN; no space put between two characters on a button) in colours that read well,
// i18next, and the app.
import { ConfigProvider } from "antd";
import zhCN from "antd/locale/zh_CN";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App } from "./App";
import "./console.css";
import "./i18n";
import "./time";

/** Colours that reach WCAG AA's 4.5:1 contrast where antd's defaults do not (axe-core checks them): antd's
 * blue-7 for white text on it and for it on white, red-7 for danger buttons, and greys that can be read for
 * placeholders, help texts and empty lists. */
const THEME = {
  token: {
    colorPrimary: "#0958d9",
    colorError: "#cf1322",
    colorTextPlaceholder: "#6b6b6b",
    colorTextDescription: "#595959",
    colorTextTertiary: "#595959",
  },
};

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} button={{ autoInsertSpace: false }} theme={THEME}>
      <App />
    </ConfigProvider>
  </StrictMode>,
);
