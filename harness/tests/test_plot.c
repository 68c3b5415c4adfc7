/* Tests of the harness's pictures (plot.c): each is drawn into a scratch folder, read back with libpng, and its
 * pixels looked at: the size, the text of the title, labels and legend, the curves, the captions and the cells. */
#include "kit.h"

#include <criterion/criterion.h>
#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char scratch[64];

static void make_scratch(void)
{
    strcpy(scratch, "/tmp/kit-plot-XXXXXX");
    cr_assert_not_null(mkdtemp(scratch));
}

static void remove_scratch(void)
{
    char command[128];
    snprintf(command, sizeof command, "rm -rf %s", scratch);
    cr_assert_eq(system(command), 0);
}

static const char *scratch_path(const char *name)
{
    static char path[4][128];
    static int next;
    char *p = path[next++ % 4];
    snprintf(p, 128, "%s/%s", scratch, name);
    return p;
}

/* A decoded picture: width x height RGB pixels. */
typedef struct {
    int width, height;
    unsigned char *rgb;
} Picture;

static Picture read_picture(const char *path)
{
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    cr_assert(png_image_begin_read_from_file(&image, path), "%s: %s", path, image.message);
    image.format = PNG_FORMAT_RGB;
    Picture p = {(int)image.width, (int)image.height, malloc(PNG_IMAGE_SIZE(image))};
    cr_assert(png_image_finish_read(&image, NULL, p.rgb, 0, NULL), "%s: %s", path, image.message);
    return p;
}

static const unsigned char *at(const Picture *p, int x, int y)
{
    return p->rgb + 3 * ((size_t)y * p->width + x);
}

static int is(const unsigned char *pixel, int r, int g, int b)
{
    return pixel[0] == r && pixel[1] == g && pixel[2] == b;
}

/* How many pixels of colour (r, g, b) lie in the rectangle from (left, top), width x height. */
static int count_color(const Picture *p, int left, int top, int width, int height, int r, int g, int b)
{
    int n = 0;
    for (int y = top; y < top + height && y < p->height; y++)
        for (int x = left; x < left + width && x < p->width; x++)
            n += is(at(p, x, y), r, g, b);
    return n;
}

/* The longest horizontal run of pixels of colour (r, g, b). */
static int longest_run(const Picture *p, int r, int g, int b)
{
    int longest = 0;
    for (int y = 0; y < p->height; y++)
        for (int x = 0, run = 0; x < p->width; x++) {
            run = is(at(p, x, y), r, g, b) ? run + 1 : 0;
            longest = run > longest ? run : longest;
        }
    return longest;
}

/* From the leftmost to the rightmost ink pixel of the rows from top, height tall, in pixels (0 when none). */
static int ink_extent(const Picture *p, int top, int height)
{
    int left = p->width, right = -1;
    for (int y = top; y < top + height; y++)
        for (int x = 0; x < p->width; x++)
            if (is(at(p, x, y), 40, 40, 40))
                left = x < left ? x : left, right = x > right ? x : right;
    return right < 0 ? 0 : right - left + 1;
}

/* From the top to the bottom ink pixel of the columns from left, width wide, in pixels (0 when none). */
static int ink_height(const Picture *p, int left, int width)
{
    int top = p->height, bottom = -1;
    for (int y = 0; y < p->height; y++)
        for (int x = left; x < left + width; x++)
            if (is(at(p, x, y), 40, 40, 40))
                top = y < top ? y : top, bottom = y > bottom ? y : bottom;
    return bottom < 0 ? 0 : bottom - top + 1;
}

/* The colour type byte of a PNG file's header (0 gray, 2 RGB, 3 palette). */
static int png_color_type(const char *path)
{
    unsigned char header[26];
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    cr_assert_eq(fread(header, 1, sizeof header, f), sizeof header);
    fclose(f);
    cr_assert_eq(memcmp(header, "\x89PNG\r\n\x1a\n", 8), 0, "%s is not a PNG file", path);
    return header[25];
}

#define INK 40, 40, 40          /* the colour of axis text, ticks and the frame */
#define TITLE 0, 0, 0           /* the colour of titles */
#define BLUE 31, 119, 180       /* curve 0 */
#define ORANGE 255, 127, 14     /* curve 1 */

