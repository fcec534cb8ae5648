import { v7 as uuidv7 } from 'uuid';
import type { Store } from '../../server/workstation/db/store';
import { newMrn } from '../../server/workstation/services/patients/patient-core';

/**
 * Fake patients for benchmarks: a deterministic stream (same seed, same people), with the spread of names a
 * US clinic sees (common and rare surnames, accents, hyphens and apostrophes, names to use), dates of
 * birth across ages, and phone numbers. Written through Store.write in large batches (rows, outbox, one
 * audit entry per batch), so the search index triggers and the write path are those of the product.
 */

const FIRST =
  `James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan Joseph
Jessica Thomas Sarah Christopher Karen Charles Lisa Daniel Nancy Matthew Betty Anthony Sandra Mark Margaret Donald
Ashley Steven Kimberly Andrew Emily Paul Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Melissa George
Deborah Timothy Stephanie Ronald Rebecca Jason Sharon Edward Laura Jeffrey Cynthia Ryan Dorothy Jacob Amy Gary
Kathleen Nicholas Angela Eric Shirley Jonathan Emma Stephen Brenda Larry Pamela Justin Nicole Scott Anna Brandon
Samantha Benjamin Katherine Samuel Christine Gregory Debra Alexander Rachel Patrick Carolyn Frank Janet Raymond
Maria Jack Catherine Dennis Heather Jerry Diane Tyler Olivia Aaron Julie Jose Joyce Adam Victoria Nathan Ruth Henry
Virginia Zachary Lauren Douglas Kelly Peter Christina Kyle Joan Noah Evelyn Ethan Judith Jeremy Andrea Walter Hannah
Christian Megan Keith Cheryl Roger Jacqueline Terry Martha Austin Madison Sean Teresa Gerald Gloria Carl Sara Harold
Janice Dylan Ann Arthur Kathryn Lawrence Abigail Jordan Sophia Jesse Frances Bryan Jean Billy Alice Bruce Judy Gabriel
Isabella Joe Julia Logan Grace Alan Amber Juan Denise Albert Danielle Willie Marilyn Elijah Beverly Wayne Charlotte
Randy Natalie Vincent Theresa Mason Diana Roy Brittany Ralph Doris Bobby Kayla Russell Alexis Bradley Lori Philip
Tiffany Eugene Kathy Louis Jane Luis Jorge Sofía José Lucía Mateo Valentina Diego Camila Santiago Ximena Wei Li Min Jun
Hiroshi Yuki Priya Arjun Ananya Rahul Fatima Mohammed Aisha Omar Ngozi Chinedu Oluwaseun Thanh Linh Minh Siobhán Zoë
Renée Björn Søren Chloé Noémie François Dmitri Olga Irina Sergei`
    .split(/\s+/)
    .filter(Boolean);

const LAST =
  `Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson
Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker
Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter
Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers
Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood
James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins
Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson
Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar
Stevens Murray Ford Castro Marshall Owens Harrison Fernandez McDonald Woods Washington Kennedy Wells Vargas Henry Chen
Freeman Webb Tucker Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Muñoz
Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt García Núñez
Peña Ibáñez O'Brien O'Connor O'Neil D'Angelo McAllister MacDonald Okafor Adeyemi Mensah Nwosu Abubakar Okonkwo Wang Zhang
Liu Yang Huang Zhao Wu Zhou Xu Sun Ma Hu Lin Guo Tanaka Suzuki Takahashi Watanabe Yamamoto Nakamura Kobayashi Sato
Kowalski Nowak Wiśniewski Novák Müller Schröder Jäger Öztürk Yılmaz Kaya Ivanov Petrov Smirnov Sokolov Kuznetsov
Johansson Andersson Karlsson Nilsson Eriksson Larsen Hansen Pedersen Christensen Rasmussen Dubois Lefèvre Lambert
Fontaine Rousseau Bianchi Rossi Russo Ferrari Esposito Romano Colombo Ricci Marino Greco Bruno Gallo Conti De Luca
Costa Giordano Mancini Rizzo Lombardi Moretti Smith-Jones Garcia-Lopez Okafor-Reyes Lee-Chang Van der Berg De la Cruz
Van Buren St. Clair Nakamura-Lee Al-Sayed Ben-David Haddad Khoury Nasser Farah Hassan Ali Khan Ahmed Hussain Rahman
Singh Kaur Sharma Gupta Kumar Reddy Iyer Nair Menon Pillai Das Bose Chatterjee Banerjee Mukherjee`
    .split(/\s+/)
    .filter(Boolean);

