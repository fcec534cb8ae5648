/** React Query keys of the claims set-up tabs (Billing > Set-up). */
export const claimsSetupKeys = {
  payers: ['claims-setup', 'payers'] as const,
  billingProvider: ['claims-setup', 'billing-provider'] as const,
  renderingProviders: ['claims-setup', 'rendering-providers'] as const,
  clearinghouse: ['claims-setup', 'clearinghouse'] as const,
  connection: ['claims-setup', 'connection'] as const,
};
