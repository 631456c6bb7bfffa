// Reading and writing what Appealflow reads of a BPMN element's `spiffworkflow` extensions (see
// spiffworkflow.json): named properties (`candidateGroups`, `timerKind`, form files), and the texts of
// `preScript`, `postScript` and `calledDecisionId`. Writes go through bpmn-js's modeling, so each is one
// undoable command and marks the diagram changed; an emptied value removes its element rather than
// leaving an empty one that SpiffWorkflow would read as "".

/** The moddle element of a bpmn-js shape (its business object), loosely typed: moddle has no TS types. */
export interface ModdleElement {
  $type: string;
  $parent?: ModdleElement;
  [key: string]: unknown;
}

export interface Shape {
  businessObject: ModdleElement;
}

/** The bpmn-js services a write needs. */
export interface Services {
  bpmnFactory: { create(type: string, attrs?: Record<string, unknown>): ModdleElement };
  modeling: {
    updateProperties(element: Shape, properties: Record<string, unknown>): void;
    updateModdleProperties(element: Shape, target: ModdleElement, properties: Record<string, unknown>): void;
  };
}

/** The body elements this product reads, with the moddle property that holds each one's text. */
export const BODY_PROPERTY = {
  "spiffworkflow:preScript": "script",
  "spiffworkflow:postScript": "script",
  "spiffworkflow:calledDecisionId": "decisionId",
} as const;

export type BodyType = keyof typeof BODY_PROPERTY;

function extensions(shape: Shape): ModdleElement[] {
  const container = shape.businessObject.extensionElements as ModdleElement | undefined;
  return (container?.values as ModdleElement[] | undefined) ?? [];
}

function propertyList(shape: Shape): ModdleElement | undefined {
  return extensions(shape).find((value) => value.$type === "spiffworkflow:properties");
}

function propertiesOf(list: ModdleElement | undefined): ModdleElement[] {
  return (list?.properties as ModdleElement[] | undefined) ?? [];
}

export function getProperty(shape: Shape, name: string): string {
  const found = propertiesOf(propertyList(shape)).find((property) => property.name === name);
  return (found?.value as string | undefined) ?? "";
}

export function getBody(shape: Shape, type: BodyType): string {
  const found = extensions(shape).find((value) => value.$type === type);
  return (found?.[BODY_PROPERTY[type]] as string | undefined) ?? "";
}

/** The element's <bpmn:extensionElements>, made when it has none. */
function extensionContainer(shape: Shape, services: Services): ModdleElement {
  const existing = shape.businessObject.extensionElements as ModdleElement | undefined;
  if (existing) return existing;
  const made = services.bpmnFactory.create("bpmn:ExtensionElements", { values: [] });
  made.$parent = shape.businessObject;
  services.modeling.updateProperties(shape, { extensionElements: made });
  return made;
}

/** Put `child` in the extension elements, or take `child` out when `add` is false. */
function changeExtensions(shape: Shape, services: Services, child: ModdleElement, add: boolean): void {
  const container = extensionContainer(shape, services);
  const values = (container.values as ModdleElement[]).filter((value) => value !== child);
  if (add) {
    child.$parent = container;
    values.push(child);
  }
  services.modeling.updateModdleProperties(shape, container, { values });
}

export function setProperty(shape: Shape, services: Services, name: string, value: string): void {
  let list = propertyList(shape);
  const found = propertiesOf(list).find((property) => property.name === name);
  if (found && value) {
    services.modeling.updateModdleProperties(shape, found, { value });
    return;
  }
  if (!found && !value) return;
  if (!list) {
    list = services.bpmnFactory.create("spiffworkflow:properties", { properties: [] });
    changeExtensions(shape, services, list, true);
  }
  const others = propertiesOf(list).filter((property) => property !== found);
  if (!value) {
    if (others.length) services.modeling.updateModdleProperties(shape, list, { properties: others });
    else changeExtensions(shape, services, list, false);
    return;
  }
  const property = services.bpmnFactory.create("spiffworkflow:property", { name, value });
  property.$parent = list;
  services.modeling.updateModdleProperties(shape, list, { properties: [...others, property] });
}

export function setBody(shape: Shape, services: Services, type: BodyType, text: string): void {
  const found = extensions(shape).find((value) => value.$type === type);
  if (found && text) services.modeling.updateModdleProperties(shape, found, { [BODY_PROPERTY[type]]: text });
  else if (found) changeExtensions(shape, services, found, false);
  else if (text) changeExtensions(shape, services, services.bpmnFactory.create(type, { [BODY_PROPERTY[type]]: text }), true);
}
