import type { Request } from 'express';
import { hasPermission } from '../../../domain/admin/permission-matrix';
import type { Store } from '../../db/store';
import { userRoles } from '../../services/admin/user-rows';
import { createBlock, listBlocks, removeBlock } from '../../services/scheduling/blocks';
import { bookAppointment } from '../../services/scheduling/booking';
import { cancelAppointment, updateAppointment } from '../../services/scheduling/changes';
import { providerCalendar } from '../../services/scheduling/ics-export';
import {
  createAppointmentType,
  createLocation,
  createProvider,
  createRoom,
  getProvider,
  getWorkingHours,
  listAppointmentTypes,
  listLocations,
  listProviders,
  setWorkingHours,
  updateAppointmentType,
  updateLocation,
  updateProvider,
  updateRoom,
} from '../../services/scheduling/setup';
import {
  checkSlot,
  findNextAvailable,
  getBoard,
  getMonthSummary,
  getSchedule,
} from '../../services/scheduling/views';
import {
  appointmentDetail,
  changeVisitStatus,
  checkInReview,
  markNoShow,
  resolveDoubleBooking,
  undoVisitStatus,
} from '../../services/scheduling/visit-status';
import { addToWaitlist, listWaitlist, removeFromWaitlist } from '../../services/scheduling/waitlist';
import { declineAppointmentRequest, listAppointmentRequests } from '../../services/scheduling/requests';
import type { Handlers, SignedIn } from '../context';
import { BACKGROUND_HEADER } from '../register';

type SchedulingEndpoints =
  | 'listProviders'
  | 'createProvider'
  | 'updateProvider'
  | 'getProviderHours'
  | 'setProviderHours'
  | 'exportProviderSchedule'
  | 'listLocations'
  | 'createLocation'
  | 'updateLocation'
  | 'createRoom'
  | 'updateRoom'
  | 'listAppointmentTypes'
  | 'createAppointmentType'
  | 'updateAppointmentType'
  | 'listBlocks'
  | 'createBlock'
  | 'removeBlock'
  | 'getSchedule'
  | 'getMonthSummary'
  | 'findNextAvailable'
  | 'checkSlot'
  | 'getCheckInBoard'
  | 'createAppointment'
  | 'getAppointment'
  | 'updateAppointment'
  | 'cancelAppointment'
  | 'markNoShow'
  | 'resolveDoubleBooking'
  | 'getCheckInReview'
  | 'changeVisitStatus'
  | 'undoVisitStatus'
  | 'listWaitlist'
  | 'createWaitlistEntry'
  | 'removeWaitlistEntry'
  | 'listAppointmentRequests'
  | 'declineAppointmentRequest';

/** A refresh the screen made by itself (after a change notification), not something the user opened. */
const isBackground = (req: Request) => !!req.headers[BACKGROUND_HEADER];

const scheduler = (signedIn: SignedIn) => ({
  actor: signedIn.actor,
  mayOverride: hasPermission(userRoles(signedIn.user), 'schedule.override'),
});

export function schedulingHandlers(deps: { store: Store }): Handlers<SchedulingEndpoints> {
  const { store } = deps;
  return {
    listProviders: () => ({ providers: listProviders(store) }),
    createProvider: ({ body, signedIn }) => createProvider(store, signedIn.actor, body),
    updateProvider: ({ params, body, signedIn }) => updateProvider(store, signedIn.actor, params.id, body),
    getProviderHours: ({ params }) => {
      getProvider(store, params.id);
      return { providerId: params.id, hours: getWorkingHours(store, params.id) };
    },
    setProviderHours: ({ params, body, signedIn }) => ({
      providerId: params.id,
      hours: setWorkingHours(store, signedIn.actor, params.id, body.hours),
    }),
    exportProviderSchedule: ({ params, query, res, signedIn }) => {
      const { text } = providerCalendar(store, signedIn.actor, params.id, query);
      // The file name carries dates only: no provider or patient names in file names.
      res.setHeader('Content-Type', 'text/calendar; charset=utf-8');
      res.setHeader(
        'Content-Disposition',
        `attachment; filename="tessera-schedule-${query.from}-to-${query.to}.ics"`,
      );
      res.setHeader('Cache-Control', 'no-store');
      res.end(text);
    },
    listLocations: () => ({ locations: listLocations(store) }),
    createLocation: ({ body, signedIn }) => createLocation(store, signedIn.actor, body),
    updateLocation: ({ params, body, signedIn }) => updateLocation(store, signedIn.actor, params.id, body),
    createRoom: ({ body, signedIn }) => createRoom(store, signedIn.actor, body),
    updateRoom: ({ params, body, signedIn }) => updateRoom(store, signedIn.actor, params.id, body),
    listAppointmentTypes: () => ({ appointmentTypes: listAppointmentTypes(store) }),
    createAppointmentType: ({ body, signedIn }) => createAppointmentType(store, signedIn.actor, body),
    updateAppointmentType: ({ params, body, signedIn }) =>
      updateAppointmentType(store, signedIn.actor, params.id, body),
    listBlocks: () => ({ blocks: listBlocks(store) }),
    createBlock: ({ body, signedIn }) => createBlock(store, signedIn.actor, body),
    removeBlock: ({ params, signedIn }) => {
      removeBlock(store, signedIn.actor, params.id);
      return { ok: true as const };
    },

    getSchedule: ({ query, req, signedIn }) => getSchedule(store, signedIn.actor, query, isBackground(req)),
    getMonthSummary: ({ query }) => getMonthSummary(store, query),
    findNextAvailable: ({ query }) => findNextAvailable(store, query),
    checkSlot: ({ body }) => checkSlot(store, body),
    getCheckInBoard: ({ query, req, signedIn }) => getBoard(store, signedIn.actor, query, isBackground(req)),

    createAppointment: ({ body, signedIn }) => bookAppointment(store, scheduler(signedIn), body),
    getAppointment: ({ params, req, signedIn }) =>
      appointmentDetail(store, signedIn.actor, params.id, isBackground(req)),
    updateAppointment: ({ params, body, signedIn }) =>
      updateAppointment(store, scheduler(signedIn), params.id, body),
    cancelAppointment: ({ params, body, signedIn }) =>
      cancelAppointment(store, scheduler(signedIn), params.id, body),
    markNoShow: ({ params, signedIn }) => markNoShow(store, signedIn.actor, params.id),
    resolveDoubleBooking: ({ params, signedIn }) => resolveDoubleBooking(store, signedIn.actor, params.id),
    getCheckInReview: ({ params, req, signedIn }) =>
      checkInReview(store, signedIn.actor, params.id, isBackground(req)),
    changeVisitStatus: ({ params, body, signedIn }) =>
      changeVisitStatus(store, signedIn.actor, params.id, body),
    undoVisitStatus: ({ params, signedIn }) => undoVisitStatus(store, signedIn.actor, params.id),

    listWaitlist: ({ query, req, signedIn }) => ({
      entries: listWaitlist(store, signedIn.actor, query.providerId, isBackground(req)),
    }),
    createWaitlistEntry: ({ body, signedIn }) => addToWaitlist(store, signedIn.actor, body),
    removeWaitlistEntry: ({ params, body, signedIn }) =>
      removeFromWaitlist(store, signedIn.actor, params.id, body.reason),
    listAppointmentRequests: ({ req, signedIn }) => ({
      requests: listAppointmentRequests(store, signedIn.actor, isBackground(req)),
    }),
    declineAppointmentRequest: ({ params, body, signedIn }) =>
      declineAppointmentRequest(store, signedIn.actor, params.id, body.reason),
  };
}
