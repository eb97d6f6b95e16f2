import { Icon } from './icons.js';

const SHOWN = 8;

/** The first few names a dialog is about (each cut with its whole name as tooltip), and how many more there are. */
export function NameList({ items }: { items: ReadonlyArray<{ path: string; name: string; folder: boolean }> }) {
  return (
    <>
      <ul className="item-list">
        {items.slice(0, SHOWN).map((item) => (
          <li key={item.path}>
            <Icon name={item.folder ? 'folder' : 'file'} />
            <span className="item-name" title={item.path}>
              {item.name}
            </span>
          </li>
        ))}
      </ul>
      {/* Under the list, not in it: the list scrolls, and what it does not show must stay in sight. */}
      {items.length > SHOWN && <p className="item-list-more">and {items.length - SHOWN} more</p>}
    </>
  );
}
