/* plot.c: PNG pictures (with libpng) in the style of matplotlib's: line charts, a scatter with a fitted line,
 * grids of grayscale images with captions, and a confusion matrix heat map, their text in the kit's bitmap font
 * (font.c). A picture is drawn in RGB, then written with the fewest bytes a pixel that keeps it exact: gray, a
 * palette of at most 256 colours, or RGB. */
#include "kit.h"
#include "font.h"

#include <errno.h>
#include <math.h>
#include <png.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The size of a chart, and of its text: each pixel of a glyph a TEXT x TEXT square. */
#define CHART_WIDTH 800
#define CHART_HEIGHT 500
#define TEXT 2

typedef unsigned char Rgb[3];

/* The colours of the curves, in order (matplotlib's), and their names for the demos' printed legends. */
static const Rgb palette[KIT_PLOT_MAX_CURVES] = {
    {31, 119, 180}, {255, 127, 14}, {44, 160, 44}, {214, 39, 40},
    {148, 103, 189}, {140, 86, 75}, {227, 119, 194}, {127, 127, 127},
};

const char *const kit_plot_color_names[KIT_PLOT_MAX_CURVES] = {"blue", "orange", "green", "red",
                                                               "purple", "brown", "pink", "grey"};

static const Rgb white = {255, 255, 255}, black = {0, 0, 0}, ink = {40, 40, 40}, grid_grey = {226, 226, 226},
                 frame_grey = {150, 150, 150}, legend_border = {200, 200, 200}, bad_red = {220, 30, 30};

/* ---- the canvas ------------------------------------------------------------ */

/* width x height RGB pixels, row by row; drawing outside the clip rectangle does nothing. */
typedef struct {
    int width, height;
    unsigned char *pixels;
    int clip_left, clip_top, clip_right, clip_bottom; /* the drawable pixels: left <= x < right, top <= y < bottom */
    int below;                                        /* rows kept under a chart for its legend */
} Canvas;

static int canvas_create(Canvas *c, int width, int height)
{
    c->width = width, c->height = height;
    c->pixels = malloc((size_t)width * (size_t)height * 3);
    if (c->pixels == NULL)
        return -1;
    memset(c->pixels, 255, (size_t)width * (size_t)height * 3);
    c->clip_left = 0, c->clip_top = 0, c->clip_right = width, c->clip_bottom = height;
    c->below = 0;
    return 0;
}

static void clip(Canvas *c, int left, int top, int right, int bottom)
{
    c->clip_left = left, c->clip_top = top, c->clip_right = right, c->clip_bottom = bottom;
}

static void unclip(Canvas *c)
{
    clip(c, 0, 0, c->width, c->height);
}

static void put(Canvas *c, int x, int y, const unsigned char *rgb)
{
    if (x < c->clip_left || y < c->clip_top || x >= c->clip_right || y >= c->clip_bottom)
        return;
    memcpy(c->pixels + 3 * ((size_t)y * (size_t)c->width + (size_t)x), rgb, 3);
}

static const unsigned char *pixel_at(const Canvas *c, int x, int y)
{
    return c->pixels + 3 * ((size_t)y * (size_t)c->width + (size_t)x);
}

static void fill_rect(Canvas *c, int left, int top, int width, int height, const unsigned char *rgb)
{
    for (int y = top; y < top + height; y++)
        for (int x = left; x < left + width; x++)
            put(c, x, y, rgb);
}

static void rect_outline(Canvas *c, int left, int top, int width, int height, const unsigned char *rgb)
{
    fill_rect(c, left, top, width, 1, rgb);
    fill_rect(c, left, top + height - 1, width, 1, rgb);
    fill_rect(c, left, top, 1, height, rgb);
    fill_rect(c, left + width - 1, top, 1, height, rgb);
}

/* A line from (x0, y0) to (x1, y1) (Bresenham's algorithm), thick pixels wide. */
static void line(Canvas *c, int x0, int y0, int x1, int y1, const unsigned char *rgb, int thick)
{
    int dx = abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
    int dy = -abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
    int error = dx + dy;
    for (;;) {
        fill_rect(c, x0 - (thick - 1) / 2, y0 - (thick - 1) / 2, thick, thick, rgb);
        if (x0 == x1 && y0 == y1)
            break;
        int e2 = 2 * error;
        if (e2 >= dy)
            error += dy, x0 += sx;
        if (e2 <= dx)
            error += dx, y0 += sy;
    }
}

static void dot(Canvas *c, int cx, int cy, int radius, const unsigned char *rgb)
{
    for (int y = -radius; y <= radius; y++)
        for (int x = -radius; x <= radius; x++)
            if (x * x + y * y <= radius * radius + radius)
                put(c, cx + x, cy + y, rgb);
}

/* ---- text -------------------------------------------------------------------- */

/* The width in pixels of text drawn with each glyph pixel a scale x scale square (one empty column between glyphs). */
static int text_width(const char *text, int scale)
{
    int n = (int)strlen(text);
    return n ? (n * (KIT_FONT_WIDTH + 1) - 1) * scale : 0;
}

