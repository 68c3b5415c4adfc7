/* Unit tests of kit_parallel and kit_threads (Criterion): every part runs once, at the same time as the others, and
 * one thread runs everything where it is asked for one. */
#include "kit.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

typedef struct {
    atomic_int runs[8];
    int parts_seen[8];
    pthread_t thread[8];
    atomic_int started;
} Record;

static void record_part(void *argument, int part, int parts)
{
    Record *r = argument;
    atomic_fetch_add(&r->runs[part], 1);
    r->parts_seen[part] = parts;
    r->thread[part] = pthread_self();
}

Test(parallel, one_thread_runs_one_part_on_the_caller)
{
    kit_set_threads(1);
    Record r = {0};
    kit_parallel(record_part, &r);
    cr_assert(atomic_load(&r.runs[0]) == 1 && r.parts_seen[0] == 1 && pthread_equal(r.thread[0], pthread_self()));
    cr_assert(atomic_load(&r.runs[1]) == 0);
}

Test(parallel, every_part_runs_once_each_on_a_thread_of_its_own)
{
    kit_set_threads(3);
    for (int call = 0; call < 200; call++) { /* many calls: the workers wait for the next one each time */
        Record r = {0};
        kit_parallel(record_part, &r);
        for (int part = 0; part < 3; part++)
            cr_assert(atomic_load(&r.runs[part]) == 1 && r.parts_seen[part] == 3, "call %d, part %d", call, part);
        cr_assert(atomic_load(&r.runs[3]) == 0);
        cr_assert(pthread_equal(r.thread[0], pthread_self()), "part 0 runs on the calling thread");
        cr_assert(!pthread_equal(r.thread[1], r.thread[0]) && !pthread_equal(r.thread[2], r.thread[0]) &&
                  !pthread_equal(r.thread[1], r.thread[2]));
    }
}

/* Each part waits for the part below it to have started: with the parts run one after another in reverse, or all
 * on one thread in any other order than 0, 1, 2, this would never end (the test's timeout). */
static void wait_for_lower(void *argument, int part, int parts)
{
    Record *r = argument;
    (void)parts;
    while (part > 0 && atomic_load(&r->started) < part)
        kit_cpu_relax();
    atomic_fetch_add(&r->started, 1);
    atomic_fetch_add(&r->runs[part], 1);
}

Test(parallel, a_part_may_wait_for_a_lower_one, .timeout = 20)
{
    kit_set_threads(3);
    for (int call = 0; call < 50; call++) {
        Record r = {0};
        kit_parallel(wait_for_lower, &r);
        cr_assert(atomic_load(&r.started) == 3);
    }
}

/* Part 0 waits for every other part to have started: they run at the same time, not one after another. */
static void wait_for_all(void *argument, int part, int parts)
{
    Record *r = argument;
    atomic_fetch_add(&r->started, 1);
    while (part == 0 && atomic_load(&r->started) < parts)
        kit_cpu_relax();
    atomic_fetch_add(&r->runs[part], 1);
}

Test(parallel, the_parts_run_at_the_same_time, .timeout = 20)
{
    kit_set_threads(2);
    Record r = {0};
    kit_parallel(wait_for_all, &r);
    cr_assert(atomic_load(&r.runs[0]) == 1 && atomic_load(&r.runs[1]) == 1);
}

static void nested(void *argument, int part, int parts)
{
    (void)parts;
    Record *inner = (Record *)argument + 1 + part;
    kit_parallel(record_part, inner);
}

Test(parallel, a_part_that_calls_it_runs_that_work_as_one_part)
{
    kit_set_threads(2);
    Record r[3] = {0};
    kit_parallel(nested, r);
    for (int part = 0; part < 2; part++)
        cr_assert(atomic_load(&r[1 + part].runs[0]) == 1 && r[1 + part].parts_seen[0] == 1 &&
                  atomic_load(&r[1 + part].runs[1]) == 0);
}

Test(parallel, the_count_comes_from_kit_threads_in_the_environment)
{
    setenv("KIT_THREADS", "2", 1);
    cr_assert(kit_threads() == 2);
}

Test(parallel, the_count_is_one_without_kit_threads)
{
    unsetenv("KIT_THREADS");
    cr_assert(kit_threads() == 1);
}

Test(parallel, a_count_that_is_not_a_number_is_refused, .exit_code = 1)
{
    setenv("KIT_THREADS", "two", 1);
    kit_threads();
}

Test(parallel, a_count_of_zero_is_refused, .exit_code = 1)
{
    kit_set_threads(0);
}
