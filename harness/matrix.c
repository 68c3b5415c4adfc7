/* matrix.c: creating, copying, filling and printing matrices. */
#include "kit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

Matrix kit_matrix_create(int rows, int cols)
{
    if (rows <= 0 || cols <= 0)
        kit_fatal("kit_matrix_create: a matrix needs at least one row and one column, got %d x %d", rows, cols);
    if ((size_t)rows > ((size_t)1 << 31) / (size_t)cols)
        kit_fatal("kit_matrix_create: %d x %d is more than 2^31 elements", rows, cols);
    Matrix m = {rows, cols, calloc((size_t)rows * (size_t)cols, sizeof(float))};
    if (m.data == NULL)
        kit_fatal("kit_matrix_create: out of memory for a %d x %d matrix (%zu bytes)", rows, cols,
                  (size_t)rows * (size_t)cols * sizeof(float));
    return m;
}

Matrix kit_matrix_from(int rows, int cols, const float *values)
{
    Matrix m = kit_matrix_create(rows, cols);
    memcpy(m.data, values, (size_t)rows * (size_t)cols * sizeof(float));
    return m;
}

void kit_matrix_free(Matrix *m)
{
    free(m->data);
    m->data = NULL;
    m->rows = 0;
    m->cols = 0;
}

void kit_matrix_fill(Matrix *m, float value)
{
    size_t n = (size_t)m->rows * (size_t)m->cols;
    for (size_t i = 0; i < n; i++)
        m->data[i] = value;
}

void kit_matrix_copy(Matrix *dst, const Matrix *src)
{
    kit_require_shape(dst, src->rows, src->cols, "kit_matrix_copy: the destination");
    memcpy(dst->data, src->data, (size_t)src->rows * (size_t)src->cols * sizeof(float));
}

/* Formats one value; a value that rounds to zero prints without a minus sign. */
static void format_value(char *buffer, size_t size, float value, int decimals)
{
    snprintf(buffer, size, "%.*f", decimals, (double)value);
    if (buffer[0] == '-' && strspn(buffer + 1, "0.") == strlen(buffer + 1))
        memmove(buffer, buffer + 1, strlen(buffer));
}

void kit_matrix_print(const char *name, const Matrix *m, int decimals)
{
    char buffer[64];
    int width = 1;
    size_t n = (size_t)m->rows * (size_t)m->cols;
    for (size_t i = 0; i < n; i++) {
        format_value(buffer, sizeof buffer, m->data[i], decimals);
        int length = (int)strlen(buffer);
        if (length > width)
            width = length;
    }
    printf("%s (%d x %d):\n", name, m->rows, m->cols);
    for (int i = 0; i < m->rows; i++) {
        printf("  [");
        for (int j = 0; j < m->cols; j++) {
            format_value(buffer, sizeof buffer, m->data[(size_t)i * m->cols + j], decimals);
            printf("%s%*s", j ? "  " : "", width, buffer);
        }
        printf("]\n");
    }
}

void kit_require_shape(const Matrix *m, int rows, int cols, const char *what)
{
    if (m->data == NULL)
        kit_fatal("%s has no data (was it created with kit_matrix_create?); expected a %d x %d matrix", what, rows, cols);
    if (m->rows != rows || m->cols != cols)
        kit_fatal("%s is %d x %d, expected %d x %d", what, m->rows, m->cols, rows, cols);
}
