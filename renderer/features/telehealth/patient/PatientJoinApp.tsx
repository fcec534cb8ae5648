import '../telehealth.css';
import './patient.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LinkInfo, SessionSnapshot } from '../../../../server/contracts/telehealth';
import type { LiveEvent } from '../../../../server/contracts/telehealth/live';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { DeviceCheck, type DeviceCheckResult } from '../device-check/DeviceCheck';
import { applyLiveEvent, connectedOthers, me } from '../live/session-state';
import { openLiveStream } from '../live/live-stream';
import { RelaySignaling } from '../live/relay-signaling';
import { networkTestFor, providerFor } from '../live/provider-for';
import type { NetworkStep, NetworkTestResult, VideoRoom } from '../provider/video-provider';
import { ChatPanel } from '../session/ChatPanel';
import { SessionView } from '../session/SessionView';
import { central, CentralError, participantEventsUrl } from './patient-api';
import { joinCatalogue, useJoinLang, type JoinLang, type JoinMessageKey, type JoinTranslate } from './join-i18n';
import { VisitLangProvider, visitTranslator } from '../i18n/visit-text';
import { IDLE_MINUTES, useIdleSignOut } from './idle-sign-out';

/**
 * The patient's (or guest's) page, served by central at /telehealth/join#t=<token>. Link check → device
 * check → waiting room → the visit once the clinician admits. The token stays in the address's fragment
 * (never sent to a server by the browser); the participant credential lives in memory only, so a reload
 * goes through the waiting room again — the server enforces that too.
 */

type Phase =
  | { kind: 'checking' }
  | { kind: 'refused'; title: string; message: string }
  | { kind: 'device'; link: LinkInfo }
  | { kind: 'live'; credential: string; tracks: MediaStreamTrack[] }
  | { kind: 'over'; title: string; message: string };