/* Draws text with its top left corner at (x, y): capital letters are KIT_FONT_ASCENT * scale pixels tall. */
static void draw_text(Canvas *c, int x, int y, const char *text, int scale, const unsigned char *rgb)
{
    for (const char *p = text; *p; p++, x += (KIT_FONT_WIDTH + 1) * scale) {
        const unsigned char *rows = kit_font_glyph(*p);
        for (int r = 0; r < KIT_FONT_HEIGHT; r++)
            for (int k = 0; k < KIT_FONT_WIDTH; k++)
                if (rows[r] >> (KIT_FONT_WIDTH - 1 - k) & 1)
                    fill_rect(c, x + k * scale, y + r * scale, scale, scale, rgb);
    }
}

/* Draws text turned a quarter to the left (read from the bottom up), its first letter's bottom left corner at
 * (x, y): the letters' tops face left, so the text occupies x to x + KIT_FONT_HEIGHT * scale. */
static void draw_text_up(Canvas *c, int x, int y, const char *text, int scale, const unsigned char *rgb)
{
    for (const char *p = text; *p; p++, y -= (KIT_FONT_WIDTH + 1) * scale) {
        const unsigned char *rows = kit_font_glyph(*p);
        for (int r = 0; r < KIT_FONT_HEIGHT; r++)
            for (int k = 0; k < KIT_FONT_WIDTH; k++)
                if (rows[r] >> (KIT_FONT_WIDTH - 1 - k) & 1)
                    fill_rect(c, x + r * scale, y - (k + 1) * scale, scale, scale, rgb);
    }
}

static void draw_text_centered(Canvas *c, int center_x, int y, const char *text, int scale, const unsigned char *rgb)
{
    draw_text(c, center_x - text_width(text, scale) / 2, y, text, scale, rgb);
}

/* ---- axes ------------------------------------------------------------------ */

/* One axis: the values from low to high drawn from pixel `from` to pixel `to` (to < from for the y axis, which
 * grows upward), numbered at first, first + step, ... up to high; on a log axis the values are powers of ten
 * (low, high, first and step in decades). */
typedef struct {
    double low, high;
    int log;
    double first, step;
    int from, to;
} Axis;

static double axis_pixel(const Axis *a, double value)
{
    return a->from + (value - a->low) / (a->high - a->low) * (a->to - a->from);
}

/* A round step (1, 2, 2.5 or 5 times a power of ten) near range / wanted. */
static double round_step(double range, int wanted)
{
    double rough = range / (wanted > 0 ? wanted : 1);
    double power = pow(10.0, floor(log10(rough)));
    double steps[] = {1, 2, 2.5, 5, 10};
    for (int k = 0; k < 5; k++)
        if (steps[k] * power >= rough * 0.999)
            return steps[k] * power;
    return 10 * power;
}

static void axis_ticks(Axis *a, int wanted)
{
    if (a->log) {
        a->step = ceil((a->high - a->low) / (wanted > 0 ? wanted : 1));
        if (a->step < 1)
            a->step = 1;
        a->first = ceil(a->low / a->step - 1e-9) * a->step;
    } else {
        a->step = round_step(a->high - a->low, wanted);
        a->first = ceil(a->low / a->step - 1e-9) * a->step;
    }
}

/* The number at a linear tick, with as many decimals as the step needs ("0.25", "10", "-1.5"). */
static void tick_text(const Axis *a, double value, char *text, size_t size)
{
    int decimals = 0;
    double step = a->step;
    while (decimals < 8 && fabs(step - round(step)) > 1e-6 * fabs(step))
        step *= 10, decimals++;
    if (fabs(value) < 1e-9 * a->step)
        value = 0; /* no "-0" */
    snprintf(text, size, "%.*f", decimals, value);
}

/* The width of the label of a tick, a power of ten on a log axis: "10" and its exponent, raised. */
static int tick_label_width(const Axis *a, double value)
{
    char text[64];
    if (a->log) {
        snprintf(text, sizeof text, "%d", (int)lround(value));
        return text_width("10", TEXT) + 2 + text_width(text, TEXT);
    }
    tick_text(a, value, text, sizeof text);
    return text_width(text, TEXT);
}

/* Draws the tick's label with its top left corner at (x, y). */
static void draw_tick_label(Canvas *c, const Axis *a, double value, int x, int y)
{
    char text[64];
    if (a->log) {
        draw_text(c, x, y + 3 * TEXT / 2, "10", TEXT, ink);
        snprintf(text, sizeof text, "%d", (int)lround(value));
        draw_text(c, x + text_width("10", TEXT) + 2, y - 3 * TEXT, text, TEXT, ink);
        return;
    }
    tick_text(a, value, text, sizeof text);
    draw_text(c, x, y, text, TEXT, ink);
}

static int widest_tick_label(const Axis *a)
{
    int widest = 0;
    for (double v = a->first; v <= a->high + 1e-9 * (a->high - a->low); v += a->step) {
        int w = tick_label_width(a, v);
        widest = w > widest ? w : widest;
    }
    return widest;
}

/* The plot area of a chart and its two axes. */
typedef struct {
    int left, top, right, bottom;
    Axis x, y;
    const char *const *x_names; /* a bar chart's groups: x = 0, 1, ... named under the axis instead of numbered */
    int x_name_count;
} Frame;

#define TICK 5
#define GLYPH_TALL (KIT_FONT_ASCENT * TEXT)

/* Lays out a chart of the canvas's size for axes x and y (their ranges set): margins for the title, labels and
 * tick numbers, and the ticks of both axes. */