static float rising[50], falling[50];

static void make_curves(void)
{
    for (int i = 0; i < 50; i++) {
        rising[i] = (float)i;
        falling[i] = 100.0f - 2.0f * (float)i;
    }
}

Test(plot, a_chart_has_its_title_labels_numbers_and_legend, .init = make_scratch, .fini = remove_scratch)
{
    make_curves();
    KitCurve named[2] = {{rising, 50, "up"}, {falling, 50, "down"}};
    KitCurve unnamed[2] = {{rising, 50, NULL}, {falling, 50, NULL}};
    KitChart full = {.title = "A title", .x_label = "epoch", .y_label = "loss", .x_first = 1};
    KitChart bare = {.x_first = 1};
    char error[256];
    const char *with = scratch_path("with.png"), *without = scratch_path("without.png");
    cr_assert_eq(kit_plot_curves(with, &full, named, 2, error, sizeof error), 0, "%s", error);
    cr_assert_eq(kit_plot_curves(without, &bare, unnamed, 2, error, sizeof error), 0, "%s", error);
    cr_assert_eq(png_color_type(with), 3, "a chart of a few colours is written with a palette");
    Picture a = read_picture(with), b = read_picture(without);
    cr_assert_eq(a.width, 800);
    cr_assert_eq(a.height, 500);
    cr_assert_gt(count_color(&a, 0, 0, a.width, 50, TITLE), 20, "the title is written at the top");
    cr_assert_eq(count_color(&b, 0, 0, b.width, b.height, TITLE), 0, "no title, no title pixels");
    /* the band of the x label: "epoch" alone, 58 pixels wide, where the chart without it has its x axis numbers */
    cr_assert_gt(count_color(&a, 0, a.height - 28, a.width, 14, INK), 50, "the x label is written at the bottom");
    cr_assert_leq(ink_extent(&a, a.height - 28, 14), 58, "only the x label is in its band");
    cr_assert_gt(ink_extent(&b, b.height - 28, 14), 400, "without it, the numbers of the x axis are in that band");
    /* the band of the y label, "loss" turned upright (46 pixels tall), where the chart without it has numbers */
    cr_assert_gt(count_color(&a, 12, 0, 14, a.height, INK), 50, "the y label is written along the left edge");
    int label_height = ink_height(&a, 12, 14);
    cr_assert(label_height >= 40 && label_height <= 46, "only the y label is in its band: %d pixels tall",
              label_height);
    cr_assert_lt(ink_height(&b, 12, 14), 46, "without it, only a number may reach into that band");
    cr_assert_gt(count_color(&b, 0, 0, 100, b.height, INK), 50, "the y axis has numbers");
    cr_assert_gt(count_color(&b, 0, b.height - 60, b.width, 60, INK), 50, "the x axis has numbers");
    /* the legend draws a 28-pixel line of each named curve's colour; the steep curves themselves never run flat */
    cr_assert_geq(longest_run(&a, BLUE), 28, "the legend shows curve 0's colour");
    cr_assert_geq(longest_run(&a, ORANGE), 28, "the legend shows curve 1's colour");
    cr_assert_lt(longest_run(&b, BLUE), 28, "no names, no legend");
    free(a.rgb), free(b.rgb);
}

Test(plot, a_legend_that_would_hide_a_curve_goes_under_the_chart, .init = make_scratch, .fini = remove_scratch)
{
    float zigzag[60];
    for (int i = 0; i < 60; i++)
        zigzag[i] = (float)(i % 2) * 100.0f; /* up and down across the whole chart: no corner is free */
    KitCurve curve = {zigzag, 60, "zigzag"};
    KitChart chart = {.x_label = "x"};
    char error[256];
    const char *path = scratch_path("zigzag.png");
    cr_assert_eq(kit_plot_curves(path, &chart, &curve, 1, error, sizeof error), 0, "%s", error);
    Picture p = read_picture(path);
    cr_assert_gt(p.height, 500, "the chart grows to hold the legend under it");
    cr_assert_gt(count_color(&p, 0, 500 - 28, p.width, 14, INK), 20, "the x label stays where it was");
    cr_assert_gt(count_color(&p, 0, 500, p.width, p.height - 500, INK), 20, "the legend's name is under the chart");
    cr_assert_geq(count_color(&p, 0, 500, p.width, p.height - 500, BLUE), 28 * 3,
                  "with its line of the curve's colour");
    free(p.rgb);
}