const AREA_CODES = [
  '512',
  '737',
  '210',
  '214',
  '469',
  '713',
  '832',
  '281',
  '915',
  '806',
  '361',
  '254',
  '409',
  '817',
  '972',
];

/** mulberry32: a small, fast, seedable generator (benchmarks must be repeatable). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FakePatient {
  id: string;
  mrn: string;
  legalFirstName: string;
  legalLastName: string;
  firstNameToUse: string | null;
  dateOfBirth: string;
  phoneMobile: string | null;
  phoneHome: string | null;
}

function* people(seed: number): Generator<Omit<FakePatient, 'id' | 'mrn'>> {
  const r = rng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)]!;
  // Common names are common: square the uniform draw so the head of each list comes up more often.
  const skewed = <T>(list: readonly T[]) => list[Math.floor(r() * r() * list.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');
  for (;;) {
    const first = skewed(FIRST);
    const year = 1930 + Math.floor(r() * 95);
    const month = 1 + Math.floor(r() * 12);
    const day = 1 + Math.floor(r() * 28);
    yield {
      legalFirstName: r() < 0.08 ? `${first} ${pick(FIRST)}` : first,
      legalLastName: skewed(LAST),
      firstNameToUse: r() < 0.06 ? pick(FIRST) : null,
      dateOfBirth: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      phoneMobile: r() < 0.85 ? `${pick(AREA_CODES)}${2 + Math.floor(r() * 8)}${digits(6)}` : null,
      phoneHome: r() < 0.25 ? `${pick(AREA_CODES)}${2 + Math.floor(r() * 8)}${digits(6)}` : null,
    };
  }
}

/**
 * Write `count` patients; returns every `sampleEvery`-th one (the benchmark's queries are built from them).
 * MRNs are drawn like the product's and kept unique.
 */
export function seedPatients(
  store: Store,
  count: number,
  /** `mrns`: numbers already given out, for a second call into the same clinic (MRNs are unique per clinic). */
  opts: { seed?: number; batch?: number; sampleEvery?: number; mrns?: Set<string> } = {},
): FakePatient[] {
  const clinicId = store.requireClinicId();
  const batch = opts.batch ?? 5000;
  const sampleEvery = opts.sampleEvery ?? 100;
  const source = people(opts.seed ?? 20260520);
  const mrns = opts.mrns ?? new Set<string>();
  const sample: FakePatient[] = [];
  const actor = { userId: null, username: 'benchmark-seed' };
  for (let done = 0; done < count;) {
    const size = Math.min(batch, count - done);
    store.write(actor, (w) => {
      const now = store.nowIso();
      for (let i = 0; i < size; i++) {
        let mrn = newMrn();
        while (mrns.has(mrn)) mrn = newMrn();
        mrns.add(mrn);
        const p = { id: uuidv7(), mrn, ...source.next().value! };
        w.insert('patients', {
          ...p,
          clinicId,
          restricted: false,
          createdAt: now,
          updatedAt: now,
          deletedAt: null,
        });
        if ((done + i) % sampleEvery === 0) sample.push(p);
      }
      w.audit({ action: 'patient.create', detail: { count: size, source: 'benchmark seed' } });
    });
    done += size;
  }
  return sample;
}
