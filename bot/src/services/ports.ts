import type { Card } from '../cards/render';
import type { Rkk } from '../store';

/** Time, injectable so schedules and retries are testable without waiting. */
export interface Clock { now(): Date }
export const systemClock: Clock = { now: () => new Date() };

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
export const systemTimers: Timers = {
  setTimeout: (fn, ms) => { const t = setTimeout(fn, ms); t.unref?.(); return t; },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** How the loop talks to a Teams channel; implemented in teams/ over the Bot Connector. */
export interface ChannelSender {
  /** Posts a card as a new thread in the RKK's channel. */
  startThread(rkk: Rkk, card: Card, summary: string): Promise<{ conversationId: string; messageId: string }>;
  replyInThread(rkk: Rkk, conversationId: string, card: Card, summary: string): Promise<{ messageId: string }>;
  updateMessage(rkk: Rkk, conversationId: string, messageId: string, card: Card, summary: string): Promise<void>;
  /**
   * A card in a member's personal chat: the chat the bot already has with them (`to.chat`), or one
   * it starts through an RKK's endpoint with their Teams or Entra id (the app must be installed for
   * them, personally or in a team they are in: Teams refuses otherwise, 403 or 404).
   */
  sendPersonal(to: PersonalTarget, card: Card, summary: string): Promise<{ conversationId: string; messageId: string }>;
  updatePersonal(to: PersonalTarget, conversationId: string, messageId: string, card: Card, summary: string): Promise<void>;
}

/** Who a personal message is for, and how to reach them. */
export interface PersonalTarget { chat: Record<string, unknown> | null; memberId: string; via: Rkk }

/** A failed send, classified: transient ones are retried (honouring Retry-After), others are not. */
export class SendError extends Error {
  constructor(message: string, readonly status: number | null, readonly retryAfterMs: number | null) {
    super(message);
    this.name = 'SendError';
  }
  /** Teams asks to retry 412, 429, 502, 503, 504; network errors (no status) are retried too. */
  get transient(): boolean {
    return this.status === null || [412, 429, 502, 503, 504].includes(this.status);
  }
}

/**
 * This instance and the ones alive with it (as the last heartbeat saw them), for claims on
 * shared work: a live instance's claim is left to it, a dead one's is taken over. On a store no
 * other process can use, `alive()` is this instance alone: whatever an earlier run left claimed is free,
 * and its own claims in flight stay its own.
 */
export interface Instances {
  readonly self: string;
  alive(): readonly string[];
}