Test(plot, a_diverging_value_is_drawn_at_the_top_edge, .init = make_scratch, .fini = remove_scratch)
{
    make_curves();
    float broken[50];
    for (int i = 0; i < 50; i++)
        broken[i] = i < 10 ? (float)i : i < 30 ? NAN : INFINITY;
    KitCurve curves[2] = {{rising, 50, NULL}, {broken, 50, NULL}};
    KitChart chart = {.log_y = 0};
    char error[256];
    const char *path = scratch_path("nan.png");
    cr_assert_eq(kit_plot_curves(path, &chart, curves, 2, error, sizeof error), 0, "%s", error);
    Picture p = read_picture(path);
    /* the frame's top line: the first ink pixel down the middle column */
    int top = 0;
    while (top < p.height && !is(at(&p, p.width / 2, top), INK))
        top++;
    cr_assert_lt(top, p.height / 2, "the frame is found");
    cr_assert_gt(count_color(&p, 0, top + 1, p.width, 2, ORANGE), 100, "NaN and inf run along the top edge");
    free(p.rgb);
    /* a curve of nothing but NaN still makes a chart */
    for (int i = 0; i < 50; i++)
        broken[i] = NAN;
    cr_assert_eq(kit_plot_curves(path, &chart, curves + 1, 1, error, sizeof error), 0, "%s", error);
    chart.log_y = 1;
    cr_assert_eq(kit_plot_curves(path, &chart, curves, 2, error, sizeof error), 0, "%s", error);
}

Test(plot, a_bad_chart_names_the_file_and_what_is_wrong, .init = make_scratch, .fini = remove_scratch)
{
    make_curves();
    KitCurve curves[2] = {{rising, 50, "up"}, {NULL, 5, "nothing"}};
    KitChart chart = {.title = "t"};
    char error[256];
    cr_assert_eq(kit_plot_curves("/nonexistent/chart.png", &chart, curves, 1, error, sizeof error), -1);
    cr_assert(strstr(error, "/nonexistent/chart.png: cannot write") != NULL, "%s", error);
    const char *path = scratch_path("bad.png");
    cr_assert_eq(kit_plot_curves(path, &chart, curves, 0, error, sizeof error), -1);
    cr_assert(strstr(error, "bad.png: 0 curves, expected 1 to 8") != NULL, "%s", error);
    cr_assert_eq(kit_plot_curves(path, &chart, curves, 2, error, sizeof error), -1);
    cr_assert(strstr(error, "bad.png: curve 1 has 5 values at") != NULL, "%s", error);
    chart.x_step = -1;
    cr_assert_eq(kit_plot_curves(path, &chart, curves, 1, error, sizeof error), -1);
    cr_assert(strstr(error, "x_step above 0") != NULL, "%s", error);
    cr_assert_eq(access(path, F_OK), -1, "no file is written for a bad chart");
}

Test(plot, a_log_chart_is_numbered_at_powers_of_ten, .init = make_scratch, .fini = remove_scratch)
{
    /* one decade and five decades: the five-decade chart has more tick numbers, so more ink on the left */
    float narrow[20], wide[20];
    for (int i = 0; i < 20; i++) {
        narrow[i] = 1.0f + 0.4f * (float)i; /* 1 to 8.6: the axis runs from 10^0 to 10^1 */
        wide[i] = powf(10.0f, -3.0f + 0.25f * (float)i); /* 10^-3 to 10^1.75: 10^-3 to 10^2 */
    }
    KitChart chart = {.log_y = 1};
    KitCurve a = {narrow, 20, NULL}, b = {wide, 20, NULL};
    char error[256];
    const char *one = scratch_path("one.png"), *five = scratch_path("five.png");
    cr_assert_eq(kit_plot_curves(one, &chart, &a, 1, error, sizeof error), 0, "%s", error);
    cr_assert_eq(kit_plot_curves(five, &chart, &b, 1, error, sizeof error), 0, "%s", error);
    Picture p = read_picture(one), q = read_picture(five);
    /* the numbers, left of the ticks and the frame */
    int ink_one = count_color(&p, 0, 0, 45, p.height, INK), ink_five = count_color(&q, 0, 0, 45, q.height, INK);
    cr_assert_gt(ink_one, 0);
    cr_assert_gt(ink_five, 2 * ink_one, "6 numbers (10^-3 ... 10^2) against 2 (10^0, 10^1): %d and %d", ink_five,
                 ink_one);
    free(p.rgb), free(q.rgb);
}

