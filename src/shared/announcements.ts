import type { Redis } from 'ioredis';

export interface AnnouncementOptions {
  /** The connection announcements are published on; without it, there is no one to tell. */
  publisher?: Redis | undefined;
  /**
   * Told when an announcement could not be published. What it announces has committed, so the
   * call that made the change does not fail; the in-process caches that missed it must expire.
   */
  onPublishError?: ((err: unknown) => void) | undefined;
}

/**
 * Changes announced to every instance over one Redis pub/sub channel: what an instance changes,
 * the others drop from their in-process caches. Delivery is at most once (a reconnect loses what
 * was sent meanwhile), so a cache that listens also expires its entries.
 */
export class Announcements {
  private subscriber: Redis | undefined;

  constructor(
    private readonly channel: string,
    private readonly options: AnnouncementOptions,
  ) {}

  /** Hears the announcements of every instance, this one's included, on a connection of its own. */
  async listen(redis: Redis, hear: (message: string) => void): Promise<void> {
    this.subscriber = redis.duplicate();
    this.subscriber.on('error', () => {});
    this.subscriber.on('message', (_channel: string, message: string) => hear(message));
    await this.subscriber.subscribe(this.channel);
  }

  async publish(message: string): Promise<void> {
    if (!this.options.publisher) return;
    try {
      await this.options.publisher.publish(this.channel, message);
    } catch (err) {
      this.options.onPublishError?.(err);
    }
  }

  async close(): Promise<void> {
    if (this.subscriber) {
      this.subscriber.disconnect();
      this.subscriber = undefined;
    }
  }
}
