export const id = 90;
export const ids = [90];
export const modules = {

/***/ 69090:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  OpenAIRealtimeWS: () => (/* binding */ OpenAIRealtimeWS)
});

// EXTERNAL MODULE: ./node_modules/openai/core/error.mjs
var error = __webpack_require__(97922);
// EXTERNAL MODULE: ./node_modules/openai/internal/tslib.mjs
var tslib = __webpack_require__(69150);
;// CONCATENATED MODULE: ./node_modules/openai/core/EventEmitter.mjs
var _EventEmitter_instances, _EventEmitter_listeners, _EventEmitter_emittedListenerRegistrations, _EventEmitter_pendingListenerCleanup, _EventEmitter_listenerDispatchDepth, _EventEmitter_onceForEmitted, _EventEmitter_removeEmittedListener, _EventEmitter_cleanupEmittedListeners;

/** Registers strongly typed event listeners and awaits individual emitted events. */
class EventEmitter {
    constructor() {
        _EventEmitter_instances.add(this);
        _EventEmitter_listeners.set(this, Object.create(null));
        _EventEmitter_emittedListenerRegistrations.set(this, new WeakMap());
        _EventEmitter_pendingListenerCleanup.set(this, new Set());
        _EventEmitter_listenerDispatchDepth.set(this, 0);
    }
    /**
     * Adds the listener function to the end of the listeners array for the event.
     * No checks are made to see if the listener has already been added. Multiple calls passing
     * the same combination of event and listener will result in the listener being added, and
     * called, multiple times.
     * @returns this, so that calls can be chained
     */
    on(event, listener) {
        var _a;
        const listeners = ((_a = (0,tslib/* __classPrivateFieldGet */.gn)(this, _EventEmitter_listeners, "f"))[event] || (_a[event] = []));
        listeners.push({ listener });
        return this;
    }
    /**
     * Removes the specified listener from the listener array for the event.
     * off() will remove, at most, one instance of a listener from the listener array. If any single
     * listener has been added multiple times to the listener array for the specified event, then
     * off() must be called multiple times to remove each instance.
     * @returns this, so that calls can be chained
     */
    off(event, listener) {
        const listeners = (0,tslib/* __classPrivateFieldGet */.gn)(this, _EventEmitter_listeners, "f")[event];
        if (!listeners) {
            return this;
        }
        // SAFETY: Listener functions are object identities used as WeakMap keys; registration and removal use the same function instance.
        const emittedRegistration = (0,tslib/* __classPrivateFieldGet */.gn)(this, _EventEmitter_emittedListenerRegistrations, "f").get(listener);
        if (emittedRegistration?.event === event &&
            !emittedRegistration.registration.removed &&
            !emittedRegistration.registration.detached) {
            // SAFETY: The stored registration event was compared with this event above, preserving the event/listener type correlation.
            (0,tslib/* __classPrivateFieldGet */.gn)(this, _EventEmitter_instances, "m", _EventEmitter_removeEmittedListener).call(this, event, emittedRegistration.registration);
            return this;
        }
        const index = listeners.findIndex((registration) => !registration.removed && registration.listener === listener);
        if (index !== -1) {
            listeners.splice(index, 1);
        }
        return this;
    }
    /**
     * Adds a one-time listener function for the event. The next time the event is triggered,
     * this listener is removed and then invoked.
     * @returns this, so that calls can be chained
     */
    once(event, listener) {
        var _a;
        const listeners = ((_a = (0,tslib/* __classPrivateFieldGet */.gn)(this, _EventEmitter_listeners, "f"))[event] || (_a[event] = []));
        listeners.push({ listener, once: true });
        return this;
    }
    /**
     * This is similar to `.once()`, but returns a Promise that resolves the next time
     * the event is triggered, instead of calling a listener callback.
     * Events without arguments resolve to `undefined`, single-argument events resolve
     * to that argument, and events with multiple arguments resolve to an argument tuple.
     *
     * @returns A promise for the next event, or a rejection if an error occurs first.
     * Requesting the `error` event resolves with the emitted error instead.
     *
     * Example:
     *
     *   const message = await stream.emitted('message') // rejects if the stream errors
     */
    emitted(event) {
        return new Promise((resolve, reject) => {
            const listeners = {
                // oxlint-disable-next-line anti-slop/no-unknown-parameters -- Failures and rejection reasons can be arbitrary JavaScript values; preserve them until inspection or forwarding.
                onError: (error) => {
                    // SAFETY: This callback is paired with the same event when registered and removed; its variadic body forwards the event tuple or captured error.
                    this.off(event, listeners.onEvent);
                    reject(error);
                },
                onEvent: (...values) => {
                    if (event !== 'error') {
                        // SAFETY: This callback is paired with the same event when registered and removed; its variadic body forwards the event tuple or captured error.
                        this.off('error', listeners.onError);
                    }
                    // SAFETY: The emitted API returns the sole argument or the full tuple according to its existing EventTypes-dependent result contract.
                    resolve((values.length > 1 ? values : values[0]));
                },
            };
            if (event !== 'error') {
                // SAFETY: This callback is paired with the same event when registered and removed; its variadic body forwards the event tuple or captured error.
                (0,tslib/* __classPrivateFieldGet */.gn)(this, _EventEmitter_instances, "m", _EventEmitter_onceForEmitted).call(this, 'error', listeners.onError);
            }
            // SAFETY: This callback is paired with the same event when registered and removed; its variadic body forwards the event tuple or captured error.
            (0,tslib/* __classPrivateFieldGet */.gn)(this, _EventEmitter_instances, "m", _EventEmitter_onceForEmitted).call(this, event, listeners.onEvent);
        });
    }
    _emit(event, ...args) {
        const listeners = (0,tslib/* __classPrivateFieldGet */.gn)(this, _EventEmitter_listeners, "f")[event];
        if (listeners) {
            // SAFETY: Filtering only removes registrations from the same event bucket and preserves the listener signatures for that event.
            (0,tslib/* __classPrivateFieldGet */.gn)(this, _EventEmitter_listeners, "f")[event] = listeners.filter((listener) => {
                if (listener.once) {
                    listener.detached = true;
                }
                return !listener.once && !listener.removed;
            });
            let listenerThrew = false;
            let firstListenerError;
            (0,tslib/* __classPrivateFieldSet */.GG)(this, _EventEmitter_listenerDispatchDepth, (0,tslib/* __classPrivateFieldGet */.gn)(this, _EventEmitter_listenerDispatchDepth, "f") + 1, "f");
            try {
                // SAFETY: The listener bucket and argument tuple come from the same EventTypes key; this bridges TypeScript generic indexed-access correlation.
                for (const registration of listeners) {
                    if (!registration.removed) {
                        try {
                            const { listener } = registration;
                            // SAFETY: The listener bucket and argument tuple come from the same EventTypes key; this bridges TypeScript generic indexed-access correlation.
                            listener(...args);
                        }
                        catch (error) {
                            if (!listenerThrew) {
                                listenerThrew = true;
                                firstListenerError = error;
                            }
                        }
                    }
                }
            }
            finally {
                (0,tslib/* __classPrivateFieldSet */.GG)(this, _EventEmitter_listenerDispatchDepth, (0,tslib/* __classPrivateFieldGet */.gn)(this, _EventEmitter_listenerDispatchDepth, "f") - 1, "f");
                if ((0,tslib/* __classPrivateFieldGet */.gn)(this, _EventEmitter_listenerDispatchDepth, "f") === 0) {
                    (0,tslib/* __classPrivateFieldGet */.gn)(this, _EventEmitter_instances, "m", _EventEmitter_cleanupEmittedListeners).call(this);
                }
            }
            if (listenerThrew) {
                throw firstListenerError;
            }
        }
    }
    _hasListener(event) {
        const listeners = (0,tslib/* __classPrivateFieldGet */.gn)(this, _EventEmitter_listeners, "f")[event];
        return listeners && listeners.some((listener) => !listener.removed);
    }
}
_EventEmitter_listeners = new WeakMap(), _EventEmitter_emittedListenerRegistrations = new WeakMap(), _EventEmitter_pendingListenerCleanup = new WeakMap(), _EventEmitter_listenerDispatchDepth = new WeakMap(), _EventEmitter_instances = new WeakSet(), _EventEmitter_onceForEmitted = function _EventEmitter_onceForEmitted(event, listener) {
    const previousListeners = (0,tslib/* __classPrivateFieldGet */.gn)(this, _EventEmitter_listeners, "f")[event];
    const previousLength = previousListeners?.length ?? 0;
    this.once(event, listener);
    const listeners = (0,tslib/* __classPrivateFieldGet */.gn)(this, _EventEmitter_listeners, "f")[event];
    const [registration] = listeners?.slice(-1) ?? [];
    if ((previousListeners === undefined || listeners === previousListeners) &&
        listeners?.length === previousLength + 1 &&
        registration?.listener === listener &&
        registration.once) {
        // SAFETY: Listener functions are object identities used as WeakMap keys; registration and removal use the same function instance.
        (0,tslib/* __classPrivateFieldGet */.gn)(this, _EventEmitter_emittedListenerRegistrations, "f").set(listener, { event, registration });
    }
}, _EventEmitter_removeEmittedListener = function _EventEmitter_removeEmittedListener(event, registration) {
    if (registration.removed) {
        return;
    }
    registration.removed = true;
    // SAFETY: Listener functions are object identities used as WeakMap keys; registration and removal use the same function instance.
    (0,tslib/* __classPrivateFieldGet */.gn)(this, _EventEmitter_emittedListenerRegistrations, "f").delete(registration.listener);
    (0,tslib/* __classPrivateFieldGet */.gn)(this, _EventEmitter_pendingListenerCleanup, "f").add(event);
    if ((0,tslib/* __classPrivateFieldGet */.gn)(this, _EventEmitter_listenerDispatchDepth, "f") === 0) {
        (0,tslib/* __classPrivateFieldGet */.gn)(this, _EventEmitter_instances, "m", _EventEmitter_cleanupEmittedListeners).call(this);
    }
}, _EventEmitter_cleanupEmittedListeners = function _EventEmitter_cleanupEmittedListeners() {
    for (const event of (0,tslib/* __classPrivateFieldGet */.gn)(this, _EventEmitter_pendingListenerCleanup, "f")) {
        // SAFETY: Pending cleanup keys are added only from registered EventTypes events; the key retains its event-map membership.
        const eventType = event;
        const listeners = (0,tslib/* __classPrivateFieldGet */.gn)(this, _EventEmitter_listeners, "f")[eventType];
        if (listeners) {
            // SAFETY: Filtering only removes registrations from the same event bucket and preserves the listener signatures for that event.
            (0,tslib/* __classPrivateFieldGet */.gn)(this, _EventEmitter_listeners, "f")[eventType] = listeners.filter((listener) => !listener.removed);
        }
    }
    (0,tslib/* __classPrivateFieldGet */.gn)(this, _EventEmitter_pendingListenerCleanup, "f").clear();
};
/**
 * An EventEmitter variant that exposes `_emit()` publicly.
 *
 * The base {@link EventEmitter} keeps `_emit` protected so that consumers
 * can only listen, not dispatch. When you need a separate emitter instance
 * that your own code can emit on, without exposing emit on the
 * consumer-facing emitter, use this class.
 */
