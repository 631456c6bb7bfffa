// i18next with zh-CN first (en for those who choose it). Every code the API returns is shown through
// `codeLabel`, one lookup in the tables of zh-CN.ts / en.ts, falling back to the code itself.
import i18n from "i18next";
import { initReactI18next } from "react-i18next";

import { en } from "./en";
import { zhCN } from "./zh-CN";

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Messages = Widen<typeof zhCN>;

export type CodeKind = "step" | "category" | "channel" | "outcome" | "satisfaction" | "status" | "role" | "event";

const LANGUAGE_KEY = "appealflow.language";

i18n.use(initReactI18next).init({
  resources: { "zh-CN": { translation: zhCN }, en: { translation: en } },
  lng: localStorage.getItem(LANGUAGE_KEY) ?? "zh-CN",
  fallbackLng: "zh-CN",
  interpolation: { escapeValue: false },
});

export function codeLabel(kind: CodeKind | string, code: string | null | undefined): string {
  if (!code) return "—";
  return i18n.t(`${kind}.${code}`, { defaultValue: code });
}

export function switchLanguage(): void {
  const next = i18n.language === "en" ? "zh-CN" : "en";
  localStorage.setItem(LANGUAGE_KEY, next);
  void i18n.changeLanguage(next);
}

export default i18n;