static void frame_layout(Frame *f, const Canvas *c, const KitChart *chart)
{
    axis_ticks(&f->y, 6);
    int left = 12 + (chart->y_label && *chart->y_label ? GLYPH_TALL + 14 : 0) + widest_tick_label(&f->y) + TICK + 6;
    int top = chart->title && *chart->title ? 20 + GLYPH_TALL + 18 : 20;
    int x_label_height = chart->x_label && *chart->x_label ? GLYPH_TALL + 14 : 0;
    int bottom = c->height - c->below - (TICK + 8 + GLYPH_TALL + 10 + x_label_height);
    f->left = left, f->top = top, f->bottom = bottom;
    f->right = c->width - 30;
    f->y.from = bottom - 1, f->y.to = top;
    f->x.from = left, f->x.to = f->right - 1;
    axis_ticks(&f->y, (bottom - top) / 55);
    /* as many x ticks as fit with room between their numbers (a bar chart names its groups instead) */
    for (int wanted = 10; wanted >= 1 && f->x_names == NULL; wanted--) {
        axis_ticks(&f->x, wanted);
        int room = (int)fabs(axis_pixel(&f->x, f->x.first + f->x.step) - axis_pixel(&f->x, f->x.first));
        if (room >= widest_tick_label(&f->x) + 24)
            break;
    }
}

/* Draws the grid lines, the frame, the ticks with their numbers, the axis labels and the title. */
static void frame_draw(Canvas *c, const Frame *f, const KitChart *chart)
{
    unclip(c);
    const Axis *x = &f->x, *y = &f->y;
    for (double v = y->first; v <= y->high + 1e-9 * (y->high - y->low); v += y->step) {
        int py = (int)lround(axis_pixel(y, v));
        fill_rect(c, f->left, py, f->right - f->left, 1, grid_grey);
        fill_rect(c, f->left - TICK, py, TICK, 1, ink);
        int w = tick_label_width(y, v);
        draw_tick_label(c, y, v, f->left - TICK - 4 - w, py - GLYPH_TALL / 2);
    }
    if (y->log && y->step == 1) /* short ticks at 2, 3, ... 9 times each power of ten */
        for (double decade = floor(y->low); decade < y->high; decade++)
            for (int m = 2; m <= 9; m++) {
                double v = decade + log10((double)m);
                if (v > y->low && v < y->high)
                    fill_rect(c, f->left - 3, (int)lround(axis_pixel(y, v)), 3, 1, ink);
            }
    for (int g = 0; g < f->x_name_count; g++) { /* the groups of a bar chart, each name under its middle */
        int px = (int)lround(axis_pixel(x, g));
        fill_rect(c, px, f->bottom, 1, TICK, ink);
        draw_text_centered(c, px, f->bottom + TICK + 6, f->x_names[g] ? f->x_names[g] : "", TEXT, ink);
    }
    for (double v = x->first; f->x_names == NULL && v <= x->high + 1e-9 * (x->high - x->low); v += x->step) {
        int px = (int)lround(axis_pixel(x, v));
        fill_rect(c, px, f->top, 1, f->bottom - f->top, grid_grey);
        fill_rect(c, px, f->bottom, 1, TICK, ink);
        int w = tick_label_width(x, v);
        draw_tick_label(c, x, v, px - w / 2, f->bottom + TICK + 6);
    }
    rect_outline(c, f->left - 1, f->top - 1, f->right - f->left + 2, f->bottom - f->top + 2, ink);
    if (chart->title && *chart->title) { /* over the plot area, or over the whole chart when it is wider */
        int w = text_width(chart->title, TEXT), center = (f->left + f->right) / 2;
        if (center + w / 2 > c->width - 8 || center - w / 2 < 8)
            center = c->width / 2;
        draw_text_centered(c, center, 20, chart->title, TEXT, black);
    }
    if (chart->x_label && *chart->x_label)
        draw_text_centered(c, (f->left + f->right) / 2, c->height - c->below - 14 - GLYPH_TALL, chart->x_label, TEXT,
                           ink);
    if (chart->y_label && *chart->y_label)
        draw_text_up(c, 12, (f->top + f->bottom) / 2 + text_width(chart->y_label, TEXT) / 2, chart->y_label, TEXT, ink);
}

/* The legend: a box with a short line of each named entry's colour and its name, in the corner of the plot area
 * where the fewest drawn pixels lie under it, or under the chart when the canvas keeps rows there (c->below).
 * Returns 0 when it is drawn (or there is nothing to draw); when it would hide part of a curve in every corner and
 * may_move is set, draws nothing and returns the rows it needs under the chart. */
