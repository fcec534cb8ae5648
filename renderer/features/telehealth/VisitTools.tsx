import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import type { SessionSnapshot } from '../../../server/contracts/telehealth';
import { confirmLocationSchema, displayNameSchema } from '../../../server/contracts/telehealth';
import { call, errorMessage } from '../../api/client';
import { useServerErrors } from '../../ui/form';
import { Button } from '../../ui/Button';
import { Fieldset, TextField } from '../../ui/Field';
import { formatShortDateTime } from '../../ui/format';

/** The location form: the address, and home or elsewhere (place of service 10 or 02 — asked, never assumed). */
const locationFormSchema = z.object({
  location: confirmLocationSchema.shape.location,
  where: z.enum(['home', 'elsewhere'], {
    error: 'Say whether the patient is at home or somewhere else (it decides the place of service).',
  }),
});
type LocationForm = z.infer<typeof locationFormSchema>;

/**
 * The visit's tools beside the video: the patient's join link (copy it, or send it with the reminder), a
 * guest link for an interpreter or family member, and the patient's location for emergencies.
 */
export function VisitTools({ snapshot, timeZone, open = false }: { snapshot: SessionSnapshot; timeZone: string; open?: boolean }) {
  const sessionId = snapshot.session.id;
  const [link, setLink] = useState<{ url: string; expiresAt: string; who: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  const makeLink = async (body: { role: 'patient' } | { role: 'guest'; displayName: string }) => {
    setError(null);
    setCopied(false);
    try {
      const created = await call('telehealthLink', { params: { sessionId }, body });
      setLink({ url: created.url, expiresAt: created.expiresAt, who: body.role === 'guest' ? body.displayName : 'the patient' });
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const guest = useForm<{ displayName: string }>({ resolver: zodResolver(z.object({ displayName: displayNameSchema })), defaultValues: { displayName: '' } });
  const atHome = snapshot.session.patientAtHome;
  const location = useForm<LocationForm>({
    resolver: zodResolver(locationFormSchema),
    defaultValues: {
      location: snapshot.session.patientLocation ?? '',
      where: atHome === null ? undefined : atHome ? 'home' : 'elsewhere',
    },
  });
  const locationErrors = useServerErrors(location, ['location']);

  return (
    <details className="waiting visit-tools" data-testid="visit-tools" open={open}>
      <summary className="section-title">Links and patient location</summary>
      <div className="button-row">
        <Button size="small" onClick={() => void makeLink({ role: 'patient' })}>
          New patient link
        </Button>
      </div>
      <form
        className="field-inline"
        onSubmit={guest.handleSubmit((v) => makeLink({ role: 'guest', displayName: v.displayName }).then(() => guest.reset()))}
        noValidate
      >
        <TextField label="Guest (interpreter, family)" error={guest.formState.errors.displayName?.message} {...guest.register('displayName')} />
        <Button type="submit" size="small">
          Guest link
        </Button>
      </form>
      {error ? <p className="field-error" role="alert">{error}</p> : null}
      {link ? (
        <div className="visit-link" data-testid="join-link">
          <label className="field-label" htmlFor="join-link-url">
            Link for {link.who} (works until {formatShortDateTime(link.expiresAt, timeZone)})
          </label>
          <input id="join-link-url" className="input" readOnly value={link.url} onFocus={(e) => e.currentTarget.select()} />
          <Button
            size="small"
            onClick={() => void navigator.clipboard?.writeText(link.url).then(() => setCopied(true), () => undefined)}
          >
            {copied ? 'Copied' : 'Copy link'}
          </Button>
        </div>
      ) : null}
      <h2 className="section-title">Patient location</h2>
      <form
        onSubmit={location.handleSubmit(async (v) => {
          try {
            await call('telehealthLocation', { params: { sessionId }, body: { location: v.location, atHome: v.where === 'home' } });
          } catch (err) {
            locationErrors.report(err);
          }
        })}
        noValidate
      >
        <TextField
          label="Where is the patient now? (for emergencies)"
          hint={snapshot.session.locationConfirmedAt ? `Confirmed ${formatShortDateTime(snapshot.session.locationConfirmedAt, timeZone)}` : 'Ask at the start of the visit.'}
          error={location.formState.errors.location?.message}
          {...location.register('location')}
        />
        <Fieldset legend="The patient is" error={location.formState.errors.where?.message} className="checkbox-row">
          <label className="checkbox">
            <input type="radio" value="home" {...location.register('where')} /> At home
          </label>
          <label className="checkbox">
            <input type="radio" value="elsewhere" {...location.register('where')} /> Somewhere else (work, school, a car…)
          </label>
        </Fieldset>
        {locationErrors.banner ? <p className="field-error" role="alert">{locationErrors.banner}</p> : null}
        <Button type="submit" size="small" busy={location.formState.isSubmitting}>
          Confirm location
        </Button>
      </form>
    </details>
  );
}
