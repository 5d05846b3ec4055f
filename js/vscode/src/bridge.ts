// The bridge to VS Code's `jupyter-notebook` editor, to which the Jupyter
// extension attaches its kernels: a file system whose files mirror the real
// `.jupyter` files at the same paths, read as `.ipynb` JSON and written back
// as `.jupyter` text.
import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import { canonicalJson, fromIpynbText, ipynbText, type JsonObject } from '@jupyter-format/format';
import { writeAtomically } from './files';
import { keepLineEnds } from './lineEnds';
import { notebookText, readNotebook } from './notebookFile';
import { utf8 } from './convert';

export const SCHEME = 'jupyter-format-bridge';

const decoder = new TextDecoder();

/** The bridge URI of a real file, and back: the same path under another scheme. */
export function bridgeUri(file: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({ scheme: SCHEME, path: file.path });
}

export function realUri(bridged: vscode.Uri): vscode.Uri {
  return vscode.Uri.file(bridged.path);
}

export class BridgeFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changes.event;

  watch(uri: vscode.Uri): vscode.Disposable {
    const real = realUri(uri);
    const parent = vscode.Uri.joinPath(real, '..');
    const name = real.path.slice(real.path.lastIndexOf('/') + 1);
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(parent, name));
    const forward = (type: vscode.FileChangeType) => () => this.changes.fire([{ type, uri }]);
    watcher.onDidChange(forward(vscode.FileChangeType.Changed));
    watcher.onDidCreate(forward(vscode.FileChangeType.Created));
    watcher.onDidDelete(forward(vscode.FileChangeType.Deleted));
    return watcher;
  }

  stat(uri: vscode.Uri): Thenable<vscode.FileStat> {
    return vscode.workspace.fs.stat(realUri(uri));
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const bytes = await vscode.workspace.fs.readFile(realUri(uri));
    return utf8(ipynbText(readNotebook(bytes), 'newline'));
  }

  /**
   * Saves the notebook as `.jupyter` text, unless the file already holds this
   * notebook: then its bytes stay as they are, however they are written.
   */
  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const nb = fromIpynbText(decoder.decode(content));
    const path = realUri(uri).fsPath;
    const current = await fs.readFile(path).then(
      bytes => bytes,
      () => null
    );
    const previous = current === null ? null : readable(current);
    if (previous !== null) {
      keepLineEnds(nb, previous);
      if (canonicalJson(previous) === canonicalJson(nb)) {
        return;
      }
    }
    await writeAtomically(path, utf8(notebookText(nb)));
  }

  readDirectory(uri: vscode.Uri): Thenable<[string, vscode.FileType][]> {
    return vscode.workspace.fs.readDirectory(realUri(uri));
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('the bridge holds notebooks only');
  }

  delete(): void {
    throw vscode.FileSystemError.NoPermissions('delete the .jupyter file itself');
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions('rename the .jupyter file itself');
  }

  dispose(): void {
    this.changes.dispose();
  }
}

function readable(bytes: Uint8Array): JsonObject | null {
  try {
    return readNotebook(bytes);
  } catch {
    return null;
  }
}
