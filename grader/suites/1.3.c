/* The grading suite of chapter 1.3: Mathematical Functions and Activation Basics. */
#include "check.h"
#include "course.h"

#include <float.h>
#include <math.h>

const char kit_suite_chapter[] = "1.3";

#define ABS_TOL 1e-6
#define REL_TOL 1e-5

/* Inputs at and beyond the edges of float's exponential: overflow above about 88.72,
 * underflow below about -103.9, the largest finite floats and the infinities. */
static const float extreme_values[] = {
    0.0f, 1.0f, -1.0f, 88.7f, 88.8f, -88.8f, -103.5f, 100.0f, -100.0f, 1000.0f, -1000.0f, 1e-30f,
    FLT_MAX, -FLT_MAX, INFINITY, -INFINITY,
};
#define EXTREME_COUNT ((int)(sizeof extreme_values / sizeof extreme_values[0]))

/* ---- elementwise_exp --------------------------------------------------- */

static void check_exp_lesson(KitCase *c)
{
    const float z[] = {-2, -1, 0, 1, 2};
    Matrix Z = kit_matrix_from(1, 5, z), out = kit_output_matrix(1, 5);
    kit_show_input(c, "Z", &Z);
    elementwise_exp(&out, &Z);
    kit_emit(c, "elementwise_exp(out, Z)", &out, ABS_TOL, REL_TOL);
    kit_emit_unchanged(c, "elementwise_exp", "Z", &Z);
    kit_matrix_free(&Z), kit_matrix_free(&out);
}

static void check_exp_random(KitCase *c)
{
    Matrix Z = kit_case_normal_matrix(c, 301, 9, 7, 0.0f, 5.0f), out = kit_output_matrix(9, 7);
    kit_show_input(c, "Z", &Z);
    elementwise_exp(&out, &Z);
    kit_emit(c, "elementwise_exp(out, Z)", &out, ABS_TOL, REL_TOL);
    kit_emit_unchanged(c, "elementwise_exp", "Z", &Z);
    kit_matrix_free(&Z), kit_matrix_free(&out);
}

static void check_exp_extremes(KitCase *c)
{
    Matrix Z = kit_matrix_from(1, EXTREME_COUNT, extreme_values), out = kit_output_matrix(1, EXTREME_COUNT);
    kit_show_input(c, "Z", &Z);
    elementwise_exp(&out, &Z);
    kit_emit(c, "elementwise_exp(out, Z)", &out, ABS_TOL, REL_TOL);
    kit_emit_unchanged(c, "elementwise_exp", "Z", &Z);
    kit_matrix_free(&Z), kit_matrix_free(&out);
}

static void check_exp_in_place(KitCase *c)
{
    Matrix Z = kit_case_normal_matrix(c, 302, 4, 6, 0.0f, 2.0f);
    kit_show_input(c, "Z", &Z);
    elementwise_exp(&Z, &Z);
    kit_emit(c, "Z after elementwise_exp(Z, Z)", &Z, ABS_TOL, REL_TOL);
    kit_matrix_free(&Z);
}

/* ---- elementwise_maximum ----------------------------------------------- */

static void check_maximum_relu(KitCase *c)
{
    const float z[] = {-1.5f, 2.0f, 0.5f, -0.25f, 0.0f, -3.0f};
    Matrix Z = kit_matrix_from(3, 2, z), out = kit_output_matrix(3, 2);
    kit_show_input(c, "Z", &Z);
    elementwise_maximum(&out, &Z, 0.0f);
    kit_emit(c, "elementwise_maximum(out, Z, 0)", &out, 0, 0);
    kit_emit_unchanged(c, "elementwise_maximum", "Z", &Z);
    kit_matrix_free(&Z), kit_matrix_free(&out);
}

static void check_maximum_floors(KitCase *c)
{
    Matrix Z = kit_case_normal_matrix(c, 303, 9, 7, 0.0f, 5.0f), out = kit_output_matrix(9, 7);
    kit_show_input(c, "Z", &Z);
    const float floors[] = {-1.5f, 2.0f, 0.0f};
    const char *names[] = {"elementwise_maximum(out, Z, -1.5)", "elementwise_maximum(out, Z, 2)",
                           "elementwise_maximum(out, Z, 0)"};
    for (int f = 0; f < 3; f++) {
        kit_matrix_fill(&out, NAN);
        elementwise_maximum(&out, &Z, floors[f]);
        kit_emit(c, names[f], &out, 0, 0);
    }
    kit_emit_unchanged(c, "elementwise_maximum", "Z", &Z);
    kit_matrix_free(&Z), kit_matrix_free(&out);
}

static void check_maximum_in_place(KitCase *c)
{
    Matrix Z = kit_case_normal_matrix(c, 304, 5, 3, 0.0f, 1.0f);
    kit_show_input(c, "Z", &Z);
    elementwise_maximum(&Z, &Z, 0.25f);
    kit_emit(c, "Z after elementwise_maximum(Z, Z, 0.25)", &Z, 0, 0);
    kit_matrix_free(&Z);
}

