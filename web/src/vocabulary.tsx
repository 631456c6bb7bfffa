// The names of the API's codes (categories, channels, steps, outcomes, roles, ...) come from the one
// translation table the server serves (GET /api/v1/vocabulary), fetched once per language and kept in
// memory; the console's own UI strings stay in i18n/. A code the table does not name shows as itself.
import { Spin } from "antd";
import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import { api, type CodeKind, type Vocabulary } from "./api";

const loaded = new Map<string, Promise<Vocabulary>>();

function vocabularyIn(language: string): Promise<Vocabulary> {
  if (!loaded.has(language)) {
    const request = api.vocabulary(language).then((answer) => answer.names);
    request.catch(() => loaded.delete(language)); // a failed fetch is tried again next time
    loaded.set(language, request);
  }
  return loaded.get(language)!;
}

/** The name of a code in the chosen language; "—" for no code, the code itself when the table lacks it. */
export type NameOf = (kind: CodeKind, code: string | null | undefined) => string;

function namer(names: Vocabulary): NameOf {
  return (kind, code) => (code ? (names[kind]?.[code] ?? code) : "—");
}

const NamesContext = createContext<NameOf>(namer({}));
const TableContext = createContext<Vocabulary>({});

export function useNames(): NameOf {
  return useContext(NamesContext);
}

/** Every code of one kind that the table names (every role, say), in the table's order: what a choice offers. */
export function useCodes(kind: CodeKind): string[] {
  return Object.keys(useContext(TableContext)[kind] ?? {});
}

/** Fetches the table for the chosen language (again only when the language changes) and provides it. */
export function VocabularyProvider({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const [names, setNames] = useState<Vocabulary | null>(null);
  const nameOf = useMemo(() => namer(names ?? {}), [names]);

  useEffect(() => {
    let current = true;
    vocabularyIn(i18n.language).then(
      (table) => current && setNames(table),
      () => current && setNames((shown) => shown ?? {}),
    );
    return () => {
      current = false;
    };
  }, [i18n.language]);

  if (names === null) return <Spin style={{ display: "block", marginTop: "20vh" }} />;
  return (
    <TableContext.Provider value={names}>
      <NamesContext.Provider value={nameOf}>{children}</NamesContext.Provider>
    </TableContext.Provider>
  );
}
