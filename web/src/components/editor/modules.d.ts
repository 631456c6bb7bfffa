// The bpmn.io packages the designer's editors use that ship no TypeScript types of their own.
declare module "bpmn-js-properties-panel" {
  export const BpmnPropertiesPanelModule: Record<string, unknown>;
  export const BpmnPropertiesProviderModule: Record<string, unknown>;
  export function useService(name: string, strict?: boolean): any;
}

declare module "@bpmn-io/properties-panel" {
  type Component = (props: Record<string, unknown>) => unknown;
  export const TextFieldEntry: Component;
  export const TextAreaEntry: Component;
  export const SelectEntry: Component;
  export function isTextFieldEntryEdited(node: unknown): boolean;
  export function isTextAreaEntryEdited(node: unknown): boolean;
  export function isSelectEntryEdited(node: unknown): boolean;
}

declare module "@bpmn-io/properties-panel/preact" {
  export function h(component: unknown, props: Record<string, unknown>, ...children: unknown[]): unknown;
}

declare module "dmn-js/lib/Modeler" {
  export interface DmnView {
    type: string;
    element: { id: string; name?: string };
  }
  export interface DmnViewer {
    get(service: string): { on(event: string, callback: () => void): void };
  }
  export default class DmnModeler {
    constructor(options: { container: HTMLElement } & Record<string, unknown>);
    importXML(xml: string): Promise<{ warnings: unknown[] }>;
    saveXML(options?: { format?: boolean }): Promise<{ xml?: string }>;
    getViews(): DmnView[];
    getView(): DmnView | undefined;
    getActiveViewer(): DmnViewer | undefined;
    open(view: DmnView): Promise<unknown>;
    on(event: string, callback: (event: { activeView?: DmnView }) => void): void;
    destroy(): void;
  }
}