class InternalEventEmitter extends EventEmitter {
    /** Dispatches a named event to its currently registered listeners. */
    _emit(event, ...args) {
        super._emit(event, ...args);
    }
}
//# sourceMappingURL=EventEmitter.mjs.map
// EXTERNAL MODULE: ./node_modules/openai/internal/utils/sleep.mjs
var sleep = __webpack_require__(60361);
;// CONCATENATED MODULE: ./node_modules/openai/internal/ws-adapter.mjs
/** Standard WebSocket readyState values (RFC 6455). */
const ReadyState = {
    /** The connection has been created but is not ready to send messages. */
    CONNECTING: 0,
    /** The connection is established and ready to send messages. */
    OPEN: 1,
    /** The closing handshake has started but is not complete. */
    CLOSING: 2,
    /** The connection is closed or could not be established. */
    CLOSED: 3,
};
//# sourceMappingURL=ws-adapter.mjs.map
// EXTERNAL MODULE: ./node_modules/openai/internal/ws.mjs
var internal_ws = __webpack_require__(78916);
;// CONCATENATED MODULE: ./node_modules/openai/internal/ws-connection.mjs



/** Sends or queues an application event using the existing connection state. */
function sendWebSocketEvent(owner, event, queue, isReconnecting, onError) {
    if (!owner.socket) {
        throw new error/* OpenAIError */.vc('Internal error: failed to initialize socket. Please report this issue.');
    }
    if (isReconnecting() ||
        owner.socket.readyState === ReadyState.CONNECTING ||
        (owner.socket.readyState === ReadyState.OPEN && queue.isFlushing)) {
        let enqueued;
        try {
            enqueued = queue.enqueue(event);
        }
        catch (error) {
            onError('could not send data', error);
            return;
        }
        if (!enqueued) {
            onError('send queue is full, message discarded');
        }
        return;
    }
    if (owner.socket.readyState !== ReadyState.OPEN) {
        onError('cannot send on a closed WebSocket');
        return;
    }
    try {
        owner.socket.send(JSON.stringify(event));
    }
    catch (error) {
        onError('could not send data', error);
    }
}
/** Sends or snapshots a raw frame using the same admission rules as application events. */
function sendRawWebSocketData(owner, data, queue, isReconnecting, onError) {
    if (!owner.socket) {
        throw new error/* OpenAIError */.vc('Internal error: failed to initialize socket. Please report this issue.');
    }
    if (isReconnecting() ||
        owner.socket.readyState === ReadyState.CONNECTING ||
        (owner.socket.readyState === ReadyState.OPEN && queue.isFlushing)) {
        let enqueued;
        try {
            enqueued = queue.enqueueRaw(data);
        }
        catch (error) {
            onError('could not send data', error);
            return;
        }
        if (!enqueued) {
            onError('send queue is full, message discarded');
        }
        return;
    }
    if (owner.socket.readyState !== ReadyState.OPEN) {
        onError('cannot send on a closed WebSocket');
        return;
    }
    try {
        owner.socket.send((0,internal_ws/* flattenRawData */.Vy)(data));
    }
    catch (error) {
        onError('could not send data', error);
    }
}
/** Flushes queued frames with the caller's existing failed-send policy. */
function flushWebSocketSendQueue(owner, queue, onError, options) {
    if (!owner.socket) {
        throw new error/* OpenAIError */.vc('Internal error: failed to initialize socket. Please report this issue.');
    }
    try {
        queue.flush((data) => owner.socket.send((0,internal_ws/* flattenRawData */.Vy)(data)), {
            ...options,
            // A close during send must leave the unattempted tail for the next physical socket.
            canSend: () => owner.socket.readyState === ReadyState.OPEN,
        });
    }
    catch (error) {
        onError('could not send queued data', error);
        return false;
    }
    return true;
}
/** Resolves when the socket opens, or rejects if it errors or closes first. */
function waitForWebSocketOpen(socket) {
    // oxlint-disable-next-line promise/avoid-new -- Convert the existing socket event callbacks into the connection attempt's promise.
    return new Promise((resolve, reject) => {
        /* oxlint-disable eslint/no-use-before-define -- All mutually dependent callbacks are initialized before socket listeners are registered. */
        const cleanup = () => {
            socket.off('open', onOpen);
            socket.off('error', onError);
            socket.off('close', onFail);
        };
        /* oxlint-enable eslint/no-use-before-define */
        const onOpen = () => {
            cleanup();
            resolve();
        };
        const onError = (error) => {
            cleanup();
            reject(error);
        };
        const onFail = () => {
            cleanup();
            reject(new Error('socket closed before open'));
        };
        socket.once('open', onOpen);
        socket.once('error', onError);
        socket.once('close', onFail);
    });
}
//# sourceMappingURL=ws-connection.mjs.map
;// CONCATENATED MODULE: ./node_modules/openai/internal/ws-connection-controller.mjs






