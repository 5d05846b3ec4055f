// Test only: a notebook controller for `jupyter-text` and `jupyter-notebook`
// notebooks that runs cells in a real local ipykernel, through the Python
// helper named by JUPYTER_FORMAT_TEST_KERNEL (run with
// JUPYTER_FORMAT_TEST_PYTHON), which speaks JSON lines on its standard streams.
const vscode = require('vscode');
const { spawn } = require('node:child_process');
const readline = require('node:readline');

function startKernel() {
  const helper = spawn(process.env.JUPYTER_FORMAT_TEST_PYTHON, [process.env.JUPYTER_FORMAT_TEST_KERNEL], {
    stdio: ['pipe', 'pipe', 'inherit']
  });
  const waiting = [];
  readline.createInterface({ input: helper.stdout }).on('line', line => waiting.shift()(JSON.parse(line)));
  return {
    run: code =>
      new Promise(resolve => {
        waiting.push(resolve);
        helper.stdin.write(JSON.stringify({ code }) + '\n');
      }),
    dispose: () => helper.kill()
  };
}

function cellOutput(output) {
  const { NotebookCellOutput, NotebookCellOutputItem } = vscode;
  if (output.output_type === 'stream') {
    const item = output.name === 'stderr' ? NotebookCellOutputItem.stderr(output.text) : NotebookCellOutputItem.stdout(output.text);
    return new NotebookCellOutput([item], { outputType: 'stream' });
  }
  if (output.output_type === 'error') {
    const error = { name: output.ename, message: output.evalue, stack: output.traceback.join('\n') };
    return new NotebookCellOutput([NotebookCellOutputItem.error(error)], { outputType: 'error' });
  }
  const items = Object.entries(output.data).map(([mime, value]) =>
    mime.startsWith('image/') && !mime.startsWith('image/svg')
      ? new NotebookCellOutputItem(Buffer.from(value, 'base64'), mime)
      : typeof value === 'string'
        ? NotebookCellOutputItem.text(value, mime)
        : NotebookCellOutputItem.json(value, mime)
  );
  return new NotebookCellOutput(items, {
    outputType: output.output_type,
    executionCount: output.execution_count,
    metadata: output.metadata
  });
}

function activate(context) {
  let kernel;
  for (const type of ['jupyter-text', 'jupyter-notebook']) {
    const controller = vscode.notebooks.createNotebookController(`test-ipykernel-${type}`, type, 'Test ipykernel');
    controller.supportedLanguages = ['python'];
    controller.supportsExecutionOrder = true;
    controller.executeHandler = async cells => {
      kernel ??= startKernel();
      for (const cell of cells) {
        const execution = controller.createNotebookCellExecution(cell);
        execution.start(Date.now());
        await execution.clearOutput();
        const result = await kernel.run(cell.document.getText());
        execution.executionOrder = result.execution_count;
        await execution.replaceOutput(result.outputs.map(cellOutput));
        execution.end(result.status === 'ok', Date.now());
      }
    };
    const prefer = notebook => {
      if (notebook.notebookType === type) {
        controller.updateNotebookAffinity(notebook, vscode.NotebookControllerAffinity.Preferred);
      }
    };
    vscode.workspace.notebookDocuments.forEach(prefer);
    context.subscriptions.push(controller, vscode.workspace.onDidOpenNotebookDocument(prefer));
  }
  context.subscriptions.push({ dispose: () => kernel?.dispose() });
  // The tests wait for this: by then the extensions' contributions are known.
  const ready = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left);
  ready.text = 'test-ipykernel ready';
  ready.show();
  context.subscriptions.push(ready);
}

module.exports = { activate };
