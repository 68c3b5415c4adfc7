/* Unit tests of the reuse of a passed grading (reuse.c, Criterion): what changes the key, and its record. */
#include "grade.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

Test(reuse, the_key_changes_with_each_file_and_setting_and_nothing_else)
{
    char dir[] = "/tmp/kit-reuse-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char *a = format_string("%s/a.c", dir), *b = format_string("%s/b.c", dir);
    write_text(a, "int f(void) { return 1; }\n");
    write_text(b, "int g(void) { return 2; }\n");
    const char *files[] = {a, b};
    const char *settings[] = {"1", "MNIST", "memcheck"};
    char *key = reuse_key(files, 2, settings, 3);
    cr_assert_eq(strlen(key), 16);
    cr_assert_str_eq(reuse_key(files, 2, settings, 3), key, "the same inputs give another key");
    write_text(b, "int g(void) { return 3; }\n");
    cr_assert_str_neq(reuse_key(files, 2, settings, 3), key, "a file's bytes do not change the key");
    write_text(b, "int g(void) { return 2; }\n");
    cr_assert_str_eq(reuse_key(files, 2, settings, 3), key);
    const char *other_seed[] = {"2", "MNIST", "memcheck"};
    cr_assert_str_neq(reuse_key(files, 2, other_seed, 3), key, "a setting does not change the key");
    const char *swapped[] = {b, a};
    cr_assert_str_neq(reuse_key(swapped, 2, settings, 3), key, "the order of the files does not count");
    /* a missing file has a key of its own, and "ab" + "c" is not "a" + "bc" */
    remove(b);
    cr_assert_str_neq(reuse_key(files, 2, settings, 3), key);
    const char *joined[] = {"ab", "c"}, *split[] = {"a", "bc"};
    cr_assert_str_neq(reuse_key(NULL, 0, joined, 2), reuse_key(NULL, 0, split, 2));
    /* an untouched stub is known by its bytes, wherever it is */
    char *copy = format_string("%s/elsewhere.c", dir);
    write_text(copy, "int f(void) { return 1; }\n");
    cr_assert_eq(hash_contents(FNV_OFFSET_BASIS, a), hash_contents(FNV_OFFSET_BASIS, copy));
    cr_assert_neq(hash_file(FNV_OFFSET_BASIS, a), hash_file(FNV_OFFSET_BASIS, copy));
    remove(a), remove(copy), rmdir(dir);
}

Test(reuse, a_chapter_is_reused_only_with_the_key_it_passed_with)
{
    char dir[] = "/tmp/kit-reuse-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    cr_assert_not(reuse_recorded(dir, "0123456789abcdef"), "nothing was recorded");
    reuse_record(dir, "0123456789abcdef", 1);
    cr_assert(reuse_recorded(dir, "0123456789abcdef"));
    cr_assert_not(reuse_recorded(dir, "0123456789abcdee"));
    cr_assert_not(reuse_recorded(dir, "0123456789abcde"), "a prefix of the key is taken for it");
    cr_assert_not(reuse_recorded(dir, NULL));
    reuse_record(dir, "0123456789abcdef", 0); /* it failed since */
    cr_assert_not(reuse_recorded(dir, "0123456789abcdef"));
    char *path = format_string("%s/passed", dir);
    cr_assert_neq(access(path, F_OK), 0, "the record of a chapter that failed is kept");
    rmdir(dir);
}
