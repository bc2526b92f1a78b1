import type { Request, Response } from 'express';
import type { AppEventType } from './app-events';

/** An event for the browser: its type and any properties the listeners read. */
export interface UpEvent {
  type: AppEventType;
  [property: string]: unknown;
}

/**
 * The Unpoly server protocol for one request: what the client asked for (X-Up-* request
 * headers) and how the server steers the client (X-Up-* response headers). Only the
 * ModalResultInterceptor uses it; handlers return a ModalResult instead.
 */
export class Unpoly {
  constructor(
    private readonly request: Request,
    private readonly response: Response,
  ) {}

  /** True when the request comes from Unpoly (a fragment update), false for a full page load. */
  get isUnpoly(): boolean {
    return Boolean(this.request.get('X-Up-Version'));
  }

  /** The mode of the targeted layer: root, modal, drawer, ... */
  get mode(): string | undefined {
    return this.request.get('X-Up-Mode');
  }

  /** True when the response will be shown in an overlay rather than the page itself. */
  get inOverlay(): boolean {
    return this.isUnpoly && this.mode !== undefined && this.mode !== 'root';
  }

  /** Emits the events on the client once the response is processed (X-Up-Events). */
  emit(events: readonly UpEvent[]): this {
    if (events.length) this.response.set('X-Up-Events', JSON.stringify(events));
    return this;
  }

  /** Closes the targeted overlay with an acceptance value (X-Up-Accept-Layer). */
  acceptLayer(value: unknown = null): this {
    this.response.set('X-Up-Accept-Layer', JSON.stringify(value));
    return this;
  }
}
