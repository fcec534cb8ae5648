/**
 * A provider's name with credentials, written once: "Jordan Lee, MD". Staff often type the credentials into
 * the account's full name too ("Jordan Lee, MD"), so they are added only when the name does not already end
 * with them — never "Jordan Lee, MD, MD".
 */
export function providerDisplayName(p: { name: string; credentials?: string | null }): string {
  const name = p.name.trim();
  const credentials = (p.credentials ?? '').trim();
  if (!credentials) return name;
  const normalise = (s: string) => s.toLowerCase().replace(/[\s.]/g, '');
  if (normalise(name).endsWith(normalise(credentials))) return name;
  return `${name}, ${credentials}`;
}
