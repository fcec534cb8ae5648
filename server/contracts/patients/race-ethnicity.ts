import { z } from 'zod';

/**
 * Race and ethnicity codes.
 *
 * Source: CDC Race & Ethnicity Code Set, version 1.0 (CDC/NCHS, March 2000), published in PHIN VADS as
 * code system OID 2.16.840.1.113883.6.238 (FHIR: urn:oid:2.16.840.1.113883.6.238, "CDCREC"). The tree
 * below is that code set's hierarchy down to the national-origin level (hierarchical codes R1–R9 for race,
 * E1–E2 for ethnicity). The roughly 800 individual American Indian and Alaska Native tribal codes under
 * R1.01 and R1.02 are not listed; a patient can be recorded as American Indian or Alaska Native.
 *
 * The top level of each tree is the OMB (1997 standards) minimum category that every detailed code rolls up
 * to, which is what US Core's `ombCategory` and federal reporting use; "Other Race" (2131-1) is in the
 * code set but is not an OMB category, so it rolls up to none.
 */
export interface CodeNode {
  code: string;
  display: string;
  children?: CodeNode[];
}

const leaf = (code: string, display: string): CodeNode => ({ code, display });

export const raceCodeTree: CodeNode[] = [
  {
    code: '1002-5',
    display: 'American Indian or Alaska Native',
    children: [leaf('1004-1', 'American Indian'), leaf('1735-0', 'Alaska Native')],
  },
  {
    code: '2028-9',
    display: 'Asian',
    children: [
      leaf('2029-7', 'Asian Indian'),
      leaf('2030-5', 'Bangladeshi'),
      leaf('2031-3', 'Bhutanese'),
      leaf('2032-1', 'Burmese'),
      leaf('2033-9', 'Cambodian'),
      leaf('2034-7', 'Chinese'),
      leaf('2035-4', 'Taiwanese'),
      leaf('2036-2', 'Filipino'),
      leaf('2037-0', 'Hmong'),
      leaf('2038-8', 'Indonesian'),
      leaf('2039-6', 'Japanese'),
      leaf('2040-4', 'Korean'),
      leaf('2041-2', 'Laotian'),
      leaf('2042-0', 'Malaysian'),
      leaf('2043-8', 'Okinawan'),
      leaf('2044-6', 'Pakistani'),
      leaf('2045-3', 'Sri Lankan'),
      leaf('2046-1', 'Thai'),
      leaf('2047-9', 'Vietnamese'),
      leaf('2048-7', 'Iwo Jiman'),
      leaf('2049-5', 'Maldivian'),
      leaf('2050-3', 'Nepalese'),
      leaf('2051-1', 'Singaporean'),
      leaf('2052-9', 'Madagascar'),
    ],
  },
  {
    code: '2054-5',
    display: 'Black or African American',
    children: [
      leaf('2056-0', 'Black'),
      leaf('2058-6', 'African American'),
      {
        code: '2060-2',
        display: 'African',
        children: [
          leaf('2061-0', 'Botswanan'),
          leaf('2062-8', 'Ethiopian'),
          leaf('2063-6', 'Liberian'),
          leaf('2064-4', 'Namibian'),
          leaf('2065-1', 'Nigerian'),
          leaf('2066-9', 'Zairean'),
        ],
      },
      leaf('2067-7', 'Bahamian'),
      leaf('2068-5', 'Barbadian'),
      leaf('2069-3', 'Dominican'),
      leaf('2070-1', 'Dominica Islander'),
      leaf('2071-9', 'Haitian'),
      leaf('2072-7', 'Jamaican'),
      leaf('2073-5', 'Tobagoan'),
      leaf('2074-3', 'Trinidadian'),
      leaf('2075-0', 'West Indian'),
    ],
  },
  {
    code: '2076-8',
    display: 'Native Hawaiian or Other Pacific Islander',
    children: [
      {
        code: '2078-4',
        display: 'Polynesian',
        children: [
          leaf('2079-2', 'Native Hawaiian'),
          leaf('2080-0', 'Samoan'),
          leaf('2081-8', 'Tahitian'),
          leaf('2082-6', 'Tongan'),
          leaf('2083-4', 'Tokelauan'),
        ],
      },
      {
        code: '2085-9',
        display: 'Micronesian',
        children: [
          leaf('2086-7', 'Guamanian or Chamorro'),
          leaf('2087-5', 'Guamanian'),
          leaf('2088-3', 'Chamorro'),
          leaf('2089-1', 'Mariana Islander'),
          leaf('2090-9', 'Marshallese'),
          leaf('2091-7', 'Palauan'),
          leaf('2092-5', 'Carolinian'),
          leaf('2093-3', 'Kosraean'),
          leaf('2094-1', 'Pohnpeian'),
          leaf('2095-8', 'Saipanese'),
          leaf('2096-6', 'Kiribati'),
          leaf('2097-4', 'Chuukese'),
          leaf('2098-2', 'Yapese'),
        ],
      },
      {
        code: '2100-6',
        display: 'Melanesian',
        children: [
          leaf('2101-4', 'Fijian'),
          leaf('2102-2', 'Papua New Guinean'),
          leaf('2103-0', 'Solomon Islander'),
          leaf('2104-8', 'New Hebrides'),
        ],
      },
      leaf('2500-7', 'Other Pacific Islander'),
    ],
  },
  {
    code: '2106-3',
    display: 'White',
    children: [
      {
        code: '2108-9',
        display: 'European',
        children: [
          leaf('2109-7', 'Armenian'),
          leaf('2110-5', 'English'),
          leaf('2111-3', 'French'),
          leaf('2112-1', 'German'),
          leaf('2113-9', 'Irish'),
          leaf('2114-7', 'Italian'),
          leaf('2115-4', 'Polish'),
          leaf('2116-2', 'Scottish'),
        ],
      },
      {
        code: '2118-8',
        display: 'Middle Eastern or North African',
        children: [
          leaf('2119-6', 'Assyrian'),
          leaf('2120-4', 'Egyptian'),
          leaf('2121-2', 'Iranian'),
          leaf('2122-0', 'Iraqi'),
          leaf('2123-8', 'Lebanese'),
          leaf('2124-6', 'Palestinian'),
          leaf('2125-3', 'Syrian'),
          leaf('2126-1', 'Afghanistani'),
          leaf('2127-9', 'Israeli'),
        ],
      },
      leaf('2129-5', 'Arab'),
    ],
  },
  leaf('2131-1', 'Other Race'),
];

