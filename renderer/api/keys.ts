/** Query keys in one place, so invalidations after writes hit the right reads. */
export const keys = {
  setupStatus: ['setup-status'] as const,
  users: ['admin', 'users'] as const,
  roles: ['admin', 'roles'] as const,
  security: ['admin', 'security'] as const,
  audit: (query: object) => ['audit', query] as const,
  auditAll: ['audit'] as const,
  patient: (id: string) => ['patients', id] as const,
};
