// What the version editor page and each file's editor agree on.

export interface EditorProps {
  /** The file as deployed: where the editor starts. */
  xml: string;
  /** Called at every change the designer makes, so the page knows which files to send. */
  onChange: () => void;
  /** The editor hands the page the function that gives its file's text now. */
  register: (save: () => Promise<string>) => void;
}
