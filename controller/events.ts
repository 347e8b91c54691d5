import { EventEmitter } from 'node:events';

/** What the rest of the controller (player push, monitoring) learns from the core. */
export type DomainEvent =
  | {
      readonly type: 'release:published';
      readonly version: number;
      readonly hash: string;
      readonly atMs: number;
      readonly boardIds: readonly string[];
    }
  | {
      /**
       * Every bundle of a publish was handed to the connections of its online boards (the push
       * goes out a batch per turn of the event loop). The controller's own bookkeeping of a
       * publish (monitoring, regime jobs) waits for this, so as not to hold up the boards.
       */
      readonly type: 'release:delivered';
      readonly version: number;
      /** The publish's own `atMs`. */
      readonly publishedAtMs: number;
      readonly atMs: number;
    }
  | {
      readonly type: 'regime:changed';
      readonly atMs: number;
      readonly boardId: string;
      readonly planId: string;
      readonly releaseVersion: number;
      /** What now plays: `idle`, `a:<announcement>` or `s:<schedule>,<schedule>...`. */
      readonly winner: string;
    }
  | {
      /** Every board was blanked (or given back its content) by an approver. */
      readonly type: 'blank:changed';
      readonly blank: boolean;
      readonly atMs: number;
    };

export type DomainEventType = DomainEvent['type'];
export type DomainEventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;

/** A typed, synchronous event bus; one per controller instance. */
export class EventBus {
  private readonly emitter = new EventEmitter();

  /**
   * Listens for events of a type, after the listeners already there, or before them with
   * `first` (the player push: boards get a publish before the controller's own bookkeeping).
   */
  on<T extends DomainEventType>(
    type: T,
    listener: (event: DomainEventOf<T>) => void,
    options: { first?: boolean } = {},
  ): () => void {
    const wrapped = (event: DomainEventOf<T>) => {
      listener(event);
    };
    if (options.first === true) this.emitter.prependListener(type, wrapped);
    else this.emitter.on(type, wrapped);
    return () => this.emitter.off(type, wrapped);
  }

  emit(event: DomainEvent): void {
    this.emitter.emit(event.type, event);
  }
}
