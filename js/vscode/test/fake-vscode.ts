// Test only: the few classes of the `vscode` API that convert.ts uses, as the
// API documents them, so that the mapping runs in Node without a VS Code.
const encoder = new TextEncoder();

export enum NotebookCellKind {
  Markup = 1,
  Code = 2
}

export class NotebookCellOutputItem {
  constructor(
    public data: Uint8Array,
    public mime: string
  ) {}

  static text(value: string, mime = 'text/plain'): NotebookCellOutputItem {
    return new NotebookCellOutputItem(encoder.encode(value), mime);
  }

  static json(value: unknown, mime = 'text/x-json'): NotebookCellOutputItem {
    return NotebookCellOutputItem.text(JSON.stringify(value, undefined, '\t'), mime);
  }

  static stdout(value: string): NotebookCellOutputItem {
    return NotebookCellOutputItem.text(value, 'application/vnd.code.notebook.stdout');
  }

  static stderr(value: string): NotebookCellOutputItem {
    return NotebookCellOutputItem.text(value, 'application/vnd.code.notebook.stderr');
  }

  static error(value: { name: string; message: string; stack?: string }): NotebookCellOutputItem {
    const { name, message, stack } = value;
    return NotebookCellOutputItem.text(JSON.stringify({ name, message, stack }), 'application/vnd.code.notebook.error');
  }
}

export class NotebookCellOutput {
  constructor(
    public items: NotebookCellOutputItem[],
    public metadata?: { [key: string]: unknown }
  ) {}
}

export class NotebookCellData {
  outputs?: NotebookCellOutput[];
  metadata?: { [key: string]: unknown };
  executionSummary?: { executionOrder?: number };

  constructor(
    public kind: NotebookCellKind,
    public value: string,
    public languageId: string
  ) {}
}

export class NotebookData {
  metadata?: { [key: string]: unknown };

  constructor(public cells: NotebookCellData[]) {}
}
