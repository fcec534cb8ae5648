import { useState } from 'react';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import type { LayoutName } from './layout';
import { useVisitText, type VisitTextKey } from '../i18n/visit-text';

export interface DeviceChoice {
  deviceId: string;
  label: string;
}

export interface ControlBarProps {
  micOn: boolean;
  cameraOn: boolean;
  sharing: boolean;
  canShare: boolean;
  layout: LayoutName;
  chatOpen: boolean;
  unreadChat: number;
  pipSupported: boolean;
  cameras: DeviceChoice[];
  microphones: DeviceChoice[];
  /** The visit is audio only (every camera off; recorded for billing). Undefined: the switch is not offered. */
  audioOnly?: boolean;
  onToggleAudioOnly?: () => void;
  /** The clinician ends the visit for everyone; a patient or guest only leaves. */
  role: 'host' | 'participant';
  onToggleMic(): void;
  onToggleCamera(): void;
  onToggleShare(): void;
  onLayout(layout: LayoutName): void;
  onToggleChat(): void;
  onPip(): void;
  onSwitchDevice(kind: 'audioinput' | 'videoinput', deviceId: string): void;
  onEnd(): void;
  onLeave(): void;
  timer?: React.ReactNode;
}

const LAYOUTS: Array<{ name: LayoutName; label: VisitTextKey }> = [
  { name: 'speaker', label: 'ctl.speaker' },
  { name: 'grid', label: 'ctl.grid' },
  { name: 'fullscreen', label: 'ctl.fullscreen' },
];

/**
 * The in-session controls. Toggles are real toggle buttons (aria-pressed) whose text says the state, so
 * "Unmute" is never mistaken for "Mute". Ending for everyone asks first; a patient only leaves.
 */
export function ControlBar(props: ControlBarProps) {
  const { t } = useVisitText();
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [devicesOpen, setDevicesOpen] = useState(false);
  return (
    <div className="controlbar" role="toolbar" aria-label={t('ctl.toolbar')} data-testid="controlbar">
      <div className="controlbar-group">
        <Button onClick={props.onToggleMic} aria-pressed={!props.micOn} className={props.micOn ? '' : 'btn-off'} aria-keyshortcuts="Alt+M">
          {props.micOn ? t('ctl.mute') : t('ctl.unmute')}
        </Button>
        <Button
          onClick={props.onToggleCamera}
          aria-pressed={!props.cameraOn}
          className={props.cameraOn ? '' : 'btn-off'}
          aria-keyshortcuts="Alt+V"
          disabled={props.audioOnly === true}
          title={props.audioOnly ? t('ctl.cameraAudioOnly') : undefined}
        >
          {props.cameraOn ? t('ctl.stopCamera') : t('ctl.startCamera')}
        </Button>
        {props.onToggleAudioOnly && props.audioOnly !== undefined ? (
          <Button
            onClick={props.onToggleAudioOnly}
            aria-pressed={props.audioOnly}
            className={props.audioOnly ? 'btn-off' : ''}
            title={props.audioOnly ? t('ctl.backToVideoTitle') : t('ctl.audioOnlyTitle')}
            data-testid="audio-only-toggle"
          >
            {props.audioOnly ? t('ctl.backToVideo') : t('ctl.audioOnly')}
          </Button>
        ) : null}
        <Button onClick={() => setDevicesOpen(true)}>{t('ctl.devices')}</Button>
        {props.canShare ? (
          <Button onClick={props.onToggleShare} aria-pressed={props.sharing}>
            {props.sharing ? t('ctl.stopSharing') : t('ctl.shareScreen')}
          </Button>
        ) : null}
      </div>
      <div className="controlbar-group" role="radiogroup" aria-label={t('ctl.layout')}>
        {LAYOUTS.map((l) => (
          <button
            key={l.name}
            type="button"
            role="radio"
            aria-checked={props.layout === l.name}
            className={`btn btn-small ${props.layout === l.name ? 'btn-selected' : ''}`}
            onClick={() => props.onLayout(l.name)}
          >
            {t(l.label)}
          </button>
        ))}
        {props.pipSupported ? (
          <Button size="small" onClick={props.onPip} title={t('ctl.pipTitle')}>
            {t('ctl.pip')}
          </Button>
        ) : null}
      </div>
      <div className="controlbar-group">
        {props.timer}
        <Button onClick={props.onToggleChat} aria-pressed={props.chatOpen} aria-keyshortcuts="Alt+C">
          {t('ctl.chat')}{props.unreadChat > 0 ? <span className="badge badge-danger" aria-label={t('ctl.unread', { n: props.unreadChat })}>{props.unreadChat}</span> : null}
        </Button>
        {props.role === 'host' ? (
          <Button variant="danger" onClick={() => setConfirmEnd(true)}>
            {t('ctl.endVisit')}
          </Button>
        ) : (
          <Button variant="danger" onClick={props.onLeave}>
            {t('ctl.leave')}
          </Button>
        )}
      </div>
      {confirmEnd ? (
        <Dialog title={t('ctl.endTitle')} onClose={() => setConfirmEnd(false)} testId="end-dialog">
          <p>{t('ctl.endBody')}</p>
          <div className="button-row dialog-actions">
            <Button variant="danger" data-autofocus onClick={() => { setConfirmEnd(false); props.onEnd(); }}>
              {t('ctl.endForEveryone')}
            </Button>
            <Button onClick={() => { setConfirmEnd(false); props.onLeave(); }}>{t('ctl.leaveKeepOpen')}</Button>
            <Button variant="link" onClick={() => setConfirmEnd(false)}>
              {t('ctl.cancel')}
            </Button>
          </div>
        </Dialog>
      ) : null}
      {devicesOpen ? (
        <DeviceDialog
          cameras={props.cameras}
          microphones={props.microphones}
          onSwitch={props.onSwitchDevice}
          onClose={() => setDevicesOpen(false)}
        />
      ) : null}
    </div>
  );
}

