import { useRef } from 'react';
import type { RoomSnapshot } from '../provider/video-provider';
import { VideoTile } from './VideoTile';
import { FloatingPanel } from './FloatingPanel';
import { gridShape, pickStage, type LayoutName } from './layout';
import { useVisitText } from '../i18n/visit-text';

interface SessionStageProps {
  snapshot: RoomSnapshot;
  layout: LayoutName;
  pinnedId: string | null;
  onPin: (id: string | null) => void;
}

/**
 * The video area. Grid: everyone in equal tiles, yourself included. Speaker and fullscreen: one large tile
 * (a shared screen, the pinned person or the last speaker) with a filmstrip of the others, and your own
 * camera in a small panel you can drag anywhere and resize.
 */
export function SessionStage({ snapshot, layout, pinnedId, onPin }: SessionStageProps) {
  const stageRef = useRef<HTMLDivElement>(null);
  const { t } = useVisitText();
  const togglePin = (id: string) => onPin(pinnedId === id ? null : id);

  if (layout === 'grid') {
    const tiles = [
      ...snapshot.remote.flatMap((p) => [
        { participant: p, showScreen: false },
        ...(p.screenTrack ? [{ participant: p, showScreen: true }] : []),
      ]),
    ];
    const { columns } = gridShape(tiles.length + 1);
    return (
      <div
        ref={stageRef}
        className="stage stage-grid"
        style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}
        data-testid="stage"
        data-layout="grid"
      >
        {tiles.map((t) => (
          <VideoTile
            key={`${t.participant.id}${t.showScreen ? '-screen' : ''}`}
            participant={t.participant}
            showScreen={t.showScreen}
            pinned={pinnedId === t.participant.id}
            onPin={togglePin}
          />
        ))}
        <VideoTile participant={snapshot.local} isLocal />
      </div>
    );
  }

  const { main, others } = pickStage(snapshot, pinnedId);
  return (
    <div ref={stageRef} className={`stage stage-speaker ${layout === 'fullscreen' ? 'stage-full' : ''}`} data-testid="stage" data-layout={layout}>
      <div className="stage-main">
        <VideoTile
          participant={main.participant}
          isLocal={main.isLocal}
          showScreen={main.showScreen}
          pinned={pinnedId === main.participant.id}
          onPin={main.isLocal ? undefined : togglePin}
        />
        {snapshot.remote.length === 0 ? (
          <p className="stage-alone" role="status">
            {t('stage.alone')}
          </p>
        ) : null}
      </div>
      {others.length > 0 ? (
        <div className="filmstrip" aria-label={t('stage.others')}>
          {others.map((t) => (
            <VideoTile key={t.participant.id} participant={t.participant} pinned={pinnedId === t.participant.id} onPin={togglePin} />
          ))}
        </div>
      ) : null}
      {!main.isLocal ? (
        <FloatingPanel label={t('stage.yourCamera')} initial={{ corner: 'bottom-right', width: 220, height: 124 }}>
          <VideoTile participant={snapshot.local} isLocal className="tile-self" />
        </FloatingPanel>
      ) : null}
    </div>
  );
}
