/** Query keys of the card screens (under 'billing', so a posting's refresh of billing refreshes them too). */
export const cardKeys = {
  readers: ['billing', 'cards', 'readers'] as const,
  activity: (patientId: string) => ['billing', 'cards', 'activity', patientId] as const,
};
