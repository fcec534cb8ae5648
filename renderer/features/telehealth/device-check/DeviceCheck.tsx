import '../telehealth.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { Alert } from '../../../ui/Alert';
import { Button } from '../../../ui/Button';
import { TextField } from '../../../ui/Field';
import {
  browserFamily,
  listDevices,
  mediaErrorMessage,
  openLocalMedia,
  openTrack,
  permissionHelp,
  type DeviceLists,
} from '../media/local-media';
import { meterLevel, playTestTone } from '../media/tones';
import { useTrackElement } from '../media/use-track';
import { DevicePicker } from '../session/ControlBar';
import type { NetworkStep, NetworkTestResult } from '../provider/video-provider';
import { useVisitText, type VisitTranslate } from '../i18n/visit-text';

export interface DeviceCheckResult {
  name: string;
  tracks: MediaStreamTrack[];
}

interface DeviceCheckProps {
  audience: 'patient' | 'clinician';
  initialName: string;
  /** The provider's network test; null when there is nothing to test against yet. */
  testNetwork: ((onProgress: (step: NetworkStep) => void) => Promise<NetworkTestResult>) | null;
  joinLabel: string;
  onJoin(result: DeviceCheckResult): void | Promise<void>;
  /** Phones: show the front/back camera switch. */
  mobile?: boolean;
}

const nameFormFor = (t: VisitTranslate) =>
  z.object({
    name: z.string().trim().min(1, t('device.nameRequired')).max(80, t('device.nameTooLong')),
  });
type NameForm = z.infer<ReturnType<typeof nameFormFor>>;

/**
 * Before anything else: camera preview, microphone level, speaker test tone, device pickers, a network test,
 * and the name others will see. When the browser blocks the camera, it says how to allow it in this browser.
 * The tracks opened here are handed to the video provider on join, so permission is asked once.
 */
