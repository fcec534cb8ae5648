import { useMutation, useQueryClient } from '@tanstack/react-query';
import { keys } from '../../../api/keys';
import { formErrorMessage } from '../../../ui/form';
import { type useSchedulingSetup } from '../use-scheduling-data';

/** The page's one notice line: each section reports what it saved, or why a quick action failed. */
export type Notify = (text: string, tone?: 'success' | 'error') => void;

export type Setup = ReturnType<typeof useSchedulingSetup>;

/** A one-click change (retire a room, reopen a type): the set-up lists refresh, the notice says how it went. */
export function useSave<T>(fn: (input: T) => Promise<unknown>, notify: Notify, done: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      notify(done);
      void queryClient.invalidateQueries({ queryKey: keys.schedulingSetupAll });
    },
    onError: (err) => notify(formErrorMessage(err), 'error'),
  });
}
