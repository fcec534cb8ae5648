import { useState } from 'react';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import type { LayoutName } from './layout';

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

const LAYOUTS: Array<{ name: LayoutName; label: string }> = [
  { name: 'speaker', label: 'Speaker' },
  { name: 'grid', label: 'Grid' },
  { name: 'fullscreen', label: 'Full screen' },
];

/**
 * The in-session controls. Toggles are real toggle buttons (aria-pressed) whose text says the state, so
 * "Unmute" is never mistaken for "Mute". Ending for everyone asks first; a patient only leaves.
 */
export function ControlBar(props: ControlBarProps) {
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [devicesOpen, setDevicesOpen] = useState(false);
  return (
    <div className="controlbar" role="toolbar" aria-label="Visit controls" data-testid="controlbar">
      <div className="controlbar-group">
        <Button onClick={props.onToggleMic} aria-pressed={!props.micOn} className={props.micOn ? '' : 'btn-off'} aria-keyshortcuts="Alt+M">
          {props.micOn ? 'Mute' : 'Unmute'}
        </Button>
        <Button
          onClick={props.onToggleCamera}
          aria-pressed={!props.cameraOn}
          className={props.cameraOn ? '' : 'btn-off'}
          aria-keyshortcuts="Alt+V"
          disabled={props.audioOnly === true}
          title={props.audioOnly ? 'The visit is audio only: choose Back to video first.' : undefined}
        >
          {props.cameraOn ? 'Stop camera' : 'Start camera'}
        </Button>
        {props.onToggleAudioOnly && props.audioOnly !== undefined ? (
          <Button
            onClick={props.onToggleAudioOnly}
            aria-pressed={props.audioOnly}
            className={props.audioOnly ? 'btn-off' : ''}
            title={props.audioOnly ? 'Turn cameras back on for everyone' : 'Turn every camera off and continue by voice (recorded on the visit)'}
            data-testid="audio-only-toggle"
          >
            {props.audioOnly ? 'Back to video' : 'Audio only'}
          </Button>
        ) : null}
        <Button onClick={() => setDevicesOpen(true)}>Devices</Button>
        {props.canShare ? (
          <Button onClick={props.onToggleShare} aria-pressed={props.sharing}>
            {props.sharing ? 'Stop sharing' : 'Share screen'}
          </Button>
        ) : null}
      </div>
      <div className="controlbar-group" role="radiogroup" aria-label="Layout">
        {LAYOUTS.map((l) => (
          <button
            key={l.name}
            type="button"
            role="radio"
            aria-checked={props.layout === l.name}
            className={`btn btn-small ${props.layout === l.name ? 'btn-selected' : ''}`}
            onClick={() => props.onLayout(l.name)}
          >
            {l.label}
          </button>
        ))}
        {props.pipSupported ? (
          <Button size="small" onClick={props.onPip} title="Keep the video in a small window above your note">
            Picture-in-picture
          </Button>
        ) : null}
      </div>
      <div className="controlbar-group">
        {props.timer}
        <Button onClick={props.onToggleChat} aria-pressed={props.chatOpen} aria-keyshortcuts="Alt+C">
          Chat{props.unreadChat > 0 ? <span className="badge badge-danger" aria-label={`${props.unreadChat} unread`}>{props.unreadChat}</span> : null}
        </Button>
        {props.role === 'host' ? (
          <Button variant="danger" onClick={() => setConfirmEnd(true)}>
            End visit
          </Button>
        ) : (
          <Button variant="danger" onClick={props.onLeave}>
            Leave
          </Button>
        )}
      </div>
      {confirmEnd ? (
        <Dialog title="End the visit for everyone?" onClose={() => setConfirmEnd(false)} testId="end-dialog">
          <p>Everyone is disconnected and the link stops working. The chat stays with the visit record.</p>
          <div className="button-row dialog-actions">
            <Button variant="danger" data-autofocus onClick={() => { setConfirmEnd(false); props.onEnd(); }}>
              End for everyone
            </Button>
            <Button onClick={() => { setConfirmEnd(false); props.onLeave(); }}>Leave, keep it open</Button>
            <Button variant="link" onClick={() => setConfirmEnd(false)}>
              Cancel
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
  return (
    <Dialog title="Camera and microphone" onClose={onClose} testId="device-dialog">
      <DevicePicker label="Camera" choices={cameras} onPick={(id) => onSwitch('videoinput', id)} />
      <DevicePicker label="Microphone" choices={microphones} onPick={(id) => onSwitch('audioinput', id)} />
      <div className="button-row dialog-actions">
        <Button variant="primary" onClick={onClose}>
          Done
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
}: {
  label: string;
  choices: DeviceChoice[];
  value?: string;
  onPick(deviceId: string): void;
}) {
  const id = `device-${label.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <select id={id} className="input" value={value ?? ''} onChange={(e) => e.target.value && onPick(e.target.value)}>
        {value === undefined ? <option value="">Choose…</option> : null}
        {choices.length === 0 ? <option disabled>None found</option> : null}
        {choices.map((c, i) => (
          <option key={c.deviceId || i} value={c.deviceId}>
            {c.label || `${label} ${i + 1}`}
          </option>
        ))}
      </select>
    </div>
  );
}