/** Shared connection lifecycle; public fields and event listeners remain on the binding. */
class WebSocketConnection {
    constructor(owner, hooks, options) {
        this._isReconnecting = false;
        this._intentionallyClosed = false;
        this._closeCode = 1000;
        this._closeReason = 'OK';
        this._lastCloseCode = 1006;
        this._lastCloseReason = '';
        // Necessary to keep the public event interface clean while we manage reconnecting
        this._internalEvents = new InternalEventEmitter();
        this._retryCount = 0;
        this._permanentClosed = false;
        this._backoff = new AbortController();
        this._owner = owner;
        this._hooks = hooks;
        this._reconnectOptions = options?.reconnect ?? null;
        this._sendQueue = new internal_ws/* SendQueue */.W7(options?.maxQueueSize ?? (hooks.manualQueue ? 0 : undefined), !hooks.manualQueue);
    }
    /** Whether the logical connection has emitted its terminal close. */
    get isClosed() {
        return this._permanentClosed;
    }
    takePending() {
        return this._sendQueue.drain();
    }
    flushPending() {
        if (this._intentionallyClosed ||
            this._permanentClosed ||
            this._isReconnecting ||
            this._owner.socket.readyState !== ReadyState.OPEN) {
            this._hooks.onError('cannot flush before the WebSocket is open');
            return;
        }
        this._flushSendQueue(true);
    }
    _hasAutomaticBacklog() {
        return (!this._hooks.manualQueue &&
            !this._isReconnecting &&
            this._sendQueue.hasPending &&
            !this._sendQueue.isFlushing &&
            this._owner.socket.readyState === ReadyState.OPEN);
    }
    send(event) {
        if (this._permanentClosed || (this._hooks.manualQueue && this._intentionallyClosed)) {
            this._hooks.onError('cannot send on a closed WebSocket');
            return;
        }
        if (this._hooks.manualQueue) {
            if (this._isReconnecting) {
                let accepted;
                try {
                    accepted = this._sendQueue.enqueue(event);
                }
                catch (error) {
                    this._hooks.onError('could not send data', error);
                    return;
                }
                if (!accepted) {
                    this._hooks.onError('send queue is full, message discarded');
                }
                return;
            }
            if (this._owner.socket.readyState === ReadyState.CONNECTING) {
                this._hooks.onError('cannot send before the WebSocket is open');
                return;
            }
        }
        const flushBacklog = this._hasAutomaticBacklog();
        sendWebSocketEvent(this._owner, event, this._sendQueue, () => this._isReconnecting || flushBacklog, (message, cause) => this._hooks.onError(message, cause));
        if (flushBacklog && this._hasAutomaticBacklog()) {
            this._flushSendQueue();
        }
    }
    sendRaw(data) {
        if (this._permanentClosed || (this._hooks.manualQueue && this._intentionallyClosed)) {
            this._hooks.onError('cannot send on a closed WebSocket');
            return;
        }
        if (this._hooks.manualQueue &&
            !this._isReconnecting &&
            this._owner.socket.readyState === ReadyState.CONNECTING) {
            this._hooks.onError('cannot send before the WebSocket is open');
            return;
        }
        const flushBacklog = this._hasAutomaticBacklog();
        sendRawWebSocketData(this._owner, data, this._sendQueue, () => this._isReconnecting || flushBacklog, (message, cause) => this._hooks.onError(message, cause));
        if (flushBacklog && this._hasAutomaticBacklog()) {
            this._flushSendQueue();
        }
    }
    close(props) {
        if (!this._owner.socket) {
            throw new error/* OpenAIError */.vc('Internal error: failed to initialize socket. Please report this issue.');
        }
        this._intentionallyClosed = true;
        this._closeCode = props?.code ?? 1000;
        this._closeReason = props?.reason ?? 'OK';
        this._cancelRefresh?.();
        this._backoff.abort();
        try {
            this._owner.socket.close(this._closeCode, this._closeReason);
        }
        catch (error) {
            try {
                this._hooks.onError('could not close the connection', error);
            }
            finally {
                if (this._hooks.manualQueue) {
                    try {
                        const { socket } = this._owner;
                        if (socket.terminate) {
                            socket.terminate();
                        }
                        else {
                            socket.close();
                        }
                    }
                    finally {
                        this._emitPermanentClose(this._closeCode, this._closeReason);
                    }
                }
            }
        }
    }
    iterate(options) {
        if (!this._owner.socket) {
            throw new error/* OpenAIError */.vc('Internal error: failed to initialize socket. Please report this issue.');
        }
        const maxBufferedEvents = (0,internal_ws/* getMaxBufferedEvents */.HL)(options);
        // Two-queue async iterator: `queue` buffers incoming messages,
        // `resolvers` buffers waiting next() calls. A push wakes the
        // oldest next(); a next() drains the oldest message.
        const queue = [];
        const resolvers = [];
        let queueHead = 0;
        let resolverHead = 0;
        let done = false;
        let failure;
        let currentSocket = this._owner.socket;
        const wakeResolver = () => {
            if (resolverHead >= resolvers.length) {
                return;
            }
            const resolver = resolvers[resolverHead];
            resolvers[resolverHead] = undefined;
            resolverHead += 1;
            if (resolverHead >= 64 && resolverHead * 2 >= resolvers.length) {
                resolvers.splice(0, resolverHead);
                resolverHead = 0;
            }
            resolver?.();
        };
        /* oxlint-disable eslint/no-use-before-define -- These mutually dependent callbacks are initialized before any listener is registered. */
        const push = (msg) => {
            if (done) {
                return;
            }
            if (maxBufferedEvents !== undefined && queue.length - queueHead >= maxBufferedEvents) {
                failure = this._hooks.createError(`WebSocket stream exceeded maxBufferedEvents (${maxBufferedEvents})`);
                done = true;
                queue.length = 0;
                queueHead = 0;
                cleanup();
                flushResolvers();
                return;
            }
            queue.push(msg);
            wakeResolver();
        };
        const onEvent = (event) => {
            // Protocol errors are handled by onEmitterError.
            if (this._hooks.isErrorEvent(event)) {
                return;
            }
            push({ type: 'message', message: event });
        };
        const onRaw = (data) => {
            push({ type: 'raw', data });
        };
        // All errors (API + socket) funnel through _onError → 'error' event
        const onEmitterError = (err) => {
            push({ type: 'error', error: err });
        };
        const onOpen = () => {
            push({ type: 'open' });
        };
        const onReconnecting = (evt) => {
            push({ type: 'reconnecting', reconnect: evt });
        };
        const onReconnected = () => {
            push({ type: 'reconnected' });
        };
        const flushResolvers = () => {
            while (resolverHead < resolvers.length) {
                const resolver = resolvers[resolverHead];
                resolvers[resolverHead] = undefined;
                resolverHead += 1;
                resolver?.();
            }
            resolvers.length = 0;
            resolverHead = 0;
        };
        const onClose = (code, reason, unsent) => {
            push({ type: 'close', code, reason, unsent });
            done = true;
            flushResolvers();
            cleanup();
        };
        const onSocketSwap = (_oldSocket, newSocket) => {
            if (currentSocket === newSocket) {
                return;
            }
            currentSocket.off('open', onOpen);
            newSocket.on('open', onOpen);
            currentSocket = newSocket;
        };
        const cleanup = () => {
            this._hooks.unsubscribe(onEvent, onRaw, onEmitterError);
            currentSocket.off('open', onOpen);
            this._internalEvents.off('close', onClose);
            this._internalEvents.off('socketSwap', onSocketSwap);
            this._internalEvents.off('reconnecting', onReconnecting);
            this._internalEvents.off('reconnected', onReconnected);
        };
        /* oxlint-enable eslint/no-use-before-define */
        this._hooks.subscribe(onEvent, onRaw, onEmitterError);
        this._owner.socket.on('open', onOpen);
        this._internalEvents.on('close', onClose);
        this._internalEvents.on('socketSwap', onSocketSwap);
        this._internalEvents.on('reconnecting', onReconnecting);
        this._internalEvents.on('reconnected', onReconnected);
        // Overridden registration hooks may have terminated the iterator before setup finished.
        if (done) {
            cleanup();
        }
        if (this._isReconnecting) {
            // A reconnect is already in flight. The socket may be CLOSED but the
            // instance is still alive. Emit 'reconnecting' so the iterator stays
            // open and receives the upcoming reconnected/message events.
            push({
                type: 'reconnecting',
                reconnect: { attempt: 0, maxAttempts: 0, delay: 0, closeCode: 0, parameters: undefined },
            });
        }
        else {
            switch (this._owner.socket.readyState) {
                case ReadyState.CONNECTING: {
                    push({ type: 'connecting' });
                    break;
                }
                case ReadyState.OPEN: {
                    push({ type: 'open' });
                    break;
                }
                case ReadyState.CLOSING: {
                    push({ type: 'closing' });
                    break;
                }
                case ReadyState.CLOSED: {
                    push({
                        type: 'close',
                        code: this._lastCloseCode,
                        reason: this._lastCloseReason,
                        unsent: this._sendQueue.drain(),
                    });
                    done = true;
                    cleanup();
                    break;
                }
                default: {
                    break;
                }
            }
        }
        const tryResolve = (res, reject) => {
            if (failure) {
                reject(failure);
            }
            else if (queueHead < queue.length) {
                // oxlint-disable-next-line typescript/no-non-null-assertion -- Only consumed queue slots are cleared; the length guard proves this slot is populated.
                const queued = queue[queueHead];
                queue[queueHead] = undefined;
                queueHead += 1;
                if (queueHead >= 64 && queueHead * 2 >= queue.length) {
                    queue.splice(0, queueHead);
                    queueHead = 0;
                }
                res({ value: queued, done: false });
            }
            else if (done) {
                res({ value: undefined, done: true });
            }
            else {
                return false;
            }
            return true;
        };
        const next = () => 
        // oxlint-disable-next-line promise/avoid-new -- Each next() waits for the socket callbacks to produce a record or close.
        new Promise((resolve, reject) => {
            if (tryResolve(resolve, reject)) {
                return;
            }
            resolvers.push(() => {
                tryResolve(resolve, reject);
            });
        });
        return {
            next,
            return: () => {
                done = true;
                queue.length = 0;
                queueHead = 0;
                cleanup();
                flushResolvers();
                return Promise.resolve({ value: undefined, done: true });
            },
            [Symbol.asyncIterator]() {
                return this;
            },
        };
    }
    connect(createSocket = (url) => this._hooks.createSocket(url), url = this._hooks.buildURL()) {
        this._owner.url = url;
        const socket = createSocket(this._owner.url);
        socket.on('message', (data, isBinary) => {
            if (socket === this._owner.socket) {
                this._hooks.onMessage(data, isBinary);
            }
        });
        socket.on('error', (err) => {
            if (socket !== this._owner.socket) {
                return;
            }
            this._hooks.onSocketError?.(socket, err);
            // Suppress transient errors during reconnection — the retry loop
            // already handles them and will surface a close if retries exhaust.
            if (this._isReconnecting) {
                return;
            }
            this._hooks.onError(err.message, err);
        });
        socket.on('open', () => {
            if (socket !== this._owner.socket) {
                return;
            }
            // Recovery owns the flush until the replacement has passed its retry attempt.
            if (!this._isReconnecting) {
                this._flushSendQueue();
            }
        });
        socket.on('close', (code, reason) => {
            // Ignore close events from superseded sockets — a stale socket's
            // late close must not kick off a second reconnect loop.
            if (socket !== this._owner.socket) {
                return;
            }
            if (!this._intentionallyClosed && this._canReconnect(code)) {
                this._reconnect(code);
            }
            else if (!this._isReconnecting) {
                this._emitPermanentClose(code, reason);
            }
        });
        return socket;
    }
    // Reconnect is opt-in via onReconnecting so callers can pass
    // state (e.g. session IDs) into the new connection.
    _canReconnect(code) {
        if (this._intentionallyClosed || this._permanentClosed) {
            return false;
        }
        if (!this._reconnectOptions) {
            return false;
        }
        if (this._reconnectOptions.maxRetries === 0) {
            return false;
        }
        if (!this._reconnectOptions.onReconnecting) {
            return false;
        }
        return this._hooks.shouldReconnect?.(code) ?? (0,internal_ws/* isRecoverableClose */.t_)(code);
    }
    _reportReconnectFailure(message, cause) {
        // Preserve the legacy automatic-queue clients' reconnect error contract.
        this._hooks.onError(message, this._hooks.manualQueue ? cause : undefined);
    }
    _abortReconnect(closeCode, cause) {
        if (this._canReconnect(closeCode)) {
            return false;
        }
        this._isReconnecting = false;
        try {
            if (!this._intentionallyClosed && !this._permanentClosed) {
                this._reportReconnectFailure(`WebSocket reconnect aborted: non-recoverable close code ${closeCode}`, cause);
            }
        }
        finally {
            this._emitPermanentClose(this._intentionallyClosed ? this._closeCode : closeCode, this._intentionallyClosed ? this._closeReason : 'reconnect aborted');
        }
        return true;
    }
    _notifyReconnecting(options, initialEvent) {
        let reconnectingEvent = initialEvent;
        const { closeCode } = initialEvent;
        let overrides;
        try {
            overrides = options.onReconnecting(reconnectingEvent);
        }
        catch (error) {
            this._isReconnecting = false;
            try {
                this._hooks.onError('onReconnecting callback threw', error);
            }
            finally {
                this._emitPermanentClose(closeCode, 'onReconnecting callback threw');
            }
            return false;
        }
        if (overrides && 'abort' in overrides && overrides.abort) {
            this._isReconnecting = false;
            this._emitPermanentClose(closeCode, 'reconnect aborted by handler');
            return false;
        }
        if (overrides && 'parameters' in overrides) {
            this._hooks.parameters = overrides.parameters;
            reconnectingEvent = { ...reconnectingEvent, parameters: this._hooks.parameters };
        }
        try {
            this._hooks.emitReconnecting(reconnectingEvent);
        }
        catch (error) {
            if (this._hooks.manualQueue) {
                this._isReconnecting = false;
                try {
                    this._hooks.onError('onReconnecting callback threw', error);
                }
                finally {
                    this._emitPermanentClose(closeCode, 'onReconnecting callback threw');
                }
                return false;
            }
            try {
                this._hooks.onError('onReconnecting callback threw', error);
            }
            catch (reportingError) {
                this._isReconnecting = false;
                try {
                    this._emitPermanentClose(closeCode, 'onReconnecting callback threw');
                }
                catch {
                    // Keep the reporting failure if a later close observer also throws.
                }
                throw reportingError;
            }
        }
        this._internalEvents._emit('reconnecting', reconnectingEvent);
        return true;
    }
    _hasRetryBudget(attempt, maximum) {
        return attempt <= maximum && (!this._hooks.lifetimeRetries || this._retryCount < maximum);
    }
    _nextRetryAttempt(attempt) {
        this._retryCount += 1;
        return this._hooks.lifetimeRetries ? this._retryCount : attempt;
    }
    // oxlint-disable-next-line eslint/complexity -- One retry loop must own opening, flushing, and actual close codes without catching public observer errors as transport failures.
    async _reconnect(initialCloseCode) {
        let closeCode = initialCloseCode;
        if (!this._owner.socket) {
            throw new error/* OpenAIError */.vc('Internal error: failed to initialize socket. Please report this issue.');
        }
        if (this._isReconnecting || !this._reconnectOptions) {
            return;
        }
        this._isReconnecting = true;
        const maxRetries = this._reconnectOptions.maxRetries ?? 5;
        const initialDelay = this._reconnectOptions.initialDelay ?? 500;
        const maxDelay = this._reconnectOptions.maxDelay ?? 8000;
        let lastError;
        /* oxlint-disable eslint/no-await-in-loop -- Reconnect attempts and their credential refresh must run sequentially. */
        for (let attempt = 1; this._hasRetryBudget(attempt, maxRetries); attempt += 1) {
            const reportedAttempt = this._nextRetryAttempt(attempt);
            if (this._abortReconnect(closeCode, lastError)) {
                return;
            }
            const baseDelay = Math.min(initialDelay * 2 ** (attempt - 1), maxDelay);
            // Jitter: rand [0.75, 1.0] to spread out connection attempts without over-delaying
            const jitter = 0.75 + Math.random() * 0.25;
            const actualDelay = Math.round(baseDelay * jitter);
            const reconnectingEvent = {
                attempt: reportedAttempt,
                maxAttempts: maxRetries,
                delay: actualDelay,
                closeCode,
                parameters: this._hooks.parameters ? { ...this._hooks.parameters } : undefined,
            };
            if (!this._notifyReconnecting(this._reconnectOptions, reconnectingEvent)) {
                return;
            }
            if (this._abortReconnect(closeCode, lastError)) {
                return;
            }
            try {
                await (0,sleep/* sleep */.y)(actualDelay, this._backoff.signal);
            }
            catch {
                this._abortReconnect(closeCode, lastError);
                return;
            }
            if (this._abortReconnect(closeCode, lastError)) {
                return;
            }
            let closeCodePromise;
            const oldSocket = this._owner.socket;
            try {
                if (this._hooks.prepareReconnectSocket) {
                    const url = this._hooks.buildURL();
                    // oxlint-disable-next-line promise/avoid-new -- Public close cancels the pending credential refresh through this callback.
                    const canceled = new Promise((resolve) => {
                        // oxlint-disable-next-line unicorn/no-useless-undefined -- Promise<undefined> requires an explicit value in TypeScript.
                        this._cancelRefresh = () => resolve(undefined);
                    });
                    let createSocket;
                    try {
                        createSocket = await Promise.race([this._hooks.prepareReconnectSocket(), canceled]);
                    }
                    finally {
                        this._cancelRefresh = undefined;
                    }
                    if (!this._canReconnect(closeCode)) {
                        this._isReconnecting = false;
                        this._emitPermanentClose(this._closeCode, this._closeReason);
                        return;
                    }
                    this._owner.socket = this.connect(createSocket, url);
                }
                else {
                    this._owner.socket = this.connect();
                }
                // Registered synchronously after _connect() and before any
                // await so the code is captured even when ws emits 'close'
                // in the same tick as 'error' (e.g. abortHandshake).
                // oxlint-disable-next-line promise/avoid-new -- Capture close before awaiting open, including synchronous error/close pairs.
                closeCodePromise = new Promise((resolve) => {
                    this._owner.socket.once('close', resolve);
                });
                await waitForWebSocketOpen(this._owner.socket);
            }
            catch (error) {
                if (this._intentionallyClosed) {
                    // A public close observer may have thrown after lifecycle cleanup.
                    // Only emit here if the reconnect itself had not already closed.
                    if (this._isReconnecting) {
                        this._isReconnecting = false;
                        this._emitPermanentClose(this._closeCode, this._closeReason);
                    }
                    return;
                }
                lastError = error;
                if (closeCodePromise) {
                    // ws may emit 'error' before 'close', so await the code
                    // rather than reading it synchronously.
                    closeCode = await closeCodePromise;
                }
                continue;
            }
            this._internalEvents._emit('socketSwap', oldSocket, this._owner.socket);
            let flushed;
            try {
                flushed = this._flushSendQueue();
            }
            catch (observerError) {
                // Flush reports send failures itself. A throwing observer aborts this recovery;
                // keep the original observer error while closing and exposing unattempted frames.
                try {
                    this._owner.socket.close();
                }
                catch {
                    // The permanent-close guard still blocks sends if physical disposal failed.
                }
                this._isReconnecting = false;
                try {
                    this._emitPermanentClose(this._intentionallyClosed ? this._closeCode : closeCode, this._intentionallyClosed ? this._closeReason : 'reconnect interrupted by error observer');
                }
                catch {
                    // A later close observer must not replace the original error observer failure.
                }
                throw observerError;
            }
            if (this._owner.socket.readyState !== ReadyState.OPEN) {
                // Capture a real peer/explicit close, including a send that closed without throwing.
                // Do not let our later disposal of an open, failed-write socket replace this code.
                closeCode = await closeCodePromise;
                if (this._abortReconnect(closeCode, lastError)) {
                    return;
                }
                continue;
            }
            if (!flushed) {
                try {
                    this._owner.socket.close();
                }
                catch {
                    // A failed replacement must not obscure the original write failure or retain its retry slot.
                }
                continue;
            }
            this._isReconnecting = false;
            try {
                this._hooks.emitReconnected();
            }
            finally {
                this._internalEvents._emit('reconnected');
            }
            return;
        }
        /* oxlint-enable eslint/no-await-in-loop */
        // All retries exhausted — surface an error so consumers can
        // distinguish retry failure from a clean close.
        this._isReconnecting = false;
        try {
            this._reportReconnectFailure(`WebSocket reconnect failed after ${maxRetries} attempts (close code: ${closeCode})`, lastError);
        }
        finally {
            this._emitPermanentClose(closeCode, `reconnect failed after ${maxRetries} attempts`);
        }
    }
    _flushSendQueue(explicit = false) {
        if (this._hooks.manualQueue && !explicit) {
            return true;
        }
        return flushWebSocketSendQueue(this._owner, this._sendQueue, (message, cause) => this._hooks.onError(message, cause), this._hooks.requeueFailed === undefined ? undefined : { requeueFailed: this._hooks.requeueFailed });
    }
    /**
     * Emits the public `close` event with unsent messages and the internal
     * `close` event used by the async iterator.
     */
    _emitPermanentClose(code, reason) {
        if (this._permanentClosed) {
            return;
        }
        this._permanentClosed = true;
        this._lastCloseCode = code;
        this._lastCloseReason = reason;
        const unsent = this._sendQueue.drain();
        // Internal close fires first so the async iterator is guaranteed to
        // terminate even if a public 'close' listener throws.
        this._internalEvents._emit('close', code, reason, unsent);
        this._hooks.emitClose(code, reason, unsent);
    }
}
//# sourceMappingURL=ws-connection-controller.mjs.map
;// CONCATENATED MODULE: ./node_modules/openai/internal/realtime-recovery.mjs


