/**
 * Standardised questionnaires a clinic sends through the portal (issue 11): their items and answer choices
 * in English and Spanish, and the severity bands of their total score. Data only; scoring is in
 * server/domain/questionnaires. The renderer shows the items from here, central scores from here, so the
 * two never disagree. PHQ-9 and GAD-7 are public domain (developed by Drs. Spitzer, Williams, Kroenke et
 * al. with an educational grant from Pfizer; no permission required to reproduce or distribute).
 * Another instrument is added by appending an entry to `instruments` and its id to `instrumentIds`.
 */

export const instrumentIds = ['phq9', 'gad7'] as const;
export type InstrumentId = (typeof instrumentIds)[number];

export interface Localised {
  en: string;
  es: string;
}

export interface SeverityBand {
  /** Lowest total in the band (inclusive); bands are listed lowest first and cover 0..maxScore. */
  min: number;
  key: string;
  label: Localised;
}

export interface Instrument {
  id: InstrumentId;
  name: string;
  title: Localised;
  /** The stem shown above the items. */
  stem: Localised;
  items: readonly Localised[];
  /** Answer choices, scored 0..n-1 in this order. */
  choices: readonly Localised[];
  bands: readonly SeverityBand[];
  /**
   * Items (0-based) whose any non-zero answer raises an urgent flag to the clinician's inbox, whatever the
   * total: PHQ-9 item 9 (thoughts of being better off dead or of self-harm).
   */
  urgentItems: readonly number[];
}

const frequency: readonly Localised[] = [
  { en: 'Not at all', es: 'Ningún día' },
  { en: 'Several days', es: 'Varios días' },
  { en: 'More than half the days', es: 'Más de la mitad de los días' },
  { en: 'Nearly every day', es: 'Casi todos los días' },
];

const stem: Localised = {
  en: 'Over the last 2 weeks, how often have you been bothered by any of the following problems?',
  es: 'Durante las últimas 2 semanas, ¿con qué frecuencia le han molestado los siguientes problemas?',
};

export const phq9: Instrument = {
  id: 'phq9',
  name: 'PHQ-9',
  title: { en: 'Mood questionnaire (PHQ-9)', es: 'Cuestionario sobre el estado de ánimo (PHQ-9)' },
  stem,
  items: [
    { en: 'Little interest or pleasure in doing things', es: 'Poco interés o placer en hacer cosas' },
    { en: 'Feeling down, depressed, or hopeless', es: 'Se ha sentido decaído(a), deprimido(a) o sin esperanzas' },
    {
      en: 'Trouble falling or staying asleep, or sleeping too much',
      es: 'Ha tenido dificultad para quedarse o permanecer dormido(a), o ha dormido demasiado',
    },
    { en: 'Feeling tired or having little energy', es: 'Se ha sentido cansado(a) o con poca energía' },
    { en: 'Poor appetite or overeating', es: 'Sin apetito o ha comido en exceso' },
    {
      en: 'Feeling bad about yourself — or that you are a failure or have let yourself or your family down',
      es: 'Se ha sentido mal con usted mismo(a) — o que es un fracaso o que ha quedado mal con usted mismo(a) o con su familia',
    },
    {
      en: 'Trouble concentrating on things, such as reading the newspaper or watching television',
      es: 'Ha tenido dificultad para concentrarse en ciertas actividades, tales como leer el periódico o ver la televisión',
    },
    {
      en: 'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual',
      es: '¿Se ha movido o hablado tan lento que otras personas podrían haberlo notado? O lo contrario — muy inquieto(a) o agitado(a) que ha estado moviéndose mucho más de lo normal',
    },
    {
      en: 'Thoughts that you would be better off dead or of hurting yourself in some way',
      es: 'Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera',
    },
  ],
  choices: frequency,
  bands: [
    { min: 0, key: 'minimal', label: { en: 'Minimal', es: 'Mínima' } },
    { min: 5, key: 'mild', label: { en: 'Mild', es: 'Leve' } },
    { min: 10, key: 'moderate', label: { en: 'Moderate', es: 'Moderada' } },
    { min: 15, key: 'moderately_severe', label: { en: 'Moderately severe', es: 'Moderadamente grave' } },
    { min: 20, key: 'severe', label: { en: 'Severe', es: 'Grave' } },
  ],
  urgentItems: [8],
};

export const gad7: Instrument = {
  id: 'gad7',
  name: 'GAD-7',
  title: { en: 'Anxiety questionnaire (GAD-7)', es: 'Cuestionario sobre la ansiedad (GAD-7)' },
  stem,
  items: [
    { en: 'Feeling nervous, anxious, or on edge', es: 'Se ha sentido nervioso(a), ansioso(a) o con los nervios de punta' },
    { en: 'Not being able to stop or control worrying', es: 'No ha sido capaz de parar o controlar su preocupación' },
    { en: 'Worrying too much about different things', es: 'Se ha preocupado demasiado por motivos diferentes' },
    { en: 'Trouble relaxing', es: 'Ha tenido dificultad para relajarse' },
    { en: 'Being so restless that it is hard to sit still', es: 'Se ha sentido tan inquieto(a) que no ha podido quedarse quieto(a)' },
    { en: 'Becoming easily annoyed or irritable', es: 'Se ha molestado o irritado fácilmente' },
    { en: 'Feeling afraid, as if something awful might happen', es: 'Ha tenido miedo de que algo terrible fuera a pasar' },
  ],
  choices: frequency,
  bands: [
    { min: 0, key: 'minimal', label: { en: 'Minimal', es: 'Mínima' } },
    { min: 5, key: 'mild', label: { en: 'Mild', es: 'Leve' } },
    { min: 10, key: 'moderate', label: { en: 'Moderate', es: 'Moderada' } },
    { min: 15, key: 'severe', label: { en: 'Severe', es: 'Grave' } },
  ],
  urgentItems: [],
};

export const instruments: Record<InstrumentId, Instrument> = { phq9, gad7 };

/** The highest total an instrument can score. */
export const maxScore = (i: Instrument) => i.items.length * (i.choices.length - 1);

export const bandOf = (i: Instrument, total: number): SeverityBand =>
  [...i.bands].reverse().find((b) => total >= b.min) ?? i.bands[0]!;
