/**
 * Clinical documentation speed, through the local HTTP API as the screens call it:
 *  - opening a chart (summary + first timeline page) for a patient with 500 encounters and 1,000 notes;
 *  - ICD-10-CM search through the API over CDC's real FY2026 codes file (74,719 codes, read in place from
 *    ../shared/data, never copied), and the search index alone over the same entries;
 *  - a draft autosave round trip (validation, write, audit entry, outbox) with a SOAP note's worth of text.
 * `--scale 0.1` shrinks the data for a quick look.
 */
import fs from 'node:fs';
import os from 'node:os';
import { v7 as uuidv7 } from 'uuid';
import { Icd10Index, parseCodeSetFile } from '../../server/domain/clinical/icd10';
import { systemActor } from '../../server/workstation/db/store';
import { clinicianOf } from '../../server/workstation/services/clinical/clinician';
import { createEncounter } from '../../server/workstation/services/clinical/encounters';
import { installCodeSet } from '../../server/workstation/services/clinical/icd10/code-set';
import { createNote, saveDraft, signNote } from '../../server/workstation/services/clinical/notes';
import { listTemplates } from '../../server/workstation/services/clinical/templates';
import { findUserByUsername } from '../../server/workstation/services/admin/user-rows';
import { cdcCodesFile } from '../fixtures/icd10cm';
import { startBenchServer } from './bench-server';
import type { BenchOptions } from './run';
import { report, time } from './stats';

// Queries of the shapes clinicians type: word prefixes, several words, codes and code prefixes with and
// without the dot. The broadest ones ("s", "fracture") are measured apart as the worst case.
const SEARCHES = [
  'anx',
  'generalized anx',
  'F41.1',
  'f43.1',
  'major depressive recurrent moderate',
  'type 2 diab',
  'hypertension',
  'post covid',
  'adhd',
  'QA00',
  'e119',
  'prolonged grief',
];

const soap = (i: number, diagnosis: { code: string; description: string }) => ({
  fields: {
    chief_complaint: `Follow-up visit ${i}: worry, poor sleep and low energy over the last weeks`,
    hpi: 'Reports constant worry about work and family; falls asleep after 1 a.m.; wakes at 5. '.repeat(8),
    findings: 'Alert and oriented, anxious affect, speech normal in rate and volume, no psychomotor changes.',
    diagnoses: [diagnosis],
    assessment:
      'Generalized anxiety, moderate; sleep onset insomnia improving with hygiene measures. '.repeat(4),
    plan: 'Continue weekly CBT; sleep diary; review medication at next visit; crisis line given. '.repeat(4),
    follow_up: '2 weeks',
  },
  planProgress: [],
});

