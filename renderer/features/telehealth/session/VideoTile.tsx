import type { ParticipantView } from '../provider/video-provider';
import { useTrackElement } from '../media/use-track';
import { NetworkBars } from './NetworkBars';
import { useVisitText } from '../i18n/visit-text';

interface VideoTileProps {
  participant: ParticipantView;
  isLocal?: boolean;
  /** Show the shared screen instead of the camera. */
  showScreen?: boolean;
  /** Pinned as the large tile (speaker layout). */
  pinned?: boolean;
  onPin?: (id: string) => void;
  className?: string;
}

function initials(name: string) {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return (parts.length > 1 ? `${parts[0]![0]}${parts.at(-1)![0]}` : (parts[0]?.slice(0, 2) ?? '?')).toUpperCase();
}

/**
 * One participant: live video (or initials when the camera is off), name, microphone state, network
 * quality, and a "reconnecting" veil on the tile when that participant's media dropped. Remote audio plays
 * through its own <audio> element so a hidden or camera-off tile still sounds.
 */
export function VideoTile({ participant, isLocal = false, showScreen = false, pinned = false, onPin, className }: VideoTileProps) {
  const track = showScreen ? participant.screenTrack : participant.videoTrack;
  const showVideo = track !== null && (showScreen || participant.videoEnabled);
  const videoRef = useTrackElement<HTMLVideoElement>(showVideo ? track : null);
  const audioRef = useTrackElement<HTMLAudioElement>(isLocal ? null : participant.audioTrack);
  const { t } = useVisitText();
  const name = participant.name || t('tile.participant');
  const label = showScreen ? t('tile.screen', { name }) : isLocal ? t('tile.you', { name }) : name;
  return (
    <figure
      className={['tile', pinned ? 'tile-pinned' : '', participant.reconnecting ? 'tile-reconnecting' : '', className ?? '']
        .filter(Boolean)
        .join(' ')}
      data-participant={participant.id}
      data-testid={isLocal ? 'tile-local' : 'tile-remote'}
      aria-label={label}
    >
      {showVideo ? (
        <video
          ref={videoRef}
          className={['tile-video', isLocal && !showScreen ? 'tile-mirror' : '', showScreen ? 'tile-contain' : ''].join(' ')}
          autoPlay
          playsInline
          muted
          data-testid={isLocal ? 'video-local' : showScreen ? 'video-screen' : 'video-remote'}
        />
      ) : (
        <div className="tile-placeholder" aria-hidden="true">
          <span className="tile-initials">{initials(participant.name)}</span>
        </div>
      )}
      {!isLocal && participant.audioTrack ? <audio ref={audioRef} autoPlay /> : null}
      <figcaption className="tile-caption">
        <span className="tile-name">{label}</span>
        {!participant.audioEnabled ? <span className="tile-flag">{t('tile.muted')}</span> : null}
        {!participant.videoEnabled && !showScreen ? <span className="tile-flag">{t('tile.cameraOff')}</span> : null}
        <NetworkBars level={participant.networkQuality} />
      </figcaption>
      {participant.reconnecting ? (
        <div className="tile-veil" role="status">
          {t('tile.reconnecting')}
        </div>
      ) : null}
      {onPin && !isLocal ? (
        <button
          type="button"
          className="tile-pin btn btn-small"
          onClick={() => onPin(participant.id)}
          aria-pressed={pinned}
          aria-label={pinned ? t('tile.unpinName', { name }) : t('tile.pinName', { name })}
        >
          {pinned ? t('tile.unpin') : t('tile.pin')}
        </button>
      ) : null}
    </figure>
  );
}
