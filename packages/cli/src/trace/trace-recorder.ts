import { AsyncLocalStorage } from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';
import {
  CredchainChannels,
  type ProviderProvideMessage,
  type RoleCacheMessage,
  type StsMessage,
} from '@credchain/core';
import type { TraceNode } from './trace-node';

/**
 * Records the spans of one resolution from credchain's diagnostics
 * channels — each link tried, the role calls and role cache answers made
 * inside it — as a tree under `root`. The links' work runs through the
 * messages' `bind`, so what happens inside a link lands under it.
 */
export class TraceRecorder {
  readonly root: TraceNode;
  readonly #current = new AsyncLocalStorage<TraceNode>();
  readonly #started = new WeakMap<object, { node: TraceNode; at: number }>();

  constructor(name: string) {
    this.root = { name, children: [] };
  }

  /** Runs `work` with the recorder subscribed; the root's time is the work's. */
  async record<R>(work: () => Promise<R>): Promise<R> {
    const provide = diagnosticsChannel.tracingChannel<unknown, ProviderProvideMessage>(
      CredchainChannels.providerProvide,
    );
    const noop = () => {};
    const handlers = {
      start: (message: ProviderProvideMessage) => this.#startLink(message),
      asyncEnd: (message: ProviderProvideMessage) => this.#endLink(message),
      end: noop,
      asyncStart: noop,
      error: noop,
    };
    const onSts = (raw: unknown) => {
      const message = raw as StsMessage;
      this.#add({
        name: `STS AssumeRole ${message.roleArn}`,
        outcome: message.outcome,
        ms: message.durationMs,
        children: [],
      });
    };
    const onRoleCache = (raw: unknown) => {
      const message = raw as RoleCacheMessage;
      this.#add({ name: `role cache ${message.key}…`, outcome: message.outcome, children: [] });
    };
    provide.subscribe(handlers);
    diagnosticsChannel.subscribe(CredchainChannels.sts, onSts);
    diagnosticsChannel.subscribe(CredchainChannels.roleCache, onRoleCache);
    const started = performance.now();
    try {
      return await this.#current.run(this.root, work);
    } finally {
      this.root.ms = performance.now() - started;
      provide.unsubscribe(handlers);
      diagnosticsChannel.unsubscribe(CredchainChannels.sts, onSts);
      diagnosticsChannel.unsubscribe(CredchainChannels.roleCache, onRoleCache);
    }
  }

  #add(node: TraceNode): void {
    (this.#current.getStore() ?? this.root).children.push(node);
  }

  #startLink(message: ProviderProvideMessage): void {
    // This trace is the credential chain's (the region chain runs apart).
    if (message.subject !== 'credentials') return;
    const node: TraceNode = { name: message.link, children: [] };
    this.#add(node);
    this.#started.set(message, { node, at: performance.now() });
    const previous = message.bind;
    const current = this.#current;
    message.bind = (<F extends (...args: never[]) => unknown>(fn: F): F => {
      const inner = previous ? previous(fn) : fn;
      return ((...args: never[]) => current.run(node, () => inner(...args))) as F;
    }) as ProviderProvideMessage['bind'];
  }

  #endLink(message: ProviderProvideMessage): void {
    const started = this.#started.get(message);
    if (started === undefined) return;
    started.node.outcome = message.outcome ?? 'failed';
    started.node.ms = performance.now() - started.at;
  }
}