const MAX_TIMER_DELAY_MS = 2147483647;
/** Validate opt-in settings before opening a socket. */
function validateRealtimeRecovery(options, url) {
    if (options.reconnect && (url?.searchParams.has('intent') || url?.searchParams.has('call_id'))) {
        throw new Error('Automatic Realtime recovery requires a model session');
    }
    const delays = [options.reconnectInitialDelay, options.reconnectMaxDelay];
    for (const value of [options.maxReconnectAttempts, ...delays, options.maxQueueBytes]) {
        if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
            throw new Error('Realtime recovery limits must be nonnegative safe integers');
        }
    }
    if (delays.some((delay) => delay !== undefined && delay > MAX_TIMER_DELAY_MS)) {
        throw new Error(`Realtime reconnect delays must not exceed ${MAX_TIMER_DELAY_MS} ms`);
    }
}
/** Adapts the existing protocol controller to Realtime's explicit restoration/flush policy. */
function createRealtimeRecovery(owner, options, hooks) {
    const first = hooks.adaptSocket(owner.socket);
    let currentSocket = first;
    const controllerOwner = {
        get socket() {
            return currentSocket;
        },
        set socket(socket) {
            currentSocket = socket;
            owner.socket = socket.platformSocket;
        },
        get url() {
            return owner.url;
        },
        set url(url) {
            owner.url = url;
        },
    };
    const controller = new WebSocketConnection(controllerOwner, {
        buildURL: hooks.buildURL,
        createSocket: () => first,
        prepareReconnectSocket: async () => {
            const createSocket = await hooks.prepare();
            return (url) => hooks.adaptSocket(createSocket(url));
        },
        parameters: undefined,
        isErrorEvent: () => false,
        onMessage: () => {
            /* The Realtime wrapper owns decoding and event dispatch. */
        },
        onError: hooks.onError,
        createError: (message) => new Error(message),
        subscribe: () => {
            /* Realtime exposes its existing event emitter, not the controller iterator. */
        },
        unsubscribe: () => {
            /* Realtime exposes its existing event emitter, not the controller iterator. */
        },
        emitReconnecting: hooks.onReconnecting,
        emitReconnected: hooks.onReconnected,
        emitClose: hooks.onClose,
        requeueFailed: false,
        manualQueue: true,
        lifetimeRetries: true,
        shouldReconnect: (code) => code !== 1015 && (0,internal_ws/* isRecoverableClose */.t_)(code) && (hooks.shouldReconnect?.(code) ?? true),
    }, {
        maxQueueSize: options.maxQueueBytes ?? 0,
        reconnect: {
            onReconnecting: () => {
                /* The boolean enables recovery without a required user callback. */
            },
            maxRetries: options.maxReconnectAttempts ?? 5,
            initialDelay: options.reconnectInitialDelay ?? 500,
            maxDelay: options.reconnectMaxDelay ?? 8000,
        },
    });
    controller.connect(() => first, owner.url);
    return controller;
}
//# sourceMappingURL=realtime-recovery.mjs.map
// EXTERNAL MODULE: external "node:async_hooks"
var external_node_async_hooks_ = __webpack_require__(16698);
// EXTERNAL MODULE: ./node_modules/openai/internal/realtime-credentials.mjs
var realtime_credentials = __webpack_require__(34136);
// EXTERNAL MODULE: ./node_modules/openai/version.mjs
var version = __webpack_require__(81120);
;// CONCATENATED MODULE: ./node_modules/openai/internal/ws-adapter-node.mjs




