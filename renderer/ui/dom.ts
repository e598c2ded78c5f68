/**
 * Tiny DOM helpers: `h(tag, props, ...children)` builds an element (props: class, `testid` → data-testid,
 * `style` (set through the CSSOM, which the CSP allows), attributes, `on*` listeners), `setText` writes only when the text changed (cheap to call on every update).
 */

type Child = Node | string | null | undefined | false;
type Props = Record<string, unknown>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2).toLowerCase(), v as EventListener);
    } else if (k === 'class') {
      el.className = String(v);
    } else if (k === 'style') {
      // Through the CSSOM: the strict CSP (style-src 'self') blocks style attributes but not el.style.
      el.style.cssText = String(v);
    } else if (k === 'testid') {
      el.dataset.testid = String(v);
    } else if (k in el && typeof v !== 'string') {
      (el as unknown as Record<string, unknown>)[k] = v;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/** Replaces all children. */
export function replaceChildren(el: Element, children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** A titled panel section. */
export function panel(title: string, testid: string | undefined, ...children: Child[]): HTMLElement {
  return h('section', { class: 'panel', testid }, h('h2', { class: 'panel-title' }, title), ...children);
}
