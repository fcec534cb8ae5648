/**
 * Appointment reminders (issue 11): a patient who confirms from a reminder's link is recorded on the
 * appointment (`patient_confirmed_at`, written at central and pulled), so the board shows "Confirmed by
 * patient". Moving the appointment to another time clears it (the patient confirmed the old time).
 */
export const sql = /* sql */ `
ALTER TABLE appointments ADD COLUMN patient_confirmed_at TEXT;
`;
