/**
 * IPC channel names shared by preload and main. Fixed strings, one per bridge method: the preload never lets
 * the page choose a channel, so the page can only reach these handlers.
 */
export const IPC = {
  appVersion: 'tessera:app-version',
  getUpdateState: 'tessera:get-update-state',
  installUpdate: 'tessera:install-update',
  print: 'tessera:print',
  /** main -> renderer push. */
  updateState: 'tessera:update-state',
} as const;
