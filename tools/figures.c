/*
 * figures.c: draws the lessons' figures of ideas (make figures), as small hand-written SVG files:
 * lessons/<folder>/pictures/<chapter>-<name>.svg. Change a figure here, run make figures, and commit both;
 * make test T=figures checks that every committed figure is what this program draws now.
 *
 *   build/tools/figures [ROOT]   writes ROOT/<folder>/pictures/<chapter>-<name>.svg (ROOT: lessons by default)
 *
 * One look for all of them: a white background, sans-serif text, and a small palette (ink, grey, blue for the
 * forward pass and class 1, orange for the backward pass and what is highlighted, green for results). The numbers
 * are the course's: computed here as the demos compute them (a product, a pooling, the people data set's columns
 * normalized, float's sigmoid, a dropout mask drawn with the kit's own generator, and 3.1's lines as the reference's
 * train_perceptron learns them in that chapter's demo: the program links the reference solutions of 1.1 to 3.1).
 * Where a figure picks its own example (2.4's large step h), it says so.
 * The letters are those of the legend at the top of harness/course.h (N, D, H, K, k, IH, IW, OH, OW, ...).
 */
#include "course.h"
#include "kit.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* the palette */
#define INK "#222222"
#define GREY "#8a8a8a"
#define PALE "#f2f2f2"
#define DROPPED "#d4d4d4"
#define BLUE "#1f77b4"
#define PALE_BLUE "#d6e6f4"
#define ORANGE "#e6690b"
#define PALE_ORANGE "#fde0c5"
#define GREEN "#2a9d3a"
#define PALE_GREEN "#d5f0d8"
#define RED "#d62728"
#define PURPLE "#7b52ab"
#define PALE_PURPLE "#e6dcf2"

static const char *root = "lessons";

/* ---- writing SVG ------------------------------------------------------------ */

/* Opens ROOT/folder/pictures/name (making the folders), and writes the head of a width x height figure. */
static FILE *figure_open(const char *folder, const char *name, int width, int height, const char *title)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root, folder);
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "figures: cannot make the folder %s: %s\n", path, strerror(errno));
        exit(1);
    }
    snprintf(path, sizeof path, "%s/%s/pictures", root, folder);
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "figures: cannot make the folder %s: %s\n", path, strerror(errno));
        exit(1);
    }
    snprintf(path, sizeof path, "%s/%s/pictures/%s", root, folder, name);
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        fprintf(stderr, "figures: cannot write %s: %s\n", path, strerror(errno));
        exit(1);
    }
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(f, "<!-- drawn by tools/figures.c (make figures): change the program, not this file -->\n");
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n", width,
            height, width, height);
    fprintf(f, "<title>%s</title>\n", title);
    fputs("<defs>\n", f);
    const char *colours[][2] = {{"ink", INK}, {"grey", GREY}, {"blue", BLUE}, {"orange", ORANGE}, {"green", GREEN}};
    for (size_t i = 0; i < sizeof colours / sizeof colours[0]; i++)
        fprintf(f,
                "<marker id=\"arrow-%s\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" "
                "markerWidth=\"10\" markerHeight=\"10\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"%s\"/>"
                "</marker>\n",
                colours[i][0], colours[i][1]);
    fputs("</defs>\n", f);
    fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\"/>\n", width, height);
    fprintf(f, "<g font-family=\"sans-serif\" font-size=\"14\" fill=\"" INK "\">\n");
    printf("wrote %s\n", path);
    return f;
}

static void figure_close(FILE *f)
{
    fputs("</g>\n</svg>\n", f);
    if (ferror(f) | fclose(f)) {
        fprintf(stderr, "figures: a write failed\n");
        exit(1);
    }
}

/* Text at (x, y) (its baseline), anchored "start", "middle" or "end". In the text, ^{..} is a superscript and
 * _{..} a subscript (a lone _ or ^ is itself); & < > are escaped. Extra attributes (size, weight, colour) in style. */
static void text(FILE *f, double x, double y, const char *anchor, const char *style, const char *format, ...)
{
    char buffer[512];
    va_list args;
    va_start(args, format);
    vsnprintf(buffer, sizeof buffer, format, args);
    va_end(args);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s%s>", x, y, anchor, style[0] ? " " : "", style);
    for (const char *p = buffer; *p; p++) {
        if ((p[0] == '^' || p[0] == '_') && p[1] == '{') {
            const char *end = strchr(p, '}');
            if (end) {
                fprintf(f, "<tspan font-size=\"75%%\" baseline-shift=\"%s\">%.*s</tspan>", p[0] == '^' ? "super" : "sub",
                        (int)(end - p - 2), p + 2);
                p = end;
                continue;
            }
        }
        if (*p == '&')
            fputs("&amp;", f);
        else if (*p == '<')
            fputs("&lt;", f);
        else if (*p == '>')
            fputs("&gt;", f);
        else
            fputc(*p, f);
    }
    fputs("</text>\n", f);
}

/* A line; marker is NULL or the colour name of an arrowhead at its end (ink, grey, blue, orange, green). */
static void line(FILE *f, double x1, double y1, double x2, double y2, const char *colour, double width, int dashed,
                 const char *marker)
{
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"%s", x1, y1, x2,
            y2, colour, width, dashed ? " stroke-dasharray=\"6 4\"" : "");
    if (marker)
        fprintf(f, " marker-end=\"url(#arrow-%s)\"", marker);
    fputs("/>\n", f);
}

/* An arrow from (x1, y1) to (x2, y2) in one of the marker colours. */
static void arrow(FILE *f, double x1, double y1, double x2, double y2, const char *name, const char *colour)
{
    line(f, x1, y1, x2, y2, colour, 2, 0, name);
}

static void rect(FILE *f, double x, double y, double w, double h, const char *fill, const char *stroke, double width)
{
    fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"%s\" stroke-width=\"%.1f\"/>\n",
            x, y, w, h, fill, stroke, width);
}

static void circle(FILE *f, double x, double y, double r, const char *fill, const char *stroke, double width)
{
    fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" stroke=\"%s\" stroke-width=\"%.1f\"/>\n", x, y, r,
            fill, stroke, width);
}

/* A rows x cols matrix of cells of side cell at (x, y), each showing its value with format (NULL: empty cells);
 * fills[i] (or NULL) is the background of cell i, bold[i] (or NULL) makes its number bold. */
static void matrix(FILE *f, double x, double y, double cell, int rows, int cols, const float *values, const char *format,
                   const char *const *fills, const int *bold)
{
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++) {
            int k = i * cols + j;
            rect(f, x + j * cell, y + i * cell, cell, cell, fills && fills[k] ? fills[k] : "white", GREY, 1);
            if (values) {
                char number[32];
                snprintf(number, sizeof number, format, values[k]);
                if (strcmp(number, "-0") == 0)
                    strcpy(number, "0");
                text(f, x + (j + 0.5) * cell, y + (i + 0.5) * cell + 5, "middle", bold && bold[k] ? "font-weight=\"bold\"" : "",
                     "%s", number);
            }
        }
    rect(f, x, y, cols * cell, rows * cell, "none", INK, 1.5);
}

/* ---- 1.1: a row vector broadcast over every row ------------------------------ */

static void figure_broadcast(void)
{
    const char *folder = "1.1-arrays";
    FILE *f = figure_open(folder, "1.1-broadcast.svg", 660, 340,
                          "add_row_vector: the same row added to every row of X");
    enum { N = 2, D = 3 };
    const float X[N * D] = {1, 2, 3, 4, 5, 6}, row[D] = {10, 20, 30};
    float repeated[N * D], out[N * D];
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++) {
            repeated[i * D + j] = row[j];
            out[i * D + j] = X[i * D + j] + row[j];
        }
    const char *fills_x[N * D], *fills_row[N * D], *fills_out[N * D];
    for (int k = 0; k < N * D; k++)
        fills_x[k] = PALE_BLUE, fills_row[k] = k < D ? PALE_ORANGE : "white", fills_out[k] = PALE_GREEN;
    const double cell = 44, top = 80, xx = 40, xr = 250, xo = 460;
    text(f, xx + D * cell / 2, top - 36, "middle", "font-weight=\"bold\"", "X");
    text(f, xx + D * cell / 2, top - 16, "middle", "", "N × D = %d × %d", N, D);
    matrix(f, xx, top, cell, N, D, X, "%.0f", fills_x, NULL);
    text(f, xx + D * cell + 38, top + cell + 7, "middle", "font-size=\"20\"", "+");
    text(f, xr + D * cell / 2, top - 36, "middle", "font-weight=\"bold\"", "row");
    text(f, xr + D * cell / 2, top - 16, "middle", "", "1 × D = 1 × %d", D);
    matrix(f, xr, top, cell, 1, D, repeated, "%.0f", fills_row, NULL);
    /* the row again under itself: read again for row 1, not stored twice */
    for (int i = 1; i < N; i++)
        for (int j = 0; j < D; j++) {
            fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"white\" stroke=\"" GREY
                       "\" stroke-width=\"1\" stroke-dasharray=\"4 3\"/>\n",
                    xr + j * cell, top + i * cell, cell, cell);
            text(f, xr + (j + 0.5) * cell, top + (i + 0.5) * cell + 5, "middle", "fill=\"" GREY "\"", "%.0f",
                 repeated[i * D + j]);
        }
    text(f, xr + D * cell / 2, top + N * cell + 20, "middle", "font-size=\"12\" fill=\"" GREY "\"",
         "dashed: the same row, read again");
    text(f, xr + D * cell + 38, top + cell + 7, "middle", "font-size=\"20\"", "=");
    text(f, xo + D * cell / 2, top - 36, "middle", "font-weight=\"bold\"", "out");
    text(f, xo + D * cell / 2, top - 16, "middle", "", "N × D = %d × %d", N, D);
    matrix(f, xo, top, cell, N, D, out, "%.0f", fills_out, NULL);
    /* one column followed through */
    const int j = 1;
    rect(f, xx + j * cell, top, cell, N * cell, "none", INK, 3);
    rect(f, xr + j * cell, top, cell, cell, "none", ORANGE, 3);
    rect(f, xo + j * cell, top, cell, N * cell, "none", INK, 3);
    double y = top + N * cell + 70;
    text(f, 40, y, "start", "", "out_{ij} = X_{ij} + row_{j}: the column index j picks the element of the row,");
    text(f, 40, y + 22, "start", "", "the row index i does not, so every row of X gets the same row added");
    text(f, 40, y + 52, "start", "", "column %d: %g + %g = %g and %g + %g = %g", j, X[j], row[j], out[j], X[D + j], row[j],
         out[D + j]);
    text(f, 40, y + 82, "start", "fill=\"" GREY "\"", "in a layer, the row is the bias b: one number per output, for every example");
    figure_close(f);
}

