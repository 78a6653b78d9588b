/*
The part of the browser's DOM that the page probes read. The project compiles
without lib "dom" (core and cli never run in a browser), so a function passed to
page.evaluate reaches the page's globals through these types:

  page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    …
  })

The cast disappears when the function is compiled, and the body runs in the page.
*/

interface PageNode {
  /** 3 for a text node. */
  readonly nodeType: number;
  readonly textContent: string | null;
}

interface PageElement extends PageNode {
  readonly dataset: Readonly<Record<string, string | undefined>>;
  readonly hidden: boolean;
  /** Buttons and form fields only. */
  readonly disabled?: boolean;
  readonly childNodes: ArrayLike<PageNode>;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}

export interface PageGlobals {
  readonly document: {
    getElementById(id: string): PageElement | null;
    querySelectorAll(selector: string): ArrayLike<PageElement>;
  };
  /** What the hostile-data test's payload would set, were it ever run. */
  readonly pwned?: unknown;
}
