/**
 * The few browser types the code inside page.evaluate() uses. The project's tsconfig has no DOM lib (it
 * is a server), and adding it would change the types of the whole program, so the browser's globals are
 * reached through `globalThis as unknown as BrowserGlobals` inside those functions. Types only: nothing
 * here exists at run time.
 */
export interface DomElement {
  id: string;
  tagName: string;
  className: string;
  textContent: string | null;
  outerHTML: string;
  tabIndex: number;
  disabled?: boolean;
  value?: string;
  src?: string;
  classList: { contains(name: string): boolean };
  matches(selector: string): boolean;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement> & ArrayLike<DomElement>;
  append(...nodes: DomElement[]): void;
  getBoundingClientRect(): { left: number; right: number; width: number };
}

export interface SecurityPolicyViolation {
  violatedDirective: string;
  blockedURI: string;
  sourceFile: string;
  lineNumber: number;
}

export interface BrowserGlobals {
  document: {
    documentElement: DomElement & { scrollWidth: number };
    activeElement: DomElement | null;
    body: DomElement;
    title: string;
    querySelector(selector: string): DomElement | null;
    querySelectorAll(selector: string): Iterable<DomElement> & ArrayLike<DomElement>;
    createElement(tag: string): DomElement;
    addEventListener(type: 'securitypolicyviolation', listener: (e: SecurityPolicyViolation) => void): void;
  };
  /** Filled by an init script with the page's Content Security Policy violations. */
  __cspViolations?: string[];
  inlineRan?: boolean;
}