/* One row of dots at height y: the values on an axis mapping [low, high] to [x0, x0 + width], the one at ring ringed. */
static void dot_row(FILE *f, double x0, double width, double low, double high, double y, const double *values, int count,
                    const char *colour, int ring)
{
    for (int i = 0; i < count; i++) {
        double x = x0 + (values[i] - low) / (high - low) * width;
        circle(f, x, y, 6, colour, "white", 1);
        if (i == ring)
            circle(f, x, y, 10, "none", INK, 1.5);
    }
}

/* The axis of dot rows: a line over [x0, x0 + width] at y for [low, high], ticks every step from first to last,
 * labelled with format. */
static void dot_axis(FILE *f, double x0, double width, double low, double high, double first, double last, double step,
                     double y, const char *format)
{
    line(f, x0, y, x0 + width, y, GREY, 1, 0, NULL);
    for (double t = first; t <= last + 1e-9 * (high - low); t += step) {
        double x = x0 + (t - low) / (high - low) * width;
        line(f, x, y, x, y + 5, GREY, 1, 0, NULL);
        text(f, x, y + 20, "middle", "font-size=\"12\" fill=\"" GREY "\"", format, fabs(t) < 1e-9 ? 0.0 : t);
    }
}

static void figure_normalize_columns(void)
{
    const char *folder = "1.1-arrays";
    FILE *f = figure_open(folder, "1.1-normalize-columns.svg", 660, 400,
                          "The ages and salaries of the 8 people before and after normalize_columns");
    Matrix people = kit_people_dataset();
    enum { N = 8 };
    const int columns[2] = {0, 1}; /* age, salary */
    double raw[2][N], normalized[2][N], mean[2], std[2], youngest = 1e9, oldest = -1e9;
    for (int c = 0; c < 2; c++) {
        double sum = 0, squares = 0;
        for (int i = 0; i < N; i++)
            raw[c][i] = people.data[i * people.cols + columns[c]], sum += raw[c][i];
        for (int i = 0; i < N && c == 0; i++)
            youngest = fmin(youngest, raw[c][i]), oldest = fmax(oldest, raw[c][i]);
        mean[c] = sum / N;
        for (int i = 0; i < N; i++)
            squares += (raw[c][i] - mean[c]) * (raw[c][i] - mean[c]);
        std[c] = sqrt(squares / N);
        for (int i = 0; i < N; i++)
            normalized[c][i] = (raw[c][i] - mean[c]) / std[c];
    }
    const char *colours[2] = {BLUE, ORANGE};
    const double x0 = 110, width = 500;
    /* before: both on one axis of raw numbers */
    text(f, 20, 28, "start", "font-weight=\"bold\"", "Before: age and salary on one axis");
    const double low = 0, high = 120000, age_y = 70, salary_y = 105, axis_y = 130;
    for (int c = 0; c < 2; c++) {
        double y = c == 0 ? age_y : salary_y;
        text(f, x0 - 16, y + 5, "end", c == 0 ? "fill=\"" BLUE "\"" : "fill=\"" ORANGE "\"", "%s", kit_people_columns[columns[c]]);
        dot_row(f, x0, width, low, high, y, raw[c], N, colours[c], 0);
    }
    dot_axis(f, x0, width, low, high, low, high, 20000, axis_y, "%.0f");
    text(f, x0 + 14, age_y - 14, "start", "font-size=\"12\" fill=\"" BLUE "\"", "all 8 ages, %g to %g, in one dot near 0",
         youngest, oldest);
    text(f, x0, axis_y + 46, "start", "", "σ: age %.2f, salary %.2f; the salaries set the scale", std[0], std[1]);
    /* after: both columns as standard deviations from their means */
    text(f, 20, 228, "start", "font-weight=\"bold\"", "After normalize_columns: (x − μ_{j}) / σ_{j}, each column its own");
    const double n_low = -2.5, n_high = 2.5, n_age_y = 270, n_salary_y = 305, n_axis_y = 330;
    line(f, x0 + width / 2, n_age_y - 18, x0 + width / 2, n_axis_y, GREY, 1.5, 1, NULL);
    for (int c = 0; c < 2; c++) {
        double y = c == 0 ? n_age_y : n_salary_y;
        text(f, x0 - 16, y + 5, "end", c == 0 ? "fill=\"" BLUE "\"" : "fill=\"" ORANGE "\"", "%s", kit_people_columns[columns[c]]);
        dot_row(f, x0, width, n_low, n_high, y, normalized[c], N, colours[c], 0);
    }
    dot_axis(f, x0, width, n_low, n_high, -2, 2, 1, n_axis_y, "%g");
    text(f, x0 + width / 2, n_axis_y + 36, "middle", "font-size=\"12\" fill=\"" GREY "\"", "standard deviations from the mean (0)");
    text(f, x0, n_axis_y + 62, "start", "", "ringed: person 0, age %g → %.2f, salary %g → %.2f", raw[0][0], normalized[0][0],
         raw[1][0], normalized[1][0]);
    kit_matrix_free(&people);
    figure_close(f);
}

/* ---- 1.3: sigmoid's S curve, and ReLU as a maximum ------------------------- */

/* A plot's frame: x in [x_low, x_high] and y in [y_low, y_high] mapped to the box (px, py, w, h), with axes through 0 */
typedef struct {
    double px, py, w, h, x_low, x_high, y_low, y_high;
} Plot;

static double plot_x(const Plot *p, double x) { return p->px + (x - p->x_low) / (p->x_high - p->x_low) * p->w; }
static double plot_y(const Plot *p, double y) { return p->py + p->h - (y - p->y_low) / (p->y_high - p->y_low) * p->h; }

/* the axes through 0 with ticks every step on x (labelled) and at the given y values */
static void plot_axes(FILE *f, const Plot *p, double x_step, const double *y_ticks, int y_count, const char *x_name,
                      const char *y_name)
{
    line(f, p->px, plot_y(p, 0), p->px + p->w + 8, plot_y(p, 0), GREY, 1, 0, "grey");
    line(f, plot_x(p, 0), p->py + p->h, plot_x(p, 0), p->py - 8, GREY, 1, 0, "grey");
    for (double x = ceil(p->x_low / x_step) * x_step; x <= p->x_high + 1e-9; x += x_step) {
        if (fabs(x) < 1e-9)
            continue;
        line(f, plot_x(p, x), plot_y(p, 0) - 4, plot_x(p, x), plot_y(p, 0) + 4, GREY, 1, 0, NULL);
        text(f, plot_x(p, x), plot_y(p, 0) + 18, "middle", "font-size=\"12\" fill=\"" GREY "\"", "%g", x);
    }
    for (int i = 0; i < y_count; i++) {
        line(f, plot_x(p, 0) - 4, plot_y(p, y_ticks[i]), plot_x(p, 0) + 4, plot_y(p, y_ticks[i]), GREY, 1, 0, NULL);
        text(f, plot_x(p, 0) - 8, plot_y(p, y_ticks[i]) + 4, "end", "font-size=\"12\" fill=\"" GREY "\"", "%g", y_ticks[i]);
    }
    text(f, p->px + p->w + 12, plot_y(p, 0) + 5, "start", "font-style=\"italic\"", "%s", x_name);
    text(f, plot_x(p, 0) + 8, p->py - 4, "start", "", "%s", y_name);
}

/* the curve y = fn(x, parameter) over the plot's x range, sampled at count points */
static void plot_curve(FILE *f, const Plot *p, double (*fn)(double, double), double parameter, const char *colour,
                       double width, int count)
{
    fputs("<polyline points=\"", f);
    for (int i = 0; i < count; i++) {
        double x = p->x_low + (p->x_high - p->x_low) * i / (count - 1);
        fprintf(f, "%.1f,%.1f ", plot_x(p, x), plot_y(p, fn(x, parameter)));
    }
    fprintf(f, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"/>\n", colour, width);
}

static double sigmoid_of(double z, double unused)
{
    (void)unused; /* the stable sigmoid, in float: the exponential is always of -|z| */
    float e = expf(-fabsf((float)z));
    return z >= 0 ? 1.0f / (1.0f + e) : e / (1.0f + e);
}

static double maximum_of(double z, double floor_value) { return z > floor_value ? z : floor_value; }

