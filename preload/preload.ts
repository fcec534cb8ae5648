import { contextBridge, ipcRenderer, type IpcRenderer, type IpcRendererEvent } from 'electron';
import type { TesseraBridge, UpdateState } from '../server/contracts/desktop/index';
import { IPC } from './channels';

/**
 * Runs sandboxed, so it may only import 'electron' (esbuild inlines ./channels; the contract import is types
 * only). Each method maps to one fixed channel; ipcRenderer and IPC event objects (whose `sender` is
 * ipcRenderer) never reach the page.
 */
export function createBridge(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): TesseraBridge {
  return {
    appVersion: () => ipc.invoke(IPC.appVersion) as Promise<string>,
    getUpdateState: () => ipc.invoke(IPC.getUpdateState) as Promise<UpdateState>,
    onUpdateState(listener) {
      if (typeof listener !== 'function') throw new TypeError('onUpdateState needs a function');
      const forward = (_event: IpcRendererEvent, state: UpdateState) => listener(state);
      ipc.on(IPC.updateState, forward);
      return () => {
        ipc.removeListener(IPC.updateState, forward);
      };
    },
    installUpdate: async () => {
      await ipc.invoke(IPC.installUpdate);
    },
    print: async () => {
      await ipc.invoke(IPC.print);
    },
  };
}

contextBridge.exposeInMainWorld('tessera', createBridge(ipcRenderer));