(0,realtime_credentials/* setRealtimeAPIKeyCacheContext */.eg)(new external_node_async_hooks_.AsyncLocalStorage());
/** Use the real client's header hook while retaining Realtime's structural partial-client contract. */
function buildRealtimeWebSocketHeaders(client, authHeaders, options) {
    if ('_buildWebSocketHeaders' in client && typeof client._buildWebSocketHeaders === 'function') {
        // SAFETY: buildWebSocketOptions only calls this checked hook and uses the client as a WeakMap key.
        return (0,internal_ws/* buildWebSocketOptions */.sh)(client, authHeaders, { headers: options?.headers }).headers;
    }
    const headers = new Map(Object.entries({ 'User-Agent': `${client.constructor.name}/JS ${version/* VERSION */.x}`, ...authHeaders }).map(([name, value]) => [name.toLowerCase(), value]));
    for (const [name, value] of Object.entries(options?.headers ?? {})) {
        const normalizedName = name.toLowerCase();
        if (value === null) {
            headers.delete(normalizedName);
        }
        else if (value !== undefined) {
            headers.set(normalizedName, value);
        }
    }
    // SAFETY: ws forwards repeated-header arrays to Node's HTTP client, but its header type only declares strings.
    return Object.fromEntries(headers);
}
function copyTLSMaterial(value) {
    return ArrayBuffer.isView(value)
        ? Buffer.from(new Uint8Array(value.buffer, value.byteOffset, value.byteLength))
        : value;
}
/** Snapshot caller headers and TLS identity before an async reconnect credential refresh. */
function snapshotNodeWebSocketOptions(options) {
    const captured = {
        ...options,
        headers: Object.fromEntries(Object.entries(options?.headers ?? {}).map(([name, value]) => [
            name,
            Array.isArray(value) ? [...value] : value,
        ])),
    };
    const { ca, cert, crl, key, pfx } = captured;
    if (ca !== undefined) {
        captured.ca = Array.isArray(ca) ? ca.map(copyTLSMaterial) : copyTLSMaterial(ca);
    }
    if (cert !== undefined) {
        captured.cert = Array.isArray(cert) ? cert.map(copyTLSMaterial) : copyTLSMaterial(cert);
    }
    if (crl !== undefined) {
        captured.crl = Array.isArray(crl) ? crl.map(copyTLSMaterial) : copyTLSMaterial(crl);
    }
    if (key !== undefined) {
        captured.key = Array.isArray(key)
            ? key.map((value) => typeof value === 'string' || ArrayBuffer.isView(value)
                ? copyTLSMaterial(value)
                : { ...value, pem: copyTLSMaterial(value.pem) })
            : copyTLSMaterial(key);
    }
    if (pfx !== undefined) {
        captured.pfx = Array.isArray(pfx)
            ? pfx.map((value) => typeof value === 'string' || ArrayBuffer.isView(value)
                ? copyTLSMaterial(value)
                : { ...value, buf: copyTLSMaterial(value.buf) })
            : copyTLSMaterial(pfx);
    }
    if ('session' in captured && Buffer.isBuffer(captured.session)) {
        captured.session = Buffer.from(captured.session);
    }
    if ('ALPNProtocols' in captured) {
        if (Array.isArray(captured.ALPNProtocols)) {
            captured.ALPNProtocols = [...captured.ALPNProtocols];
        }
        else if (ArrayBuffer.isView(captured.ALPNProtocols)) {
            const { buffer, byteOffset, byteLength } = captured.ALPNProtocols;
            captured.ALPNProtocols = Buffer.from(new Uint8Array(buffer, byteOffset, byteLength));
        }
    }
    return captured;
}
/**
 * Adapts a Node.js `ws` socket to the SDK's platform-neutral WebSocket API.
 *
 * Text frames become strings, binary frames become `Buffer` values, fragmented
 * messages are merged, and close reasons are decoded before reaching listeners.
 */
class NodeWebSocket {
    /** Wraps an existing socket created by the optional `ws` package. */
    constructor(ws) {
        /** Maps `(event, originalListener)` to every wrapped registration in listener order. */
        this._listenerMap = new Map();
        this._ws = ws;
        this._ws.on('redirect', (_url, request) => {
            try {
                const options = (0,internal_ws/* protectWebSocketOptionsFromCredentialRedirects */.T)({
                    followRedirects: true,
                    headers: request.getHeaders(),
                });
                if (options.followRedirects) {
                    return;
                }
            }
            catch {
                // Header inspection failure must never permit a credentialed redirect.
            }
            this._ws.terminate();
        });
    }
    /** The underlying `ws` socket; accessing it makes calling code Node.js-specific. */
    get platformSocket() {
        return this._ws;
    }
    /** Current numeric socket connection state, using standard WebSocket values. */
    get readyState() {
        return this._ws.readyState;
    }
    /** Sends a text or binary frame through the underlying `ws` connection. */
    send(data) {
        this._ws.send(data);
    }
    /** Initiates the socket's closing handshake with an optional code and reason. */
    close(code, reason) {
        this._ws.close(code, reason);
    }
    /** Forcibly closes the underlying transport. */
    terminate() {
        this._ws.terminate();
    }
    /** Registers a listener with normalized message payloads and close reasons. */
    on(event, listener) {
        const wrapped = NodeWebSocket._wrapListener(event, listener);
        this._registerListener(event, listener, wrapped);
    }
    /** Removes the platform listener associated with the original callback. */
    off(event, listener) {
        const wrappedListeners = this._listenerMap.get(event)?.get(listener);
        const [wrapped] = wrappedListeners?.slice(-1) ?? [];
        if (!wrapped) {
            return;
        }
        this._removeListener(event, listener, wrapped);
    }
    /** Registers a listener that is removed before it handles its first event. */
    once(event, listener) {
        let fired = false;
        const wrapped = NodeWebSocket._wrapListener(event, (...args) => {
            if (fired) {
                return;
            }
            fired = true;
            this._removeListener(event, listener, wrapped);
            listener(...args);
        });
        this._registerListener(event, listener, wrapped);
    }
    _registerListener(event, listener, wrapped) {
        const byListener = this._listenersFor(event);
        const wrappedListeners = byListener.get(listener);
        if (wrappedListeners) {
            wrappedListeners.push(wrapped);
        }
        else {
            byListener.set(listener, [wrapped]);
        }
        this._ws.on(event, wrapped);
    }
    _removeListener(event, listener, wrapped) {
        const byListener = this._listenerMap.get(event);
        const wrappedListeners = byListener?.get(listener);
        if (!byListener || !wrappedListeners) {
            return;
        }
        const index = wrappedListeners.lastIndexOf(wrapped);
        if (index === -1) {
            return;
        }
        wrappedListeners.splice(index, 1);
        if (wrappedListeners.length === 0) {
            byListener.delete(listener);
        }
        if (byListener.size === 0) {
            this._listenerMap.delete(event);
        }
        this._ws.removeListener(event, wrapped);
    }
    _listenersFor(event) {
        let map = this._listenerMap.get(event);
        if (!map) {
            map = new Map();
            this._listenerMap.set(event, map);
        }
        return map;
    }
    /**
     * Normalizes `ws` message payloads: text frames become strings,
     * binary frames stay as `Buffer`, and fragmented frames are merged.
     */
    static _normalizeMessageData(data, isBinary) {
        if (!isBinary) {
            if (Array.isArray(data)) {
                return Buffer.concat(data).toString();
            }
            if (data instanceof ArrayBuffer) {
                return Buffer.from(data).toString();
            }
            return data.toString();
        }
        if (Array.isArray(data)) {
            return Buffer.concat(data);
        }
        if (data instanceof ArrayBuffer) {
            return Buffer.from(data);
        }
        return data;
    }
    static _wrapListener(event, listener) {
        switch (event) {
            case 'message': {
                return (data, isBinary) => {
                    listener(NodeWebSocket._normalizeMessageData(data, isBinary), isBinary);
                };
            }
            case 'close': {
                return (code, reason) => {
                    listener(code, reason.toString());
                };
            }
            // 'open' and 'error' pass through unchanged
            default: {
                return listener;
            }
        }
    }
}
//# sourceMappingURL=ws-adapter-node.mjs.map
// EXTERNAL MODULE: ./node_modules/ws/wrapper.mjs
var wrapper = __webpack_require__(52977);
// EXTERNAL MODULE: ./node_modules/openai/internal/bedrock.mjs
var bedrock = __webpack_require__(62296);
// EXTERNAL MODULE: ./node_modules/openai/index.mjs + 207 modules
var openai = __webpack_require__(19177);
;// CONCATENATED MODULE: ./node_modules/openai/lib/EventEmitter.mjs
var EventEmitter_EventEmitter_instances, EventEmitter_EventEmitter_listeners, EventEmitter_EventEmitter_emittedListenerRegistrations, EventEmitter_EventEmitter_pendingListenerCleanup, EventEmitter_EventEmitter_listenerDispatchDepth, EventEmitter_EventEmitter_onceForEmitted, EventEmitter_EventEmitter_removeEmittedListener, EventEmitter_EventEmitter_cleanupEmittedListeners;

