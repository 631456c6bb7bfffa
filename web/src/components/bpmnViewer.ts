// bpmn-js's navigated viewer with its styles, in a module of its own: ProcessDiagram imports it only when a
// diagram is first drawn, so bpmn-js and its CSS stay out of every page that draws none (sign-in above all).
import "bpmn-js/dist/assets/diagram-js.css";
import "bpmn-js/dist/assets/bpmn-js.css";

export { default as NavigatedViewer } from "bpmn-js/lib/NavigatedViewer";
