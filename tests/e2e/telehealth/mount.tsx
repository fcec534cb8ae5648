import { useState } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { SessionView } from '../../../renderer/features/telehealth/session/SessionView';
import { WaitingList, type WaitingEntry } from '../../../renderer/features/telehealth/waiting/WaitingList';
import { DeviceCheck } from '../../../renderer/features/telehealth/device-check/DeviceCheck';
import type { ChatLine } from '../../../renderer/features/telehealth/session/ChatPanel';
import type { LayoutName } from '../../../renderer/features/telehealth/session/layout';
import { VERDICT_MESSAGE } from '../../../renderer/features/telehealth/provider/video-provider';
import { VisitLangProvider, type VisitLang } from '../../../renderer/features/telehealth/i18n/visit-text';
import { FakeVideoRoom } from './fake-room';
// The join page's own layout (one column on phones), for the visit as the patient's page shows it.
import '../../../renderer/features/telehealth/patient/patient.css';

let root: Root | null = null;

/** What the mounted components called back, for the specs to assert on. */
export const calls: string[] = [];
export let currentRoom: FakeVideoRoom | null = null;

const time = (iso: string) => new Date(iso).toISOString().slice(11, 16);

function SessionHarness(props: { remotes: string[]; layout?: LayoutName; role?: 'host' | 'participant'; waiting?: WaitingEntry[]; chat?: ChatLine[] }) {
  const [room] = useState(() => new FakeVideoRoom(props.remotes));
  currentRoom = room;
  // Central's mode, as the live channel would bring it back after the switch.
  const [mode, setMode] = useState<'video' | 'audio_only'>('video');
  let messages = props.chat ?? [];
  return (
    <div style={{ height: '100vh' }}>
      <SessionView
        room={room}
        role={props.role ?? 'host'}
        startedAt={new Date(Date.now() - 754_000).toISOString()}
        initialLayout={props.layout ?? 'speaker'}
        canShare
        chat={{
          messages,
          onSend: async (body) => {
            calls.push(`send:${body}`);
            messages = [...messages, { id: String(messages.length), authorName: 'You', mine: true, body, sentAt: new Date().toISOString() }];
          },
          formatTime: time,
        }}
        waiting={
          props.waiting ? (
            <WaitingList
              entries={props.waiting}
              sound={false}
              onAdmit={async (id) => void calls.push(`admit:${id}`)}
              onAdmitAll={async () => void calls.push('admit-all')}
              onDeny={async (id, message) => void calls.push(`deny:${id}:${message}`)}
            />
          ) : undefined
        }
        onEnd={() => void calls.push('end')}
        onLeave={() => void calls.push('leave')}
        onAudioOnly={() => void calls.push('audio-only')}
        mode={mode}
        onMode={async (next) => {
          calls.push(`mode:${next}`);
          setMode(next);
        }}
      />
    </div>
  );
}

/** Components the specs can mount by name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- props come from page.evaluate as plain JSON
export const components: Record<string, (props: any) => React.ReactNode> = {
  session: SessionHarness,
  patientVisit: (props: Parameters<typeof SessionHarness>[0]) => (
    <div className="patient-page">
      <div className="patient-visit">
        <SessionHarness {...props} role="participant" />
      </div>
    </div>
  ),
  waiting: (props: { entries: WaitingEntry[]; failAdmit?: boolean }) => (
    <div style={{ width: 360, padding: 12 }}>
      <WaitingList
        entries={props.entries}
        sound={false}
        onAdmit={async (id) => {
          if (props.failAdmit) throw new Error('Telehealth needs the central server. Check the internet connection.');
          calls.push(`admit:${id}`);
        }}
        onAdmitAll={async () => void calls.push('admit-all')}
        onDeny={async (id, message) => void calls.push(`deny:${id}:${message}`)}
      />
    </div>
  ),
  devicecheck: (props: { verdict?: 'good' | 'poor'; audience?: 'patient' | 'clinician'; mobile?: boolean; joinLabel?: string; networkMs?: number }) => (
    <div style={{ padding: 16, maxWidth: 1100 }}>
      <DeviceCheck
        audience={props.audience ?? 'patient'}
        initialName="Sam"
        mobile={props.mobile}
        joinLabel={props.joinLabel ?? 'Join the waiting room'}
        testNetwork={async (progress) => {
          progress('measuring');
          await new Promise((r) => setTimeout(r, props.networkMs ?? 50));
          const verdict = props.verdict ?? 'good';
          return { verdict, rttMs: verdict === 'good' ? 42 : 900, jitterMs: 3, packetLoss: 0, message: VERDICT_MESSAGE[verdict] };
        }}
        onJoin={({ name, tracks }) => void calls.push(`join:${name}:${tracks.map((t) => t.kind).sort().join('+')}`)}
      />
    </div>
  ),
};

export function mountComponent(name: string, props: Record<string, unknown> = {}) {
  const Component = components[name];
  if (!Component) throw new Error(`No harness component ${name}`);
  calls.length = 0;
  root?.unmount();
  root = createRoot(document.getElementById('root')!);
  // `lang`: the language the patient's page would give these components (default: none, i.e. English).
  const lang = props.lang as VisitLang | undefined;
  root.render(lang ? <VisitLangProvider lang={lang}><Component {...props} /></VisitLangProvider> : <Component {...props} />);
}