static void figure_sigmoid_relu(void)
{
    const char *folder = "1.3-math-functions";
    FILE *f = figure_open(folder, "1.3-sigmoid-relu.svg", 700, 395, "Sigmoid squashes every z into (0, 1); ReLU is a maximum with a floor of 0");
    /* the sigmoid */
    const Plot s = {50, 70, 280, 200, -8, 8, -0.15, 1.15};
    text(f, s.px + s.w / 2, 24, "middle", "font-weight=\"bold\"", "σ(z) = 1 / (1 + e^{−z})");
    const double s_ticks[] = {0.5};
    plot_axes(f, &s, 4, s_ticks, 1, "z", "");
    text(f, s.px - 6, plot_y(&s, 1) + 4, "end", "font-size=\"12\" fill=\"" GREY "\"", "1");
    text(f, s.px - 6, plot_y(&s, 0) + 4, "end", "font-size=\"12\" fill=\"" GREY "\"", "0");
    line(f, s.px, plot_y(&s, 1), s.px + s.w, plot_y(&s, 1), GREY, 1.5, 1, NULL);
    plot_curve(f, &s, sigmoid_of, 0, BLUE, 2.5, 161);
    double half = sigmoid_of(0, 0);
    circle(f, plot_x(&s, 0), plot_y(&s, half), 5, ORANGE, ORANGE, 1);
    text(f, plot_x(&s, 0) + 12, plot_y(&s, half) + 16, "start", "fill=\"" ORANGE "\"", "σ(0) = %g", half);
    text(f, s.px + s.w, plot_y(&s, 1) - 8, "end", "font-size=\"12\" fill=\"" GREY "\"", "→ 1 as z → ∞");
    text(f, s.px, plot_y(&s, 0) - 8, "start", "font-size=\"12\" fill=\"" GREY "\"", "→ 0 as z → −∞");
    /* where e^z overflows: the largest float z with a finite expf(z), found as the demo finds it */
    float z = 88.0f;
    while (isfinite(expf(nextafterf(z, INFINITY))))
        z = nextafterf(z, INFINITY);
    double y = s.py + s.h + 50;
    text(f, 30, y, "start", "font-size=\"13\"", "far to the right, e^{z} overflows to inf for z above %.2f:", z);
    text(f, 30, y + 20, "start", "font-size=\"13\"", "there e^{z} / (1 + e^{z}) is inf / inf = NaN; the stable");
    text(f, 30, y + 40, "start", "font-size=\"13\"", "sigmoid only takes e^{−|z|}, between 0 and 1: σ(100) = %g", sigmoid_of(100, 0));
    text(f, 30, y + 66, "start", "font-size=\"12\" fill=\"" GREY "\"", "(the curve is the stable sigmoid, in float)");
    /* ReLU and a floor of -1 */
    const Plot r = {420, 70, 230, 200, -3, 3, -1.6, 3.2};
    text(f, r.px + r.w / 2, 24, "middle", "font-weight=\"bold\"", "max(z, floor)");
    const double r_ticks[] = {-1, 1, 2, 3};
    plot_axes(f, &r, 1, r_ticks, 4, "z", "");
    plot_curve(f, &r, maximum_of, -1, GREY, 2, 2 * 6 + 1);
    plot_curve(f, &r, maximum_of, 0, GREEN, 2.5, 2 * 6 + 1);
    circle(f, plot_x(&r, 0), plot_y(&r, 0), 4, GREEN, GREEN, 1);
    text(f, plot_x(&r, -3) + 4, plot_y(&r, 0) - 8, "start", "fill=\"" GREEN "\"", "floor 0: ReLU");
    text(f, plot_x(&r, -3) + 4, plot_y(&r, -1) + 18, "start", "fill=\"" GREY "\"", "floor −1");
    y = r.py + r.h + 50;
    text(f, 400, y, "start", "font-size=\"13\"", "below the floor: the floor; above it: z itself,");
    text(f, 400, y + 20, "start", "font-size=\"13\"", "with slope 1 and no exponential to overflow");
    figure_close(f);
}

/* ---- 1.2: the angle between two vectors, and a row times a column ------------ */

static void figure_angle(void)
{
    const char *folder = "1.2-matrix-operations";
    FILE *f = figure_open(folder, "1.2-angle.svg", 660, 360, "Two vectors, the angle between them and its cosine");
    const double a[2] = {2, 1}, b[2] = {0, 3};
    const double ox = 70, oy = 300, unit = 75; /* the origin, and pixels per unit */
#define PX(u) (ox + (u) * unit)
#define PY(v) (oy - (v) * unit)
    /* axes and their ticks */
    line(f, PX(-0.4), PY(0), PX(3.0), PY(0), GREY, 1, 0, "grey");
    line(f, PX(0), PY(-0.4), PX(0), PY(3.5), GREY, 1, 0, "grey");
    for (int t = 1; t <= 3; t++) {
        if (t <= 2) {
            line(f, PX(t), PY(0) - 4, PX(t), PY(0) + 4, GREY, 1, 0, NULL);
            text(f, PX(t), PY(0) + 20, "middle", "fill=\"" GREY "\"", "%d", t);
        }
        line(f, PX(0) - 4, PY(t), PX(0) + 4, PY(t), GREY, 1, 0, NULL);
        text(f, PX(0) - 10, PY(t) + 5, "end", "fill=\"" GREY "\"", "%d", t);
    }
    text(f, PX(0) - 10, PY(0) + 20, "end", "fill=\"" GREY "\"", "0");
    /* the angle: an arc from a's direction to b's */
    double angle_a = atan2(a[1], a[0]), angle_b = atan2(b[1], b[0]), r = 42;
    fprintf(f, "<path d=\"M%.1f,%.1f A%.1f,%.1f 0 0 0 %.1f,%.1f\" fill=\"none\" stroke=\"" INK "\" stroke-width=\"1.5\"/>\n",
            PX(0) + r * cos(angle_a), PY(0) - r * sin(angle_a), r, r, PX(0) + r * cos(angle_b), PY(0) - r * sin(angle_b));
    double middle = (angle_a + angle_b) / 2;
    text(f, PX(0) + (r + 14) * cos(middle), PY(0) - (r + 14) * sin(middle) + 5, "start", "font-style=\"italic\"", "θ");
    /* the third side, a - b, from the tip of b to the tip of a */
    line(f, PX(b[0]), PY(b[1]), PX(a[0]), PY(a[1]), GREY, 2, 1, NULL);
    text(f, PX((a[0] + b[0]) / 2) + 10, PY((a[1] + b[1]) / 2), "start", "fill=\"" GREY "\"", "a − b = [%g, %g]",
         a[0] - b[0], a[1] - b[1]);
    arrow(f, PX(0), PY(0), PX(a[0]), PY(a[1]), "blue", BLUE);
    arrow(f, PX(0), PY(0), PX(b[0]), PY(b[1]), "orange", ORANGE);
    text(f, PX(a[0]) + 8, PY(a[1]) + 16, "start", "fill=\"" BLUE "\" font-weight=\"bold\"", "a = [%g, %g]", a[0], a[1]);
    text(f, PX(b[0]) + 10, PY(b[1]) + 5, "start", "fill=\"" ORANGE "\" font-weight=\"bold\"", "b = [%g, %g]", b[0], b[1]);
#undef PX
#undef PY
    /* the numbers */
    double dot = a[0] * b[0] + a[1] * b[1], norm_a = sqrt(a[0] * a[0] + a[1] * a[1]), norm_b = sqrt(b[0] * b[0] + b[1] * b[1]);
    double cosine = dot / (norm_a * norm_b), theta = acos(cosine) * 180 / M_PI;
    double d[2] = {a[0] - b[0], a[1] - b[1]}, side = d[0] * d[0] + d[1] * d[1];
    double x = 330, y = 40;
    text(f, x, y, "start", "font-weight=\"bold\"", "The cosine of the angle");
    text(f, x, y += 26, "start", "", "a · b = %g·%g + %g·%g = %g", a[0], b[0], a[1], b[1], dot);
    text(f, x, y += 24, "start", "", "|a| = √%g = %.3f,   |b| = √%g = %g", a[0] * a[0] + a[1] * a[1], norm_a,
         b[0] * b[0] + b[1] * b[1], norm_b);
    text(f, x, y += 30, "start", "", "cos θ = a · b / (|a| |b|) = %g / %.3f = %.3f", dot, norm_a * norm_b, cosine);
    text(f, x, y += 24, "start", "", "θ = %.1f degrees", theta);
    text(f, x, y += 44, "start", "font-weight=\"bold\"", "The third side (law of cosines)");
    text(f, x, y += 26, "start", "", "|a − b|^{2} = |a|^{2} + |b|^{2} − 2 |a| |b| cos θ");
    text(f, x, y += 24, "start", "", "%g = %g + %g − 2·%g", side, norm_a * norm_a, norm_b * norm_b, dot);
    text(f, x, y += 30, "start", "fill=\"" GREY "\"", "and |a − b|^{2} = (a − b)·(a − b) = |a|^{2} + |b|^{2} − 2 a · b,");
    text(f, x, y += 20, "start", "fill=\"" GREY "\"", "so a · b = |a| |b| cos θ for every a and b");
    figure_close(f);
}

