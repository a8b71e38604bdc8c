// Starts `rolecall lsp` for `*.perm` files.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("rolecall").get("path", "rolecall");
  const server = { command, args: ["lsp"] };
  client = new LanguageClient(
    "rolecall",
    "rolecall",
    { run: server, debug: server },
    {
      documentSelector: [{ scheme: "file", language: "rolecall" }, { scheme: "untitled", language: "rolecall" }],
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/{*.perm,rolecall.yaml}") },
    },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