/** A lightweight event emitter with type-safe listeners and promise-based event waiting. */
class EventEmitter_EventEmitter {
    constructor() {
        EventEmitter_EventEmitter_instances.add(this);
        EventEmitter_EventEmitter_listeners.set(this, Object.create(null));
        EventEmitter_EventEmitter_emittedListenerRegistrations.set(this, new WeakMap());
        EventEmitter_EventEmitter_pendingListenerCleanup.set(this, new Set());
        EventEmitter_EventEmitter_listenerDispatchDepth.set(this, 0);
    }
    /**
     * Adds the listener function to the end of the listeners array for the event.
     * No checks are made to see if the listener has already been added. Multiple calls passing
     * the same combination of event and listener will result in the listener being added, and
     * called, multiple times.
     * @returns this, so that calls can be chained
     */
    on(event, listener) {
        var _a;
        const listeners = ((_a = (0,tslib/* __classPrivateFieldGet */.gn)(this, EventEmitter_EventEmitter_listeners, "f"))[event] || (_a[event] = []));
        listeners.push({ listener });
        return this;
    }
    /**
     * Removes the specified listener from the listener array for the event.
     * off() will remove, at most, one instance of a listener from the listener array. If any single
     * listener has been added multiple times to the listener array for the specified event, then
     * off() must be called multiple times to remove each instance.
     * @returns this, so that calls can be chained
     */
    off(event, listener) {
        const listeners = (0,tslib/* __classPrivateFieldGet */.gn)(this, EventEmitter_EventEmitter_listeners, "f")[event];
        if (!listeners) {
            return this;
        }
        // SAFETY: Listener functions are object identities used as WeakMap keys; registration and removal use the same function instance.
        const emittedRegistration = (0,tslib/* __classPrivateFieldGet */.gn)(this, EventEmitter_EventEmitter_emittedListenerRegistrations, "f").get(listener);
        if (emittedRegistration?.event === event &&
            !emittedRegistration.registration.removed &&
            !emittedRegistration.registration.detached) {
            // SAFETY: The stored registration event was compared with this event above, preserving the event/listener type correlation.
            (0,tslib/* __classPrivateFieldGet */.gn)(this, EventEmitter_EventEmitter_instances, "m", EventEmitter_EventEmitter_removeEmittedListener).call(this, event, emittedRegistration.registration);
            return this;
        }
        const index = listeners.findIndex((registration) => !registration.removed && registration.listener === listener);
        if (index !== -1) {
            listeners.splice(index, 1);
        }
        return this;
    }
    /**
     * Adds a one-time listener function for the event. The next time the event is triggered,
     * this listener is removed and then invoked.
     * @returns this, so that calls can be chained
     */
    once(event, listener) {
        var _a;
        const listeners = ((_a = (0,tslib/* __classPrivateFieldGet */.gn)(this, EventEmitter_EventEmitter_listeners, "f"))[event] || (_a[event] = []));
        listeners.push({ listener, once: true });
        return this;
    }
    /**
     * This is similar to `.once()`, but returns a Promise that resolves the next time
     * the event is triggered, instead of calling a listener callback.
     * Events without arguments resolve to `undefined`, single-argument events resolve
     * to that argument, and events with multiple arguments resolve to an argument tuple.
     *
     * @returns A promise for the next event, or a rejection if an error occurs first.
     * Requesting the `error` event resolves with the emitted error instead.
     *
     * Example:
     *
     *   const message = await stream.emitted('message') // rejects if the stream errors
     */
    emitted(event) {
        return new Promise((resolve, reject) => {
            // oxlint-disable-next-line anti-slop/no-unknown-parameters -- Failures and rejection reasons can be arbitrary JavaScript values; preserve them until inspection or forwarding.
            const onError = (error) => {
                // SAFETY: This callback is paired with the same event when registered and removed; its variadic body forwards the event tuple or captured error.
                this.off(event, onEvent);
                reject(error);
            };
            const onEvent = (...values) => {
                if (event !== 'error') {
                    // SAFETY: This callback is paired with the same event when registered and removed; its variadic body forwards the event tuple or captured error.
                    this.off('error', onError);
                }
                // SAFETY: The emitted API returns the sole argument or the full tuple according to its existing EventTypes-dependent result contract.
                resolve((values.length > 1 ? values : values[0]));
            };
            if (event !== 'error') {
                // SAFETY: This callback is paired with the same event when registered and removed; its variadic body forwards the event tuple or captured error.
                (0,tslib/* __classPrivateFieldGet */.gn)(this, EventEmitter_EventEmitter_instances, "m", EventEmitter_EventEmitter_onceForEmitted).call(this, 'error', onError);
            }
            // SAFETY: This callback is paired with the same event when registered and removed; its variadic body forwards the event tuple or captured error.
            (0,tslib/* __classPrivateFieldGet */.gn)(this, EventEmitter_EventEmitter_instances, "m", EventEmitter_EventEmitter_onceForEmitted).call(this, event, onEvent);
        });
    }
    _emit(event, ...args) {
        const listeners = (0,tslib/* __classPrivateFieldGet */.gn)(this, EventEmitter_EventEmitter_listeners, "f")[event];
        if (listeners) {
            // SAFETY: Filtering only removes registrations from the same event bucket and preserves the listener signatures for that event.
            (0,tslib/* __classPrivateFieldGet */.gn)(this, EventEmitter_EventEmitter_listeners, "f")[event] = listeners.filter((listener) => {
                if (listener.once) {
                    listener.detached = true;
                }
                return !listener.once && !listener.removed;
            });
            let listenerThrew = false;
            let firstListenerError;
            (0,tslib/* __classPrivateFieldSet */.GG)(this, EventEmitter_EventEmitter_listenerDispatchDepth, (0,tslib/* __classPrivateFieldGet */.gn)(this, EventEmitter_EventEmitter_listenerDispatchDepth, "f") + 1, "f");
            try {
                // SAFETY: The listener bucket and argument tuple come from the same EventTypes key; this bridges TypeScript generic indexed-access correlation.
                for (const registration of listeners) {
                    if (!registration.removed) {
                        try {
                            const { listener } = registration;
                            // SAFETY: The listener bucket and argument tuple come from the same EventTypes key; this bridges TypeScript generic indexed-access correlation.
                            listener(...args);
                        }
                        catch (error) {
                            if (!listenerThrew) {
                                listenerThrew = true;
                                firstListenerError = error;
                            }
                        }
                    }
                }
            }
            finally {
                (0,tslib/* __classPrivateFieldSet */.GG)(this, EventEmitter_EventEmitter_listenerDispatchDepth, (0,tslib/* __classPrivateFieldGet */.gn)(this, EventEmitter_EventEmitter_listenerDispatchDepth, "f") - 1, "f");
                if ((0,tslib/* __classPrivateFieldGet */.gn)(this, EventEmitter_EventEmitter_listenerDispatchDepth, "f") === 0) {
                    (0,tslib/* __classPrivateFieldGet */.gn)(this, EventEmitter_EventEmitter_instances, "m", EventEmitter_EventEmitter_cleanupEmittedListeners).call(this);
                }
            }
            if (listenerThrew) {
                throw firstListenerError;
            }
        }
    }
    _hasListener(event) {
        const listeners = (0,tslib/* __classPrivateFieldGet */.gn)(this, EventEmitter_EventEmitter_listeners, "f")[event];
        return listeners && listeners.some((listener) => !listener.removed);
    }
}
EventEmitter_EventEmitter_listeners = new WeakMap(), EventEmitter_EventEmitter_emittedListenerRegistrations = new WeakMap(), EventEmitter_EventEmitter_pendingListenerCleanup = new WeakMap(), EventEmitter_EventEmitter_listenerDispatchDepth = new WeakMap(), EventEmitter_EventEmitter_instances = new WeakSet(), EventEmitter_EventEmitter_onceForEmitted = function _EventEmitter_onceForEmitted(event, listener) {
    const previousListeners = (0,tslib/* __classPrivateFieldGet */.gn)(this, EventEmitter_EventEmitter_listeners, "f")[event];
    const previousLength = previousListeners?.length ?? 0;
    this.once(event, listener);
    const listeners = (0,tslib/* __classPrivateFieldGet */.gn)(this, EventEmitter_EventEmitter_listeners, "f")[event];
    const [registration] = listeners?.slice(-1) ?? [];
    if ((previousListeners === undefined || listeners === previousListeners) &&
        listeners?.length === previousLength + 1 &&
        registration?.listener === listener &&
        registration.once) {
        // SAFETY: Listener functions are object identities used as WeakMap keys; registration and removal use the same function instance.
        (0,tslib/* __classPrivateFieldGet */.gn)(this, EventEmitter_EventEmitter_emittedListenerRegistrations, "f").set(listener, { event, registration });
    }
}, EventEmitter_EventEmitter_removeEmittedListener = function _EventEmitter_removeEmittedListener(event, registration) {
    if (registration.removed) {
        return;
    }
    registration.removed = true;
    // SAFETY: Listener functions are object identities used as WeakMap keys; registration and removal use the same function instance.
    (0,tslib/* __classPrivateFieldGet */.gn)(this, EventEmitter_EventEmitter_emittedListenerRegistrations, "f").delete(registration.listener);
    (0,tslib/* __classPrivateFieldGet */.gn)(this, EventEmitter_EventEmitter_pendingListenerCleanup, "f").add(event);
    if ((0,tslib/* __classPrivateFieldGet */.gn)(this, EventEmitter_EventEmitter_listenerDispatchDepth, "f") === 0) {
        (0,tslib/* __classPrivateFieldGet */.gn)(this, EventEmitter_EventEmitter_instances, "m", EventEmitter_EventEmitter_cleanupEmittedListeners).call(this);
    }
}, EventEmitter_EventEmitter_cleanupEmittedListeners = function _EventEmitter_cleanupEmittedListeners() {
    for (const event of (0,tslib/* __classPrivateFieldGet */.gn)(this, EventEmitter_EventEmitter_pendingListenerCleanup, "f")) {
        // SAFETY: Pending cleanup keys are added only from registered EventTypes events; the key retains its event-map membership.
        const eventType = event;
        const listeners = (0,tslib/* __classPrivateFieldGet */.gn)(this, EventEmitter_EventEmitter_listeners, "f")[eventType];
        if (listeners) {
            // SAFETY: Filtering only removes registrations from the same event bucket and preserves the listener signatures for that event.
            (0,tslib/* __classPrivateFieldGet */.gn)(this, EventEmitter_EventEmitter_listeners, "f")[eventType] = listeners.filter((listener) => !listener.removed);
        }
    }
    (0,tslib/* __classPrivateFieldGet */.gn)(this, EventEmitter_EventEmitter_pendingListenerCleanup, "f").clear();
};
//# sourceMappingURL=EventEmitter.mjs.map
// EXTERNAL MODULE: ./node_modules/openai/error.mjs
var openai_error = __webpack_require__(79334);
// EXTERNAL MODULE: ./node_modules/openai/internal/auth/x509-workload-identity-auth.mjs + 1 modules
var x509_workload_identity_auth = __webpack_require__(43128);
;// CONCATENATED MODULE: ./node_modules/openai/realtime/internal-base.mjs