static void figure_row_times_column(void)
{
    const char *folder = "1.2-matrix-operations";
    FILE *f = figure_open(folder, "1.2-row-times-column.svg", 640, 350,
                          "One element of Z = XW: a row of X times a column of W");
    enum { N = 2, D = 3, M = 2 };
    const float X[N * D] = {1, 2, 3, 4, 5, 6}, W[D * M] = {7, 8, 9, 10, 11, 12};
    float Z[N * M];
    for (int i = 0; i < N; i++)
        for (int j = 0; j < M; j++) {
            double sum = 0;
            for (int k = 0; k < D; k++)
                sum += X[i * D + k] * W[k * M + j];
            Z[i * M + j] = (float)sum;
        }
    const int row = 1, column = 0;
    const char *fills_x[N * D] = {0}, *fills_w[D * M] = {0}, *fills_z[N * M] = {0};
    for (int k = 0; k < D; k++)
        fills_x[row * D + k] = PALE_BLUE, fills_w[k * M + column] = PALE_ORANGE;
    fills_z[row * M + column] = PALE_GREEN;
    const double cell = 44, top = 80;
    double xx = 40, xw = 250, xz = 440;
    text(f, xx + D * cell / 2, top - 36, "middle", "font-weight=\"bold\"", "X");
    text(f, xx + D * cell / 2, top - 16, "middle", "", "N × D = %d × %d", N, D);
    matrix(f, xx, top, cell, N, D, X, "%.0f", fills_x, NULL);
    text(f, xx + D * cell + 30, top + cell * 1.5 + 5, "middle", "font-size=\"20\"", "×");
    text(f, xw + M * cell / 2, top - 36, "middle", "font-weight=\"bold\"", "W");
    text(f, xw + M * cell / 2, top - 16, "middle", "", "D × M = %d × %d", D, M);
    matrix(f, xw, top, cell, D, M, W, "%.0f", fills_w, NULL);
    text(f, xw + M * cell + 45, top + cell * 1.5 + 5, "middle", "font-size=\"20\"", "=");
    text(f, xz + M * cell / 2, top - 36, "middle", "font-weight=\"bold\"", "Z = XW");
    text(f, xz + M * cell / 2, top - 16, "middle", "", "N × M = %d × %d", N, M);
    matrix(f, xz, top, cell, N, M, Z, "%.0f", fills_z, (int[N * M]){[row * M + column] = 1});
    /* the row, the column and the cell, named */
    text(f, xx - 8, top + (row + 0.5) * cell + 5, "end", "fill=\"" BLUE "\"", "i = %d", row);
    text(f, xw + (column + 0.5) * cell, top + D * cell + 20, "middle", "fill=\"" ORANGE "\"", "j = %d", column);
    text(f, xz + M * cell + 8, top + (row + 0.5) * cell + 5, "start", "fill=\"" GREEN "\"", "Z_{%d%d}", row, column);
    double y = top + D * cell + 66;
    text(f, 40, y, "start", "", "Z_{%d%d} = (row %d of X) · (column %d of W)", row, column, row, column);
    text(f, 66, y + 26, "start", "", "= %g·%g + %g·%g + %g·%g = %g", X[row * D], W[column], X[row * D + 1],
         W[M + column], X[row * D + 2], W[2 * M + column], Z[row * M + column]);
    text(f, 40, y + 60, "start", "fill=\"" GREY "\"", "(N × D)(D × M) = N × M: the inner sizes (D = %d) agree, the outer ones give Z's shape", D);
    figure_close(f);
}

/* ---- 3.1: a neuron's decision line, and XOR --------------------------------- */

/* One panel of the unit square's four points, x1 and x2 in [-0.5, 1.5], at (x, y) with side size: the labels of the
 * points (0,0), (0,1), (1,0), (1,1), the line w1 x1 + w2 x2 + b = 0 with the side of class 1 shaded, and the
 * points that line gets wrong ringed in red. middle (or a negative number) is c of a dashed line x1 + x2 = c. */
static void decision_panel(FILE *f, double x, double y, double size, const char *title, const int labels[4], double w1,
                           double w2, double b, double middle)
{
    const double low = -0.5, high = 1.5;
#define SX(u) (x + ((u) - low) / (high - low) * size)
#define SY(v) (y + size - ((v) - low) / (high - low) * size)
    text(f, x + size / 2, y - 12, "middle", "font-weight=\"bold\"", "%s", title);
    /* the side of class 1, w . x + b >= 0: the square clipped by that half-plane */
    const double corners[4][2] = {{low, low}, {high, low}, {high, high}, {low, high}};
    fputs("<polygon points=\"", f);
    for (int i = 0; i < 4; i++) {
        const double *p = corners[i], *q = corners[(i + 1) % 4];
        double zp = w1 * p[0] + w2 * p[1] + b, zq = w1 * q[0] + w2 * q[1] + b;
        if (zp >= 0)
            fprintf(f, "%.1f,%.1f ", SX(p[0]), SY(p[1]));
        if ((zp >= 0) != (zq >= 0)) {
            double t = zp / (zp - zq);
            fprintf(f, "%.1f,%.1f ", SX(p[0] + t * (q[0] - p[0])), SY(p[1] + t * (q[1] - p[1])));
        }
    }
    fputs("\" fill=\"" PALE_BLUE "\" stroke=\"none\"/>\n", f);
    rect(f, x, y, size, size, "none", GREY, 1);
    /* ticks at 0 and 1 */
    for (int t = 0; t <= 1; t++) {
        line(f, SX(t), y + size, SX(t), y + size + 5, GREY, 1, 0, NULL);
        text(f, SX(t), y + size + 20, "middle", "fill=\"" GREY "\"", "%d", t);
        line(f, x - 5, SY(t), x, SY(t), GREY, 1, 0, NULL);
        text(f, x - 9, SY(t) + 5, "end", "fill=\"" GREY "\"", "%d", t);
    }
    text(f, x + size / 2, y + size + 38, "middle", "", "x_{1}");
    text(f, x - 26, y + size / 2 + 5, "middle", "", "x_{2}");
    /* the line w1 x1 + w2 x2 + b = 0, where it crosses the square (w2 != 0 in every figure) */
    double x_left = low, x_right = high, y_left = -(b + w1 * low) / w2, y_right = -(b + w1 * high) / w2;
    fprintf(f, "<clipPath id=\"square-%.0f\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/></clipPath>\n", x,
            x, y, size, size);
    fprintf(f, "<g clip-path=\"url(#square-%.0f)\">\n", x);
    if (middle >= 0)
        line(f, SX(low), SY(middle - low), SX(middle - low), SY(low), GREY, 1.5, 1, NULL);
    line(f, SX(x_left), SY(y_left), SX(x_right), SY(y_right), BLUE, 2.5, 0, NULL);
    fputs("</g>\n", f);
    /* W, perpendicular to the line, pointing to class 1: drawn from the line's point nearest (0.5, 0.5), moved
     * along the line towards the top left, away from the points */
    double norm = sqrt(w1 * w1 + w2 * w2), z = w1 * 0.5 + w2 * 0.5 + b;
    double ux = w1 / norm, uy = w2 / norm, along_x = -uy, along_y = ux;
    if (along_x > 0)
        along_x = -along_x, along_y = -along_y;
    double fx = 0.5 - z * ux / norm + 0.35 * along_x, fy = 0.5 - z * uy / norm + 0.35 * along_y, length = 0.3;
    arrow(f, SX(fx), SY(fy), SX(fx + length * ux), SY(fy + length * uy), "blue", BLUE);
    text(f, SX(fx + (length + 0.09) * ux), SY(fy + (length + 0.09) * uy) + 5, "middle",
         "fill=\"" BLUE "\" font-weight=\"bold\"", "W");
    /* the four points */
    const double points[4][2] = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    for (int i = 0; i < 4; i++) {
        double px = SX(points[i][0]), py = SY(points[i][1]);
        int predicted = w1 * points[i][0] + w2 * points[i][1] + b >= 0;
        circle(f, px, py, 9, labels[i] ? BLUE : "white", INK, 1.5);
        if (predicted != labels[i])
            circle(f, px, py, 15, "none", RED, 2.5);
    }
#undef SX
#undef SY
}

/* the legend of the decision panels, one line at (x, y) */
static void decision_legend(FILE *f, double x, double y, int wrong)
{
    circle(f, x, y - 5, 7, BLUE, INK, 1.5);
    text(f, x + 12, y, "start", "", "label 1");
    circle(f, x + 90, y - 5, 7, "white", INK, 1.5);
    text(f, x + 102, y, "start", "", "label 0");
    rect(f, x + 175, y - 12, 16, 14, PALE_BLUE, "none", 0);
    text(f, x + 197, y, "start", "", "predicted 1");
    if (wrong) {
        circle(f, x + 310, y - 5, 9, "none", RED, 2.5);
        text(f, x + 325, y, "start", "", "wrong");
    }
}

/* W (2 x 1) and b of a neuron trained as the demo of 3.1 trains it: from zero, learning rate 1, 100 epochs of the
 * reference's train_perceptron on the four points with these labels */
static void train_gate(const float labels[4], float *w1, float *w2, float *b_value)
{
    const float points[] = {0, 0, 0, 1, 1, 0, 1, 1};
    Matrix X = kit_matrix_from(4, 2, points), y = kit_matrix_from(4, 1, labels);
    Matrix W = kit_matrix_create(2, 1), b = kit_matrix_create(1, 1), losses = kit_matrix_create(1, 100);
    train_perceptron(&W, &b, &losses, &X, &y, 1.0f, 100);
    *w1 = W.data[0], *w2 = W.data[1], *b_value = b.data[0];
    kit_matrix_free(&X), kit_matrix_free(&y), kit_matrix_free(&W), kit_matrix_free(&b), kit_matrix_free(&losses);
}

