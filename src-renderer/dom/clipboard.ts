/**
 * Copies `text` to the clipboard. The Clipboard API comes first; where it is refused (a page without the permission,
 * Electron's window, which grants no permissions) the text inside `element` is selected and copied as a selection,
 * which needs no permission during a click. Answers whether either worked; the text stays selected when neither
 * did, so Ctrl+C still copies it.
 */
export async function copyText(text: string, element: HTMLElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Fall through to copying a selection.
  }
  if (!element) return false;
  const selection = window.getSelection();
  if (!selection) return false;
  const range = document.createRange();
  range.selectNodeContents(element);
  selection.removeAllRanges();
  selection.addRange(range);
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}
