// Stands in for Electron's utilityProcess: process.parentPort over Node's fork() IPC channel.
process.parentPort = {
  on: (_event, listener) => process.on('message', (data) => listener({ data })),
  postMessage: (message) => process.send(message),
};