/** Parses frame data without exposing malformed payloads through JSON syntax errors. */
function parseRealtimeEvent(data) {
    try {
        // SAFETY: RealtimeServerEvent is the API wire contract; JSON syntax is checked here while future event types remain accepted at runtime.
        return JSON.parse(data);
    }
    catch (error) {
        if (error instanceof SyntaxError) {
            throw new SyntaxError('Could not parse Realtime WebSocket event data as JSON.');
        }
        throw error;
    }
}
function safeErrorValue(value) {
    try {
        return String(value);
    }
    catch {
        return '[unserializable error value]';
    }
}
/** An API-reported or client-side error encountered by an active Realtime connection. */
class OpenAIRealtimeError extends openai_error/* OpenAIError */.vc {
    /**
     * Creates a Realtime error, preserving server-provided details when available.
     *
     * @param message Human-readable API or connection error description.
     * @param event Server error event, or `null` for a client-side failure.
     */
    constructor(message, event) {
        super(message);
        /** Stable error name used to identify Realtime connection failures. */
        this.name = 'OpenAIRealtimeError';
        this.error = event?.error;
        this.event_id = event?.event_id;
    }
}
/**
 * Typed event emitter shared by Realtime WebSocket client implementations.
 *
 * Listen for `event` to receive all server events, or subscribe to a specific
 * server event's `type`. Always register an `error` listener; otherwise API and
 * transport failures are reported as unhandled promise rejections.
 */
class OpenAIRealtimeEmitter extends EventEmitter_EventEmitter {
    _onError(event, message, cause) {
        message = event?.error
            ? `${safeErrorValue(event.error.message)} code=${safeErrorValue(event.error.code)} param=${safeErrorValue(event.error.param)} type=${safeErrorValue(event.error.type)} event_id=${safeErrorValue(event.error.event_id)}`
            : (message ?? 'unknown error');
        if (!this._hasListener('error')) {
            const error = new OpenAIRealtimeError(message +
                `\n\nTo resolve these unhandled rejection errors you should bind an \`error\` callback, e.g. \`rt.on('error', (error) => ...)\` `, event);
            // @ts-ignore
            error.cause = cause;
            // oxlint-disable-next-line promise/catch-or-return -- Surface an unobserved stream error as an unhandled rejection.
            Promise.reject(error);
            return;
        }
        const error = new OpenAIRealtimeError(message, event);
        // @ts-ignore
        error.cause = cause;
        this._emit('error', error);
    }
}
/** Reports whether the client is an Azure OpenAI client with Azure-specific Realtime routing. */
function isAzure(client) {
    return client instanceof openai.AzureOpenAI;
}
/**
 * Builds the secure WebSocket URL for a model or transcription session, or a sideband call.
 *
 * All Azure sessions use the versioned GA Realtime endpoint. Model-backed
 * sessions select their deployment with `model`, transcription sessions use
 * `intent`, and sideband connections use `call_id`.
 *
 * @throws {Error} If the connection target is invalid or a custom URL does not use `wss:`.
 */
function buildRealtimeURL(client, connection) {
    (0,x509_workload_identity_auth/* assertX509WebSocketSupported */.Ky)(client);
    const config = typeof connection === 'string' ? { model: connection } : connection;
    const baseURL = client.baseURL;
    const azure = isAzure(client);
    const hasModel = config.model !== undefined;
    const hasCallID = config.callID !== undefined;
    const hasIntent = config.intent !== undefined;
    if (Number(hasModel) + Number(hasCallID) + Number(hasIntent) !== 1 ||
        (hasModel && !config.model) ||
        (hasCallID && !config.callID) ||
        (hasIntent && config.intent !== 'transcription')) {
        throw new Error('Pass exactly one of `model`, `callID`, or transcription `intent` when opening a Realtime WebSocket.');
    }
    if (config.buildRealtimeURL) {
        const url = new URL(config.buildRealtimeURL(client, config));
        if (url.protocol !== 'wss:') {
            throw new Error('Custom Realtime WebSocket URLs must use the wss: protocol.');
        }
        return url;
    }
    const url = new URL(baseURL);
    if (azure) {
        const basePath = url.pathname.replace(/\/+/g, '/').replace(/\/+$/, '');
        const versionedPath = basePath.endsWith('/v1') ? basePath : `${basePath}/v1`;
        url.pathname = `${versionedPath}/realtime`;
        url.search = '';
    }
    else {
        url.pathname += url.pathname.endsWith('/') ? 'realtime' : '/realtime';
        url.searchParams.delete('model');
        url.searchParams.delete('intent');
        url.searchParams.delete('call_id');
    }
    url.hash = '';
    url.protocol = 'wss';
    // Sideband control connections attach to an existing call via `call_id`.
    if (hasCallID) {
        url.searchParams.set('call_id', config.callID);
    }
    else if (hasIntent) {
        url.searchParams.set('intent', 'transcription');
    }
    else {
        url.searchParams.set('model', config.model);
    }
    return url;
}
/**
 * Resolves an Azure deployment, transcription intent, or an existing Realtime call.
 *
 * @throws {Error} If connection targets conflict, intent is invalid, or no deployment is available.
 */
function getAzureRealtimeConnection(client, connection) {
    const hasDeploymentName = connection.deploymentName !== undefined;
    const hasCallID = connection.callID !== undefined;
    const hasIntent = connection.intent !== undefined;
    const customURLBuilder = connection.buildRealtimeURL;
    const normalizedOptions = {
        ...(customURLBuilder ? { buildRealtimeURL: customURLBuilder } : {}),
        reconnect: connection.reconnect,
        maxReconnectAttempts: connection.maxReconnectAttempts,
        reconnectInitialDelay: connection.reconnectInitialDelay,
        reconnectMaxDelay: connection.reconnectMaxDelay,
        maxQueueBytes: connection.maxQueueBytes,
    };
    if (Number(hasDeploymentName) + Number(hasCallID) + Number(hasIntent) > 1 ||
        (hasIntent && connection.intent !== 'transcription')) {
        throw new Error('Pass exactly one of `deploymentName`, `callID`, or transcription `intent` when opening an Azure Realtime WebSocket.');
    }
    if (hasCallID) {
        return { ...normalizedOptions, callID: connection.callID };
    }
    if (hasIntent) {
        return { ...normalizedOptions, intent: 'transcription' };
    }
    const model = connection.deploymentName ?? client.deploymentName;
    if (!model) {
        throw new Error('No deployment name provided');
    }
    return { ...normalizedOptions, model };
}
//# sourceMappingURL=internal-base.mjs.map
;// CONCATENATED MODULE: ./node_modules/openai/realtime/ws.mjs








/**
 * Connects to the Realtime API using the Node.js `ws` WebSocket implementation.
 *
 * Install the optional `ws` peer dependency before importing this entrypoint.
 * Subscribe to `socket`'s `open` and `close` events for connection lifecycle,
 * and register an SDK `error` listener for API or transport failures.
 */
