import './telehealth.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { SessionSnapshot } from '../../../server/contracts/telehealth';
import type { LiveEvent } from '../../../server/contracts/telehealth/live';
import { call, endpointUrl, errorMessage } from '../../api/client';
import { useSession } from '../../app/auth';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Loading } from '../../ui/Page';
import { DeviceCheck, type DeviceCheckResult } from './device-check/DeviceCheck';
import { applyLiveEvent, connectedOthers, me, waitingParticipants } from './live/session-state';
import { openLiveStream } from './live/live-stream';
import { RelaySignaling } from './live/relay-signaling';
import { networkTestFor, providerFor } from './live/provider-for';
import type { NetworkStep, VideoRoom } from './provider/video-provider';
import { SessionView } from './session/SessionView';
import { WaitingList } from './waiting/WaitingList';
import { VisitTools } from './VisitTools';
import { VisitTimes } from './VisitTimes';

/**
 * The clinician's video visit for one appointment: opens (or returns) the session at central through the
 * workstation, the clinician's device check, then the visit with the waiting room, chat, participants and
 * the visit tools (patient link, guest link, location, phone fallback). Offline it says so plainly.
 */
export function TelehealthVisitPage() {
  const { appointmentId = '' } = useParams();
  const status = useQuery({ queryKey: ['telehealth', 'status'], queryFn: () => call('telehealthStatus') });
  const [snapshot, setSnapshot] = useState<SessionSnapshot | null>(null);
  const [startError, setStartError] = useState<string | null>(null);

  useEffect(() => {
    if (!status.data?.available) return;
    let cancelled = false;
    call('telehealthStart', { body: { appointmentId } }).then(
      (s) => !cancelled && setSnapshot(s),
      (err: unknown) => !cancelled && setStartError(errorMessage(err)),
    );
    return () => {
      cancelled = true;
    };
  }, [appointmentId, status.data?.available]);

  if (status.isPending) return <Loading label="Checking the video service…" />;
  if (status.isError) return <Alert tone="error">{errorMessage(status.error)}</Alert>;
  if (!status.data.available)
    return (
      <section className="page" data-testid="telehealth-unavailable">
        <Alert tone="warning" title="Video visits are not available right now">
          {status.data.message}
        </Alert>
        <p>
          <Link to="/clinical">Back to My day</Link>
        </p>
      </section>
    );
  if (startError) return <Alert tone="error" title="The video visit could not open">{startError}</Alert>;
  if (!snapshot) return <Loading label="Opening the video visit…" />;
  return <HostVisit initial={snapshot} />;
}