static void figure_decision_boundary(void)
{
    const char *folder = "3.1-perceptron";
    FILE *f = figure_open(folder, "3.1-decision-boundary.svg", 660, 420,
                          "The lines a neuron learned for AND and OR after 100 epochs");
    const int and_labels[4] = {0, 0, 0, 1}, or_labels[4] = {0, 1, 1, 1};
    const float and_targets[4] = {0, 0, 0, 1}, or_targets[4] = {0, 1, 1, 1};
    float a1, a2, ab, o1, o2, ob;
    train_gate(and_targets, &a1, &a2, &ab);
    train_gate(or_targets, &o1, &o2, &ob);
    decision_panel(f, 70, 50, 230, "AND after 100 epochs", and_labels, a1, a2, ab, 1.5);
    decision_panel(f, 400, 50, 230, "OR after 100 epochs", or_labels, o1, o2, ob, 0.5);
    text(f, 185, 340, "middle", "fill=\"" BLUE "\"", "%.4f x_{1} + %.4f x_{2} − %.4f = 0", a1, a2, -ab);
    text(f, 515, 340, "middle", "fill=\"" BLUE "\"", "%.4f x_{1} + %.4f x_{2} − %.4f = 0", o1, o2, -ob);
    decision_legend(f, 70, 375, 0);
    line(f, 400, 370, 430, 370, GREY, 1.5, 1, NULL);
    text(f, 436, 375, "start", "", "the middle lines");
    text(f, 70, 405, "start", "fill=\"" GREY "\"",
         "the middle lines: x_{1} + x_{2} = 1.5 and 0.5; W points to the side of class 1");
    figure_close(f);
}

static void figure_xor(void)
{
    const char *folder = "3.1-perceptron";
    FILE *f = figure_open(folder, "3.1-xor.svg", 660, 440, "XOR: every line gets at least one of the four points wrong");
    const int xor_labels[4] = {0, 1, 1, 0};
    const float or_targets[4] = {0, 1, 1, 1};
    float o1, o2, ob;
    train_gate(or_targets, &o1, &o2, &ob);
    decision_panel(f, 70, 50, 230, "XOR with OR's line", xor_labels, o1, o2, ob, -1);
    decision_panel(f, 400, 50, 230, "XOR with NAND's line", xor_labels, -1, -1, 1.5, -1);
    text(f, 185, 362, "middle", "", "3 of 4 right: [1, 1] is wrong");
    text(f, 515, 362, "middle", "", "3 of 4 right: [0, 0] is wrong");
    text(f, 185, 340, "middle", "fill=\"" BLUE "\"", "%.4f x_{1} + %.4f x_{2} − %.4f = 0", o1, o2, -ob);
    text(f, 515, 340, "middle", "fill=\"" BLUE "\"", "−x_{1} − x_{2} + 1.5 = 0");
    decision_legend(f, 70, 397, 1);
    text(f, 70, 427, "start", "fill=\"" GREY "\"",
         "z(0,1) + z(1,0) = z(0,0) + z(1,1): the two 1s cannot both be above 0 while both 0s are below");
    figure_close(f);
}

/* ---- 2.4: forward and central differences as secant lines ------------------ */

static double exp_of(double x, double unused)
{
    (void)unused;
    return exp(x);
}

/* the line through (x0, y0) with the given slope, drawn over [x_from, x_to] of the plot */
static void slope_line(FILE *f, const Plot *p, double x0, double y0, double slope, double x_from, double x_to,
                       const char *colour, int dashed)
{
    line(f, plot_x(p, x_from), plot_y(p, y0 + slope * (x_from - x0)), plot_x(p, x_to), plot_y(p, y0 + slope * (x_to - x0)),
         colour, 2, dashed, NULL);
}

static void figure_secants(void)
{
    const char *folder = "2.4-numerical-gradients";
    FILE *f = figure_open(folder, "2.4-secants.svg", 680, 420,
                          "Forward and central differences as secant lines of e^x around x = 0.5");
    /* the demo's function and point, with a step h large enough to see */
    const double w = 0.5, h = 0.4;
    const double exact = exp(w), forward = (exp(w + h) - exp(w)) / h, central = (exp(w + h) - exp(w - h)) / (2 * h);
    const Plot p = {60, 50, 360, 300, -0.3, 1.35, 0, 4.2};
    const double y_ticks[] = {1, 2, 3, 4};
    plot_axes(f, &p, 0.5, y_ticks, 4, "x", "f(x) = e^{x}");
    plot_curve(f, &p, exp_of, 0, INK, 2.5, 81);
    const double from = -0.25, to = 1.3;
    slope_line(f, &p, w, exact, exact, from, to, GREEN, 0);
    slope_line(f, &p, w, exp(w), forward, from, to, ORANGE, 0);
    slope_line(f, &p, w + h, exp(w + h), central, from, to, BLUE, 0);
    /* the points the quotients read, and the steps h */
    for (int i = -1; i <= 1; i++) {
        double x = w + i * h;
        line(f, plot_x(&p, x), plot_y(&p, 0), plot_x(&p, x), plot_y(&p, exp(x)), GREY, 1, 1, NULL);
        circle(f, plot_x(&p, x), plot_y(&p, exp(x)), 5, i == 0 ? GREEN : "white", INK, 1.5);
    }
    double hy = plot_y(&p, 0) + 36;
    text(f, plot_x(&p, w - h), hy, "middle", "", "w − h");
    text(f, plot_x(&p, w), hy, "middle", "", "w");
    text(f, plot_x(&p, w + h), hy, "middle", "", "w + h");
    for (int i = 0; i < 2; i++) {
        double a = plot_x(&p, w + (i - 1) * h), b = plot_x(&p, w + i * h), y = plot_y(&p, 0) - 14;
        line(f, a + 2, y, b - 2, y, GREY, 1, 0, "grey");
        line(f, b - 2, y, a + 2, y, GREY, 1, 0, "grey");
        text(f, (a + b) / 2, y - 6, "middle", "fill=\"" GREY "\"", "h");
    }
    /* the slopes */
    double x = 445, y = 80;
    text(f, x, y, "start", "font-weight=\"bold\"", "Slopes at w = %g, h = %g", w, h);
    line(f, x, y + 26, x + 26, y + 26, GREEN, 2.5, 0, NULL);
    text(f, x + 34, y + 31, "start", "fill=\"" GREEN "\"", "tangent: f'(w) = e^{%g}", w);
    text(f, x + 34, y + 51, "start", "", "= %.3f", exact);
    line(f, x, y + 86, x + 26, y + 86, ORANGE, 2.5, 0, NULL);
    text(f, x + 34, y + 91, "start", "fill=\"" ORANGE "\"", "forward: [f(w + h) − f(w)] / h");
    text(f, x + 34, y + 111, "start", "", "= %.3f, off by %.3f", forward, forward - exact);
    line(f, x, y + 146, x + 26, y + 146, BLUE, 2.5, 0, NULL);
    text(f, x + 34, y + 151, "start", "fill=\"" BLUE "\"", "central: [f(w+h) − f(w−h)] / 2h");
    text(f, x + 34, y + 171, "start", "", "= %.3f, off by %.3f", central, central - exact);
    text(f, x, y + 214, "start", "fill=\"" GREY "\"", "forward: off by about h f''/2 = %.3f", h * exact / 2);
    text(f, x, y + 238, "start", "fill=\"" GREY "\"", "central: the f'' terms cancel,");
    text(f, x, y + 258, "start", "fill=\"" GREY "\"", "off by about h^{2} f'''/6 = %.3f", h * h * exact / 6);
    text(f, x, y + 290, "start", "font-size=\"12\" fill=\"" GREY "\"", "h is this large here to be seen;");
    text(f, x, y + 306, "start", "font-size=\"12\" fill=\"" GREY "\"", "the demo's steps are 10^{−1} to 10^{−5}");
    figure_close(f);
}

/* ---- 3.3: the 784 -> 256 -> 10 network and the shapes of its forward pass ---- */

/* A column of a layer's units at x: shown circles spread over [top, top + height] with a ⋮ in the middle, or all
 * of them when shown is the count; puts the y of each unit drawn in ys and returns how many there are. */
static int layer_units(FILE *f, double x, double top, double height, int count, int shown, double *ys)
{
    int gap = shown < count ? shown / 2 : -1; /* where the ⋮ goes */
    int slots = shown + (gap >= 0), drawn = 0;
    for (int s = 0; s < slots; s++) {
        double y = top + height * (s + 0.5) / slots;
        if (s == gap) {
            text(f, x, y + 6, "middle", "font-size=\"18\" fill=\"" GREY "\"", "⋮");
            continue;
        }
        ys[drawn++] = y;
    }
    return drawn;
}

