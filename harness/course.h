/*
 * course.h: the functions you write, chapter by chapter.
 *
 * Each chapter's exercise.c defines that chapter's functions; later chapters
 * call the ones you wrote before (a layer uses your matrix_multiply and your
 * add_row_vector). The comment above each function in exercise.c says exactly
 * what it computes, with its shapes and an example.
 */
#ifndef COURSE_H
#define COURSE_H

#include "kit.h"

/* ---- 1.1 Getting Started with Arrays (lessons/1.1-arrays) --------------- */

/* out = X + row, the 1 x C row added to every row of the R x C matrix X. */
void add_row_vector(Matrix *out, const Matrix *X, const Matrix *row);

/* out = the out->rows x out->cols block of X whose top-left corner is (row0, col0). */
void slice(Matrix *out, const Matrix *X, int row0, int col0);

/* out = (X - mean) / std over all elements (out = X - mean when std is 0); out may be X. */
void normalize(Matrix *out, const Matrix *X);

/* The mean, population std, min and max of every column of the N x D matrix X (each 1 x D). */
void column_stats(Matrix *mean, Matrix *std, Matrix *min, Matrix *max, const Matrix *X);

/* Every column of X scaled to mean 0 and std 1 on its own (only centred when its std is 0). */
void normalize_columns(Matrix *out, const Matrix *X);

#endif
