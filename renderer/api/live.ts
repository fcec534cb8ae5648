import { useEffect } from 'react';
import { hashKey, useQueryClient, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { changeEventSchema } from '../../server/contracts/events';
import { keys } from './keys';

/**
 * Live updates: the workstation server streams the names of the tables each committed write changed
 * (GET /api/events, server-sent events). Each table maps to the cached reads it can make stale; those are
 * invalidated, and the ones on screen refetch at once — as background requests, so another user's work
 * never keeps this user's idle session alive. Areas add their tables to `topicQueries`.
 */
export const topicQueries: Record<string, readonly QueryKey[]> = {
  appointments: [keys.scheduleAll],
  appointment_series: [keys.scheduleAll],
  appointment_status_events: [keys.scheduleAll],
  appointment_changes: [keys.scheduleAll],
  waitlist_entries: [keys.scheduleAll],
  appointment_requests: [keys.scheduleAll],
  schedule_blocks: [keys.scheduleAll, keys.blocks],
  working_hours: [keys.scheduleAll, keys.schedulingSetupAll],
  provider_profiles: [keys.scheduleAll, keys.schedulingSetupAll],
  locations: [keys.schedulingSetupAll],
  rooms: [keys.schedulingSetupAll],
  appointment_types: [keys.schedulingSetupAll],
  // Names and dates of birth on the schedule and the board.
  patients: [keys.scheduleAll],
  // The conflict inbox (entries arrive from central, or are resolved on another workstation).
  sync_conflicts: [keys.syncAll],
  // Patient accounts, checkout and the day's payments (card payments arrive from central).
  ledger_entries: [keys.billingAll],
  ledger_allocations: [keys.billingAll],
  portal_threads: [keys.inboxAll],
  portal_messages: [keys.inboxAll],
  questionnaire_assignments: [keys.inboxAll],
  questionnaire_responses: [keys.inboxAll],
  portal_forms: [keys.formsAll],
  portal_form_submissions: [keys.formsAll],
  portal_demographic_changes: [keys.formsAll],
  portal_files: [keys.portalFilesAll, keys.inboxAll],
};

/** Query hashes whose next fetch was caused by a change notification rather than by the user. */
const liveRefetches = new Set<string>();

/**
 * For a queryFn: true when this fetch is a live refresh (then call the endpoint with `background: true`,
 * which the server neither counts as activity nor audits as a new view). Consumes the mark.
 */
export function isLiveRefresh(queryKey: QueryKey): boolean {
  return liveRefetches.delete(hashKey(queryKey));
}

export function applyChange(client: QueryClient, topics: readonly string[]): void {
  const prefixes = new Map<string, QueryKey>();
  for (const topic of topics) for (const key of topicQueries[topic] ?? []) prefixes.set(hashKey(key), key);
  for (const prefix of prefixes.values()) {
    for (const query of client.getQueryCache().findAll({ queryKey: prefix })) {
      // Only reads on screen refetch now; the rest refetch when next shown, which is the user's doing.
      if (query.getObserversCount() > 0) liveRefetches.add(query.queryHash);
    }
    void client.invalidateQueries({ queryKey: prefix });
  }
}

/** Listen while signed in and unlocked; the server ends the stream when the session ends. */
export function useLiveUpdates(enabled: boolean): void {
  const client = useQueryClient();
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/events');
    source.addEventListener('change', (event) => {
      const parsed = changeEventSchema.safeParse(safeJson((event as MessageEvent<string>).data));
      if (parsed.success) applyChange(client, parsed.data.topics);
    });
    source.addEventListener('end', () => source.close());
    return () => source.close();
  }, [enabled, client]);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