static void figure_network(void)
{
    const char *folder = "3.3-mlp-forward";
    FILE *f = figure_open(folder, "3.3-network.svg", 700, 520,
                          "The 784 -> 256 -> 10 network: its layers, and the shape of every matrix of a forward pass");
    const int N = 64, D = 784, H = 256, K = 10;
    const double top = 90, height = 220, xs[3] = {90, 350, 610};
    const int counts[3] = {D, H, K}, shown[3] = {6, 6, K};
    const char *fills[3] = {PALE, PALE_BLUE, PALE_GREEN};
    double ys[3][16];
    int drawn[3];
    for (int l = 0; l < 3; l++)
        drawn[l] = layer_units(f, xs[l], top, height, counts[l], shown[l], ys[l]);
    /* every shown unit of a layer feeds every shown unit of the next: a weight each */
    for (int l = 0; l < 2; l++)
        for (int a = 0; a < drawn[l]; a++)
            for (int b = 0; b < drawn[l + 1]; b++)
                line(f, xs[l] + 9, ys[l][a], xs[l + 1] - 9, ys[l + 1][b], DROPPED, 0.8, 0, NULL);
    for (int l = 0; l < 3; l++)
        for (int a = 0; a < drawn[l]; a++)
            circle(f, xs[l], ys[l][a], 9, fills[l], INK, 1.2);
    for (int k = 0; k < K; k++)
        text(f, xs[2] + 16, ys[2][k] + 4, "start", "font-size=\"11\" fill=\"" GREY "\"", "%d", k);
    /* the layers, named with their widths */
    const char *names[3] = {"input: D = %d pixels", "hidden: H = %d units", "output: K = %d classes"};
    for (int l = 0; l < 3; l++)
        text(f, xs[l], top - 40, "middle", "font-weight=\"bold\"", names[l], counts[l]);
    text(f, xs[1], top - 20, "middle", "font-size=\"12\" fill=\"" GREY "\"", "ReLU");
    text(f, xs[2], top - 20, "middle", "font-size=\"12\" fill=\"" GREY "\"", "softmax");
    /* the parameters between the layers */
    char label[64];
    for (int l = 0; l < 2; l++) {
        double mx = (xs[l] + xs[l + 1]) / 2;
        snprintf(label, sizeof label, "W_{%d}: %d × %d", l + 1, counts[l], counts[l + 1]);
        rect(f, mx - 62, top + height + 6, 124, 44, "white", ORANGE, 1.5);
        text(f, mx, top + height + 24, "middle", "fill=\"" ORANGE "\"", "%s", label);
        text(f, mx, top + height + 42, "middle", "fill=\"" ORANGE "\"", "b_{%d}: 1 × %d", l + 1, counts[l + 1]);
    }
    /* the shapes of a batch, under each layer */
    double y = top + height + 90;
    text(f, 20, y - 18, "start", "font-weight=\"bold\"", "A batch of N = %d images, one per row:", N);
    const char *batch[3][2] = {{"X", "N × D"}, {"Z_{1}, A_{1}", "N × H"}, {"Z_{2}, A_{2}", "N × K"}};
    for (int l = 0; l < 3; l++) {
        rect(f, xs[l] - 70, y, 140, 46, l == 0 ? PALE : l == 1 ? PALE_BLUE : PALE_GREEN, INK, 1);
        text(f, xs[l], y + 18, "middle", "font-weight=\"bold\"", "%s", batch[l][0]);
        text(f, xs[l], y + 37, "middle", "", "%s = %d × %d", batch[l][1], N, counts[l]);
    }
    arrow(f, xs[0] + 74, y + 23, xs[1] - 74, y + 23, "blue", BLUE);
    arrow(f, xs[1] + 74, y + 23, xs[2] - 74, y + 23, "blue", BLUE);
    text(f, (xs[0] + xs[1]) / 2, y + 44, "middle", "font-size=\"12\" fill=\"" BLUE "\"", "Z_{1} = X W_{1} + b_{1}");
    text(f, (xs[1] + xs[2]) / 2, y + 44, "middle", "font-size=\"12\" fill=\"" BLUE "\"", "Z_{2} = A_{1} W_{2} + b_{2}");
    rect(f, xs[2] - 70, y + 62, 140, 46, PALE, INK, 1);
    text(f, xs[2], y + 80, "middle", "font-weight=\"bold\"", "Y = one_hot(labels)");
    text(f, xs[2], y + 99, "middle", "", "N × K = %d × %d", N, K);
    text(f, xs[2] - 80, y + 89, "end", "font-size=\"12\" fill=\"" GREY "\"", "the targets, one row per image, beside A_{2}");
    figure_close(f);
}

/* ---- 3.4: the forward and backward passes of the 2-layer MLP ---------------- */

/* A box of a matrix: its formula on the first line, its shape on the next ones, in the colour of its pass. */
static void flow_box(FILE *f, double x, double y, double w, double h, const char *colour, const char *fill,
                     const char *formula, const char *shape, const char *note)
{
    rect(f, x, y, w, h, fill, colour, 1.5);
    text(f, x + w / 2, y + 20, "middle", "font-weight=\"bold\"", "%s", formula);
    text(f, x + w / 2, y + 38, "middle", "", "%s", shape);
    if (note)
        text(f, x + w / 2, y + 55, "middle", "font-size=\"12\" fill=\"" GREY "\"", "%s", note);
}

static void figure_backprop_flow(void)
{
    const char *folder = "3.4-backpropagation";
    FILE *f = figure_open(folder, "3.4-forward-backward.svg", 700, 584,
                          "The forward and the backward pass of the 2-layer MLP, with every shape");
    const int N = 64, D = 784, H = 256, K = 10;
    char shape[96], note[96];
    const double w = 200, h = 64, gap = 26, fx = 20, bx = 250, px = 480;
    double y0 = 70;
    text(f, 20, 24, "start", "font-weight=\"bold\"", "One step of the %d → %d → %d network on a batch of N = %d", D, H, K, N);
    arrow(f, 20, 44, 60, 44, "blue", BLUE);
    text(f, 66, 49, "start", "fill=\"" BLUE "\"", "forward");
    arrow(f, 160, 44, 200, 44, "orange", ORANGE);
    text(f, 206, 49, "start", "fill=\"" ORANGE "\"", "backward");
    text(f, 300, 49, "start", "fill=\"" GREY "\"", "D features, H hidden units, K classes");
    /* the forward column */
    const char *forward[][3] = {{"X", "N × D", "a batch of images"},
                                {"Z_{1} = X W_{1} + b_{1}", "N × H", NULL},
                                {"A_{1} = ReLU(Z_{1})", "N × H", NULL},
                                {"Z_{2} = A_{1} W_{2} + b_{2}", "N × K", NULL},
                                {"A_{2} = softmax(Z_{2})", "N × K", "probabilities"}};
    const int columns[] = {D, H, H, K, K};
    for (int i = 0; i < 5; i++) {
        double y = y0 + i * (h + gap);
        snprintf(shape, sizeof shape, "%s = %d × %d", forward[i][1], N, columns[i]);
        flow_box(f, fx, y, w, h, BLUE, "white", forward[i][0], shape, forward[i][2]);
        if (i > 0)
            arrow(f, fx + w / 2, y - gap, fx + w / 2, y - 1, "blue", BLUE);
    }
    /* the parameters, beside the products that read them */
    snprintf(note, sizeof note, "W_{1}: D × H = %d × %d,  b_{1}: 1 × H", D, H);
    text(f, fx + w / 2, y0 + 1 * (h + gap) + 55, "middle", "font-size=\"12\" fill=\"" GREY "\"", "%s", note);
    snprintf(note, sizeof note, "W_{2}: H × K = %d × %d,  b_{2}: 1 × K", H, K);
    text(f, fx + w / 2, y0 + 3 * (h + gap) + 55, "middle", "font-size=\"12\" fill=\"" GREY "\"", "%s", note);
    /* the loss, from A2 and Y */
    double ly = y0 + 5 * (h + gap), row4 = y0 + 4 * (h + gap);
    flow_box(f, fx, ly, w, 48, INK, "white", "L = cross-entropy(A_{2}, Y)", "one number", NULL);
    arrow(f, fx + w / 2, ly - gap, fx + w / 2, ly - 1, "blue", BLUE);
    snprintf(shape, sizeof shape, "N × K = %d × %d", N, K);
    flow_box(f, px, ly, 200, 48, INK, PALE, "Y (one-hot labels)", shape, NULL);
    arrow(f, px - 1, ly + 24, fx + w + 1, ly + 24, "ink", INK);
    arrow(f, px + 30, ly - 1, bx + w - 30, row4 + h + 1, "ink", INK);
    /* the backward column, from the loss up: dZ2 beside A2, dA1 beside Z2, dZ1 beside A1 */
    const char *backward[][3] = {{"dZ_{1} = dA_{1} ⊙ ReLU′(Z_{1})", "N × H", "0 where Z_{1} ≤ 0"},
                                 {"dA_{1} = dZ_{2} W_{2}^{T}", "N × H", "(N × K)(K × H)"},
                                 {"dZ_{2} = (A_{2} − Y) / N", "N × K", "softmax and cross-entropy"}};
    const int backward_columns[] = {H, H, K};
    for (int i = 0; i < 3; i++) {
        double y = y0 + (i + 2) * (h + gap);
        snprintf(shape, sizeof shape, "%s = %d × %d", backward[i][1], N, backward_columns[i]);
        flow_box(f, bx, y, w, h, ORANGE, "white", backward[i][0], shape, backward[i][2]);
        if (i < 2)
            arrow(f, bx + w / 2, y + h + gap - 1, bx + w / 2, y + h + 1, "orange", ORANGE);
    }
    arrow(f, fx + w - 30, ly - 1, bx + 30, row4 + h + 1, "orange", ORANGE);
    /* the gradients of the parameters, beside the deltas they come from */
    const double pw = 200;
    double row2 = y0 + 2 * (h + gap);
    snprintf(shape, sizeof shape, "D × H = %d × %d", D, H);
    flow_box(f, px, row2, pw, h, ORANGE, PALE_ORANGE, "dW_{1} = X^{T} dZ_{1}", shape, "(D × N)(N × H), as W_{1}");
    text(f, px + pw / 2, row2 + h + 16, "middle", "font-size=\"12\"", "db_{1} = the sum of dZ_{1}'s rows: 1 × H");
    snprintf(shape, sizeof shape, "H × K = %d × %d", H, K);
    flow_box(f, px, row4, pw, h, ORANGE, PALE_ORANGE, "dW_{2} = A_{1}^{T} dZ_{2}", shape, "(H × N)(N × K), as W_{2}");
    text(f, px + pw / 2, row4 - 8, "middle", "font-size=\"12\"", "db_{2} = the sum of dZ_{2}'s rows: 1 × K");
    arrow(f, bx + w + 1, row4 + h / 2, px - 1, row4 + h / 2, "orange", ORANGE);
    arrow(f, bx + w + 1, row2 + h / 2, px - 1, row2 + h / 2, "orange", ORANGE);
    text(f, px + pw / 2, y0 + 20, "middle", "fill=\"" GREY "\"", "each gradient dM has the shape");
    text(f, px + pw / 2, y0 + 40, "middle", "fill=\"" GREY "\"", "of M, the matrix it is the");
    text(f, px + pw / 2, y0 + 60, "middle", "fill=\"" GREY "\"", "gradient of");
    figure_close(f);
}

