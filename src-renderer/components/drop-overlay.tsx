import { useEffect, useState } from 'react';
import { dragHasFiles, droppedUploads } from '../dom/dropped-files.js';
import { breadcrumbs } from '../store/vault-paths.js';
import { Icon } from './icons.js';
import { useVault, useVaultStore } from './store-context.js';

/**
 * Accepts files and folders dropped anywhere on the window: a full-window overlay shows while files are dragged
 * over it, and the drop uploads them into the open folder (folders walked, relative paths kept).
 */
export function DropOverlay() {
  const store = useVaultStore();
  const folder = useVault((s) => s.folder);
  const [active, setActive] = useState(false);

  useEffect(() => {
    // dragenter/dragleave fire for every child crossed; count them so the overlay does not flicker.
    let depth = 0;
    const accepting = () => store.getState().phase === 'signed-in' && store.getState().dialog === null;
    const enter = (event: DragEvent) => {
      if (!dragHasFiles(event)) return;
      event.preventDefault();
      depth += 1;
      setActive(accepting());
    };
    const over = (event: DragEvent) => {
      if (!dragHasFiles(event)) return;
      // Always prevent the default: otherwise the browser opens the dropped file in place of the app.
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = accepting() ? 'copy' : 'none';
      setActive(accepting());
    };
    const leave = (event: DragEvent) => {
      if (!dragHasFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0 || event.relatedTarget === null) {
        depth = 0;
        setActive(false);
      }
    };
    const drop = (event: DragEvent) => {
      if (!dragHasFiles(event) || !event.dataTransfer) return;
      event.preventDefault();
      depth = 0;
      setActive(false);
      if (!accepting()) return;
      droppedUploads(event.dataTransfer, store.getState().folder).then(
        ({ items, emptyFolders }) => store.getState().uploadItems(items, emptyFolders),
        (error: unknown) => store.getState().reportError(error, 'Could not read the dropped files'),
      );
    };
    const end = () => {
      depth = 0;
      setActive(false);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    window.addEventListener('dragend', end);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
      window.removeEventListener('dragend', end);
    };
  }, [store]);

  if (!active) return null;
  const where = breadcrumbs(folder).map((c) => c.name).join(' / ');
  return (
    <div className="drop-overlay" data-drop-overlay aria-hidden="true">
      <div className="drop-card">
        <Icon name="upload" className="drop-icon" />
        <p className="drop-title">Drop to upload</p>
        <p className="drop-where">into {where}</p>
      </div>
    </div>
  );
}