export const ethnicityCodeTree: CodeNode[] = [
  {
    code: '2135-2',
    display: 'Hispanic or Latino',
    children: [
      {
        code: '2137-8',
        display: 'Spaniard',
        children: [
          leaf('2138-6', 'Andalusian'),
          leaf('2139-4', 'Asturian'),
          leaf('2140-2', 'Castillian'),
          leaf('2141-0', 'Catalonian'),
          leaf('2142-8', 'Belearic Islander'),
          leaf('2143-6', 'Gallego'),
          leaf('2144-4', 'Valencian'),
          leaf('2145-1', 'Canarian'),
          leaf('2146-9', 'Spanish Basque'),
        ],
      },
      {
        code: '2148-5',
        display: 'Mexican',
        children: [
          leaf('2149-3', 'Mexican American'),
          leaf('2150-1', 'Mexicano'),
          leaf('2151-9', 'Chicano'),
          leaf('2152-7', 'La Raza'),
          leaf('2153-5', 'Mexican American Indian'),
        ],
      },
      {
        code: '2155-0',
        display: 'Central American',
        children: [
          leaf('2156-8', 'Costa Rican'),
          leaf('2157-6', 'Guatemalan'),
          leaf('2158-4', 'Honduran'),
          leaf('2159-2', 'Nicaraguan'),
          leaf('2160-0', 'Panamanian'),
          leaf('2161-8', 'Salvadoran'),
          leaf('2162-6', 'Central American Indian'),
          leaf('2163-4', 'Canal Zone'),
        ],
      },
      {
        code: '2165-9',
        display: 'South American',
        children: [
          leaf('2166-7', 'Argentinean'),
          leaf('2167-5', 'Bolivian'),
          leaf('2168-3', 'Chilean'),
          leaf('2169-1', 'Colombian'),
          leaf('2170-9', 'Ecuadorian'),
          leaf('2171-7', 'Paraguayan'),
          leaf('2172-5', 'Peruvian'),
          leaf('2173-3', 'Uruguayan'),
          leaf('2174-1', 'Venezuelan'),
          leaf('2175-8', 'South American Indian'),
          leaf('2176-6', 'Criollo'),
        ],
      },
      leaf('2178-2', 'Latin American'),
      leaf('2180-8', 'Puerto Rican'),
      leaf('2182-4', 'Cuban'),
      leaf('2184-0', 'Dominican'),
    ],
  },
  leaf('2186-5', 'Not Hispanic or Latino'),
];

/** A code with its display, its depth and the OMB category at the top of its tree. */
export interface FlatCode {
  code: string;
  display: string;
  depth: number;
  /** The code of the top-level (OMB) category this code sits under; itself at the top. */
  root: string;
  parent: string | null;
}

function flatten(tree: CodeNode[]): FlatCode[] {
  const out: FlatCode[] = [];
  const walk = (nodes: CodeNode[], depth: number, root: string | null, parent: string | null) => {
    for (const n of nodes) {
      out.push({ code: n.code, display: n.display, depth, root: root ?? n.code, parent });
      if (n.children) walk(n.children, depth + 1, root ?? n.code, n.code);
    }
  };
  walk(tree, 0, null, null);
  return out;
}

/** Every code in tree order (a category, then its detailed codes), for pickers. */
export const raceCodes: readonly FlatCode[] = flatten(raceCodeTree);
export const ethnicityCodes: readonly FlatCode[] = flatten(ethnicityCodeTree);
export const raceCodeIndex: ReadonlyMap<string, FlatCode> = new Map(raceCodes.map((c) => [c.code, c]));
export const ethnicityCodeIndex: ReadonlyMap<string, FlatCode> = new Map(
  ethnicityCodes.map((c) => [c.code, c]),
);

export const raceCodeSchema = z
  .string()
  .refine((c) => raceCodeIndex.has(c), { message: 'Choose race answers from the list.' });
export const ethnicityCodeSchema = z
  .string()
  .refine((c) => ethnicityCodeIndex.has(c), { message: 'Choose ethnicity answers from the list.' });

/** The OMB 1997 minimum race categories and the two ethnicity categories. */
export const ombRaceCategories = ['1002-5', '2028-9', '2054-5', '2076-8', '2106-3'] as const;
export const ombRaceSchema = z.enum(ombRaceCategories);
export type OmbRace = z.infer<typeof ombRaceSchema>;
export const ombEthnicityCategories = ['2135-2', '2186-5'] as const;
export const ombEthnicitySchema = z.enum(ombEthnicityCategories);
export type OmbEthnicity = z.infer<typeof ombEthnicitySchema>;