/* ---- 4.2: the sliding window, and im2col ------------------------------------ */

static void figure_sliding_window(void)
{
    const char *folder = "4.2-convolution";
    FILE *f = figure_open(folder, "4.2-sliding-window.svg", 660, 350,
                          "A 3 x 3 filter sliding over a 5 x 7 image with stride 2");
    const int IH = 5, IW = 7, k = 3, stride = 2;
    const int OH = conv_output_size(IH, k, stride), OW = conv_output_size(IW, k, stride);
    const int oy = 1, ox = 1; /* the output position drawn */
    const double cell = 34, x0 = 50, y0 = 70;
    text(f, x0 + IW * cell / 2, y0 - 32, "middle", "font-weight=\"bold\"", "the image");
    text(f, x0 + IW * cell / 2, y0 - 12, "middle", "", "IH × IW = %d × %d", IH, IW);
    const char *fills[5 * 7] = {0};
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++)
            fills[(oy * stride + i) * IW + ox * stride + j] = PALE_ORANGE;
    matrix(f, x0, y0, cell, IH, IW, NULL, NULL, fills, NULL);
    /* the window before, one step to the left, dashed; and the step between them */
    fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"" GREY
               "\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n",
            x0 + (ox - 1) * stride * cell + 3, y0 + oy * stride * cell + 3, k * cell - 6, k * cell - 6);
    fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"" ORANGE
               "\" stroke-width=\"3\"/>\n",
            x0 + ox * stride * cell, y0 + oy * stride * cell, k * cell, k * cell);
    double ay = y0 + IH * cell + 22;
    arrow(f, x0 + (ox - 1) * stride * cell, ay, x0 + ox * stride * cell - 2, ay, "ink", INK);
    text(f, x0 + ox * stride * cell + 6, ay + 5, "start", "", "stride %d", stride);
    text(f, x0, ay + 28, "start", "", "dashed: the window of output (%d, %d); orange: that of (%d, %d), k × k = %d × %d",
         oy, ox - 1, oy, ox, k, k);
    /* the output */
    const double xo = 400;
    text(f, xo + OW * cell / 2, y0 - 32, "middle", "font-weight=\"bold\"", "the output");
    text(f, xo + OW * cell / 2, y0 - 12, "middle", "", "OH × OW = %d × %d", OH, OW);
    const char *out_fills[2 * 3] = {0};
    out_fills[oy * OW + ox] = PALE_ORANGE;
    matrix(f, xo, y0, cell, OH, OW, NULL, NULL, out_fills, NULL);
    text(f, xo + (ox + 0.5) * cell, y0 + (oy + 0.5) * cell + 5, "middle", "font-size=\"12\"", "(%d,%d)", oy, ox);
    fprintf(f, "<path d=\"M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"none\" stroke=\"" ORANGE
               "\" stroke-width=\"2\" marker-end=\"url(#arrow-orange)\"/>\n",
            x0 + (ox * stride + k) * cell + 2, y0 + (oy * stride + 1) * cell, x0 + IW * cell + 40, y0 + (oy * stride + 1) * cell,
            xo - 40, y0 + (oy + 0.5) * cell, xo + ox * cell - 2, y0 + (oy + 0.5) * cell);
    double y = y0 + OH * cell + 40;
    text(f, xo - 20, y, "start", "", "output (y, x) = (%d, %d) reads the", oy, ox);
    text(f, xo - 20, y + 20, "start", "", "patch whose top-left pixel is");
    text(f, xo - 20, y + 40, "start", "", "(y·stride, x·stride) = (%d, %d)", oy * stride, ox * stride);
    text(f, x0, 332, "start", "", "OH = ⌊(IH − k) / stride⌋ + 1 = ⌊(%d − %d) / %d⌋ + 1 = %d,   OW = ⌊(%d − %d) / %d⌋ + 1 = %d",
         IH, k, stride, OH, IW, k, stride, OW);
    figure_close(f);
}

static void figure_im2col(void)
{
    const char *folder = "4.2-convolution";
    FILE *f = figure_open(folder, "4.2-im2col.svg", 660, 372,
                          "im2col: every patch in a row of its own, then one matrix product");
    enum { IH = 3, IW = 3, k = 2, OH = IH - k + 1, OW = IW - k + 1, P = OH * OW, Q = k * k };
    const float image[IH * IW] = {1, 2, 3, 4, 5, 6, 7, 8, 9}, W[Q] = {1, 2, 3, 4};
    float columns[P * Q], out[P];
    for (int y = 0; y < OH; y++)
        for (int x = 0; x < OW; x++)
            for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++)
                    columns[(y * OW + x) * Q + i * k + j] = image[(y + i) * IW + x + j];
    for (int p = 0; p < P; p++) {
        double sum = 0;
        for (int q = 0; q < Q; q++)
            sum += W[q] * columns[p * Q + q];
        out[p] = (float)sum;
    }
    const int shown = 1, sy = shown / OW, sx = shown % OW; /* the patch drawn, output position (0, 1) */
    const double cell = 40, x0 = 40, y0 = 70;
    text(f, x0 + IW * cell / 2, y0 - 32, "middle", "font-weight=\"bold\"", "the image");
    text(f, x0 + IW * cell / 2, y0 - 12, "middle", "", "IH × IW = %d × %d", IH, IW);
    const char *fills[IH * IW] = {0};
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++)
            fills[(sy + i) * IW + sx + j] = PALE_ORANGE;
    matrix(f, x0, y0, cell, IH, IW, image, "%.0f", fills, NULL);
    rect(f, x0 + sx * cell, y0 + sy * cell, k * cell, k * cell, "none", ORANGE, 3);
    text(f, x0 + IW * cell / 2, y0 + IH * cell + 22, "middle", "fill=\"" ORANGE "\"", "the patch of output (%d, %d)", sy, sx);
    text(f, x0 + IW * cell / 2, y0 + IH * cell + 42, "middle", "", "k = %d, stride 1", k);
    /* the columns matrix */
    const double xc = 330;
    text(f, xc + Q * cell / 2, y0 - 32, "middle", "font-weight=\"bold\"", "columns");
    text(f, xc + Q * cell / 2, y0 - 12, "middle", "", "(N·OH·OW) × (C·k^{2}) = %d × %d", P, Q);
    const char *column_fills[P * Q] = {0};
    for (int q = 0; q < Q; q++)
        column_fills[shown * Q + q] = PALE_ORANGE;
    matrix(f, xc, y0, cell, P, Q, columns, "%.0f", column_fills, NULL);
    rect(f, xc, y0 + shown * cell, Q * cell, cell, "none", ORANGE, 3);
    for (int p = 0; p < P; p++)
        text(f, xc + Q * cell + 10, y0 + (p + 0.5) * cell + 5, "start", "font-size=\"12\" fill=\"" GREY "\"",
             "output (%d, %d)", p / OW, p % OW);
    fprintf(f, "<path d=\"M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"none\" stroke=\"" ORANGE
               "\" stroke-width=\"2\" marker-end=\"url(#arrow-orange)\"/>\n",
            x0 + (sx + k) * cell + 3, y0 + sy * cell + cell, x0 + IW * cell + 70, y0 + cell,
            xc - 80, y0 + (shown + 0.5) * cell, xc - 3, y0 + (shown + 0.5) * cell);
    text(f, (x0 + IW * cell + xc) / 2, y0 + 14, "middle", "font-size=\"12\" fill=\"" GREY "\"", "its pixels, row by row");
    /* the product with the filters */
    double y = y0 + P * cell + 50, xw = 40;
    text(f, xw, y + cell / 2 + 5, "start", "font-weight=\"bold\"", "out = W columns^{T}:");
    xw += 165;
    text(f, xw + Q * cell / 2, y - 10, "middle", "", "W: F × (C·k^{2}) = 1 × %d", Q);
    matrix(f, xw, y, cell, 1, Q, W, "%.0f", NULL, NULL);
    double xr = xw + Q * cell + 70;
    text(f, xw + Q * cell + 35, y + cell / 2 + 6, "middle", "font-size=\"18\"", "→");
    text(f, xr + P * cell / 2, y - 10, "middle", "", "out: F × (OH·OW) = 1 × %d", P);
    const char *out_fills[P] = {0};
    out_fills[shown] = PALE_GREEN;
    matrix(f, xr, y, cell, 1, P, out, "%.0f", out_fills, (int[P]){[shown] = 1});
    text(f, 40, y + cell + 32, "start", "", "%g = %g·%g + %g·%g + %g·%g + %g·%g: the filter's row times the patch's row", out[shown],
         W[0], columns[shown * Q], W[1], columns[shown * Q + 1], W[2], columns[shown * Q + 2], W[3], columns[shown * Q + 3]);
    figure_close(f);
}

/* ---- 4.3: max pooling forward, and its gradient going to the argmax -------- */

