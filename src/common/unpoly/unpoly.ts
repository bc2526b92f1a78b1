import type { Request, Response } from 'express';

export interface UpEvent {
  type: string;
  [property: string]: unknown;
}

/**
 * The Unpoly server protocol for one request: what the client asked for (X-Up-* request
 * headers) and how the server steers the client (X-Up-* response headers).
 * See DESIGN.md, "The Unpoly modal protocol".
 */
export class Unpoly {
  private readonly events: UpEvent[] = [];

  constructor(
    private readonly request: Request,
    private readonly response: Response,
  ) {}

  /** True when the request comes from Unpoly (a fragment update), false for a full page load. */
  get isUnpoly(): boolean {
    return Boolean(this.request.get('X-Up-Version'));
  }

  get target(): string | undefined {
    return this.request.get('X-Up-Target');
  }

  /** The mode of the targeted layer: root, modal, drawer, ... */
  get mode(): string | undefined {
    return this.request.get('X-Up-Mode');
  }

  /** True when the response will be shown in an overlay rather than the page itself. */
  get inOverlay(): boolean {
    return this.isUnpoly && this.mode !== undefined && this.mode !== 'root';
  }

  /** The field names of an `up-validate` request, or undefined for a real submit. */
  get validating(): string | undefined {
    return this.request.get('X-Up-Validate');
  }

  /** Emits an event on the client once the response is processed (X-Up-Events). */
  emit(type: string, properties: Record<string, unknown> = {}): this {
    this.events.push({ type, ...properties });
    this.response.set('X-Up-Events', JSON.stringify(this.events));
    return this;
  }

  acceptLayer(value: unknown = null): this {
    this.response.set('X-Up-Accept-Layer', JSON.stringify(value));
    return this;
  }

  dismissLayer(value: unknown = null): this {
    this.response.set('X-Up-Dismiss-Layer', JSON.stringify(value));
    return this;
  }

  /**
   * Ends a successful submit. In an overlay: accept (close) it and emit the events so that the
   * page beneath refreshes what changed. Otherwise (a plain form, or a modal URL opened as a
   * page): 303 to the page that shows the result.
   */
  finish(redirectTo: string, ...eventTypes: string[]): void {
    for (const type of eventTypes) this.emit(type);
    if (this.inOverlay) {
      this.acceptLayer();
      this.response.status(200).end();
      return;
    }
    this.response.redirect(303, redirectTo);
  }
}