static int draw_legend(Canvas *c, const Frame *f, const char *const *names, const unsigned char *const *colors,
                       const int *as_dot, int count, int may_move)
{
    int widest = 0, shown = 0;
    for (int k = 0; k < count; k++)
        if (names[k] && *names[k]) {
            int w = text_width(names[k], TEXT);
            widest = w > widest ? w : widest;
            shown++;
        }
    if (shown == 0)
        return 0;
    int row = GLYPH_TALL + 10, sample = 28;
    int width = 10 + sample + 8 + widest + 12, height = 8 + shown * row;
    int margin = 10;
    int lefts[4] = {f->right - margin - width, f->left + margin, f->right - margin - width, f->left + margin};
    int tops[4] = {f->top + margin, f->top + margin, f->bottom - margin - height, f->bottom - margin - height};
    int best = 0;
    long best_covered = -1;
    for (int k = 0; k < 4; k++) {
        long covered = 0;
        for (int y = tops[k]; y < tops[k] + height; y++)
            for (int x = lefts[k]; x < lefts[k] + width; x++) {
                if (x < 0 || y < 0 || x >= c->width || y >= c->height)
                    continue;
                const unsigned char *p = pixel_at(c, x, y);
                covered += memcmp(p, white, 3) != 0 && memcmp(p, grid_grey, 3) != 0;
            }
        if (best_covered < 0 || covered < best_covered)
            best = k, best_covered = covered;
    }
    if (may_move && best_covered > 0)
        return height + 12;
    int left = lefts[best], top = tops[best];
    if (c->below > 0)
        left = (f->left + f->right - width) / 2, top = c->height - c->below;
    fill_rect(c, left, top, width, height, white);
    rect_outline(c, left, top, width, height, legend_border);
    int y = top + 9;
    for (int k = 0; k < count; k++) {
        if (!(names[k] && *names[k]))
            continue;
        int middle = y + GLYPH_TALL / 2;
        if (as_dot && as_dot[k])
            dot(c, left + 10 + sample / 2, middle, 4, colors[k]);
        else
            fill_rect(c, left + 10, middle - 1, sample, 3, colors[k]);
        draw_text(c, left + 10 + sample + 8, y, names[k], TEXT, ink);
        y += row;
    }
    return 0;
}

/* ---- writing PNG files --------------------------------------------------------- */

static int fail(char *error, size_t error_size, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    vsnprintf(error, error_size, format, args);
    va_end(args);
    return -1;
}

/* The index of colour rgb in the palette of *count colours (added when new), or -1 when the 256 are taken. */
static int palette_index(unsigned char (*colors)[3], int *count, short *table, const unsigned char *rgb)
{
    unsigned slot = ((unsigned)rgb[0] * 73856093u ^ (unsigned)rgb[1] * 19349663u ^ (unsigned)rgb[2] * 83492791u) % 1024;
    for (;; slot = (slot + 1) % 1024) {
        if (table[slot] < 0)
            break;
        if (memcmp(colors[table[slot]], rgb, 3) == 0)
            return table[slot];
    }
    if (*count == 256)
        return -1;
    memcpy(colors[*count], rgb, 3);
    table[slot] = (short)*count;
    return (*count)++;
}

/* Writes the canvas's rows as a PNG file of the given colour type: rows holds 3 bytes a pixel for RGB, else 1 (a
 * gray level, or an index into the color_count colours). */
static int write_rows(const char *path, const Canvas *c, int type, const unsigned char *rows,
                      const unsigned char (*colors)[3], int color_count, char *error, size_t error_size)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return fail(error, error_size, "%s: cannot write: %s", path, strerror(errno));
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (png == NULL || info == NULL || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        fclose(f);
        return fail(error, error_size, "%s: libpng could not write the picture", path);
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)c->width, (png_uint_32)c->height, 8, type, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (type == PNG_COLOR_TYPE_PALETTE) {
        png_color entries[256];
        for (int k = 0; k < color_count; k++)
            entries[k] = (png_color){colors[k][0], colors[k][1], colors[k][2]};
        png_set_PLTE(png, info, entries, color_count);
    }
    png_set_compression_level(png, 9);
    png_write_info(png, info);
    size_t row_bytes = (size_t)c->width * (type == PNG_COLOR_TYPE_RGB ? 3 : 1);
    for (int y = 0; y < c->height; y++)
        png_write_row(png, rows + (size_t)y * row_bytes);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    if (fclose(f) != 0)
        return fail(error, error_size, "%s: cannot write: %s", path, strerror(errno));
    return 0;
}

/* Writes the canvas as a PNG file: gray when every pixel is, else with a palette when it has at most 256 colours,
 * else RGB. */
static int write_png(const char *path, const Canvas *c, char *error, size_t error_size)
{
    size_t n = (size_t)c->width * (size_t)c->height;
    int gray = 1;
    for (size_t p = 0; p < n && gray; p++)
        gray = c->pixels[3 * p] == c->pixels[3 * p + 1] && c->pixels[3 * p] == c->pixels[3 * p + 2];
    unsigned char colors[256][3];
    short table[1024];
    int color_count = 0, indexed = !gray;
    unsigned char *packed = malloc(n);
    if (packed == NULL)
        return fail(error, error_size, "%s: out of memory", path);
    memset(table, 0xff, sizeof table);
    for (size_t p = 0; p < n && indexed; p++) {
        int index = palette_index(colors, &color_count, table, c->pixels + 3 * p);
        if (index < 0)
            indexed = 0;
        packed[p] = (unsigned char)index;
    }
    if (gray)
        for (size_t p = 0; p < n; p++)
            packed[p] = c->pixels[3 * p];

    int type = gray ? PNG_COLOR_TYPE_GRAY : indexed ? PNG_COLOR_TYPE_PALETTE : PNG_COLOR_TYPE_RGB;
    int status = write_rows(path, c, type, type == PNG_COLOR_TYPE_RGB ? c->pixels : packed, colors, color_count, error,
                            error_size);
    free(packed);
    return status;
}

static int finish(const char *path, Canvas *c, char *error, size_t error_size)
{
    int status = write_png(path, c, error, error_size);
    free(c->pixels);
    return status;
}

/* ---- line charts ------------------------------------------------------------ */

static const KitChart no_chart_text = {0};

