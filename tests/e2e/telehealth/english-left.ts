import type { Page } from '@playwright/test';
import { visitCatalogue, type VisitTextKey } from '../../../renderer/features/telehealth/i18n/visit-text';
import { joinCatalogue, type JoinMessageKey } from '../../../renderer/features/telehealth/patient/join-i18n';

/**
 * "The page in Spanish has no English left": everything a person can read or hear on the page — visible
 * text, and what a screen reader says (aria-label, aria-valuetext, title, placeholder, alt) — checked two
 * ways: no English sentence of the telehealth catalogues (any fixed stretch of one), and no common English
 * word (catches a string written into a component outside the catalogues). Proper names and what people
 * typed (the clinic's name and message, chat) are taken out first: they are content, not the interface.
 */
export async function readableText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts = [document.body.innerText, document.title];
    for (const el of document.querySelectorAll('*')) {
      for (const attr of ['aria-label', 'aria-valuetext', 'title', 'placeholder', 'alt']) {
        const v = el.getAttribute(attr);
        if (v) parts.push(v);
      }
      if (el instanceof HTMLOptionElement) parts.push(el.text);
    }
    return parts.join('\n');
  });
}

/** Fixed stretches (≥ 8 characters) of every English sentence whose Spanish differs. */
function englishFragments(): string[] {
  const out = new Set<string>();
  const add = (en: string, es: string) => {
    if (en === es) return;
    for (const piece of en.split(/\{\w+\}/)) {
      const p = piece.trim();
      if (p.length >= 8) out.add(p);
    }
  };
  for (const k of Object.keys(visitCatalogue.en) as VisitTextKey[]) add(visitCatalogue.en[k], visitCatalogue.es[k]);
  for (const k of Object.keys(joinCatalogue.en) as JoinMessageKey[]) add(joinCatalogue.en[k], joinCatalogue.es[k]);
  return [...out];
}

const ENGLISH_WORDS =
  /\b(the|your|you|and|is|are|was|this|that|with|for|to|of|not|please|camera|microphone|speaker|connection|network|join|joining|leave|left|mute|unmute|send|message|messages|waiting|screen|share|sharing|try|again|test|sound|allow|visit|clinic|clinician|name|start|stop|end|back|layout|grid|full|participant|participants|reconnecting|muted|off|pin|unpin|none|found|choose|done|cancel|devices)\b/i;

export function englishLeft(text: string, content: readonly string[]): string[] {
  let rest = text;
  for (const c of content) rest = rest.split(c).join(' ');
  const found: string[] = englishFragments().filter((f) => rest.includes(f));
  for (const line of rest.split('\n')) {
    const m = ENGLISH_WORDS.exec(line);
    if (m) found.push(`"${m[0]}" in: ${line.trim()}`);
  }
  return found;
}
