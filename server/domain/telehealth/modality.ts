import type { EncounterModality } from '../../contracts/billing/setup';
import type { SessionMode } from '../../contracts/telehealth';

/**
 * The billing modality of a telehealth visit (pure), which billing's place-of-service rule table turns into
 * a place of service and modifiers: audio only (the video failed or was switched off: modifier 93) wins;
 * otherwise the patient's confirmed location decides — home → `telehealth_home` (POS 10), elsewhere →
 * `telehealth_other` (POS 02). Not confirmed yet → null: the caller keeps what it had rather than guess.
 */
export function visitModality(
  mode: SessionMode,
  patientAtHome: boolean | null,
): Extract<EncounterModality, 'telehealth_home' | 'telehealth_other' | 'audio_only'> | null {
  if (mode === 'audio_only') return 'audio_only';
  if (patientAtHome === null) return null;
  return patientAtHome ? 'telehealth_home' : 'telehealth_other';
}