static void figure_max_pool(void)
{
    const char *folder = "4.3-pooling-cnn";
    FILE *f = figure_open(folder, "4.3-max-pool.svg", 660, 520,
                          "Max pooling of a 4 x 4 image with 2 x 2 windows, and its gradient going to the argmax");
    enum { IH = 4, IW = 4, size = 2, PH = IH / size, PW = IW / size };
    const float X[IH * IW] = {1, 3, 2, 0, 4, 2, 1, 5, 0, 0, 7, 1, 0, 0, 2, 3}, dout[PH * PW] = {0.1f, 0.2f, 0.3f, 0.4f};
    float out[PH * PW], argmax_values[PH * PW], dX[IH * IW] = {0};
    int argmax[PH * PW];
    for (int py = 0; py < PH; py++)
        for (int px = 0; px < PW; px++) {
            int best = (py * size) * IW + px * size; /* the first cell wins a tie: replace only by a larger value */
            for (int i = 0; i < size; i++)
                for (int j = 0; j < size; j++)
                    if (X[(py * size + i) * IW + px * size + j] > X[best])
                        best = (py * size + i) * IW + px * size + j;
            argmax[py * PW + px] = best;
            argmax_values[py * PW + px] = (float)best;
            out[py * PW + px] = X[best];
        }
    for (int o = 0; o < PH * PW; o++)
        dX[argmax[o]] += dout[o];
    /* each window its own colour */
    const char *window_fills[PH * PW] = {PALE_BLUE, PALE_ORANGE, PALE_GREEN, PALE_PURPLE};
    const char *fills[IH * IW], *pooled_fills[PH * PW];
    int winners[IH * IW] = {0};
    for (int i = 0; i < IH; i++)
        for (int j = 0; j < IW; j++)
            fills[i * IW + j] = window_fills[(i / size) * PW + j / size];
    for (int o = 0; o < PH * PW; o++)
        pooled_fills[o] = window_fills[o], winners[argmax[o]] = 1;
    const double cell = 40, x0 = 40, y0 = 70;
    text(f, 20, 24, "start", "font-weight=\"bold\"", "Forward: max_pool, size %d (2 × 2 windows, stride 2)", size);
    text(f, x0 + IW * cell / 2, y0 - 12, "middle", "", "X: IH × IW = %d × %d", IH, IW);
    matrix(f, x0, y0, cell, IH, IW, X, "%.0f", fills, winners);
    for (int o = 0; o < PH * PW; o++)
        circle(f, x0 + (argmax[o] % IW + 0.5) * cell, y0 + (argmax[o] / IW + 0.5) * cell, 14, "none", INK, 1.5);
    for (int w = 1; w < PW; w++)
        line(f, x0 + w * size * cell, y0, x0 + w * size * cell, y0 + IH * cell, INK, 2.5, 0, NULL);
    for (int w = 1; w < PH; w++)
        line(f, x0, y0 + w * size * cell, x0 + IW * cell, y0 + w * size * cell, INK, 2.5, 0, NULL);
    arrow(f, x0 + IW * cell + 12, y0 + IH * cell / 2, x0 + IW * cell + 72, y0 + IH * cell / 2, "blue", BLUE);
    double xo = x0 + IW * cell + 90, yo = y0 + cell;
    text(f, xo + PW * cell / 2, yo - 12, "middle", "", "out: PH × PW = %d × %d", PH, PW);
    matrix(f, xo, yo, cell, PH, PW, out, "%.0f", pooled_fills, NULL);
    double xa = xo + PW * cell + 50;
    text(f, xa + PW * cell / 2, yo - 12, "middle", "", "argmax");
    matrix(f, xa, yo, cell, PH, PW, argmax_values, "%.0f", pooled_fills, NULL);
    text(f, xa + PW * cell + 14, yo + 14, "start", "font-size=\"12\" fill=\"" GREY "\"", "where each maximum");
    text(f, xa + PW * cell + 14, yo + 30, "start", "font-size=\"12\" fill=\"" GREY "\"", "came from: its index");
    text(f, xa + PW * cell + 14, yo + 46, "start", "font-size=\"12\" fill=\"" GREY "\"", "in the row of %d pixels", IH * IW);
    text(f, x0, y0 + IH * cell + 20, "start", "font-size=\"12\" fill=\"" GREY "\"",
         "the four 0s tie: the first cell (index %d) wins", argmax[2]);
    /* the backward pass */
    double y1 = y0 + IH * cell + 100;
    text(f, 20, y1 - 36, "start", "font-weight=\"bold\"", "Backward: backward_max_pool sends each gradient to its argmax");
    text(f, x0 + PW * cell / 2, y1 + cell - 12, "middle", "", "dout: %d × %d", PH, PW);
    matrix(f, x0, y1 + cell, cell, PH, PW, dout, "%.1f", pooled_fills, NULL);
    arrow(f, x0 + PW * cell + 16, y1 + 2 * cell, x0 + PW * cell + 86, y1 + 2 * cell, "orange", ORANGE);
    double xd = x0 + PW * cell + 110;
    const char *gradient_fills[IH * IW];
    for (int i = 0; i < IH * IW; i++)
        gradient_fills[i] = winners[i] ? fills[i] : "white";
    text(f, xd + IW * cell / 2, y1 - 12, "middle", "", "dX: IH × IW = %d × %d", IH, IW);
    matrix(f, xd, y1, cell, IH, IW, dX, "%.1f", gradient_fills, winners);
    for (int w = 1; w < PW; w++)
        line(f, xd + w * size * cell, y1, xd + w * size * cell, y1 + IH * cell, INK, 2.5, 0, NULL);
    for (int w = 1; w < PH; w++)
        line(f, xd, y1 + w * size * cell, xd + IW * cell, y1 + w * size * cell, INK, 2.5, 0, NULL);
    double xt = xd + IW * cell + 20;
    text(f, xt, y1 + 40, "start", "", "dX[argmax[o]] += dout[o]");
    text(f, xt, y1 + 64, "start", "", "the other 12 pixels get 0:");
    text(f, xt, y1 + 84, "start", "", "they did not change out");
    text(f, xt, y1 + 116, "start", "fill=\"" GREY "\"", "no X needed, only argmax");
    figure_close(f);
}

/* ---- 4.4: dropout's mask ---------------------------------------------------- */

static void figure_dropout(void)
{
    const char *folder = "4.4-regularization";
    FILE *f = figure_open(folder, "4.4-dropout-mask.svg", 660, 370, "Inverted dropout: the activations, the mask and the result");
    enum { rows = 2, cols = 4 };
    const float rate = 0.5f, A[rows * cols] = {1, 2, 3, 4, 5, 6, 7, 8};
    float draws[rows * cols], mask[rows * cols], out[rows * cols];
    KitRng rng;
    kit_rng_seed(&rng, 7);
    for (int i = 0; i < rows * cols; i++) { /* one draw per element, in row-major order, as dropout draws them */
        draws[i] = kit_rng_uniform(&rng);
        mask[i] = draws[i] >= rate ? 1 / (1 - rate) : 0;
        out[i] = A[i] * mask[i];
    }
    const char *fills[rows * cols];
    int kept = 0;
    for (int i = 0; i < rows * cols; i++)
        fills[i] = mask[i] != 0 ? "white" : DROPPED, kept += mask[i] != 0;
    const double cell = 46, y0 = 90, yb = 250;
    text(f, 20, 24, "start", "font-weight=\"bold\"", "Dropout with rate p = %g, in training", rate);
    text(f, 40, y0 - 12, "start", "", "the draws u of kit_rng_uniform after kit_rng_seed(rng, 7)");
    matrix(f, 40, y0, cell * 1.3, rows, cols, draws, "%.4f", fills, NULL);
    double xt = 40 + cols * cell * 1.3 + 30;
    text(f, xt, y0 + 20, "start", "", "u ≥ p: kept, the mask is 1 / (1 − p) = %g", 1 / (1 - rate));
    text(f, xt, y0 + 44, "start", "", "u < p: dropped, the mask is 0");
    text(f, xt, y0 + 76, "start", "fill=\"" GREY "\"", "%d of %d kept, each doubled:", kept, rows * cols);
    text(f, xt, y0 + 96, "start", "fill=\"" GREY "\"", "on average the mask is 1");
    /* A, the mask, the result */
    const double small = 40, xa = 40, xm = 250, xo = 460;
    text(f, xa + cols * small / 2, yb - 12, "middle", "", "A (%d × %d)", rows, cols);
    matrix(f, xa, yb, small, rows, cols, A, "%.0f", NULL, NULL);
    text(f, (xa + cols * small + xm) / 2, yb + small + 7, "middle", "font-size=\"20\"", "⊙");
    text(f, xm + cols * small / 2, yb - 12, "middle", "", "the mask M");
    matrix(f, xm, yb, small, rows, cols, mask, "%.0f", fills, NULL);
    text(f, (xm + cols * small + xo) / 2, yb + small + 7, "middle", "font-size=\"20\"", "=");
    text(f, xo + cols * small / 2, yb - 12, "middle", "", "out = A ⊙ M");
    matrix(f, xo, yb, small, rows, cols, out, "%.0f", fills, NULL);
    text(f, 40, yb + rows * small + 30, "start", "fill=\"" GREY "\"",
         "grey: the dropped units. The backward pass multiplies the gradient by the same mask.");
    figure_close(f);
}

int main(int argc, char **argv)
{
    if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
        fprintf(stderr, "usage: %s [ROOT]   (writes ROOT/<folder>/pictures/*.svg; ROOT is lessons by default)\n", argv[0]);
        return 2;
    }
    if (argc == 2)
        root = argv[1];
    figure_broadcast();
    figure_normalize_columns();
    figure_angle();
    figure_row_times_column();
    figure_sigmoid_relu();
    figure_secants();
    figure_decision_boundary();
    figure_xor();
    figure_network();
    figure_backprop_flow();
    figure_sliding_window();
    figure_im2col();
    figure_max_pool();
    figure_dropout();
    return 0;
}
