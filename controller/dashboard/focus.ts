/**
 * After a page change, puts keyboard focus on the page's title (`#page-title`), so a screen
 * reader says where the user is and Tab goes on from the top of the page, not from <body>.
 *
 * A page may draw its title only when its data has come, or draw it again in another place
 * (the loading branch and the loaded branch each have one): the focus follows the title until
 * the user puts it somewhere else. Returns the function that stops following.
 */
export function focusPageTitle(doc: Document, root: Node): () => void {
  // Where the focus was when the page changed (the link followed): it may still be taken.
  const before = doc.activeElement;
  let focused: HTMLElement | null = null;
  const movable = () => {
    const active = doc.activeElement;
    return active === null || active === doc.body || active === before || active === focused;
  };
  const follow = () => {
    const title = doc.getElementById('page-title');
    if (!title || title === focused) return;
    if (!movable()) {
      observer.disconnect();
      return;
    }
    title.focus();
    focused = title;
  };
  const observer = new MutationObserver(follow);
  observer.observe(root, { childList: true, subtree: true });
  follow();
  return () => {
    observer.disconnect();
  };
}