function DeviceDialog({
  cameras,
  microphones,
  onSwitch,
  onClose,
}: {
  cameras: DeviceChoice[];
  microphones: DeviceChoice[];
  onSwitch: ControlBarProps['onSwitchDevice'];
  onClose(): void;
}) {
  const { t } = useVisitText();
  return (
    <Dialog title={t('ctl.devicesTitle')} onClose={onClose} testId="device-dialog">
      <DevicePicker label={t('device.camera')} choices={cameras} onPick={(id) => onSwitch('videoinput', id)} />
      <DevicePicker label={t('device.microphone')} choices={microphones} onPick={(id) => onSwitch('audioinput', id)} />
      <div className="button-row dialog-actions">
        <Button variant="primary" onClick={onClose}>
          {t('ctl.done')}
        </Button>
      </div>
    </Dialog>
  );
}

export function DevicePicker({
  label,
  choices,
  value,
  onPick,
  fallback,
}: {
  label: string;
  choices: DeviceChoice[];
  value?: string;
  onPick(deviceId: string): void;
  /** Shown in a disabled picker while the browser lists none (Firefox and Safari list no speakers). */
  fallback?: string;
}) {
  const { t } = useVisitText();
  const id = `device-${label.toLowerCase().replace(/\W+/g, '-')}`;
  // No device listed and a fallback given: the picker stays, disabled, naming what will be used.
  const standIn = fallback !== undefined && choices.length === 0;
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <select
        id={id}
        className="input"
        disabled={standIn}
        value={standIn ? '' : (value ?? '')}
        onChange={(e) => e.target.value && onPick(e.target.value)}
      >
        {standIn ? <option value="">{fallback}</option> : null}
        {!standIn && value === undefined ? <option value="">{t('device.choose')}</option> : null}
        {!standIn && choices.length === 0 ? <option disabled>{t('device.noneFound')}</option> : null}
        {choices.map((c, i) => (
          <option key={c.deviceId || i} value={c.deviceId}>
            {c.label || t('device.numbered', { label, n: i + 1 })}
          </option>
        ))}
      </select>
    </div>
  );
}
