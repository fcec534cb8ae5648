import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { Appointment, AppointmentType, Location, Provider } from '../../../server/contracts/scheduling';
import { call } from '../../api/client';
import { keys } from '../../api/keys';
import { isLiveRefresh } from '../../api/live';

/** Set-up lists every scheduling screen needs: providers, locations with rooms, appointment types. */
export function useSchedulingSetup() {
  const providers = useQuery({
    queryKey: keys.providers,
    queryFn: ({ queryKey, signal }) => call('listProviders', { signal, background: isLiveRefresh(queryKey) }),
  });
  const locations = useQuery({
    queryKey: keys.locations,
    queryFn: ({ queryKey, signal }) => call('listLocations', { signal, background: isLiveRefresh(queryKey) }),
  });
  const types = useQuery({
    queryKey: keys.appointmentTypes,
    queryFn: ({ queryKey, signal }) =>
      call('listAppointmentTypes', { signal, background: isLiveRefresh(queryKey) }),
  });
  const error = providers.error ?? locations.error ?? types.error;
  return {
    ready: providers.isSuccess && locations.isSuccess && types.isSuccess,
    error,
    providers: providers.data?.providers ?? [],
    locations: locations.data?.locations ?? [],
    types: types.data?.appointmentTypes ?? [],
  };
}

export type SchedulingSetup = ReturnType<typeof useSchedulingSetup>;

export interface Lookup {
  provider(id: string): Provider | undefined;
  type(id: string): AppointmentType | undefined;
  location(id: string): Location | undefined;
  roomName(id: string | null): string;
}

export function lookup(setup: Pick<SchedulingSetup, 'providers' | 'types' | 'locations'>): Lookup {
  const rooms = new Map(setup.locations.flatMap((l) => l.rooms.map((r) => [r.id, r.name] as const)));
  return {
    provider: (id) => setup.providers.find((p) => p.id === id),
    type: (id) => setup.types.find((t) => t.id === id),
    location: (id) => setup.locations.find((l) => l.id === id),
    roomName: (id) => (id ? (rooms.get(id) ?? '') : ''),
  };
}

/** "Okafor, Ada" — the name to use, last name first, as schedules list people. */
export const patientName = (a: Pick<Appointment, 'patient'>) =>
  `${a.patient.lastName}, ${a.patient.firstName}`;

/** A clock that ticks, for live waiting times. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}