Test(plot, a_scatter_draws_its_points_and_line, .init = make_scratch, .fini = remove_scratch)
{
    float x[30], y[30];
    for (int i = 0; i < 30; i++) {
        x[i] = (float)i / 3.0f;
        y[i] = 2.0f * x[i] + 1.0f + ((i % 3) - 1) * 0.5f;
    }
    KitScatter scatter = {x, y, 30, "points", 2.0f, 1.0f, "y = 2x + 1"};
    KitChart chart = {.title = "Scatter", .x_label = "x", .y_label = "y"};
    char error[256];
    const char *path = scratch_path("scatter.png");
    cr_assert_eq(kit_plot_scatter(path, &chart, &scatter, error, sizeof error), 0, "%s", error);
    Picture p = read_picture(path);
    cr_assert_eq(p.width, 800);
    cr_assert_gt(count_color(&p, 0, 0, p.width, p.height, BLUE), 30 * 20, "30 dots of about 25 pixels");
    cr_assert_gt(count_color(&p, 0, 0, p.width, p.height, ORANGE), 600 * 2, "a 3-pixel line across the chart");
    cr_assert_geq(longest_run(&p, ORANGE), 28, "the legend names the line");
    free(p.rgb);
    scatter.count = 0;
    cr_assert_eq(kit_plot_scatter(path, &chart, &scatter, error, sizeof error), -1);
    cr_assert(strstr(error, "scatter.png: no points to draw") != NULL, "%s", error);
}

Test(plot, bars_stand_in_their_groups_with_their_values, .init = make_scratch, .fini = remove_scratch)
{
    const float values[] = {99.95f, 91.21f, 99.30f, 91.64f}; /* two groups of a training and a test bar */
    const char *groups[] = {"none", "both"}, *series[] = {"training", "test"};
    KitBars bars = {values, 2, 2, groups, series, 2};
    KitChart chart = {.title = "Accuracy", .y_label = "accuracy (%)"};
    char error[256];
    const char *path = scratch_path("bars.png");
    cr_assert_eq(kit_plot_bars(path, &chart, &bars, error, sizeof error), 0, "%s", error);
    Picture p = read_picture(path);
    cr_assert_eq(p.width, 800);
    /* the values lie close together far from 0: the axis starts below 91.21, so the test bars are short but there */
    int blue = count_color(&p, 0, 0, p.width, p.height, BLUE), orange = count_color(&p, 0, 0, p.width, p.height, ORANGE);
    cr_assert_gt(blue, 2 * 1000, "two training bars");
    cr_assert_gt(orange, 2 * 100, "two test bars, shorter");
    cr_assert_gt(blue, orange, "the training bars are the taller");
    cr_assert_geq(longest_run(&p, BLUE), 100, "a bar is wide");
    /* the group names and the values are written: ink under the plot area and over the bars */
    cr_assert_gt(ink_extent(&p, p.height - 60, 60), 200, "group names under the axis");
    free(p.rgb);
    bars.groups = 0;
    cr_assert_eq(kit_plot_bars(path, &chart, &bars, error, sizeof error), -1);
    cr_assert(strstr(error, "bars.png: 0 groups of 2 bars") != NULL, "%s", error);
    const float none[] = {NAN, NAN};
    KitBars empty = {none, 1, 2, NULL, NULL, 2};
    cr_assert_eq(kit_plot_bars(path, &chart, &empty, error, sizeof error), -1);
    cr_assert(strstr(error, "none of the 2 values is a finite number") != NULL, "%s", error);
}

