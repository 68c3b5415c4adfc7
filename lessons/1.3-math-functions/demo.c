/*
 * The demo of chapter 1.3: Mathematical Functions and Activation Basics.
 * Run it with your code:  make run CH=1.3
 * It walks through the lesson and calls your functions from exercise.c.
 * Some lines call expf directly, to show where float's exponential overflows.
 */
#include "kit.h"
#include "course.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Formats one float with 6 significant digits; nan prints as "nan" whatever its sign bit. */
static const char *show(char *buffer, size_t size, float value)
{
    if (isnan(value))
        snprintf(buffer, size, "nan");
    else
        snprintf(buffer, size, "%.6g", (double)value);
    return buffer;
}

int main(void)
{
    char a[32], b[32], c[32], d[32];

    kit_section("The exponential, element by element: elementwise_exp");
    const float z_values[] = {-2, -1, 0, 1, 2};
    Matrix z = kit_matrix_from(1, 5, z_values), exp_z = kit_matrix_create(1, 5);
    elementwise_exp(&exp_z, &z);
    kit_matrix_print("z", &z, 0);
    kit_matrix_print("exp(z)", &exp_z, 4);
    printf("exp(1) * exp(1) = %.4f and exp(2) = %.4f: e^(a+b) = e^a * e^b\n", exp_z.data[3] * exp_z.data[3],
           exp_z.data[4]);
    printf("exp(-1) * exp(1) = %.4f: e^-z = 1 / e^z\n", exp_z.data[1] * exp_z.data[3]);

    kit_section("Where float's exponential runs out");
    const float probes[] = {10, 50, 88, 88.7f, 88.8f, 100, 1000, -10, -50, -87, -100, -103.5f, -104, -1000};
    printf("%10s  %s\n", "z", "expf(z)");
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)
        printf("%10s  %s\n", show(a, sizeof a, probes[i]), show(b, sizeof b, expf(probes[i])));
    /* walk float by float to the last z whose expf is finite, and the last whose expf is above 0 */
    float top = 88.0f, bottom = -103.0f;
    while (isfinite(expf(nextafterf(top, INFINITY))))
        top = nextafterf(top, INFINITY);
    while (expf(nextafterf(bottom, -INFINITY)) > 0.0f)
        bottom = nextafterf(bottom, -INFINITY);
    printf("largest float z with a finite expf(z): %.5f, expf(z) = %s, just below FLT_MAX = %s\n", top,
           show(a, sizeof a, expf(top)), show(b, sizeof b, FLT_MAX));
    printf("smallest float z with expf(z) > 0:    %.5f, expf(z) = %s (the smallest float above 0)\n", bottom,
           show(a, sizeof a, expf(bottom)));

    kit_section("Two formulas for sigmoid, equal on paper");
    const float s_values[] = {-1000, -100, -88.8f, -20, -2, 0, 2, 20, 88.8f, 100, 1000};
    int count = (int)(sizeof s_values / sizeof s_values[0]);
    Matrix s_in = kit_matrix_from(1, count, s_values), s_out = kit_matrix_create(1, count);
    sigmoid(&s_out, &s_in);
    printf("%10s  %14s  %14s  %14s\n", "z", "1/(1+e^-z)", "e^z/(1+e^z)", "sigmoid(z)");
    for (int k = 0; k < count; k++) {
        float v = s_in.data[k];
        printf("%10s  %14s  %14s  %14s\n", show(c, sizeof c, v), show(a, sizeof a, 1.0f / (1.0f + expf(-v))),
               show(b, sizeof b, expf(v) / (1.0f + expf(v))), show(d, sizeof d, s_out.data[k]));
    }
    int bad = 0;
    for (int k = 0; k < count; k++)
        bad += !(s_out.data[k] >= 0.0f && s_out.data[k] <= 1.0f);
    printf("your sigmoid: %d of %d values outside [0, 1] or NaN; sigmoid(-1000) = %s, sigmoid(1000) = %s\n", bad,
           count, show(a, sizeof a, s_out.data[0]), show(b, sizeof b, s_out.data[count - 1]));

    kit_section("sigmoid of a 3x2 matrix");
    const float m_values[] = {-3.0f, -0.5f, 0.0f, 0.5f, 2.0f, 6.0f};
    Matrix Z = kit_matrix_from(3, 2, m_values), S = kit_matrix_create(3, 2);
    sigmoid(&S, &Z);
    kit_matrix_print("Z", &Z, 1);
    kit_matrix_print("sigmoid(Z)", &S, 4);
    float low = S.data[0], high = S.data[0];
    for (int k = 1; k < 6; k++) {
        low = fminf(low, S.data[k]);
        high = fmaxf(high, S.data[k]);
    }
    printf("smallest %.4f, largest %.4f: every value is in [0, 1]: %s\n", low, high,
           low >= 0.0f && high <= 1.0f ? "yes" : "no");
    printf("sigmoid(0) = %.4f\n", S.data[2]);
    Matrix minus_Z = kit_matrix_create(3, 2), S_minus = kit_matrix_create(3, 2);
    for (int k = 0; k < 6; k++)
        minus_Z.data[k] = -Z.data[k];
    sigmoid(&S_minus, &minus_Z);
    float largest_gap = 0.0f;
    for (int k = 0; k < 6; k++)
        largest_gap = fmaxf(largest_gap, fabsf(S_minus.data[k] - (1.0f - S.data[k])));
    kit_matrix_print("sigmoid(-Z)", &S_minus, 4);
    printf("largest |sigmoid(-z) - (1 - sigmoid(z))| over the 6 elements: %.3g\n", largest_gap);
    Matrix in_place = kit_matrix_create(3, 2);
    kit_matrix_copy(&in_place, &Z);
    sigmoid(&in_place, &in_place);
    printf("sigmoid(Z, Z) in place gives the same values: %s\n",
           memcmp(in_place.data, S.data, sizeof(float) * 6) == 0 ? "yes" : "no");

    kit_section("ReLU and other floors: elementwise_maximum");
    KitRng rng;
    kit_rng_seed(&rng, 13);
    Matrix H = kit_matrix_create(3, 4), relu = kit_matrix_create(3, 4), clipped = kit_matrix_create(3, 4);
    kit_matrix_fill_normal(&H, &rng, 0.0f, 2.0f);
    elementwise_maximum(&relu, &H, 0.0f);
    elementwise_maximum(&clipped, &H, -1.0f);
    kit_matrix_print("H, normal numbers from seed 13 with std 2", &H, 4);
    kit_matrix_print("max(H, 0), ReLU", &relu, 4);
    kit_matrix_print("max(H, -1)", &clipped, 4);
    int zeros = 0;
    for (int k = 0; k < 12; k++)
        zeros += relu.data[k] == 0.0f;
    printf("ReLU set %d of the 12 elements to 0 and passed the other %d through unchanged\n", zeros, 12 - zeros);

    Matrix *all_matrices[] = {&z, &exp_z, &s_in, &s_out, &Z, &S, &minus_Z, &S_minus, &in_place, &H, &relu, &clipped};
    for (size_t i = 0; i < sizeof all_matrices / sizeof all_matrices[0]; i++)
        kit_matrix_free(all_matrices[i]);
    return 0;
}
