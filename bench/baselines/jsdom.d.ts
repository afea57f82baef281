// The little of jsdom the extraction baseline uses (jsdom ships no types and @types/jsdom is not installed).
declare module 'jsdom' {
  export class VirtualConsole {}
  export interface DOMWindow {
    document: unknown;
    close(): void;
  }
  export class JSDOM {
    constructor(html?: string, options?: { url?: string; virtualConsole?: VirtualConsole });
    readonly window: DOMWindow;
  }
}
