import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './client';

/**
 * Reads retry only on network trouble or 5xx: a 4xx (no permission, not found, session gone) will not
 * change by asking again. No refetch on window focus: screens stay calm; data refreshes after writes.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (failureCount, error) => {
          if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
          return failureCount < 2;
        },
      },
      mutations: { retry: false },
    },
  });
}
