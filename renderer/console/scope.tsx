import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useSearchParams } from 'react-router';
import { SelectField } from '../ui/Field';
import { central } from './api';

/**
 * Which clinic or organization a screen is about: kept in the address (?clinic=…, ?org=…) so a reload or a
 * shared link opens the same view, defaulting to the first one the administrator manages.
 */

export const clinicsKey = ['console', 'clinics'] as const;
export const orgsKey = ['console', 'orgs'] as const;

export function useClinics() {
  return useQuery({ queryKey: clinicsKey, queryFn: async () => (await central('listClinics')).clinics });
}

export function useOrgs() {
  return useQuery({ queryKey: orgsKey, queryFn: async () => (await central('listOrgs')).orgs });
}

function useChosen(param: 'clinic' | 'org', ids: string[] | undefined): [string | null, (id: string) => void] {
  const [search, setSearch] = useSearchParams();
  const wanted = search.get(param);
  const chosen = ids?.includes(wanted ?? '') ? wanted : (ids?.[0] ?? null);
  const set = (id: string) =>
    setSearch(
      (s) => {
        const next = new URLSearchParams(s);
        next.set(param, id);
        return next;
      },
      { replace: true },
    );
  useEffect(() => {
    if (chosen && chosen !== wanted) set(chosen);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the choice resolves
  }, [chosen, wanted]);
  return [chosen, set];
}

export function useClinicChoice() {
  const clinics = useClinics();
  const [clinicId, setClinicId] = useChosen('clinic', clinics.data?.map((c) => c.id));
  const clinic = clinics.data?.find((c) => c.id === clinicId) ?? null;
  const picker =
    clinics.data && clinics.data.length > 0 ? (
      <SelectField
        label="Clinic"
        fieldClassName="scope-picker"
        value={clinicId ?? ''}
        onChange={(e) => setClinicId(e.target.value)}
      >
        {clinics.data.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </SelectField>
    ) : null;
  return { clinics, clinic, picker };
}

export function useOrgChoice() {
  const orgs = useOrgs();
  const [orgId, setOrgId] = useChosen('org', orgs.data?.map((o) => o.id));
  const org = orgs.data?.find((o) => o.id === orgId) ?? null;
  const picker =
    orgs.data && orgs.data.length > 1 ? (
      <SelectField
        label="Organization"
        fieldClassName="scope-picker"
        value={orgId ?? ''}
        onChange={(e) => setOrgId(e.target.value)}
      >
        {orgs.data.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </SelectField>
    ) : null;
  return { orgs, org, picker };
}
