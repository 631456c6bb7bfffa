// The open task's form, rendered by @rjsf/antd from the task's own JSON Schema; a 422 from the API is
// shown on the field it names, and what was typed stays in the form. A 409 (someone else completed the task:
// the page was stale) goes to `onStale` with the API's words, which say who and when.
import Form from "@rjsf/antd";
import type { ErrorSchema } from "@rjsf/utils";
import { customizeValidator } from "@rjsf/validator-ajv8";
import { Alert } from "antd";
import Ajv2020 from "ajv/dist/2020";
import type { TFunction } from "i18next";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import { type Appeal, ApiError, api, type Task } from "../api";
import { useNames } from "../vocabulary";
import { errorTranslator, localizedUi, stringTranslator } from "./formLocale";

const validator = customizeValidator({ AjvClass: Ajv2020 });

function fieldErrors(fields: Record<string, string>, t: TFunction): ErrorSchema {
  const errors: Record<string, { __errors: string[] }> = {};
  for (const [field, problem] of Object.entries(fields)) {
    errors[field.replace(/^data\./, "")] = { __errors: [t("error.serverField", { message: problem })] };
  }
  return errors as ErrorSchema;
}

interface Props {
  task: Task;
  onDone: (appeal: Appeal) => void;
  onStale: (message: string) => void;
}

export function TaskForm({ task, onDone, onStale }: Props) {
  const { t } = useTranslation();
  const name = useNames();
  const [data, setData] = useState<Record<string, unknown>>({});
  const [serverErrors, setServerErrors] = useState<ErrorSchema>({});
  const [problem, setProblem] = useState<string | null>(null);
  const form = task.form ?? { schema: { type: "object" }, ui: {} };
  const ui = useMemo(() => localizedUi(form.schema, form.ui, t, name), [form, t, name]);

  async function submit(formData: Record<string, unknown>) {
    setServerErrors({});
    setProblem(null);
    try {
      onDone(await api.complete(task.id, formData));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 409) return onStale(error.message);
      if (Object.keys(error.fields).length) setServerErrors(fieldErrors(error.fields, t));
      setProblem(t("error.generic", { message: error.message }));
    }
  }

  return (
    <>
      {problem && <Alert type="error" title={problem} showIcon style={{ marginBottom: 16 }} />}
      <Form
        schema={form.schema as object}
        uiSchema={ui}
        formData={data}
        validator={validator}
        formContext={{ labelAlign: "left", colon: false }}
        extraErrors={serverErrors}
        showErrorList={false}
        noHtml5Validate
        transformErrors={errorTranslator(t)}
        translateString={stringTranslator(t)}
        onChange={(event) => setData(event.formData ?? {})}
        onSubmit={(event) => submit(event.formData ?? {})}
      />
    </>
  );
}
