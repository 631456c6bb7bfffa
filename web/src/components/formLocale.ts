// A task's form, as the API sends it (JSON Schema + UI schema), dressed for people reading Chinese: field
// titles, help, option names and validation messages from the translation table. The schema itself is
// not changed, so the browser validates against exactly what the API validates against.
import type { RJSFValidationError, UiSchema } from "@rjsf/utils";
import { englishStringTranslator, TranslatableString } from "@rjsf/utils";
import type { TFunction } from "i18next";

import type { CodeKind, JsonSchema } from "../api";
import type { NameOf } from "../vocabulary";

/** The kind of code each choice field of the forms holds, to name its options from the server's table. */
const CODE_FIELDS: Record<string, CodeKind> = { category: "categories", outcome: "outcomes", satisfaction: "satisfaction" };

/** Choices of up to FEW options (and yes/no) are shown as radio buttons: one click, all options in view. */
const FEW = 6;

/** The UI schema in the reader's language; the form's own title is left out (the page names the step). */
export function localizedUi(schema: JsonSchema, ui: Record<string, unknown>, t: TFunction, name: NameOf): UiSchema {
  const localized: UiSchema = { ...ui, "ui:title": "", "ui:submitButtonOptions": { submitText: t("appeal.submit"), props: { type: "primary" } } };
  for (const [field, property] of Object.entries(schema.properties ?? {})) {
    const own = { ...((ui[field] as Record<string, unknown>) ?? {}) };
    if (t(`field.${field}`, { defaultValue: "" })) own["ui:title"] = t(`field.${field}`);
    // help as a description: @rjsf/antd puts help and errors in the same slot, and help would hide errors
    const help = t(`help.${field}`, { defaultValue: "" }) || own["ui:help"];
    delete own["ui:help"];
    if (help) own["ui:description"] = help;
    if (Array.isArray(property.enum)) own["ui:enumNames"] = property.enum.map((value) =>
        CODE_FIELDS[field] ? name(CODE_FIELDS[field], String(value)) : String(value),
      );
    const fewOptions = Array.isArray(property.enum) && property.enum.length <= FEW;
    if (!own["ui:widget"] && (property.type === "boolean" || fewOptions)) own["ui:widget"] = "radio";
    localized[field] = own;
  }
  return localized;
}

export function errorTranslator(t: TFunction) {
  return (errors: RJSFValidationError[]) =>
    errors.map((error) => ({
      ...error,
      message: t(`error.${error.name}`, { defaultValue: t("error.invalid"), limit: error.params?.limit }),
    }));
}

export function stringTranslator(t: TFunction) {
  return (key: TranslatableString, params?: string[]) => {
    if (key === TranslatableString.YesLabel) return t("yes");
    if (key === TranslatableString.NoLabel) return t("no");
    return englishStringTranslator(key, params);
  };
}
