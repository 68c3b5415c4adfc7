/* plot.c: line charts written as PNG pictures (with libpng), for loss and accuracy curves. */
#include "kit.h"

#include <errno.h>
#include <math.h>
#include <png.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define WIDTH 720
#define HEIGHT 440
#define LEFT 50
#define RIGHT 20
#define TOP 20
#define BOTTOM 40

/* The colours of the curves, in order (and of their legend, which the caller prints). */
static const unsigned char palette[KIT_PLOT_MAX_CURVES][3] = {
    {31, 119, 180}, {255, 127, 14}, {44, 160, 44}, {214, 39, 40},
    {148, 103, 189}, {140, 86, 75}, {227, 119, 194}, {127, 127, 127},
};

const char *const kit_plot_color_names[KIT_PLOT_MAX_CURVES] = {"blue", "orange", "green", "red",
                                                               "purple", "brown", "pink", "grey"};

typedef struct {
    unsigned char *pixels; /* WIDTH * HEIGHT * 3 */
} Canvas;

static void put(Canvas *c, int x, int y, const unsigned char *rgb)
{
    if (x < 0 || y < 0 || x >= WIDTH || y >= HEIGHT)
        return;
    memcpy(c->pixels + 3 * ((size_t)y * WIDTH + (size_t)x), rgb, 3);
}

/* A line from (x0, y0) to (x1, y1), two pixels thick (Bresenham's algorithm). */
static void line(Canvas *c, int x0, int y0, int x1, int y1, const unsigned char *rgb, int thick)
{
    int dx = abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
    int dy = -abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
    int error = dx + dy;
    for (;;) {
        put(c, x0, y0, rgb);
        if (thick) {
            put(c, x0 + 1, y0, rgb);
            put(c, x0, y0 + 1, rgb);
        }
        if (x0 == x1 && y0 == y1)
            break;
        int e2 = 2 * error;
        if (e2 >= dy)
            error += dy, x0 += sx;
        if (e2 <= dx)
            error += dx, y0 += sy;
    }
}

static int fail(char *error, size_t error_size, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    vsnprintf(error, error_size, format, args);
    va_end(args);
    return -1;
}

static int write_png(const char *path, const Canvas *c, char *error, size_t error_size)
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
    png_set_IHDR(png, info, WIDTH, HEIGHT, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < HEIGHT; y++)
        png_write_row(png, c->pixels + 3 * (size_t)y * WIDTH);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    if (fclose(f) != 0)
        return fail(error, error_size, "%s: cannot write: %s", path, strerror(errno));
    return 0;
}

int kit_plot_curves(const char *path, const KitCurve *curves, int curve_count, int log_scale,
                    char *error, size_t error_size)
{
    if (curve_count < 1 || curve_count > KIT_PLOT_MAX_CURVES)
        return fail(error, error_size, "%s: %d curves, expected 1 to %d", path, curve_count, KIT_PLOT_MAX_CURVES);
    /* the range of the finite values (of their logarithms on a log scale) */
    double low = INFINITY, high = -INFINITY;
    int longest = 1;
    for (int k = 0; k < curve_count; k++) {
        if (curves[k].count > longest)
            longest = curves[k].count;
        for (int i = 0; i < curves[k].count; i++) {
            double v = curves[k].values[i];
            if (log_scale)
                v = v > 0 ? log10(v) : NAN;
            if (isfinite(v)) {
                low = fmin(low, v);
                high = fmax(high, v);
            }
        }
    }
    if (!isfinite(low))
        low = 0, high = 1;
    if (high - low < 1e-12)
        high = low + 1;
    if (log_scale && curve_count > 0) { /* whole decades, so the grid lines are powers of ten */
        low = floor(low);
        high = ceil(high);
    }

    Canvas c = {malloc((size_t)WIDTH * HEIGHT * 3)};
    if (c.pixels == NULL)
        return fail(error, error_size, "%s: out of memory", path);
    memset(c.pixels, 255, (size_t)WIDTH * HEIGHT * 3);
    const unsigned char grid[3] = {225, 225, 225}, axis[3] = {60, 60, 60};
    int plot_w = WIDTH - LEFT - RIGHT, plot_h = HEIGHT - TOP - BOTTOM;
    int lines = log_scale ? (int)(high - low) : 4;
    for (int g = 0; g <= lines && lines <= 40; g++) {
        int y = TOP + plot_h - (int)((double)g / lines * plot_h);
        line(&c, LEFT, y, LEFT + plot_w, y, grid, 0);
    }
    line(&c, LEFT, TOP, LEFT, TOP + plot_h, axis, 0);
    line(&c, LEFT, TOP + plot_h, LEFT + plot_w, TOP + plot_h, axis, 0);

    for (int k = 0; k < curve_count; k++) {
        int previous_x = 0, previous_y = 0, have_previous = 0;
        for (int i = 0; i < curves[k].count; i++) {
            double v = curves[k].values[i];
            if (log_scale)
                v = v > 0 ? log10(v) : (v == 0 ? low : NAN);
            /* a value above the range (or inf or NaN: a diverging run) is drawn at the top edge */
            double t = isfinite(v) ? (v - low) / (high - low) : 1.0;
            t = fmin(fmax(t, 0.0), 1.0);
            int x = LEFT + (longest > 1 ? (int)((double)i / (longest - 1) * plot_w) : 0);
            int y = TOP + plot_h - (int)(t * plot_h);
            if (have_previous)
                line(&c, previous_x, previous_y, x, y, palette[k], 1);
            else
                put(&c, x, y, palette[k]);
            previous_x = x, previous_y = y, have_previous = 1;
        }
    }
    int status = write_png(path, &c, error, error_size);
    free(c.pixels);
    return status;
}

const char *kit_picture_path(const char *file_name)
{
    static char path[512];
    mkdir("build", 0755);
    mkdir("build/pictures", 0755);
    snprintf(path, sizeof path, "build/pictures/%s", file_name);
    return path;
}