int kit_plot_curves(const char *path, const KitChart *chart, const KitCurve *curves, int curve_count,
                    char *error, size_t error_size)
{
    if (path == NULL)
        return fail(error, error_size, "kit_plot_curves: no path to write the chart to");
    if (curves == NULL || curve_count < 1 || curve_count > KIT_PLOT_MAX_CURVES)
        return fail(error, error_size, "%s: %d curves, expected 1 to %d", path, curves ? curve_count : 0,
                    KIT_PLOT_MAX_CURVES);
    if (chart == NULL)
        chart = &no_chart_text;
    double x_step = chart->x_step != 0 ? chart->x_step : 1.0;
    if (!isfinite(chart->x_first) || !isfinite(x_step) || x_step < 0)
        return fail(error, error_size, "%s: x_first %g and x_step %g: expected finite numbers, x_step above 0", path,
                    chart->x_first, chart->x_step);
    int longest = 0;
    for (int k = 0; k < curve_count; k++) {
        if (curves[k].count < 0 || (curves[k].count > 0 && curves[k].values == NULL))
            return fail(error, error_size, "%s: curve %d has %d values at %p", path, k, curves[k].count,
                        (const void *)curves[k].values);
        longest = curves[k].count > longest ? curves[k].count : longest;
    }
    /* the range of the finite values (of their logarithms on a log scale) */
    double low = INFINITY, high = -INFINITY;
    for (int k = 0; k < curve_count; k++)
        for (int i = 0; i < curves[k].count; i++) {
            double v = curves[k].values[i];
            if (chart->log_y)
                v = v > 0 ? log10(v) : NAN;
            if (isfinite(v))
                low = fmin(low, v), high = fmax(high, v);
        }
    if (!isfinite(low))
        low = 0, high = 1;
    Frame f = {0};
    if (chart->log_y) { /* whole decades, so that the axis starts and ends at powers of ten */
        low = floor(low + 1e-9), high = ceil(high - 1e-9);
        if (high <= low)
            high = low + 1;
    } else {
        if (high - low < 1e-12 * fmax(1.0, fabs(high)))
            low -= 0.5, high += 0.5;
        double pad = 0.05 * (high - low);
        low -= pad, high += pad;
    }
    f.y = (Axis){.low = low, .high = high, .log = chart->log_y};
    f.x = (Axis){.low = chart->x_first, .high = chart->x_first + x_step * (longest > 1 ? longest - 1 : 1)};

    const char *names[KIT_PLOT_MAX_CURVES];
    const unsigned char *colors[KIT_PLOT_MAX_CURVES];
    for (int k = 0; k < curve_count; k++)
        names[k] = curves[k].name, colors[k] = palette[k];
    Canvas c;
    /* drawn once with the legend inside; again, taller, with the legend under it when it would hide a curve */
    for (int below = 0;;) {
        if (canvas_create(&c, CHART_WIDTH, CHART_HEIGHT + below) != 0)
            return fail(error, error_size, "%s: out of memory", path);
        c.below = below;
        frame_layout(&f, &c, chart);
        frame_draw(&c, &f, chart);
        clip(&c, f.left, f.top, f.right, f.bottom);
        for (int k = 0; k < curve_count; k++) {
            int previous_x = 0, previous_y = 0;
            for (int i = 0; i < curves[k].count; i++) {
                double v = curves[k].values[i];
                if (chart->log_y)
                    v = v > 0 ? log10(v) : (v == 0 ? low : NAN);
                /* a value above the range (or inf or NaN: a diverging run) is drawn at the top edge */
                if (!isfinite(v))
                    v = high;
                v = fmin(fmax(v, low), high);
                int x = (int)lround(axis_pixel(&f.x, chart->x_first + x_step * i));
                int y = (int)lround(axis_pixel(&f.y, v));
                if (i > 0)
                    line(&c, previous_x, previous_y, x, y, palette[k], 2);
                else
                    fill_rect(&c, x, y, 2, 2, palette[k]);
                previous_x = x, previous_y = y;
            }
        }
        unclip(&c);
        int needed = draw_legend(&c, &f, names, colors, NULL, curve_count, below == 0);
        if (needed == 0)
            break;
        free(c.pixels);
        below = needed;
    }
    return finish(path, &c, error, error_size);
}

/* ---- a scatter with a fitted line ---------------------------------------------------- */

