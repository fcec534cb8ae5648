import '../telehealth.css';
import { useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { Button } from '../../../ui/Button';
import type { VideoRoom } from '../provider/video-provider';
import { listDevices } from '../media/local-media';
import { ChatPanel, type ChatLine } from './ChatPanel';
import { ControlBar, type DeviceChoice } from './ControlBar';
import { ReconnectingOverlay } from './ReconnectingOverlay';
import { SessionStage } from './SessionStage';
import { SessionTimer } from './SessionTimer';
import { SplitPane } from './SplitPane';
import { usePictureInPicture } from './use-pip';
import type { LayoutName } from './layout';
import { useVisitText } from '../i18n/visit-text';

export interface SessionViewProps {
  room: VideoRoom;
  role: 'host' | 'participant';
  startedAt: string | null;
  chat: { messages: readonly ChatLine[]; onSend(body: string): Promise<void>; formatTime(iso: string): string };
  /** Host only: the waiting room beside the chat. */
  waiting?: ReactNode;
  header?: ReactNode;
  onEnd(): void | Promise<void>;
  onLeave(): void;
  onAudioOnly?: () => void;
  /**
   * The session's mode (central's truth: either side may switch it) and the switch itself. In audio only
   * every camera here is off; back to video turns this side's camera on again if it was on before.
   */
  mode?: 'video' | 'audio_only';
  onMode?: (mode: 'video' | 'audio_only') => Promise<void>;
  initialLayout?: LayoutName;
  /** Whether this screen can share (the desktop app and desktop browsers). */
  canShare?: boolean;
}

/**
 * The in-visit screen shared by the clinician and the patient: stage (grid / speaker / full screen),
 * controls, chat (and, for the host, the waiting room) in a resizable side panel, picture-in-picture, and
 * the whole-screen reconnecting state.
 */
export function SessionView(props: SessionViewProps) {
  const { room } = props;
  const snapshot = useSyncExternalStore(room.subscribe, room.snapshot);
  const [layout, setLayout] = useState<LayoutName>(props.initialLayout ?? 'speaker');
  const [pinnedId, setPinnedId] = useState<string | null>(null);
  const [sideOpen, setSideOpen] = useState(true);
  const [seenChat, setSeenChat] = useState(props.chat.messages.length);
  const [devices, setDevices] = useState<{ cameras: DeviceChoice[]; microphones: DeviceChoice[] }>({ cameras: [], microphones: [] });
  const [shareError, setShareError] = useState<string | null>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const pip = usePictureInPicture();
  const { t } = useVisitText();

  useEffect(() => {
    void listDevices()
      .then((d) => setDevices({ cameras: d.cameras, microphones: d.microphones }))
      .catch(() => undefined);
  }, []);

  const messageCount = props.chat.messages.length;
  const toggleSide = () => {
    setSideOpen((open) => !open);
    setSeenChat(messageCount);
  };

  // Full screen: the browser's fullscreen for the whole visit area; leaving it (Esc) returns to speaker.
  useEffect(() => {
    const el = rootRef.current;
    if (layout !== 'fullscreen' || !el) return;
    if (!document.fullscreenElement && el.requestFullscreen) void el.requestFullscreen().catch(() => undefined);
    const onChange = () => {
      if (!document.fullscreenElement) setLayout('speaker');
    };
    document.addEventListener('fullscreenchange', onChange);
    return () => {
      document.removeEventListener('fullscreenchange', onChange);
      if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    };
  }, [layout]);

  const local = snapshot.local;
  const audioOnly = props.mode === 'audio_only';
  const cameraBefore = useRef<boolean | null>(null);
  useEffect(() => {
    if (audioOnly) {
      if (cameraBefore.current === null) cameraBefore.current = room.snapshot().local.videoEnabled;
      if (room.snapshot().local.videoEnabled) room.setCameraEnabled(false);
    } else if (cameraBefore.current !== null) {
      if (cameraBefore.current) room.setCameraEnabled(true);
      cameraBefore.current = null;
    }
  }, [audioOnly, room]);
  const [modeError, setModeError] = useState<string | null>(null);
  const toggleMode = props.onMode
    ? () => {
        setModeError(null);
        props.onMode!(audioOnly ? 'video' : 'audio_only').catch(() =>
          setModeError(audioOnly ? t('visit.videoBackFailed') : t('visit.audioOnlyFailed')),
        );
      }
    : undefined;
  const toggleMic = () => room.setMicrophoneEnabled(!local.audioEnabled);
  const toggleCamera = () => room.setCameraEnabled(!local.videoEnabled);

  const toggleSideRef = useRef(toggleSide);
  const audioOnlyRef = useRef(audioOnly);
  useEffect(() => {
    toggleSideRef.current = toggleSide;
    audioOnlyRef.current = audioOnly;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const key = event.key.toLowerCase();
      if (key === 'm') room.setMicrophoneEnabled(!room.snapshot().local.audioEnabled);
      else if (key === 'v') {
        if (audioOnlyRef.current) return;
        room.setCameraEnabled(!room.snapshot().local.videoEnabled);
      }
      else if (key === 'c') toggleSideRef.current();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [room]);

  const stage = <SessionStage snapshot={snapshot} layout={layout} pinnedId={pinnedId} onPin={setPinnedId} />;
  const unread = sideOpen ? 0 : Math.max(0, messageCount - seenChat);

  const controls = (
    <ControlBar
      micOn={local.audioEnabled}
      cameraOn={local.videoEnabled}
      sharing={local.screenTrack !== null}
      canShare={props.canShare ?? typeof navigator.mediaDevices?.getDisplayMedia === 'function'}
      layout={layout}
      chatOpen={sideOpen}
      unreadChat={unread}
      pipSupported={pip.supported}
      cameras={devices.cameras}
      microphones={devices.microphones}
      role={props.role}
      {...(toggleMode ? { audioOnly, onToggleAudioOnly: toggleMode } : {})}
      onToggleMic={toggleMic}
      onToggleCamera={toggleCamera}
      onToggleShare={() => {
        setShareError(null);
        if (local.screenTrack) room.stopScreenShare();
        else
          room.startScreenShare().catch((err: unknown) => {
            if (err instanceof DOMException && err.name === 'NotAllowedError') return; // cancelled
            setShareError(t('visit.shareFailed'));
          });
      }}
      onLayout={setLayout}
      onToggleChat={toggleSide}
      onPip={() => {
        if (pip.pipWindow) pip.close();
        else void pip.open(() => rootRef.current?.querySelector<HTMLVideoElement>('.stage-main video, .stage video') ?? null).catch(() => undefined);
      }}
      onSwitchDevice={(kind, deviceId) =>
        void room.switchDevice(kind, kind === 'videoinput' ? { videoDeviceId: deviceId } : { audioDeviceId: deviceId })
      }
      onEnd={() => void props.onEnd()}
      onLeave={props.onLeave}
      timer={<SessionTimer startedAt={props.startedAt} />}
    />
  );

  const side = sideOpen ? (
    <div className="session-side">
      {props.waiting}
      <ChatPanel messages={props.chat.messages} onSend={props.chat.onSend} formatTime={props.chat.formatTime} />
    </div>
  ) : null;

  return (
    <div ref={rootRef} className={`session session-${layout}`} data-testid="session" data-state={snapshot.state}>
      {props.header}
      <SplitPane
        sideLabel={props.role === 'host' ? t('visit.side') : t('visit.sideChat')}
        side={layout === 'fullscreen' && !sideOpen ? null : side}
        main={
          <div className="session-main">
            {pip.pipWindow ? (
              <>
                <div className="stage stage-away" role="status">
                  <p>{t('visit.pipAway')}</p>
                  <Button onClick={pip.close}>{t('visit.pipBack')}</Button>
                </div>
                {createPortal(<div className="session session-pip">{stage}</div>, pip.pipWindow.document.body)}
              </>
            ) : (
              stage
            )}
            {audioOnly ? (
              <p className="session-mode" role="status" data-testid="audio-only-status">
                {t('visit.audioOnlyStatus')}
              </p>
            ) : null}
            {shareError ? <p className="field-error" role="alert">{shareError}</p> : null}
            {modeError ? <p className="field-error" role="alert">{modeError}</p> : null}
            {controls}
          </div>
        }
      />
      {snapshot.state === 'reconnecting' ? <ReconnectingOverlay onAudioOnly={props.onAudioOnly} onLeave={props.onLeave} /> : null}
    </div>
  );
}
