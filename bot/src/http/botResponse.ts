/**
 * What botbuilder's CloudAdapter writes its answer to (it needs only status, header, send, end).
 * The route looks at the answer before anything reaches the client: botbuilder's own error bodies
 * carry exception text (a JWT library message, "missing activity type"), which a client never sees.
 */
export class BotResponse {
  statusCode = 200;
  body: unknown = undefined;
  readonly headers: Record<string, string> = {};
  /** Only used by botbuilder for streaming connections, which this route never is. */
  readonly socket: unknown = null;

  status(code: number): this {
    this.statusCode = code;
    return this;
  }

  header(name: string, value: unknown): this {
    this.headers[name] = String(value);
    return this;
  }

  send(body?: unknown): this {
    if (body !== undefined) this.body = body;
    return this;
  }

  end(): this {
    return this;
  }
}