export async function run({ scale }: BenchOptions): Promise<void> {
  const encounters = Math.max(10, Math.round(500 * scale));
  const notesPerEncounter = 2;
  const bench = await startBenchServer({ encrypted: true });
  try {
    const { store, client } = bench;
    const user = findUserByUsername(store, 'ada.admin')!;
    const clin = clinicianOf(user);
    const soapId = listTemplates(store, clin.actor).find((t) => t.key === 'soap')!.id;

    // CDC's FY2026 file, installed the way an administrator installs it (whatever `--scale` says: the
    // code set has the size CDC gives it).
    const codeText = fs.readFileSync(cdcCodesFile, 'utf8');
    const installStart = process.hrtime.bigint();
    installCodeSet(store, systemActor, {
      text: codeText,
      release: 'FY2026 (benchmark)',
      source: 'CDC codes file from ../shared/data',
    });
    const entries = parseCodeSetFile(codeText).entries;
    const codeCount = entries.length;
    console.log(
      `installed CDC's FY2026 code set (${codeCount} codes) in ${(Number(process.hrtime.bigint() - installStart) / 1e6).toFixed(0)} ms`,
    );
    const diagnosis = { code: entries[0]!.code, description: entries[0]!.description };
    const patient = (
      await client.call('createPatient', {
        body: { legalFirstName: 'Bench', legalLastName: 'Patient', dateOfBirth: '1980-05-05' },
      })
    ).body;

    const seedStart = process.hrtime.bigint();
    for (let e = 0; e < encounters; e++) {
      const day = new Date(Date.UTC(2024, 0, 1) + e * 86_400_000).toISOString().slice(0, 10);
      const enc = createEncounter(store, clin, {
        patientId: patient.id,
        providerId: user.id,
        dateOfService: day,
        startTime: '10:00',
        type: 'office',
        locationName: 'Main clinic',
        reason: `Visit ${e}`,
      });
      for (let n = 0; n < notesPerEncounter; n++) {
        const note = createNote(store, clin, {
          patientId: patient.id,
          encounterId: enc.id,
          templateId: soapId,
        });
        const saved = saveDraft(store, clin, note.id, {
          baseVersion: note.version,
          title: `Note ${e}.${n}`,
          content: soap(e, diagnosis),
        });
        signNote(store, clin, note.id, saved.version);
      }
    }
    // The seeding above held the event loop; let the server close its idle keep-alive sockets before reuse.
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (let v = 0; v < 20; v++) {
      await client.call('recordVitals', {
        params: { id: patient.id },
        body: { systolic: 120 + v, diastolic: 80, heartRate: 70, weight: { value: 150 + v, unit: 'lb' } },
      });
    }
    const problem = await client.call('createProblem', {
      params: { id: patient.id },
      body: { code: diagnosis.code },
    });
    if (problem.status !== 201) throw new Error(`problem: ${problem.status} ${problem.text.slice(0, 200)}`);
    await client.call('createAllergy', {
      params: { id: patient.id },
      body: { type: 'drug', allergen: 'Penicillin' },
    });
    const seedMs = Number(process.hrtime.bigint() - seedStart) / 1e6;
    console.log(
      `seeded ${encounters} encounters and ${encounters * notesPerEncounter} signed notes in ${(seedMs / 1000).toFixed(1)} s`,
    );

    const first = await client.call('getChart', { params: { id: patient.id } });
    if (first.status !== 200 || first.body.counts.notes !== encounters * notesPerEncounter)
      throw new Error(`chart: ${first.status} ${first.text.slice(0, 200)}`);
    report(
      `chart open (${encounters} encounters, ${encounters * notesPerEncounter} notes)`,
      await time(200, () => client.call('getChart', { params: { id: patient.id } })),
      50,
    );

    // The floor every call stands on (HTTP, launch and session checks, the session's activity stamp).
    report(
      'baseline: a trivial signed-in call (code-set status)',
      await time(600, () => client.call('getIcd10Status')),
    );
    // The first search builds the index from the installed file; that is not what a user waits for.
    await client.call('searchIcd10', { query: { q: 'anxiety' } });
    report(
      `ICD-10-CM search via API, CDC FY2026 (${codeCount} codes)`,
      await time(600, (i) =>
        client.call('searchIcd10', { query: { q: SEARCHES[i % SEARCHES.length]!, limit: 20 } }),
      ),
      10,
    );
    // Wall-clock times above depend on what else the machine runs; CPU time per call does much less. It
    // covers the client (fetch) and the server alike: both run in this process.
    const cpuStart = process.cpuUsage();
    const calls = 600;
    for (let i = 0; i < calls; i++) {
      await client.call('searchIcd10', { query: { q: SEARCHES[i % SEARCHES.length]!, limit: 20 } });
    }
    const cpu = process.cpuUsage(cpuStart);
    console.log(
      `${'ICD-10-CM search via API: CPU per call (client + server)'.padEnd(56)} ${((cpu.user + cpu.system) / 1000 / calls).toFixed(2)} ms; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    );
    // The index alone over the same entries: what grows with the code set, without the HTTP floor above.
    const buildStart = process.hrtime.bigint();
    const big = new Icd10Index(entries);
    console.log(
      `built a ${codeCount}-entry index in ${(Number(process.hrtime.bigint() - buildStart) / 1e6).toFixed(0)} ms`,
    );
    report(
      `ICD-10-CM index search, CDC FY2026 (${codeCount} codes)`,
      await time(2000, (i) => big.search(SEARCHES[i % SEARCHES.length]!, 20)),
      10,
    );
    report(
      `ICD-10-CM index, broad queries: "s", "fracture" (tens of thousands of matches)`,
      await time(200, (i) => big.search(i % 2 ? 's' : 'fracture', 20)),
    );

    const draft = createNote(store, clin, { patientId: patient.id, encounterId: null, templateId: soapId });
    let version = draft.version;
    const windowId = uuidv7().replace(/-/g, '');
    report(
      'draft autosave round trip (SOAP note, ~3 KB)',
      await time(400, async (i) => {
        const res = await client.call('saveNoteDraft', {
          params: { id: draft.id },
          body: { baseVersion: version, title: 'Autosave bench', content: soap(i, diagnosis), windowId },
        });
        if (res.status !== 200) throw new Error(`autosave: ${res.status} ${res.text}`);
        version = res.body.version;
      }),
      10,
    );
  } finally {
    await bench.close();
  }
}
