/** The calendar's unit: bookings start and end on quarter hours. */
export const SLOT_MINUTES = 15;
