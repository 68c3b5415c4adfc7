/* rng.c: a seeded generator (PCG32, O'Neill 2014) that gives the same numbers everywhere. */
#include "kit.h"

#include <math.h>

void kit_rng_seed(KitRng *rng, uint64_t seed)
{
    rng->state = 0;
    rng->increment = (seed << 1u) | 1u;
    rng->has_spare_normal = 0;
    rng->spare_normal = 0.0;
    kit_rng_u32(rng);
    rng->state += 0x853c49e6748fea9bULL ^ seed;
    kit_rng_u32(rng);
}

uint32_t kit_rng_u32(KitRng *rng)
{
    uint64_t old = rng->state;
    rng->state = old * 6364136223846793005ULL + rng->increment;
    uint32_t xorshifted = (uint32_t)(((old >> 18u) ^ old) >> 27u);
    uint32_t rotation = (uint32_t)(old >> 59u);
    return (xorshifted >> rotation) | (xorshifted << ((-rotation) & 31u));
}

float kit_rng_uniform(KitRng *rng)
{
    /* the top 24 bits give every float in [0, 1) on a grid of 2^-24 */
    return (float)(kit_rng_u32(rng) >> 8) * (1.0f / 16777216.0f);
}

float kit_rng_normal(KitRng *rng)
{
    /* Box-Muller in double: two uniforms give two independent normals */
    if (rng->has_spare_normal) {
        rng->has_spare_normal = 0;
        return (float)rng->spare_normal;
    }
    double u1 = ((double)kit_rng_u32(rng) + 1.0) / 4294967297.0; /* in (0, 1): log is finite */
    double u2 = (double)kit_rng_u32(rng) / 4294967296.0;
    double radius = sqrt(-2.0 * log(u1));
    double angle = 6.283185307179586 * u2;
    rng->spare_normal = radius * sin(angle);
    rng->has_spare_normal = 1;
    return (float)(radius * cos(angle));
}

int kit_rng_below(KitRng *rng, int n)
{
    if (n <= 1)
        return 0;
    /* reject the last partial block of 2^32 so every value is equally likely */
    uint32_t bound = (uint32_t)n;
    uint32_t threshold = (uint32_t)(-bound) % bound;
    for (;;) {
        uint32_t r = kit_rng_u32(rng);
        if (r >= threshold)
            return (int)(r % bound);
    }
}

void kit_matrix_fill_normal(Matrix *m, KitRng *rng, float mean, float std)
{
    size_t n = (size_t)m->rows * (size_t)m->cols;
    for (size_t i = 0; i < n; i++)
        m->data[i] = mean + std * kit_rng_normal(rng);
}

void kit_matrix_fill_uniform(Matrix *m, KitRng *rng, float low, float high)
{
    size_t n = (size_t)m->rows * (size_t)m->cols;
    for (size_t i = 0; i < n; i++)
        m->data[i] = low + (high - low) * kit_rng_uniform(rng);
}