class OpenAIRealtimeWS extends OpenAIRealtimeEmitter {
    /**
     * Immediately opens a model or transcription session, or attaches to an existing call.
     *
     * Pass an existing OpenAI client as the second argument to reuse its endpoint
     * and static credentials. Clients with function-based credentials must use
     * {@link OpenAIRealtimeWS.create}; Azure clients should use
     * {@link OpenAIRealtimeWS.azure}.
     *
     * @param props Exactly one model, transcription intent, or call ID, plus `ws` client settings.
     * @param client Existing client whose endpoint and API key should be reused.
     */
    constructor(props, client) {
        super();
        validateRealtimeRecovery(props);
        if (props.reconnect && !props.model) {
            throw new Error('Automatic Realtime recovery requires a model session');
        }
        const connectionClient = client ?? new openai.OpenAI();
        const apiKey = props.__apiKey === undefined ? connectionClient.apiKey : props.__apiKey;
        // SAFETY: The supplied OpenAI client owns _options; this read detects its existing API-key provider without changing its public surface.
        const hasProvider = typeof connectionClient?._options?.apiKey === 'function';
        if (hasProvider && !props.__resolvedApiKey) {
            throw new Error([
                'Cannot open Realtime WebSocket with a function-based apiKey.',
                'Use the .create() method so that the key is resolved before connecting.',
            ].join('\n'));
        }
        const terminalErrors = new WeakMap();
        const open = (attemptKey, resolvedApiKey, capturedURL, options = props.options) => {
            const url = capturedURL ?? buildRealtimeURL(connectionClient, props);
            validateRealtimeRecovery(props, url);
            (0,bedrock/* assertBedrockWebSocketOrigin */.UT)(connectionClient, url);
            if (isAzure(connectionClient) && props.__apiKey !== undefined && !attemptKey) {
                throw new Error('Azure OpenAI Realtime requires an API key');
            }
            const azureKey = isAzure(connectionClient) && !resolvedApiKey;
            const headers = buildRealtimeWebSocketHeaders(connectionClient, {
                ...(azureKey && props.__apiKey !== undefined ? { 'api-key': attemptKey ?? '' } : {}),
                ...(azureKey ? {} : { Authorization: `Bearer ${attemptKey}` }),
            }, options);
            const { maxPayload, ...nativeOptions } = options ?? {};
            const socketOptions = {
                perMessageDeflate: false,
                ...nativeOptions,
                maxPayload: maxPayload ?? 0,
                headers,
            };
            socketOptions.perMessageDeflate ?? (socketOptions.perMessageDeflate = false);
            const socket = new wrapper.WebSocket(url, (0,internal_ws/* protectWebSocketOptionsFromCredentialRedirects */.T)(socketOptions));
            socket.on('message', (wsEvent) => {
                if (this._recovery && (socket !== this.socket || this._recovery.isClosed)) {
                    return;
                }
                const event = (() => {
                    try {
                        const parsedEvent = parseRealtimeEvent(wsEvent.toString());
                        if (typeof parsedEvent !== 'object' ||
                            parsedEvent === null ||
                            Array.isArray(parsedEvent) ||
                            !Object.getOwnPropertyDescriptor(parsedEvent, 'type') ||
                            typeof parsedEvent.type !== 'string') {
                            throw new TypeError('Realtime WebSocket event must be an object with a string type.');
                        }
                        return parsedEvent;
                    }
                    catch (err) {
                        this._onError(null, 'could not parse websocket event', err);
                        return null;
                    }
                })();
                if (event) {
                    this._emit('event', event);
                    if (this._recovery?.isClosed) {
                        return;
                    }
                    if (event.type === 'error') {
                        this._onError(event);
                    }
                    else if (!this._recovery || !['close', 'reconnecting', 'reconnected'].includes(event.type)) {
                        // @ts-expect-error TS cannot relate the event discriminant to the mapped callback type.
                        this._emit(event.type, event);
                    }
                }
            });
            if (props.reconnect) {
                socket.on('unexpected-response', (_request, response) => {
                    if (![408, 429, 500, 502, 503, 504].includes(response.statusCode ?? 0)) {
                        terminalErrors.set(socket, new Error(`Unexpected server response: ${response.statusCode ?? 'unknown'}`));
                    }
                    response.resume();
                    socket.terminate();
                });
            }
            socket.on('error', (err) => {
                if (this._recovery) {
                    if ('code' in err &&
                        typeof err.code === 'string' &&
                        (err.code.startsWith('ERR_TLS_') ||
                            err.code.startsWith('CERT_') ||
                            [
                                'DEPTH_ZERO_SELF_SIGNED_CERT',
                                'SELF_SIGNED_CERT_IN_CHAIN',
                                'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
                                'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
                            ].includes(err.code))) {
                        terminalErrors.set(socket, err);
                    }
                    return;
                }
                this._onError(null, err.message, err);
            });
            return { url, socket };
        };
        const initial = open(apiKey, props.__resolvedApiKey === true);
        this.url = initial.url;
        this.socket = initial.socket;
        if (props.reconnect) {
            this._recovery = createRealtimeRecovery(this, props, {
                buildURL: () => buildRealtimeURL(connectionClient, props),
                adaptSocket: (socket) => new NodeWebSocket(socket),
                prepare: async () => {
                    const { maxPayload, headers, ...nativeOptions } = props.options ?? {};
                    const options = snapshotNodeWebSocketOptions({ ...nativeOptions, maxPayload, headers });
                    // SAFETY: The branch checks _callApiKey before using the client's credential resolver.
                    const credential = '_callApiKey' in connectionClient && typeof connectionClient._callApiKey === 'function'
                        ? await (0,realtime_credentials/* resolveRealtimeAPIKey */.b7)(connectionClient, true)
                        : { isProvider: false, commit: () => connectionClient.apiKey };
                    return (url) => open(credential.commit(), credential.isProvider, url, options).socket;
                },
                shouldReconnect: () => !terminalErrors.has(this.socket),
                onError: (message, cause) => {
                    const terminal = terminalErrors.get(this.socket);
                    this._onError(null, terminal && terminal.message !== message ? `${message}: ${terminal.message}` : message, terminal ?? cause);
                },
                onReconnecting: (event) => this._emit('reconnecting', event),
                onReconnected: () => this._emit('reconnected'),
                onClose: (code, reason, unsent) => {
                    terminalErrors.delete(this.socket);
                    this._emit('close', code, reason, unsent);
                },
            });
        }
    }
    /**
     * Resolves a client's current API credential before opening a Realtime connection.
     *
     * Use this factory instead of the constructor when the client's `apiKey` is a function.
     *
     * @param client OpenAI client that owns the endpoint and refreshable or static credential.
     * @param props Exactly one model, transcription intent, or call ID, plus `ws` client settings.
     */
    static async create(client, props) {
        const { apiKey, isProvider: resolvedApiKey } = await (0,realtime_credentials/* resolveRealtimeAPIKey */.b7)(client);
        const buildURL = props.buildRealtimeURL;
        return new OpenAIRealtimeWS({
            ...props,
            ...(buildURL
                ? { buildRealtimeURL: (connectionClient) => buildURL.call(props, connectionClient, props) }
                : {}),
            __resolvedApiKey: resolvedApiKey,
            __apiKey: apiKey,
        }, client);
    }
    /**
     * Opens an Azure deployment or transcription session, or an existing sideband call.
     *
     * Static Azure API keys are sent in the `api-key` header; function-based
     * credentials are resolved first and sent as bearer credentials. The client's
     * configured deployment is used unless a deployment, transcription intent, or call ID is supplied.
     *
     * @param client Azure OpenAI client that supplies the endpoint and credential.
     * @param props Deployment, transcription intent, or call ID, plus `ws` connection settings.
     * @throws {Error} If the Azure credential or required deployment is unavailable.
     */
    static async azure(client, props = {}) {
        const connection = getAzureRealtimeConnection(client, props);
        const { apiKey, isProvider: isApiKeyProvider } = await (0,realtime_credentials/* resolveRealtimeAPIKey */.b7)(client);
        if (!apiKey) {
            throw new Error('Azure OpenAI Realtime requires an API key');
        }
        return new OpenAIRealtimeWS({
            ...connection,
            options: props.options,
            __resolvedApiKey: isApiKeyProvider,
            __apiKey: apiKey,
        }, client);
    }
    /**
     * Serializes and sends a Realtime client event after the WebSocket has opened.
     * Serialization and transport failures are delivered to the SDK `error` event.
     */
    send(event) {
        if (this._recovery) {
            return this._recovery.send(event);
        }
        try {
            this.socket.send(JSON.stringify(event));
        }
        catch (err) {
            this._onError(null, 'could not send data', err);
        }
    }
    /**
     * Sends a response.create event whose input may include existing item references.
     * Other event and response parameters are preserved. Serialization or transport
     * errors are emitted through the usual error event.
     *
     * With recovery enabled, unsent events submitted by this method are returned as
     * raw JSON frames by takePending() and close, including events without references.
     */
    sendResponseCreate(event) {
        let data;
        try {
            data = JSON.stringify(event);
        }
        catch (err) {
            this._onError(null, 'could not send data', err);
            return;
        }
        if (this._recovery) {
            return this._recovery.sendRaw(data);
        }
        try {
            this.socket.send(data);
        }
        catch (err) {
            this._onError(null, 'could not send data', err);
        }
    }
    /** Explicitly flush never-attempted events after restoring the replacement session. */
    flushPending() {
        this._recovery?.flushPending();
    }
    /** Remove retained events without transmitting them. */
    takePending() {
        return this._recovery?.takePending() ?? [];
    }
    /**
     * Closes the WebSocket with status code `1000` and reason `OK` by default.
     * Connection-closing failures are delivered to the SDK `error` event.
     */
    close(props) {
        if (this._recovery) {
            return this._recovery.close(props);
        }
        try {
            this.socket.close(props?.code ?? 1000, props?.reason ?? 'OK');
        }
        catch (err) {
            this._onError(null, 'could not close the connection', err);
        }
    }
}
//# sourceMappingURL=ws.mjs.map

/***/ })

};
