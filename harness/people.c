/* people.c: the course's small data set of eight people. */
#include "kit.h"

const char *const kit_people_columns[KIT_PEOPLE_COLS] = {"age", "salary", "experience", "promoted"};

static const float people[KIT_PEOPLE_ROWS * KIT_PEOPLE_COLS] = {
    23, 50000, 3, 1,
    35, 82000, 5, 0,
    28, 61000, 2, 1,
    45, 95000, 8, 1,
    31, 72000, 4, 0,
    52, 110000, 12, 1,
    26, 45000, 1, 0,
    38, 88000, 7, 1,
};

Matrix kit_people_dataset(void)
{
    return kit_matrix_from(KIT_PEOPLE_ROWS, KIT_PEOPLE_COLS, people);
}
