// Opens .jupyter files as notebooks: a double-click in the file browser opens
// them in the notebook editor, in JupyterLab and in Notebook 7 alike.  The
// jupyter_format server extension reads and writes them as notebook models.
//
// Only types are imported, so the built extension shares no module with the
// application and works with every JupyterLab 4 release.
import type {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';

const FILE_TYPE = 'jupyter-format';
const NOTEBOOK_FACTORY = 'Notebook';

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-format:file-type',
  description: 'Opens .jupyter files as notebooks.',
  autoStart: true,
  activate: (app: JupyterFrontEnd) => {
    const registry = app.docRegistry;
    registry.addFileType(
      {
        name: FILE_TYPE,
        displayName: 'Notebook (.jupyter text)',
        extensions: ['.jupyter'],
        mimeTypes: ['application/x-ipynb+json'],
        contentType: 'notebook',
        fileFormat: 'json',
        icon: registry.getFileType('notebook')?.icon
      },
      [NOTEBOOK_FACTORY]
    );
    // Recent JupyterLab makes the first factory named above the default;
    // older 4.x releases need telling, once the notebook factory exists.
    void app.restored.then(() => {
      const current = registry.defaultWidgetFactory('notebook.jupyter');
      if (
        current?.name !== NOTEBOOK_FACTORY &&
        registry.getWidgetFactory(NOTEBOOK_FACTORY)
      ) {
        registry.setDefaultWidgetFactory(FILE_TYPE, NOTEBOOK_FACTORY);
      }
    });
  }
};

export default plugin;