Test(plot, an_image_grid_scales_each_picture_on_its_own, .init = make_scratch, .fini = remove_scratch)
{
    /* five 3 x 4 pictures, two to a row, magnified 3 times: three rows of the grid */
    Matrix images = kit_matrix_create(5, 12);
    for (int t = 0; t < 5; t++)
        for (int k = 0; k < 12; k++)
            images.data[t * 12 + k] = (float)(t + 1) * (float)k; /* 0 .. 11 (t + 1): black to white */
    images.data[3 * 12 + 5] = NAN;                                /* drawn red */
    for (int k = 0; k < 12; k++)
        images.data[4 * 12 + k] = 7.0f; /* a constant picture: mid grey */
    KitImageGrid grid = {.height = 3, .width = 4, .columns = 2, .scale = 3};
    char error[256];
    const char *path = scratch_path("grid.png");
    cr_assert_eq(kit_plot_images(path, &grid, &images, 5, error, sizeof error), 0, "%s", error);
    Picture p = read_picture(path);
    /* a gap of 12 pixels around and between the pictures, each framed by a 1-pixel grey line */
    enum { GAP = 12, W = 4 * 3 + 2, H = 3 * 3 + 2 };
    cr_assert_eq(p.width, GAP + 2 * (W + GAP), "width");
    cr_assert_eq(p.height, GAP + 3 * (H + GAP), "height");
    int x, y;
    x = GAP, y = GAP;
    cr_assert(is(at(&p, x, y), 150, 150, 150), "the frame is grey");
    cr_assert(is(at(&p, x + 1, y + 1), 0, 0, 0), "picture 0's smallest value is black");
    cr_assert(is(at(&p, x + W - 2, y + H - 2), 255, 255, 255), "picture 0's largest value (its last) is white");
    x = GAP + W + GAP;
    cr_assert(is(at(&p, x + 1, y + 1), 0, 0, 0), "picture 1 starts after the gap, black again");
    x = GAP + W + GAP, y = GAP + H + GAP; /* picture 3, value (1, 1) = index 5 */
    cr_assert(is(at(&p, x + 1 + 3, y + 1 + 3), 220, 30, 30), "NaN is red");
    x = GAP, y = GAP + 2 * (H + GAP);
    cr_assert(is(at(&p, x + 1, y + 1), 128, 128, 128), "a constant picture is mid grey");
    cr_assert(is(at(&p, p.width - GAP - 2, p.height - GAP - 2), 255, 255, 255), "the empty sixth place is white");
    free(p.rgb);

    /* a title and captions: the grid grows by the title's band and a caption line under each row */
    const char *captions[5] = {"7 as 2", NULL, "a", "b", "c"};
    grid.captions = captions;
    grid.title = "Five";
    const char *captioned = scratch_path("captioned.png");
    cr_assert_eq(kit_plot_images(captioned, &grid, &images, 5, error, sizeof error), 0, "%s", error);
    Picture q = read_picture(captioned);
    cr_assert_gt(q.height, GAP + 3 * (H + GAP) + 3 * 9, "taller by the title and three caption lines: %d", q.height);
    cr_assert_gt(count_color(&q, 0, 0, q.width, 30, TITLE), 10, "the title is written at the top");
    free(q.rgb);
    grid.captions = NULL, grid.title = NULL;

    /* a grid of gray pictures is written as a gray PNG */
    Matrix gray = kit_matrix_create(1, 12);
    for (int k = 0; k < 12; k++)
        gray.data[k] = (float)k;
    cr_assert_eq(kit_plot_images(path, &grid, &gray, 1, error, sizeof error), 0, "%s", error);
    cr_assert_eq(png_color_type(path), 0, "gray pictures make a gray PNG");
    kit_matrix_free(&gray);

    cr_assert_eq(kit_plot_images(path, &grid, &images, 6, error, sizeof error), -1);
    cr_assert(strstr(error, "count 6 of 3 x 4 pictures needs 72 values, the 5 x 12 matrix holds 60") != NULL, "%s",
              error);
    grid.scale = 0;
    cr_assert_eq(kit_plot_images(path, &grid, &images, 5, error, sizeof error), -1);
    cr_assert(strstr(error, "scale 0 must all be at least 1") != NULL, "%s", error);
    grid.scale = 1;
    cr_assert_eq(kit_plot_images("/nonexistent/grid.png", &grid, &images, 1, error, sizeof error), -1);
    cr_assert(strstr(error, "/nonexistent/grid.png: cannot write") != NULL, "%s", error);
    kit_matrix_free(&images);
}