int kit_plot_scatter(const char *path, const KitChart *chart, const KitScatter *scatter, char *error,
                     size_t error_size)
{
    if (path == NULL)
        return fail(error, error_size, "kit_plot_scatter: no path to write the chart to");
    if (scatter == NULL || scatter->count < 1 || scatter->x == NULL || scatter->y == NULL)
        return fail(error, error_size, "%s: no points to draw (expected at least 1 with its x and y)", path);
    if (chart == NULL)
        chart = &no_chart_text;
    double x_low = INFINITY, x_high = -INFINITY, y_low = INFINITY, y_high = -INFINITY;
    for (int i = 0; i < scatter->count; i++)
        if (isfinite(scatter->x[i]) && isfinite(scatter->y[i])) {
            x_low = fmin(x_low, scatter->x[i]), x_high = fmax(x_high, scatter->x[i]);
            y_low = fmin(y_low, scatter->y[i]), y_high = fmax(y_high, scatter->y[i]);
        }
    if (!isfinite(x_low))
        return fail(error, error_size, "%s: none of the %d points has a finite x and y", path, scatter->count);
    int has_line = isfinite(scatter->slope) && isfinite(scatter->intercept);
    if (has_line)
        for (int end = 0; end < 2; end++) {
            double y = scatter->slope * (end ? x_high : x_low) + scatter->intercept;
            y_low = fmin(y_low, y), y_high = fmax(y_high, y);
        }
    if (x_high - x_low < 1e-12)
        x_low -= 0.5, x_high += 0.5;
    if (y_high - y_low < 1e-12)
        y_low -= 0.5, y_high += 0.5;
    double x_pad = 0.05 * (x_high - x_low), y_pad = 0.05 * (y_high - y_low);
    Frame f = {0};
    f.x = (Axis){.low = x_low - x_pad, .high = x_high + x_pad};
    f.y = (Axis){.low = y_low - y_pad, .high = y_high + y_pad};
    KitChart linear = *chart;
    linear.log_y = 0;

    const char *names[2] = {scatter->points_name, has_line ? scatter->line_name : NULL};
    const unsigned char *colors[2] = {palette[0], palette[1]};
    const int as_dot[2] = {1, 0};
    Canvas c;
    for (int below = 0;;) { /* as in kit_plot_curves: the legend under the chart when it would hide a point */
        if (canvas_create(&c, CHART_WIDTH, CHART_HEIGHT + below) != 0)
            return fail(error, error_size, "%s: out of memory", path);
        c.below = below;
        frame_layout(&f, &c, &linear);
        frame_draw(&c, &f, &linear);
        clip(&c, f.left, f.top, f.right, f.bottom);
        for (int i = 0; i < scatter->count; i++)
            if (isfinite(scatter->x[i]) && isfinite(scatter->y[i]))
                dot(&c, (int)lround(axis_pixel(&f.x, scatter->x[i])), (int)lround(axis_pixel(&f.y, scatter->y[i])), 3,
                    palette[0]);
        if (has_line) {
            double x0 = f.x.low, x1 = f.x.high;
            double y0 = scatter->slope * x0 + scatter->intercept, y1 = scatter->slope * x1 + scatter->intercept;
            line(&c, (int)lround(axis_pixel(&f.x, x0)), (int)lround(axis_pixel(&f.y, y0)),
                 (int)lround(axis_pixel(&f.x, x1)), (int)lround(axis_pixel(&f.y, y1)), palette[1], 3);
        }
        unclip(&c);
        int needed = draw_legend(&c, &f, names, colors, as_dot, 2, below == 0);
        if (needed == 0)
            break;
        free(c.pixels);
        below = needed;
    }
    return finish(path, &c, error, error_size);
}

/* ---- bars in groups --------------------------------------------------------------- */

int kit_plot_bars(const char *path, const KitChart *chart, const KitBars *bars, char *error, size_t error_size)
{
    if (path == NULL)
        return fail(error, error_size, "kit_plot_bars: no path to write the chart to");
    if (bars == NULL || bars->values == NULL || bars->groups < 1 || bars->series < 1 ||
        bars->series > KIT_PLOT_MAX_CURVES)
        return fail(error, error_size, "%s: %d groups of %d bars, expected at least 1 group of 1 to %d bars", path,
                    bars ? bars->groups : 0, bars ? bars->series : 0, KIT_PLOT_MAX_CURVES);
    if (chart == NULL)
        chart = &no_chart_text;
    int count = bars->groups * bars->series;
    double low = INFINITY, high = -INFINITY;
    for (int i = 0; i < count; i++)
        if (isfinite(bars->values[i]))
            low = fmin(low, bars->values[i]), high = fmax(high, bars->values[i]);
    if (!isfinite(low))
        return fail(error, error_size, "%s: none of the %d values is a finite number", path, count);
    /* the bars start at 0, unless the values lie close together far from it: then a little below the smallest,
     * so that their differences show (each bar carries its value) */
    double base = low >= 0 && low < 0.5 * high ? 0 : low - 0.5 * (high - low + 1e-9 * fmax(1.0, fabs(low)));
    if (high <= 0)
        base = fmin(low, 0);
    double top = high + 0.15 * (high - base);
    Frame f = {0};
    f.x = (Axis){.low = -0.5, .high = bars->groups - 0.5, .first = 0, .step = 1};
    f.y = (Axis){.low = base, .high = top};
    f.x_names = bars->group_names, f.x_name_count = bars->group_names ? bars->groups : 0;
    KitChart linear = *chart;
    linear.log_y = 0;
    const char *names[KIT_PLOT_MAX_CURVES];
    const unsigned char *colors[KIT_PLOT_MAX_CURVES];
    for (int k = 0; k < bars->series; k++)
        names[k] = bars->series_names ? bars->series_names[k] : NULL, colors[k] = palette[k];
    Canvas c;
    for (int below = 0;;) { /* as in kit_plot_curves: the legend under the chart when it would hide a bar */
        if (canvas_create(&c, CHART_WIDTH, CHART_HEIGHT + below) != 0)
            return fail(error, error_size, "%s: out of memory", path);
        c.below = below;
        frame_layout(&f, &c, &linear);
        frame_draw(&c, &f, &linear);
        double slot = axis_pixel(&f.x, 1) - axis_pixel(&f.x, 0), width = 0.8 * slot / bars->series;
        for (int g = 0; g < bars->groups; g++)
            for (int k = 0; k < bars->series; k++) {
                double v = bars->values[g * bars->series + k];
                int left = (int)lround(axis_pixel(&f.x, g) - 0.4 * slot + k * width);
                int right = (int)lround(axis_pixel(&f.x, g) - 0.4 * slot + (k + 1) * width) - 2;
                int bottom = f.bottom, height = 0;
                char text[32] = "NaN";
                if (isfinite(v)) {
                    height = (int)lround(axis_pixel(&f.y, base) - axis_pixel(&f.y, fmin(v, top)));
                    snprintf(text, sizeof text, "%.*f", bars->decimals, v);
                }
                fill_rect(&c, left, bottom - height, right - left, height, palette[k]);
                draw_text_centered(&c, (left + right) / 2, bottom - height - GLYPH_TALL - 6, text, TEXT, ink);
            }
        int needed = draw_legend(&c, &f, names, colors, NULL, bars->series, below == 0);
        if (needed == 0)
            break;
        free(c.pixels);
        below = needed;
    }
    return finish(path, &c, error, error_size);
}

