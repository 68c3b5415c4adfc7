/* plot.c: PNG pictures (with libpng): line charts of loss and accuracy curves, and grids of grayscale images. */
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

/* Writes width x height RGB pixels (3 bytes each, row by row) as a PNG file. */
static int write_png(const char *path, const unsigned char *pixels, int width, int height, char *error,
                     size_t error_size)
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
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < height; y++)
        png_write_row(png, pixels + 3 * (size_t)y * (size_t)width);
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
    int status = write_png(path, c.pixels, WIDTH, HEIGHT, error, error_size);
    free(c.pixels);
    return status;
}

/* The largest picture kit_plot_images draws, in pixels along either side. */
#define IMAGES_MAX_SIDE 16384

int kit_plot_images(const char *path, const Matrix *images, int count, int height, int width, int columns_per_row,
                    int scale, char *error, size_t error_size)
{
    if (images == NULL || images->data == NULL)
        return fail(error, error_size, "%s: no images to draw", path);
    if (count < 1 || height < 1 || width < 1 || columns_per_row < 1 || scale < 1)
        return fail(error, error_size,
                    "%s: count %d, height %d, width %d, columns_per_row %d and scale %d must all be at least 1", path,
                    count, height, width, columns_per_row, scale);
    size_t tile = (size_t)height * (size_t)width;
    size_t available = (size_t)images->rows * (size_t)images->cols;
    if ((size_t)count * tile > available)
        return fail(error, error_size,
                    "%s: count %d of %d x %d pictures needs %zu values, the %d x %d matrix holds %zu", path, count,
                    height, width, (size_t)count * tile, images->rows, images->cols, available);
    int columns = count < columns_per_row ? count : columns_per_row;
    int rows = (count + columns - 1) / columns;
    /* one picture is scale * width pixels wide; 1-pixel lines between the pictures and around the grid */
    long long picture_width = (long long)columns * width * scale + columns + 1;
    long long picture_height = (long long)rows * height * scale + rows + 1;
    if (picture_width > IMAGES_MAX_SIDE || picture_height > IMAGES_MAX_SIDE)
        return fail(error, error_size, "%s: the picture would be %lld x %lld pixels, more than %d along a side",
                    path, picture_width, picture_height, IMAGES_MAX_SIDE);
    int full_width = (int)picture_width, full_height = (int)picture_height;
    unsigned char *pixels = malloc((size_t)full_width * (size_t)full_height * 3);
    if (pixels == NULL)
        return fail(error, error_size, "%s: out of memory", path);
    const unsigned char gap[3] = {70, 130, 180}, bad[3] = {220, 30, 30};
    for (size_t p = 0; p < (size_t)full_width * (size_t)full_height; p++)
        memcpy(pixels + 3 * p, gap, 3);
    for (int t = 0; t < count; t++) {
        const float *values = images->data + (size_t)t * tile;
        float low = INFINITY, high = -INFINITY;
        for (size_t k = 0; k < tile; k++)
            if (isfinite(values[k])) {
                low = fminf(low, values[k]);
                high = fmaxf(high, values[k]);
            }
        int left = 1 + (t % columns) * (width * scale + 1), top = 1 + (t / columns) * (height * scale + 1);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) {
                float v = values[(size_t)y * width + x];
                unsigned char rgb[3];
                if (!isfinite(v)) {
                    memcpy(rgb, bad, 3);
                } else {
                    /* low -> 0 (black), high -> 255 (white); a constant picture is mid grey */
                    double shade = high > low ? 255.0 * ((double)v - low) / ((double)high - low) : 128.0;
                    rgb[0] = rgb[1] = rgb[2] = (unsigned char)lround(shade);
                }
                for (int dy = 0; dy < scale; dy++) {
                    unsigned char *square_row =
                        pixels + 3 * ((size_t)(top + y * scale + dy) * full_width + (size_t)(left + x * scale));
                    for (int dx = 0; dx < scale; dx++)
                        memcpy(square_row + 3 * dx, rgb, 3);
                }
            }
    }
    int status = write_png(path, pixels, full_width, full_height, error, error_size);
    free(pixels);
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
