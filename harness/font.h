/* font.h: the bitmap font of the kit's charts (font.c), used by plot.c. */
#ifndef KIT_FONT_H
#define KIT_FONT_H

#define KIT_FONT_WIDTH 5
#define KIT_FONT_HEIGHT 9   /* rows of a glyph: 7 above the baseline, 2 below */
#define KIT_FONT_ASCENT 7

/* The KIT_FONT_HEIGHT rows of the glyph of c (bit 4 of a row is its leftmost pixel); a boxed ? outside ASCII 32-126. */
const unsigned char *kit_font_glyph(char c);

#endif