export function DeviceCheck({ audience, initialName, testNetwork, joinLabel, onJoin, mobile = false }: DeviceCheckProps) {
  const { lang, t } = useVisitText();
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [mediaError, setMediaError] = useState<ReturnType<typeof mediaErrorMessage> | null>(null);
  const [devices, setDevices] = useState<DeviceLists>({ cameras: [], microphones: [], speakers: [] });
  const [chosen, setChosen] = useState<{ camera?: string; microphone?: string; speaker?: string }>({});
  const [facing, setFacing] = useState<'user' | 'environment'>('user');
  const [level, setLevel] = useState(0);
  const [tone, setTone] = useState<'idle' | 'playing' | 'played'>('idle');
  const [network, setNetwork] = useState<{ step: NetworkStep | null; result: NetworkTestResult | null } | null>(null);
  const handedOver = useRef(false);
  const streamRef = useRef<MediaStream | null>(null);

  const video = stream?.getVideoTracks()[0] ?? null;
  const audio = stream?.getAudioTracks()[0] ?? null;
  const previewRef = useTrackElement<HTMLVideoElement>(video);

  const runNetworkTest = useCallback(async () => {
    if (!testNetwork) return;
    const result = await testNetwork((step) => setNetwork({ step, result: null }));
    setNetwork({ step: null, result });
  }, [testNetwork]);

  async function onOpened(opened: MediaStream) {
    streamRef.current = opened;
    let lists: DeviceLists | null = null;
    let failure: ReturnType<typeof mediaErrorMessage> | null = null;
    try {
      lists = await listDevices();
    } catch (err) {
      failure = mediaErrorMessage(err);
    }
    // The preview, the device pickers (a speaker picker appears only now) and the enabled join button in
    // one render: when the pickers landed after the button was enabled, they moved it under the pointer.
    setMediaError(failure);
    setStream(opened);
    if (!lists) return;
    setDevices(lists);
    setChosen({
      camera: opened.getVideoTracks()[0]?.getSettings().deviceId,
      microphone: opened.getAudioTracks()[0]?.getSettings().deviceId,
      speaker: lists.speakers[0]?.deviceId,
    });
    // The network test runs once the camera and microphone are open (the browser has asked by then).
    void runNetworkTest();
  }

  const start = useCallback(
    () =>
      openLocalMedia({ facingMode: mobile ? 'user' : undefined }).then(onOpened, (err: unknown) =>
        setMediaError(mediaErrorMessage(err)),
      ),
    // onOpened only uses setters, refs and runNetworkTest.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [mobile, runNetworkTest],
  );

  useEffect(() => {
    void start();
    return () => {
      if (!handedOver.current) streamRef.current?.getTracks().forEach((t) => t.stop());
    };
  }, [start]);

  useEffect(() => {
    if (!audio || typeof AudioContext === 'undefined') return;
    return meterLevel(audio, setLevel);
  }, [audio]);

  const replace = async (kind: 'audioinput' | 'videoinput', options: Parameters<typeof openTrack>[1]) => {
    const current = streamRef.current;
    if (!current) return;
    try {
      const old = kind === 'videoinput' ? current.getVideoTracks()[0] : current.getAudioTracks()[0];
      old?.stop();
      const next = await openTrack(kind, options);
      const tracks = current.getTracks().filter((t) => t !== old);
      const replaced = new MediaStream([...tracks, next]);
      streamRef.current = replaced;
      setStream(replaced);
    } catch (err) {
      setMediaError(mediaErrorMessage(err));
    }
  };

  const nameForm = useMemo(() => nameFormFor(t), [t]);
  const { register, handleSubmit, formState } = useForm<NameForm>({
    resolver: zodResolver(nameForm),
    defaultValues: { name: initialName },
  });

  const join = async ({ name }: NameForm) => {
    const tracks = streamRef.current?.getTracks() ?? [];
    handedOver.current = true;
    await onJoin({ name, tracks });
  };

  const family = browserFamily(typeof navigator === 'undefined' ? '' : navigator.userAgent);
  const levelPercent = Math.round(level * 100);

  return (
    <form className={`devcheck devcheck-${audience}`} onSubmit={(event) => void handleSubmit(join)(event)} noValidate data-testid="device-check">
      <div className="devcheck-preview">
        {video ? (
          <video ref={previewRef} className="devcheck-video tile-mirror" autoPlay playsInline muted aria-label={t('device.yourCamera')} data-testid="preview" />
        ) : (
          <div className="devcheck-novideo">{mediaError ? t('device.cameraUnavailable') : t('device.cameraStarting')}</div>
        )}
        {mobile && video ? (
          <Button
            className="devcheck-flip"
            onClick={() => {
              const next = facing === 'user' ? 'environment' : 'user';
              setFacing(next);
              void replace('videoinput', { facingMode: next });
            }}
          >
            {facing === 'user' ? t('device.useBack') : t('device.useFront')}
          </Button>
        ) : null}
      </div>

      <div className="devcheck-side">
        {mediaError ? (
          <Alert tone="error" title={t(`media.${mediaError.kind}`)} testId="media-error">
            {mediaError.kind === 'denied' ? (
              <ol className="devcheck-help">
                {permissionHelp(family, lang).map((step) => (
                  <li key={step}>{step}</li>
                ))}
              </ol>
            ) : null}
            <Button onClick={() => void start()}>{t('device.tryAgain')}</Button>
          </Alert>
        ) : null}

        <div className="devcheck-row">
          <span className="field-label" id="mic-level-label">
            {t('device.micLevel')}
          </span>
          <div
            className="meter"
            role="meter"
            aria-labelledby="mic-level-label"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={levelPercent}
            aria-valuetext={audio ? (levelPercent > 8 ? t('device.micHeard') : t('device.micSay')) : t('device.noMic')}
            data-testid="mic-meter"
          >
            <span className="meter-fill" style={{ width: `${levelPercent}%` }} />
          </div>
          <span className="small muted">{audio ? (levelPercent > 8 ? t('device.micHeardLong') : t('device.micSayLong')) : t('device.noMicLong')}</span>
        </div>

        {!mobile ? (
          <>
            <DevicePicker label={t('device.camera')} choices={devices.cameras} value={chosen.camera} onPick={(id) => { setChosen((c) => ({ ...c, camera: id })); void replace('videoinput', { videoDeviceId: id }); }} />
            <DevicePicker label={t('device.microphone')} choices={devices.microphones} value={chosen.microphone} onPick={(id) => { setChosen((c) => ({ ...c, microphone: id })); void replace('audioinput', { audioDeviceId: id }); }} />
            {/* Always there, so the join button below does not move when the list arrives. */}
            <DevicePicker label={t('device.speaker')} choices={devices.speakers} value={chosen.speaker} onPick={(id) => setChosen((c) => ({ ...c, speaker: id }))} fallback={t('device.defaultSpeaker')} />
          </>
        ) : null}

        <div className="devcheck-row">
          <Button
            onClick={() => {
              setTone('playing');
              void playTestTone(chosen.speaker).finally(() => setTone('played'));
            }}
            busy={tone === 'playing'}
            busyLabel={t('device.playing')}
          >
            {t('device.playTone')}
          </Button>
          <span className="small muted">{tone === 'played' ? t('device.toneHeard') : ''}</span>
        </div>

        {testNetwork ? (
          <div className="devcheck-row" data-testid="network-test">
            <span className="field-label">{t('device.connection')}</span>
            {network?.result ? (
              <span className={`netresult netresult-${network.result.verdict}`} role="status">
                {t(`verdict.${network.result.verdict}`)}
                {network.result.rttMs !== null ? <span className="muted small"> {t('device.ms', { ms: Math.round(network.result.rttMs) })}</span> : null}
              </span>
            ) : (
              <span className="muted" role="status">
                {network?.step ? t(`netstep.${network.step}`) : t('device.notTested')}
              </span>
            )}
            {/* Its place is kept while the test runs, so the result arriving moves nothing below it. */}
            <Button
              size="small"
              variant="link"
              style={network?.result ? undefined : { visibility: 'hidden' }}
              onClick={() => {
                setNetwork({ step: 'checking', result: null });
                void runNetworkTest();
              }}
            >
              {t('device.testAgain')}
            </Button>
          </div>
        ) : null}

        <TextField
          label={audience === 'patient' ? t('device.namePatient') : t('device.nameClinician')}
          autoComplete="name"
          error={formState.errors.name?.message}
          {...register('name')}
        />
        <Button
          type="submit"
          variant="primary"
          className="devcheck-join"
          // Not before the camera and microphone answered (opened, or refused: then join without them).
          disabled={!stream && !mediaError}
          busy={formState.isSubmitting}
          busyLabel={t('device.joining')}
        >
          {joinLabel}
        </Button>
        {!stream && !mediaError ? <p className="small muted">{t('device.allowHint')}</p> : null}
      </div>
    </form>
  );
}
