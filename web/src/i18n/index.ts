// i18next with zh-CN first (en for those who choose it), for the console's own UI strings only; the names
// of the API's codes come from the server's table (../vocabulary.tsx).
import i18n from "i18next";
import { initReactI18next } from "react-i18next";

import { en } from "./en";
import { zhCN } from "./zh-CN";

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Messages = Widen<typeof zhCN>;

const LANGUAGE_KEY = "appealflow.language";

i18n.use(initReactI18next).init({
  resources: { "zh-CN": { translation: zhCN }, en: { translation: en } },
  lng: localStorage.getItem(LANGUAGE_KEY) ?? "zh-CN",
  fallbackLng: "zh-CN",
  interpolation: { escapeValue: false },
});

// <html lang> follows the language: screen readers pick their voice by it, and api.ts sends it as Accept-Language.
const markLanguage = (language: string) => document.documentElement.setAttribute("lang", language);
markLanguage(i18n.language);
i18n.on("languageChanged", markLanguage);

export function switchLanguage(): void {
  const next = i18n.language === "en" ? "zh-CN" : "en";
  localStorage.setItem(LANGUAGE_KEY, next);
  void i18n.changeLanguage(next);
}

export default i18n;
