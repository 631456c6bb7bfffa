// The properties panel's "Appealflow" group: what this product reads of a diagram, edited where the
// designer draws it — the role of a lane, a user task's form files and `candidateGroups`, a timer's
// `timerKind`, a script task's script, the pre- and post-scripts of any task, and the decision a
// business rule task calls. The other groups (id, name, documentation, ...) are bpmn-js-properties-panel's.
import {
  SelectEntry,
  TextAreaEntry,
  TextFieldEntry,
  isSelectEntryEdited,
  isTextAreaEntryEdited,
  isTextFieldEntryEdited,
} from "@bpmn-io/properties-panel";
import { h } from "@bpmn-io/properties-panel/preact";
import { useService } from "bpmn-js-properties-panel";

import i18n from "../../i18n";
import {
  type BodyType,
  getBody,
  getProperty,
  type ModdleElement,
  type Services,
  setBody,
  setProperty,
  type Shape,
} from "./spiffProperties";

/** What the page tells the panel (bpmn-js config `appealflow`): the roles a lane may be, the package's files. */
export interface AppealflowConfig {
  roles: { code: string; name: string }[];
  files: string[];
}

/** The timer kinds the service acts on (appeals/deadlines.py). */
const TIMER_KINDS = ["reminder", "limit"];

type Option = { value: string; label: string };
type Read = (shape: Shape) => string;
type Write = (shape: Shape, services: Services, value: string) => void;
type EntryProps = { element: Shape; id: string };
type Entry = { id: string; component: (props: EntryProps) => unknown; isEdited: (node: unknown) => boolean };

const label = (key: string) => i18n.t(`editor.panel.${key}`);

/** The bpmn-js services a write needs, from inside an entry (a preact component). */
function useServices(): Services {
  return { bpmnFactory: useService("bpmnFactory"), modeling: useService("modeling") };
}

/** A value of the element in a text field (one line) or, for code, a text area. */
function textEntry(key: string, read: Read, write: Write, code = false): Entry {
  function Component({ element, id }: EntryProps) {
    const services = useServices();
    const debounce = useService("debounceInput");
    const props = {
      element,
      id,
      label: label(key),
      debounce,
      getValue: read,
      setValue: (value: string | undefined) => write(element, services, value ?? ""),
    };
    return code ? h(TextAreaEntry, { ...props, rows: 3, monospace: true, autoResize: true }) : h(TextFieldEntry, props);
  }
  return { id: `appealflow-${key}`, component: Component, isEdited: code ? isTextAreaEntryEdited : isTextFieldEntryEdited };
}

/** A choice among `options(config)`; the element's value is always among them, even one not offered. */
function selectEntry(key: string, read: Read, write: Write, options: (config: AppealflowConfig) => Option[]): Entry {
  function Component({ element, id }: EntryProps) {
    const services = useServices();
    const config: AppealflowConfig = useService("config.appealflow");
    const getOptions = (shape: Shape) => {
      const choices = [{ value: "", label: "—" }, ...options(config)];
      const current = read(shape);
      return choices.some((choice) => choice.value === current) ? choices : [...choices, { value: current, label: current }];
    };
    const setValue = (value: string) => write(element, services, value);
    return h(SelectEntry, { element, id, label: label(key), getValue: read, setValue, getOptions });
  }
  return { id: `appealflow-${key}`, component: Component, isEdited: isSelectEntryEdited };
}

const propertyText = (name: string) =>
  textEntry(name, (shape) => getProperty(shape, name), (shape, s, value) => setProperty(shape, s, name, value));

const propertyChoice = (name: string, options: (config: AppealflowConfig) => Option[]) =>
  selectEntry(name, (shape) => getProperty(shape, name), (shape, s, value) => setProperty(shape, s, name, value), options);

const bodyText = (type: BodyType, key: string, code: boolean) =>
  textEntry(key, (shape) => getBody(shape, type), (shape, s, value) => setBody(shape, s, type, value), code);

/** The package's files whose names end in `ending` (and not in `not`). */
const filesEndingIn = (ending: string, not?: string) => (config: AppealflowConfig) =>
  config.files
    .filter((file) => file.endsWith(ending) && !(not && file.endsWith(not)))
    .map((file) => ({ value: file, label: file }));

/** An attribute of the element itself (a lane's name, a script task's script); empty removes it. */
const attribute = (name: string) => ({
  read: (shape: Shape) => (shape.businessObject[name] as string | undefined) ?? "",
  write: (shape: Shape, s: Services, value: string) => s.modeling.updateProperties(shape, { [name]: value || undefined }),
});

const ENTRIES = {
  role: selectEntry("role", attribute("name").read, attribute("name").write, (config) =>
    config.roles.map((role) => ({ value: role.code, label: `${role.name} (${role.code})` })),
  ),
  form: propertyChoice("formJsonSchemaFilename", filesEndingIn(".schema.json", ".uischema.json")),
  ui: propertyChoice("formUiSchemaFilename", filesEndingIn(".uischema.json")),
  groups: propertyText("candidateGroups"),
  timerKind: propertyChoice("timerKind", () => TIMER_KINDS.map((kind) => ({ value: kind, label: label(`timerKinds.${kind}`) }))),
  script: textEntry("script", attribute("script").read, attribute("script").write, true),
  preScript: bodyText("spiffworkflow:preScript", "preScript", true),
  postScript: bodyText("spiffworkflow:postScript", "postScript", true),
  decision: bodyText("spiffworkflow:calledDecisionId", "calledDecisionId", false),
};

function isA(element: ModdleElement, type: string): boolean {
  return (element as unknown as { $instanceOf(type: string): boolean }).$instanceOf(type);
}

function hasTimer(element: ModdleElement): boolean {
  const definitions = (element.eventDefinitions as ModdleElement[] | undefined) ?? [];
  return definitions.some((definition) => definition.$type === "bpmn:TimerEventDefinition");
}

/** The entries that apply to a shape, in the order the panel shows them. */
export function entriesFor(shape: Shape): Entry[] {
  const element = shape.businessObject;
  if (!element) return [];
  const entries: Entry[] = [];
  if (isA(element, "bpmn:Lane")) entries.push(ENTRIES.role);
  if (isA(element, "bpmn:UserTask")) entries.push(ENTRIES.form, ENTRIES.ui, ENTRIES.groups);
  if (isA(element, "bpmn:CatchEvent") && hasTimer(element)) entries.push(ENTRIES.timerKind);
  if (isA(element, "bpmn:ScriptTask")) entries.push(ENTRIES.script);
  if (isA(element, "bpmn:BusinessRuleTask")) entries.push(ENTRIES.decision);
  if (isA(element, "bpmn:Activity")) entries.push(ENTRIES.preScript, ENTRIES.postScript);
  return entries;
}

/** Registered with the panel; puts the Appealflow group first when the selected element has entries. */
class AppealflowPropertiesProvider {
  static $inject = ["propertiesPanel"];

  constructor(propertiesPanel: { registerProvider(priority: number, provider: unknown): void }) {
    propertiesPanel.registerProvider(500, this);
  }

  getGroups(shape: Shape) {
    return (groups: unknown[]) => {
      const entries = entriesFor(shape);
      return entries.length ? [{ id: "appealflow", label: "Appealflow", entries }, ...groups] : groups;
    };
  }
}

export const AppealflowPropertiesModule = {
  __init__: ["appealflowPropertiesProvider"],
  appealflowPropertiesProvider: ["type", AppealflowPropertiesProvider],
};
