import { useEffect, useRef, useState } from 'preact/hooks';
import type { BoardRenderer } from '../../../player/render/index';
import type { RenderItem } from '../../../player/render/types';
import { useI18n } from '../i18n';

/**
 * What a board of `width`×`height` pixels shows for `item`, drawn by the player's own renderer
 * (same fonts, layout and motion), scaled to fit its box.
 */
export function BoardPreview(props: {
  width: number;
  height: number;
  item: RenderItem | null;
  label: string;
  testId?: string;
}) {
  const { t } = useI18n();
  const host = useRef<HTMLDivElement>(null);
  const renderer = useRef<BoardRenderer | null>(null);
  const [ready, setReady] = useState(0);
  const [failed, setFailed] = useState<string | null>(null);
  const { width, height, item } = props;

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    let live = true;
    // pixi.js is large: it loads with the first preview, not with the dashboard.
    void import('../../../player/render/index')
      .then(({ BoardRenderer }) =>
        BoardRenderer.create(element, {
          width,
          height,
          now: () => Date.now(),
          onError: (error) => {
            setFailed(error instanceof Error ? error.message : String(error));
          },
        }),
      )
      .then((r) => {
        if (!live) {
          r.destroy();
          return;
        }
        renderer.current = r;
        setReady((n) => n + 1);
      })
      .catch((error: unknown) => {
        setFailed(error instanceof Error ? error.message : String(error));
      });
    return () => {
      live = false;
      renderer.current?.destroy();
      renderer.current = null;
    };
  }, [width, height]);

  useEffect(() => {
    const r = renderer.current;
    if (!r) return;
    setFailed(null);
    r.show(item ?? { kind: 'blank' }, Date.now());
  }, [ready, item]);

  return (
    <figure class="preview" data-testid={props.testId ?? 'board-preview'}>
      <div
        ref={host}
        class="preview-screen"
        style={{ aspectRatio: `${width} / ${height}` }}
        role="img"
        aria-label={props.label}
        data-preview-width={width}
        data-preview-height={height}
        data-preview-ready={ready > 0 ? 'true' : 'false'}
      />
      <figcaption>
        {t('unit.px', { w: width, h: height })}
        {failed ? <span class="preview-error"> — {failed}</span> : null}
      </figcaption>
    </figure>
  );
}