/* ---- image grids ------------------------------------------------------------------- */

/* The largest picture kit_plot_images draws, in pixels along either side. */
#define IMAGES_MAX_SIDE 16384
#define GRID_GAP 12

/* The caption of picture t, or NULL; a numbered caption is written into buffer. */
static const char *caption(const KitImageGrid *grid, int t, char *buffer, size_t size)
{
    if (grid->captions)
        return grid->captions[t];
    if (grid->numbered == NULL)
        return NULL;
    snprintf(buffer, size, "%s %d", grid->numbered, t);
    return buffer;
}

int kit_plot_images(const char *path, const KitImageGrid *grid, const Matrix *images, int count, char *error,
                    size_t error_size)
{
    if (path == NULL)
        return fail(error, error_size, "kit_plot_images: no path to write the picture to");
    if (grid == NULL)
        return fail(error, error_size, "%s: no KitImageGrid to say how to lay out the pictures", path);
    if (images == NULL || images->data == NULL)
        return fail(error, error_size, "%s: no images to draw", path);
    int height = grid->height, width = grid->width, columns_per_row = grid->columns, scale = grid->scale;
    if (count < 1 || height < 1 || width < 1 || columns_per_row < 1 || scale < 1)
        return fail(error, error_size,
                    "%s: count %d, height %d, width %d, columns %d and scale %d must all be at least 1", path,
                    count, height, width, columns_per_row, scale);
    size_t tile = (size_t)height * (size_t)width;
    size_t available = (size_t)images->rows * (size_t)images->cols;
    if ((size_t)count * tile > available)
        return fail(error, error_size,
                    "%s: count %d of %d x %d pictures needs %zu values, the %d x %d matrix holds %zu", path, count,
                    height, width, (size_t)count * tile, images->rows, images->cols, available);
    int columns = count < columns_per_row ? count : columns_per_row;
    int rows = (count + columns - 1) / columns;
    long long side_w = (long long)width * scale, side_h = (long long)height * scale;
    /* captions in the chart's text size when the widest fits under its picture, else in half that size */
    int caption_scale = 0, caption_height = 0, gap = GRID_GAP;
    char numbered[64];
    if (grid->captions || grid->numbered) {
        int widest = 0;
        for (int t = 0; t < count; t++)
            if (caption(grid, t, numbered, sizeof numbered)) {
                int w = text_width(caption(grid, t, numbered, sizeof numbered), 1);
                widest = w > widest ? w : widest;
            }
        /* the chart's text size, the columns moved apart when a caption is wider than its picture (but half that
         * size for captions over twice as wide), so that at least 18 pixels part two captions */
        caption_scale = (long long)widest * TEXT <= 2 * side_w ? TEXT : 1;
        caption_height = widest > 0 ? 6 + KIT_FONT_HEIGHT * caption_scale : 0;
        if ((long long)widest * caption_scale + 18 > side_w + 2 + gap)
            gap = (int)((long long)widest * caption_scale + 18 - side_w - 2);
    }
    int has_title = grid->title && *grid->title;
    long long title_height = has_title ? 12 + GLYPH_TALL + 10 : 0;
    long long picture_width = gap + columns * (side_w + 2 + gap);
    long long picture_height = title_height + GRID_GAP + rows * (side_h + 2 + caption_height + GRID_GAP);
    if (has_title && picture_width < text_width(grid->title, TEXT) + 2 * GRID_GAP)
        picture_width = text_width(grid->title, TEXT) + 2 * GRID_GAP;
    if (picture_width > IMAGES_MAX_SIDE || picture_height > IMAGES_MAX_SIDE)
        return fail(error, error_size, "%s: the picture would be %lld x %lld pixels, more than %d along a side",
                    path, picture_width, picture_height, IMAGES_MAX_SIDE);
    Canvas c;
    if (canvas_create(&c, (int)picture_width, (int)picture_height) != 0)
        return fail(error, error_size, "%s: out of memory", path);
    if (has_title)
        draw_text_centered(&c, c.width / 2, 12, grid->title, TEXT, black);
    int grid_left = (int)(c.width - (columns * (side_w + 2 + gap) - gap)) / 2;
    for (int t = 0; t < count; t++) {
        const float *values = images->data + (size_t)t * tile;
        float low = INFINITY, high = -INFINITY;
        for (size_t k = 0; k < tile; k++)
            if (isfinite(values[k]))
                low = fminf(low, values[k]), high = fmaxf(high, values[k]);
        int left = grid_left + (int)((t % columns) * (side_w + 2 + gap));
        int top = (int)(title_height + GRID_GAP + (t / columns) * (side_h + 2 + caption_height + GRID_GAP));
        rect_outline(&c, left, top, (int)side_w + 2, (int)side_h + 2, frame_grey);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) {
                float v = values[(size_t)y * width + x];
                Rgb rgb;
                if (!isfinite(v)) {
                    memcpy(rgb, bad_red, 3);
                } else {
                    /* low -> 0 (black), high -> 255 (white); a constant picture is mid grey */
                    double shade = high > low ? 255.0 * ((double)v - low) / ((double)high - low) : 128.0;
                    rgb[0] = rgb[1] = rgb[2] = (unsigned char)lround(shade);
                }
                fill_rect(&c, left + 1 + x * scale, top + 1 + y * scale, scale, scale, rgb);
            }
        const char *text = caption(grid, t, numbered, sizeof numbered);
        if (caption_height && text)
            draw_text_centered(&c, left + 1 + (int)side_w / 2, top + (int)side_h + 2 + 5, text, caption_scale, ink);
    }
    return finish(path, &c, error, error_size);
}

