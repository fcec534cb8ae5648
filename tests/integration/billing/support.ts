import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import {
  DB_FILE_NAME,
  migrate,
  openDatabase,
  type SqliteDatabase,
} from '../../../server/workstation/db/open';
import { Store, systemActor, type Actor } from '../../../server/workstation/db/store';
import { newKey } from '../../support/storage';
import { tempDir } from '../../support/workstation';

/** A migrated, set-up workstation store with a signed-in-like actor and a patient factory, for ledger tests. */
export interface LedgerStore {
  store: Store;
  db: SqliteDatabase;
  actor: Actor & { userId: string };
  clinicId: string;
  patient: () => string;
  close: () => void;
  /** The data folder and key (for the CLI). */
  dataDir: string;
  key: string;
}

export function ledgerStore(now?: () => Date): LedgerStore {
  const dataDir = tempDir('tessera-ledger-');
  const key = newKey();
  const db = openDatabase(path.join(dataDir, DB_FILE_NAME), key);
  migrate(db);
  const store = new Store(db, now);
  const clinicId = uuidv7();
  store.write(systemActor, (w) => store.setClinic(w, clinicId));
  const actor = { userId: uuidv7(), username: 'bea.biller' };
  let n = 0;
  const patient = () => {
    n++;
    const id = uuidv7();
    store.write(systemActor, (w) =>
      w.insert('patients', {
        id,
        clinicId,
        mrn: String(100000000 + n),
        legalFirstName: `Pat${n}`,
        legalLastName: 'Ledger',
        dateOfBirth: '1980-02-29',
        restricted: false,
        createdAt: store.nowIso(),
        updatedAt: store.nowIso(),
      }),
    );
    return id;
  };
  return { store, db, actor, clinicId, patient, close: () => db.open && db.close(), dataDir, key };
}