/* ---- sigmoid ----------------------------------------------------------- */

static void check_sigmoid_lesson(KitCase *c)
{
    const float z[] = {-3.0f, -0.5f, 0.0f, 0.5f, 2.0f, 6.0f};
    Matrix Z = kit_matrix_from(3, 2, z), out = kit_output_matrix(3, 2);
    kit_show_input(c, "Z", &Z);
    sigmoid(&out, &Z);
    kit_emit(c, "sigmoid(out, Z)", &out, ABS_TOL, REL_TOL);
    kit_emit_unchanged(c, "sigmoid", "Z", &Z);
    kit_matrix_free(&Z), kit_matrix_free(&out);
}

static void check_sigmoid_random(KitCase *c)
{
    Matrix Z = kit_case_normal_matrix(c, 305, 9, 7, 0.0f, 5.0f), out = kit_output_matrix(9, 7);
    kit_show_input(c, "Z", &Z);
    sigmoid(&out, &Z);
    kit_emit(c, "sigmoid(out, Z)", &out, ABS_TOL, REL_TOL);
    kit_emit_unchanged(c, "sigmoid", "Z", &Z);
    kit_matrix_free(&Z), kit_matrix_free(&out);
}

static void check_sigmoid_extremes(KitCase *c)
{
    Matrix Z = kit_matrix_from(1, EXTREME_COUNT, extreme_values), out = kit_output_matrix(1, EXTREME_COUNT);
    kit_show_input(c, "Z", &Z);
    sigmoid(&out, &Z);
    kit_emit(c, "sigmoid(out, Z)", &out, ABS_TOL, REL_TOL);
    kit_emit_unchanged(c, "sigmoid", "Z", &Z);
    kit_matrix_free(&Z), kit_matrix_free(&out);
}

static void check_sigmoid_in_place(KitCase *c)
{
    Matrix Z = kit_case_normal_matrix(c, 306, 6, 4, 0.0f, 3.0f);
    kit_show_input(c, "Z", &Z);
    sigmoid(&Z, &Z);
    kit_emit(c, "Z after sigmoid(Z, Z)", &Z, ABS_TOL, REL_TOL);
    kit_matrix_free(&Z);
}

const KitCheck kit_suite_checks[] = {
    {"exp-lesson", "elementwise_exp: the lesson's vector [-2, -1, 0, 1, 2]", 1, "",
     "out[k] = expf(Z[k]) for every one of the R * C elements.", 5, 0, check_exp_lesson},
    {"exp-random", "elementwise_exp: a random 9x7 matrix with std 5", 1, "", NULL, 5, 0, check_exp_random},
    {"exp-extremes", "elementwise_exp: extreme inputs (+-1000, 88.8, -103.5, +-inf)", 2, "",
     "expf overflows to inf above about 88.72 and underflows to 0 below about -103.9: that is the right answer, "
     "do not clamp it.", 5, 0, check_exp_extremes},
    {"exp-in-place", "elementwise_exp: in place, elementwise_exp(Z, Z)", 1, "", NULL, 5, 0, check_exp_in_place},
    {"maximum-relu", "elementwise_maximum: ReLU (floor 0) of a 3x2 matrix", 1, "",
     "out[k] = Z[k] when Z[k] > floor, else floor: the larger of the two, never the smaller.", 5, 0,
     check_maximum_relu},
    {"maximum-floors", "elementwise_maximum: a random 9x7 matrix, floors -1.5, 2 and 0", 2, "",
     "Compare with the floor argument, not with 0: max(z, -1.5) keeps -1.2 as it is.", 5, 0,
     check_maximum_floors},
    {"maximum-in-place", "elementwise_maximum: in place, elementwise_maximum(Z, Z, 0.25)", 1, "", NULL, 5, 0,
     check_maximum_in_place},
    {"sigmoid-lesson", "sigmoid: the lesson's 3x2 matrix", 2, "",
     "sigmoid(z) = 1 / (1 + e^-z): sigmoid(0) = 0.5, large positive z gives values near 1.", 5, 0,
     check_sigmoid_lesson},
    {"sigmoid-random", "sigmoid: a random 9x7 matrix with std 5", 2, "", NULL, 5, 0, check_sigmoid_random},
    {"sigmoid-extremes", "sigmoid: extreme inputs (+-1000, +-88.8, -103.5, +-inf)", 2, "",
     "Never let an exponential overflow: use 1 / (1 + e^-z) for z >= 0 and e^z / (1 + e^z) for z < 0. "
     "sigmoid(1000) must be 1 and sigmoid(-1000) 0, never NaN.", 5, 0, check_sigmoid_extremes},
    {"sigmoid-in-place", "sigmoid: in place, sigmoid(Z, Z)", 1, "",
     "out may be Z: read Z[k] (and decide its sign) before you write out[k].", 5, 0, check_sigmoid_in_place},
};
const int kit_suite_check_count = sizeof kit_suite_checks / sizeof kit_suite_checks[0];