function HostVisit({ initial }: { initial: SessionSnapshot }) {
  const sessionId = initial.session.id;
  const auth = useSession();
  const timeZone = auth.clinic.timeZone;
  const [snapshot, setSnapshot] = useState<SessionSnapshot>(initial);
  const [room, setRoom] = useState<VideoRoom | null>(null);
  const [phase, setPhase] = useState<'device' | 'live' | 'over'>('device');
  const [error, setError] = useState<string | null>(null);
  const snapshotRef = useRef(initial);
  const signalingRef = useRef<RelaySignaling | null>(null);
  const roomRef = useRef<VideoRoom | null>(null);

  useEffect(() => {
    const handle = (event: LiveEvent) => {
      if (event.type === 'signal') {
        signalingRef.current?.deliver(event.signal);
        return;
      }
      if (event.type === 'retired') return;
      const next = applyLiveEvent(snapshotRef.current, event);
      if (!next) return;
      snapshotRef.current = next;
      setSnapshot(next);
      if (event.type === 'participant' && ['left', 'removed', 'denied', 'waiting'].includes(event.participant.state))
        roomRef.current?.forgetParticipant(event.participant.id);
      if (next.session.status === 'ended') {
        roomRef.current?.disconnect('ended');
        setPhase('over');
      }
    };
    const stream = openLiveStream({
      url: endpointUrl('telehealthEvents', { params: { sessionId } }),
      onEvent: handle,
      onStatus: (s) => signalingRef.current?.setStatus(s === 'open' ? 'up' : 'down'),
    });
    return () => stream.close();
  }, [sessionId]);

  useEffect(() => () => roomRef.current?.disconnect(), []);

  const networkTest = useCallback(
    async (onProgress: (step: NetworkStep) => void) => networkTestFor(await call('telehealthPreflight'))(onProgress),
    [],
  );

  const join = async ({ tracks, name }: DeviceCheckResult) => {
    setError(null);
    try {
      const access = await call('telehealthRoomAccess', { params: { sessionId } });
      const provider = providerFor(access, {
        signaling: () => {
          const signaling = new RelaySignaling(snapshotRef.current.you, (signal) =>
            call('telehealthSignal', { params: { sessionId }, body: signal }),
          );
          signalingRef.current = signaling;
          return signaling;
        },
        peersToCall: () => connectedOthers(snapshotRef.current),
        nameOf: (id) => snapshotRef.current.participants.find((p) => p.id === id)?.displayName ?? 'Participant',
      });
      const joined = await provider.connect({ name, tracks });
      roomRef.current = joined;
      setRoom(joined);
      setPhase('live');
      await call('telehealthConnection', { params: { sessionId }, body: { state: 'connected' } });
    } catch (err) {
      tracks.forEach((t) => t.stop());
      setError(errorMessage(err));
    }
  };

  const host = me(snapshot);
  const patient = snapshot.participants.find((p) => p.role === 'patient') ?? null;
  const formatTime = (iso: string) =>
    new Intl.DateTimeFormat(undefined, { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
  const chatLines = snapshot.chat.map((m) => ({
    id: m.id,
    authorName: m.senderName,
    mine: m.participantId === snapshot.you,
    body: m.text,
    sentAt: m.sentAt,
  }));
  const waiting = waitingParticipants(snapshot).map((p) => ({
    participantId: p.id,
    name: p.displayName,
    kind: p.role === 'guest' ? ('guest' as const) : ('patient' as const),
    waitingSince: p.waitingSince ?? p.stateChangedAt,
  }));
  // The count also shows in the window's title (the taskbar), for a clinician working in another window.
  const waitingCount = waiting.length;
  useEffect(() => {
    const before = document.title;
    document.title = waitingCount > 0 ? `(${waitingCount} waiting) Video visit · Tessera` : 'Video visit · Tessera';
    return () => {
      document.title = before;
    };
  }, [waitingCount]);
  const waitingList = (
    <WaitingList
      entries={waiting}
      onAdmit={async (participantId) => void (await call('telehealthAdmit', { params: { sessionId, participantId } }))}
      onAdmitAll={async () => void (await call('telehealthAdmitAll', { params: { sessionId } }))}
      onDeny={async (participantId, message) =>
        void (await call('telehealthDeny', { params: { sessionId, participantId }, body: { message } }))
      }
    />
  );
  // Before joining the tools are open (send the link first); in the visit they fold away beside the chat.
  const tools = <VisitTools snapshot={snapshot} timeZone={timeZone} open={phase !== 'live'} />;

  if (phase === 'over')
    return (
      <section className="page" data-testid="visit-over">
        <Alert tone="info" title="The video visit has ended">
          The chat and the visit’s events are kept with the appointment.
        </Alert>
        <VisitTimes appointment={{ id: snapshot.session.appointmentId, modality: 'telehealth' }} timeZone={timeZone} refreshMs={5_000} />
        <p>
          <Link to="/clinical">Back to My day</Link>
        </p>
      </section>
    );

  if (phase === 'device' || !room)
    return (
      <section className="page page-wide telehealth-prejoin">
        <div className="page-header">
          <div>
            <h1 className="page-title">Video visit{patient ? ` with ${patient.displayName}` : ''}</h1>
            <p className="page-intro">Check your camera and sound. Patients wait in the waiting room until you admit them.</p>
          </div>
        </div>
        {error ? <Alert tone="error" title="You could not join">{error}</Alert> : null}
        <div className="prejoin-grid">
          <DeviceCheck audience="clinician" initialName={host?.displayName ?? auth.user.fullName} testNetwork={networkTest} joinLabel="Start the visit" onJoin={join} />
          <div className="prejoin-side">
            {waitingList}
            {tools}
          </div>
        </div>
      </section>
    );

  return (
    <div className="telehealth-live">
      <SessionView
        room={room}
        role="host"
        startedAt={snapshot.session.startedAt}
        chat={{
          messages: chatLines,
          onSend: async (text) => void (await call('telehealthChat', { params: { sessionId }, body: { text } })),
          formatTime,
        }}
        waiting={
          <>
            {waitingList}
            <ParticipantList snapshot={snapshot} sessionId={sessionId} />
            {tools}
          </>
        }
        onEnd={async () => {
          try {
            await call('telehealthEnd', { params: { sessionId } });
          } catch (err) {
            setError(errorMessage(err));
          }
        }}
        onLeave={() => {
          room.disconnect();
          void call('telehealthConnection', { params: { sessionId }, body: { state: 'left' } }).catch(() => undefined);
          setRoom(null);
          setPhase('device');
        }}
        onAudioOnly={() => void call('telehealthAudioOnly', { params: { sessionId }, body: { reason: 'Video failed' } }).catch(() => undefined)}
        mode={snapshot.session.mode}
        onMode={async (mode) => void (await call('telehealthMode', { params: { sessionId }, body: { mode } }))}
      />
      {error ? <Alert tone="error">{error}</Alert> : null}
    </div>
  );
}

function ParticipantList({ snapshot, sessionId }: { snapshot: SessionSnapshot; sessionId: string }) {
  const [error, setError] = useState<string | null>(null);
  const inVisit = snapshot.participants.filter((p) => p.role !== 'host' && (p.state === 'admitted' || p.state === 'connected'));
  if (inVisit.length === 0) return null;
  return (
    <section className="waiting" aria-label="In the visit" data-testid="participants">
      <h2 className="section-title">In the visit</h2>
      {error ? <p className="field-error" role="alert">{error}</p> : null}
      <ul className="waiting-list">
        {inVisit.map((p) => (
          <li key={p.id} className="waiting-row">
            <span className="waiting-name">{p.displayName}</span>
            <span className="muted small">{p.state === 'connected' ? 'Connected' : 'Joining…'}</span>
            <span className="button-row">
              <Button
                size="small"
                onClick={() =>
                  void call('telehealthRemove', { params: { sessionId, participantId: p.id } }).catch((err: unknown) => setError(errorMessage(err)))
                }
              >
                Remove
              </Button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
