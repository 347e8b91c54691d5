import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n';
import { NavigationGuardContext } from '../router';
import { ConfirmDialog } from './ui';

/**
 * While `dirty`, asks before the user leaves by a link of the dashboard or by the browser's Back
 * and Forward (the page stays, its address restored, on Cancel), and lets the browser ask before
 * the tab is closed or reloaded, so unsaved edits are not lost by a stray click.
 */
export function LeaveGuard(props: { dirty: boolean }) {
  const { t } = useI18n();
  const guard = useContext(NavigationGuardContext);
  const [pending, setPending] = useState<{ proceed: () => void } | null>(null);
  // Once the user chose to leave, the edits no longer hold the page (until it is left).
  const released = useRef(false);
  const dirty = useRef(props.dirty);
  dirty.current = props.dirty && !released.current;
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!dirty.current) return;
      e.preventDefault();
    };
    const onClick = (e: MouseEvent) => {
      if (!dirty.current || e.defaultPrevented || e.button !== 0) return;
      if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const link = e.target instanceof Element ? e.target.closest('a[href^="#/"]') : null;
      const target = link?.getAttribute('href');
      if (!target || target === location.hash) return;
      e.preventDefault();
      e.stopPropagation();
      setPending({
        proceed: () => {
          location.hash = target;
        },
      });
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('click', onClick, true);
    const unblock = guard?.block(() =>
      dirty.current
        ? (_target, proceed) => {
            setPending({ proceed });
          }
        : null,
    );
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('click', onClick, true);
      unblock?.();
    };
  }, [guard]);
  return (
    <ConfirmDialog
      open={pending !== null}
      title={t('content.leave.title')}
      message={t('content.leave.message')}
      confirmLabel={t('content.leave.confirm')}
      danger
      onConfirm={() => {
        const leave = pending;
        setPending(null);
        released.current = true;
        dirty.current = false;
        leave?.proceed();
      }}
      onCancel={() => {
        setPending(null);
      }}
    />
  );
}