/* ---- the confusion matrix ------------------------------------------------------------ */

int kit_plot_confusion(const char *path, const char *title, const Matrix *counts, char *error, size_t error_size)
{
    if (path == NULL)
        return fail(error, error_size, "kit_plot_confusion: no path to write the picture to");
    if (counts == NULL || counts->data == NULL || counts->rows < 1 || counts->rows != counts->cols ||
        counts->rows > 100)
        return fail(error, error_size, "%s: the counts are %d x %d, expected K x K for 1 to 100 classes", path,
                    counts ? counts->rows : 0, counts ? counts->cols : 0);
    int classes = counts->rows;
    int widest = text_width("0", TEXT);
    for (int k = 0; k < classes * classes; k++) {
        char text[32];
        if (!isfinite(counts->data[k]))
            return fail(error, error_size, "%s: count %d (row %d, column %d) is %g, expected a number", path, k,
                        k / classes, k % classes, counts->data[k]);
        snprintf(text, sizeof text, "%.0f", counts->data[k]);
        int w = text_width(text, TEXT);
        widest = w > widest ? w : widest;
    }
    int cell = widest + 14 > 40 ? widest + 14 : 40;
    char number[32];
    snprintf(number, sizeof number, "%d", classes - 1);
    int label_width = text_width(number, TEXT);
    int has_title = title && *title;
    int left = 12 + GLYPH_TALL + 14 + label_width + 10;
    int top = has_title ? 20 + GLYPH_TALL + 18 : 20;
    int side = classes * cell;
    Canvas c;
    if (canvas_create(&c, left + side + 30, top + side + 10 + GLYPH_TALL + 14 + GLYPH_TALL + 14) != 0)
        return fail(error, error_size, "%s: out of memory", path);
    if (has_title)
        draw_text_centered(&c, left + side / 2, 20, title, TEXT, black);
    /* matplotlib's "Blues": from almost white to dark blue */
    const double light[3] = {247, 251, 255}, dark[3] = {8, 48, 107};
    for (int t = 0; t < classes; t++) {
        double row_total = 0;
        for (int p = 0; p < classes; p++)
            row_total += counts->data[t * classes + p];
        for (int p = 0; p < classes; p++) {
            double value = counts->data[t * classes + p];
            double share = row_total > 0 && value > 0 ? sqrt(value / row_total) : 0.0;
            share = round(share * 64) / 64; /* 65 shades, for a small palette */
            Rgb rgb;
            for (int k = 0; k < 3; k++)
                rgb[k] = (unsigned char)lround(light[k] + share * (dark[k] - light[k]));
            int x = left + p * cell, y = top + t * cell;
            fill_rect(&c, x, y, cell, cell, rgb);
            snprintf(number, sizeof number, "%.0f", value);
            draw_text_centered(&c, x + cell / 2, y + (cell - GLYPH_TALL) / 2, number, TEXT, share > 0.6 ? white : ink);
        }
    }
    rect_outline(&c, left - 1, top - 1, side + 2, side + 2, ink);
    for (int k = 0; k < classes; k++) {
        snprintf(number, sizeof number, "%d", k);
        int middle = k * cell + cell / 2;
        fill_rect(&c, left + middle, top + side, 1, TICK, ink);
        draw_text_centered(&c, left + middle, top + side + TICK + 6, number, TEXT, ink);
        fill_rect(&c, left - TICK, top + middle, TICK, 1, ink);
        draw_text(&c, left - TICK - 4 - text_width(number, TEXT), top + middle - GLYPH_TALL / 2, number, TEXT, ink);
    }
    draw_text_centered(&c, left + side / 2, c.height - 14 - GLYPH_TALL, "predicted class", TEXT, ink);
    draw_text_up(&c, 12, top + side / 2 + text_width("true class", TEXT) / 2, "true class", TEXT, ink);
    return finish(path, &c, error, error_size);
}

const char *kit_picture_path(const char *file_name)
{
    static char path[512];
    mkdir("build", 0755);
    mkdir("build/pictures", 0755);
    snprintf(path, sizeof path, "build/pictures/%s", file_name);
    return path;
}
