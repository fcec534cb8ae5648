import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { call } from '../../api/client';
import { keys } from '../../api/keys';

/** Wait this long after the last keystroke: fast typists should not search (and audit) every letter. */
const DEBOUNCE_MS = 150;

/** Search as the user types; the previous results stay on screen while the next ones load. */
export function usePatientSearch(text: string, limit = 20) {
  const [q, setQ] = useState(text.trim());
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  const enabled = q.length >= 2;
  const query = useQuery({
    queryKey: keys.patientSearch(q, limit),
    queryFn: ({ signal }) => call('searchPatients', { query: { q, limit }, signal }),
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 5_000,
  });
  return {
    results: enabled ? (query.data?.patients ?? []) : [],
    searched: enabled && query.isSuccess && !query.isPlaceholderData,
    loading: enabled && query.isFetching,
    error: enabled ? query.error : null,
    q,
  };
}
