// Which deployed file draws a process: a package holds several BPMN files (the appeal and the chain it
// calls); the one whose <process> has the process's id is its drawing.
import { api, type ProcessVersion } from "../../api";

/** The BPMN text of `version`'s process, or null when no file of the package defines it. */
export async function versionXml(version: ProcessVersion): Promise<string | null> {
  const own = `${version.process_id}.bpmn`;
  const candidates = version.files.filter((name) => name.endsWith(".bpmn")).sort((a, b) => Number(b === own) - Number(a === own));
  for (const name of candidates) {
    const xml = await api.versionFile(version.process_id, version.version, name);
    if (definesProcess(xml, version.process_id)) return xml;
  }
  return null;
}

function definesProcess(xml: string, processId: string): boolean {
  const document = new DOMParser().parseFromString(xml, "application/xml");
  return Array.from(document.getElementsByTagNameNS("*", "process")).some((p) => p.getAttribute("id") === processId);
}
