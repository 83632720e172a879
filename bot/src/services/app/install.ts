import type { Member } from '../../domain/answer';
import type { Rkk, RkkRegistration } from '../../store';
import type { AppContext } from './context';

/** A team the app was added to: its channel, and where new threads start (the channel, as the edge's SDK refers to it). */
export type TeamInstall = RkkRegistration;

/** Journey 1: the app is added to a team, a chat, or removed again. */
export class Installations {
  constructor(private readonly app: AppContext) {}

  /** Registers (or refreshes) the team as an RKK; `greet` is true for the one caller that should welcome it. */
  async teamAdded(team: TeamInstall): Promise<{ rkk: Rkk; greet: boolean }> {
    const { store, clock } = this.app;
    const rkk = await store.rkks.register(team, clock.now());
    return { rkk, greet: await store.rkks.claimGreeting(rkk.id) };
  }

  /** After the welcome was posted (true) or failed (false: another install may try again). */
  async greeted(rkkId: string, posted: boolean): Promise<void> {
    if (posted) await this.app.store.rkks.markGreeted(rkkId);
    else await this.app.store.rkks.releaseGreeting(rkkId);
  }

  /** Remembers the member's personal chat (for their own messages later); true the first time. */
  async personalChat(member: Member, conversationRef: Record<string, unknown>): Promise<boolean> {
    return this.app.store.rkks.savePersonalChat(member.key, conversationRef, this.app.clock.now());
  }

  /** The app was removed: the RKK goes inactive, its questions, answers and comments stay. */
  async teamRemoved(teamId: string): Promise<boolean> {
    return this.app.store.rkks.deactivate(teamId, this.app.clock.now());
  }
}
