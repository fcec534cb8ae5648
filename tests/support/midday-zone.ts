import { DateTime } from 'luxon';

/**
 * A time zone in which it is around midday right now. A test that books visits a little before and after
 * "now" and expects them all on today's board sets its clinic in this zone, so it passes whenever the suite
 * runs (in the clinic's own zone, "now + 90 minutes" is tomorrow late in the evening).
 */
export function middayTimeZone(): string {
  const zones = [
    'Pacific/Pago_Pago',
    'Pacific/Honolulu',
    'America/Anchorage',
    'America/Los_Angeles',
    'America/Denver',
    'America/Chicago',
    'America/New_York',
    'America/Halifax',
    'America/Sao_Paulo',
    'America/Noronha',
    'Atlantic/Azores',
    'Atlantic/Reykjavik',
    'Africa/Lagos',
    'Africa/Cairo',
    'Europe/Moscow',
    'Asia/Dubai',
    'Asia/Karachi',
    'Asia/Dhaka',
    'Asia/Bangkok',
    'Asia/Shanghai',
    'Asia/Tokyo',
    'Australia/Brisbane',
    'Pacific/Noumea',
    'Pacific/Tarawa',
    'Pacific/Tongatapu',
    'Pacific/Kiritimati',
  ];
  const fromNoon = (zone: string) => {
    const local = DateTime.now().setZone(zone);
    return Math.abs(local.hour * 60 + local.minute - 12 * 60);
  };
  return zones.reduce((best, zone) => (fromNoon(zone) < fromNoon(best) ? zone : best));
}