Test(plot, captions_are_written_under_their_pictures, .init = make_scratch, .fini = remove_scratch)
{
    Matrix images = kit_matrix_create(2, 16);
    for (int k = 0; k < 32; k++)
        images.data[k] = (float)(k % 16);
    const char *captions[2] = {"7 as 2", NULL};
    KitImageGrid grid = {.height = 4, .width = 4, .columns = 2, .scale = 20, .captions = captions};
    char error[256];
    const char *path = scratch_path("captions.png");
    cr_assert_eq(kit_plot_images(path, &grid, &images, 2, error, sizeof error), 0, "%s", error);
    Picture p = read_picture(path);
    enum { GAP = 12, W = 4 * 20 + 2 }; /* "7 as 2" (70 pixels) fits under a picture: the gap stays 12 */
    int below = GAP + W; /* the first row under the pictures */
    cr_assert_gt(count_color(&p, GAP, below, W, p.height - below, INK), 30, "picture 0 has its caption");
    cr_assert_eq(count_color(&p, 2 * GAP + W, below, W, p.height - below, INK), 0, "picture 1 has none");
    free(p.rgb);
    grid.captions = NULL, grid.numbered = "filter";
    cr_assert_eq(kit_plot_images(path, &grid, &images, 2, error, sizeof error), 0, "%s", error);
    p = read_picture(path);
    cr_assert_gt(count_color(&p, 2 * GAP + W, below, W, p.height - below, INK), 30, "numbered: \"filter 1\"");
    free(p.rgb);
    kit_matrix_free(&images);
}

Test(plot, a_confusion_matrix_writes_each_count_in_its_cell, .init = make_scratch, .fini = remove_scratch)
{
    /* all the right answers on the diagonal: its cells get the darkest blue, the others the lightest */
    const float values[9] = {100, 0, 0, 0, 100, 0, 0, 0, 100};
    Matrix counts = kit_matrix_from(3, 3, values);
    char error[256];
    const char *path = scratch_path("confusion.png");
    cr_assert_eq(kit_plot_confusion(path, "Confusion", &counts, error, sizeof error), 0, "%s", error);
    Picture p = read_picture(path);
    /* the cells: from the first to the last dark pixel */
    int left = p.width, top = p.height, right = 0, bottom = 0;
    for (int y = 0; y < p.height; y++)
        for (int x = 0; x < p.width; x++)
            if (is(at(&p, x, y), 8, 48, 107)) {
                left = x < left ? x : left, right = x > right ? x : right;
                top = y < top ? y : top, bottom = y > bottom ? y : bottom;
            }
    int cell = (right - left + 1) / 3;
    cr_assert_eq(right - left + 1, 3 * cell, "three cells across");
    cr_assert_eq(bottom - top + 1, 3 * cell, "three cells down");
    cr_assert_gt(count_color(&p, left, top, cell, cell, 255, 255, 255), 20, "100 is written in white on dark blue");
    cr_assert_gt(count_color(&p, left + cell, top, cell, cell, INK), 10, "0 is written in ink on light blue");
    cr_assert_gt(count_color(&p, left + cell, top, cell, cell, 247, 251, 255), cell * cell / 2, "0 is light");
    cr_assert_gt(count_color(&p, 0, top, left, 3 * cell, INK), 30, "the true classes are numbered on the left");
    cr_assert_gt(count_color(&p, left, bottom + 1, 3 * cell, p.height - bottom - 1, INK), 30,
                 "the predicted classes are numbered below");
    cr_assert_gt(count_color(&p, 0, 0, p.width, top, TITLE), 10, "the title is over the matrix");
    free(p.rgb);
    kit_matrix_free(&counts);
    Matrix wrong = kit_matrix_create(2, 3);
    cr_assert_eq(kit_plot_confusion(path, NULL, &wrong, error, sizeof error), -1);
    cr_assert(strstr(error, "confusion.png: the counts are 2 x 3, expected K x K") != NULL, "%s", error);
    kit_matrix_free(&wrong);
}
