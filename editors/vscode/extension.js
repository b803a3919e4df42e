// The journey extension is a client only: it starts `journey lsp` and
// lets it do everything (diagnostics, completion, navigation, rename,
// formatting, quick fixes).
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const cfg = vscode.workspace.getConfiguration('journey');
  const serverOptions = {
    command: cfg.get('path') || 'journey',
    args: ['lsp'],
    transport: TransportKind.stdio,
  };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', pattern: '**/*.journey.{yaml,yml}' },
      { scheme: 'file', pattern: '**/.journey.{yaml,yml}' },
    ],
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.journey.yaml,*.journey.yml,.journey.yaml,.journey.yml}'),
    },
    initializationOptions: { renamedFrom: cfg.get('renamedFrom', true) },
  };
  client = new LanguageClient('journey', 'journey', serverOptions, clientOptions);
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
