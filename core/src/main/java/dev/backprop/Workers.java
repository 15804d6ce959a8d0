package dev.backprop;

import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A network's persistent worker threads for splitting one step over cores. A hand-off through a parking
 * executor costs tens of microseconds, as much as a whole mini-batch product on a small layer; these workers
 * instead spin for a short while ({@link #SPIN_NANOS}) waiting for the next part before they park, and the
 * caller spins while it waits for them, so a step that arrives soon after the last one is picked up in well
 * under a microsecond. An idle worker parks and costs nothing.
 *
 * <p>Which part runs on which thread is fixed (part p on worker p), and callers combine the parts' results in
 * the order of p, so results never depend on scheduling.
 */
final class Workers {
    /** How long an idle worker (and a waiting caller) spins before it parks: 200 µs. */
    static final long SPIN_NANOS = 200_000;

    private final Worker[] workers;

    /** Starts {@code count} daemon threads (named {@code backprop-worker-N}); they park until given work. */
    Workers(int count) {
        workers = new Worker[count];
        for (int i = 0; i < count; i++) {
            workers[i] = new Worker();
            Thread t = new Thread(workers[i], "backprop-worker-" + (i + 1));
            t.setDaemon(true);
            workers[i].thread = t;
            t.start();
        }
    }

    /** The number of worker threads (the caller's thread is not counted). */
    int size() {
        return workers.length;
    }

    /**
     * Runs part.accept(p) for p = 0..t−1: part 0 on the calling thread, part p on worker p − 1; returns when all have
     * finished (waiting for every worker even if one fails or the caller is interrupted) and rethrows the first
     * failure, the caller's before the workers' in order of p.
     */
    void run(int t, IntConsumer part) {
        if (t - 1 > workers.length) {
            throw new IllegalArgumentException(t + " parts but only " + (workers.length + 1) + " threads");
        }
        for (int p = 1; p < t; p++) {
            workers[p - 1].submit(part, p);
        }
        Throwable failure = null;
        try {
            part.accept(0);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (int p = 1; p < t; p++) {
            Throwable f = workers[p - 1].await();
            failure = failure == null ? f : failure;
        }
        switch (failure) {
            case null -> { }
            case RuntimeException re -> throw re;
            case Error err -> throw err;
            default -> throw new IllegalStateException(failure);
        }
    }

    /** Stops the threads once they are idle (they are daemons, so this is only tidiness). */
    void shutdown() {
        for (Worker w : workers) {
            w.stop = true;
            LockSupport.unpark(w.thread);
        }
    }

    private static final class Worker implements Runnable {
        Thread thread;
        volatile boolean stop;
        /** Bumped by the caller when a task is ready; the worker runs it when it sees a new value. */
        volatile long posted;
        /** Set to {@link #posted} by the worker when it has finished that task. */
        volatile long finished;
        IntConsumer task;
        int index;
        Throwable failure;
        volatile boolean parked;

        void submit(IntConsumer part, int p) {
            task = part;
            index = p;
            failure = null;
            posted = posted + 1; // volatile write publishes task, index and failure
            if (parked) {
                LockSupport.unpark(thread);
            }
        }

        Throwable await() {
            long want = posted;
            long start = System.nanoTime();
            for (int spins = 0; finished != want; spins++) {
                if ((spins & 63) != 0 || System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            Throwable f = failure;
            task = null;
            return f;
        }

        @Override
        public void run() {
            long seen = 0;
            while (!stop) {
                long start = System.nanoTime();
                for (int spins = 0; posted == seen && !stop; spins++) {
                    if ((spins & 63) != 0 || System.nanoTime() - start < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        parked = true;
                        if (posted == seen && !stop) { // re-check after announcing, so an unpark is never missed
                            LockSupport.park(this);
                        }
                        parked = false;
                    }
                }
                if (stop) {
                    return;
                }
                seen = posted;
                try {
                    task.accept(index);
                } catch (Throwable e) {
                    failure = e;
                }
                finished = seen; // volatile write publishes failure and the task's results
            }
        }
    }
}