const clock = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
const dayAndTime = (iso: string, lang: JoinLang) =>
  new Date(iso).toLocaleString(lang === 'es' ? 'es' : 'en', { weekday: 'long', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit' });

export function tokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return params.get('t')?.trim() || null;
}

export function PatientJoinApp() {
  const { lang, setLang, t } = useJoinLang();
  const token = useMemo(() => tokenFromHash(window.location.hash), []);
  const [phase, setPhase] = useState<Phase>(() =>
    token
      ? { kind: 'checking' }
      : { kind: 'refused', title: t('link.incompleteTitle'), message: t('link.incomplete') },
  );
  // In the room a still screen is normal (listening); before it, an unattended page signs out (UI.md).
  const [inRoom, setInRoom] = useState(false);
  const idle = useIdleSignOut(phase.kind === 'device' || (phase.kind === 'live' && !inRoom), () => {
    if (phase.kind === 'live') {
      phase.tracks.forEach((tr) => tr.stop());
      // Out of the waiting room at central too, so the clinician's list does not keep someone who is gone.
      void central('telehealthParticipantConnection', { credential: phase.credential, body: { state: 'left' } }).catch(
        () => undefined,
      );
    }
    setPhase({ kind: 'over', title: t('over.idleTitle'), message: t('over.idle', { minutes: IDLE_MINUTES }) });
  });

  useEffect(() => {
    if (!token) return;
    central('telehealthCheckLink', { body: { token } }).then(
      (link) => setPhase({ kind: 'device', link }),
      (err: unknown) => setPhase({ kind: 'refused', title: t('link.refusedTitle'), message: sentence(err, t, lang) }),
    );
    // Only on the first check; the language switch does not re-check the link.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token]);

  // The network test belongs to the device check, before the waiting room: central gives pre-flight access
  // for a link that could join now (a throw-away room, never the visit's).
  const preJoinNetworkTest = useCallback(
    async (onProgress: (step: NetworkStep) => void): Promise<NetworkTestResult> => {
      try {
        return await networkTestFor(await central('telehealthLinkPreflight', { body: { token: token ?? '' } }))(onProgress);
      } catch {
        return {
          verdict: 'failed',
          rttMs: null,
          jitterMs: null,
          packetLoss: null,
          message: t('network.failed'),
        };
      }
    },
    [token, t],
  );

  const join = async (result: DeviceCheckResult) => {
    if (!token) return;
    try {
      const joined = await central('telehealthJoin', { body: { token, displayName: result.name } });
      setPhase({ kind: 'live', credential: joined.credential, tracks: result.tracks });
    } catch (err) {
      result.tracks.forEach((t) => t.stop());
      setPhase({ kind: 'refused', title: t('join.refusedTitle'), message: sentence(err, t, lang) });
    }
  };

  return (
    <VisitLangProvider lang={lang}>
    <div className="patient-page">
      <div className="patient-bar">
        <button
          type="button"
          className="patient-lang"
          lang={lang === 'en' ? 'es' : 'en'}
          aria-label={t('lang.switchLabel')}
          onClick={() => setLang(lang === 'en' ? 'es' : 'en')}
        >
          {t('lang.switch')}
        </button>
      </div>
      {idle.warning ? (
        <div className="patient-card" data-testid="idle-warning">
          <Alert tone="warning" title={t('idle.warnTitle')}>
            <p>{t('idle.warn', { seconds: idle.secondsLeft })}</p>
            <Button variant="primary" onClick={idle.stay}>
              {t('idle.stay')}
            </Button>
          </Alert>
        </div>
      ) : null}
      {phase.kind === 'checking' ? <p className="patient-card" role="status">{t('opening')}</p> : null}
      {phase.kind === 'refused' || phase.kind === 'over' ? (
        <div className="patient-card" data-testid="patient-message">
          <h1 className="patient-title">{phase.title}</h1>
          <p>{phase.message}</p>
        </div>
      ) : null}
      {phase.kind === 'device' ? (
        <div className="patient-card patient-wide">
          <h1 className="patient-title">{t('device.title', { host: phase.link.hostName })}</h1>
          <p className="muted">
            {t('device.intro', { clinic: phase.link.clinicName, when: dayAndTime(phase.link.startsAt, lang) })}
          </p>
          <DeviceCheck
            audience="patient"
            mobile={isPhone()}
            initialName={phase.link.suggestedName}
            testNetwork={preJoinNetworkTest}
            joinLabel={t('device.join')}
            onJoin={join}
          />
        </div>
      ) : null}
      {phase.kind === 'live' ? (
        <LiveVisit
          credential={phase.credential}
          tracks={phase.tracks}
          t={t}
          lang={lang}
          onInRoom={setInRoom}
          onOver={(title, message) => setPhase({ kind: 'over', title, message })}
        />
      ) : null}
    </div>
    </VisitLangProvider>
  );
}

/** Codes of the page's own failures (patient-api) and the 429 limit, worded in the page's language. */
const OWN_ERRORS: Record<string, JoinMessageKey> = {
  network: 'error.network',
  bad_response: 'error.badResponse',
  too_many_requests: 'error.tooMany',
};

/**
 * What went wrong, in the page's language. In English central's own sentence (it may carry details, such as
 * the time a link opens); in Spanish the catalogue's sentence for the code, else central's as the last resort.
 */
export function sentence(err: unknown, t: JoinTranslate, lang: JoinLang): string {
  if (!(err instanceof CentralError)) return t('error.generic');
  const own = OWN_ERRORS[err.code] ?? (err.code.startsWith('http_') ? 'error.server' : null);
  if (own) return t(own);
  if (lang === 'en') return err.message;
  const key = `refused.${err.code}` as JoinMessageKey;
  return key in joinCatalogue.es ? t(key) : err.message;
}

function isPhone() {
  return typeof navigator !== 'undefined' && /iPhone|iPad|iPod|Android/.test(navigator.userAgent);
}

/** Waiting room and visit: one live channel for both, so the page never misses the admission. */
function LiveVisit({
  credential,
  tracks,
  t,
  lang,
  onInRoom,
  onOver,
}: {
  credential: string;
  tracks: MediaStreamTrack[];
  t: JoinTranslate;
  lang: JoinLang;
  onInRoom(inRoom: boolean): void;
  onOver(title: string, message: string): void;
}) {
  const langRef = useRef(lang);
  const [snapshot, setSnapshot] = useState<SessionSnapshot | null>(null);
  const [room, setRoom] = useState<VideoRoom | null>(null);
  const [joinError, setJoinError] = useState<string | null>(null);
  const [network, setNetwork] = useState<NetworkTestResult | null>(null);
  const [audioLost, setAudioLost] = useState(false);
  const snapshotRef = useRef<SessionSnapshot | null>(null);
  const signalingRef = useRef<RelaySignaling | null>(null);
  const roomRef = useRef<VideoRoom | null>(null);
  const joiningRef = useRef(false);
  const onOverRef = useRef(onOver);
  const tRef = useRef(t);
  useEffect(() => {
    onOverRef.current = onOver;
    tRef.current = t;
    langRef.current = lang;
  });

  const leave = useCallback((title: string, message: string, reason: 'left' | 'ended' | 'removed' = 'left') => {
    roomRef.current?.disconnect(reason);
    tracks.forEach((t) => t.stop());
    onOverRef.current(title, message);
  }, [tracks]);

  const connectRoom = useCallback(async () => {
    if (joiningRef.current || roomRef.current) return;
    joiningRef.current = true;
    try {
      const access = await central('telehealthParticipantRoomAccess', { credential });
      const current = snapshotRef.current;
      const youId = current?.you ?? '';
      const provider = providerFor(access, {
        signaling: () => {
          const signaling = new RelaySignaling(youId, (signal) => central('telehealthParticipantSignal', { credential, body: signal }));
          signalingRef.current = signaling;
          return signaling;
        },
        peersToCall: () => (snapshotRef.current ? connectedOthers(snapshotRef.current) : []),
        nameOf: (id) => snapshotRef.current?.participants.find((p) => p.id === id)?.displayName ?? tRef.current('name.participant'),
      });
      const name = (current ? me(current)?.displayName : undefined) ?? tRef.current('name.you');
      const joined = await provider.connect({ name, tracks });
      roomRef.current = joined;
      setRoom(joined);
      await central('telehealthParticipantConnection', { credential, body: { state: 'connected' } });
    } catch (err) {
      setJoinError(sentence(err, tRef.current, langRef.current));
    } finally {
      joiningRef.current = false;
    }
  }, [credential, tracks]);

  // The live channel: snapshot first, then deltas, chat and signaling.
  useEffect(() => {
    const handle = (event: LiveEvent) => {
      if (event.type === 'signal') {
        signalingRef.current?.deliver(event.signal);
        return;
      }
      if (event.type === 'retired') {
        leave(
          tRef.current('over.elsewhereTitle'),
          langRef.current === 'en' ? event.message : tRef.current(event.code === 'link_revoked' ? 'refused.link_revoked' : 'refused.participant_retired'),
          'removed',
        );
        return;
      }
      const tr = tRef.current;
      const next = applyLiveEvent(snapshotRef.current, event);
      snapshotRef.current = next;
      setSnapshot(next);
      if (!next) return;
      const mine = me(next);
      if (next.session.status === 'ended') leave(tr('over.endedTitle'), tr('over.ended'), 'ended');
      else if (mine?.state === 'denied') leave(tr('over.deniedTitle'), mine.deniedMessage ?? tr('over.denied'), 'removed');
      else if (mine?.state === 'removed') leave(tr('over.removedTitle'), tr('over.removed'), 'removed');
      else if (mine && (mine.state === 'admitted' || mine.state === 'connected')) void connectRoom();
      // Someone left, was removed, or is back in the waiting room (a reload): drop the connection to them.
      if (event.type === 'participant' && ['left', 'removed', 'denied', 'waiting'].includes(event.participant.state))
        roomRef.current?.forgetParticipant(event.participant.id);
    };
    const stream = openLiveStream({
      url: participantEventsUrl,
      headers: { Authorization: `Bearer ${credential}` },
      onEvent: handle,
      onStatus: (status) => signalingRef.current?.setStatus(status === 'open' ? 'up' : 'down'),
      onRefused: (_status, code, message) =>
        leave(
          tRef.current('over.noRejoinTitle'),
          sentence(new CentralError(_status, code, message), tRef.current, langRef.current),
          'removed',
        ),
    });
    // Back from the background (phones): reopen the channel at once rather than wait for a timeout.
    const onVisible = () => {
      if (document.visibilityState === 'visible') stream.reopen();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      stream.close();
    };
  }, [credential, connectRoom, leave]);

  // The network test runs in the waiting room (it needs the participant credential).
  useEffect(() => {
    let cancelled = false;
    central('telehealthParticipantPreflight', { credential })
      .then((access) => networkTestFor(access)(() => undefined))
      .then((result) => !cancelled && setNetwork(result))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [credential]);

  // A phone that locks or switches apps may stop the microphone: say so plainly, offer to turn it back on.
  useEffect(() => {
    const mic = tracks.find((t) => t.kind === 'audio');
    if (!mic) return;
    const onEnded = () => setAudioLost(true);
    mic.addEventListener('ended', onEnded);
    return () => mic.removeEventListener('ended', onEnded);
  }, [tracks]);

  useEffect(() => () => roomRef.current?.disconnect(), []);

  const sendChat = async (text: string) => {
    try {
      await central('telehealthParticipantChat', { credential, body: { text } });
    } catch (err) {
      // The chat shows the sentence next to the box: in the page's language.
      throw new Error(sentence(err, t, lang));
    }
  };
  const chatLines = (snapshot?.chat ?? []).map((m) => ({
    id: m.id,
    authorName: m.senderName,
    mine: m.participantId === snapshot?.you,
    body: m.text,
    sentAt: m.sentAt,
  }));

  const mine = snapshot ? me(snapshot) : undefined;
  // The clinician's own state: in the room, not there yet, or away (left, or signed out on the workstation).
  const hostState = snapshot?.participants.find((p) => p.role === 'host')?.state;
  const inRoom = Boolean(room && mine && (mine.state === 'admitted' || mine.state === 'connected'));
  useEffect(() => onInRoom(inRoom), [inRoom, onInRoom]);
  if (!snapshot) return <p className="patient-card" role="status">{t('connecting')}</p>;
  const audioBanner = audioLost ? (
    <Alert tone="warning" title={t('mic.lostTitle')} testId="audio-lost">
      <p>{t('mic.lost')}</p>
      <Button
        variant="primary"
        onClick={() => {
          void roomRef.current?.switchDevice('audioinput', {}).then(() => setAudioLost(false));
        }}
      >
        {t('mic.restart')}
      </Button>
    </Alert>
  ) : null;

  if (room && inRoom) {
    return (
      <div className="patient-visit">
        {audioBanner}
        <SessionView
          room={room}
          role="participant"
          startedAt={snapshot.session.startedAt}
          chat={{ messages: chatLines, onSend: sendChat, formatTime: clock }}
          onEnd={() => undefined}
          onLeave={() => {
            void central('telehealthParticipantConnection', { credential, body: { state: 'left' } }).catch(() => undefined);
            leave(t('over.leftTitle'), t('over.left'));
          }}
          canShare={false}
          mode={snapshot.session.mode}
          onMode={async (mode) => void (await central('telehealthParticipantMode', { credential, body: { mode } }))}
        />
      </div>
    );
  }

  return (
    <div className="patient-card patient-wide waiting-room" data-testid="waiting-room">
      <h1 className="patient-title">
        {mine?.state === 'admitted' ? t('waiting.joiningTitle') : t('waiting.title', { host: snapshot.session.hostName })}
      </h1>
      <p role="status" data-testid="waiting-status">
        {mine?.state === 'admitted' ? t('waiting.joiningStatus') : t('waiting.status')}
      </p>
      {mine?.state !== 'admitted' ? (
        <p data-testid="host-status" className={hostState === 'left' ? 'patient-away' : undefined}>
          {t(hostState === 'connected' ? 'host.connected' : hostState === 'left' ? 'host.away' : 'host.notYet', {
            host: snapshot.session.hostName,
          })}
        </p>
      ) : null}
      {snapshot.session.clinicMessage ? <p className="patient-message">{snapshot.session.clinicMessage}</p> : null}
      {joinError ? <Alert tone="error" title={joinError} /> : null}
      {audioBanner}
      <p className="small muted" data-testid="waiting-network">
        {network ? visitTranslator(lang)(`verdict.${network.verdict}`) : t('waiting.testing')}
      </p>
      <ChatPanel messages={chatLines} onSend={sendChat} formatTime={clock} />
    </div>
  );
}
