/* course.c: reads the course map (grader/course.txt) and prints it as a Markdown table. */
#define _GNU_SOURCE
#include "grade.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Trims spaces at both ends, in place. */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

void course_read(Course *course, const char *path)
{
    char *text = read_file(path, 0);
    if (text == NULL)
        die("cannot read %s: run me from the kit's top folder", path);
    memset(course, 0, sizeof *course);
    int line_number = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        line_number++;
        char *start = trim(line);
        if (*start == '#' || *start == '\0')
            continue;
        char *fields[7];
        int n = 0;
        char *rest = start;
        while (n < 7) {
            char *bar = strstr(rest, " | ");
            fields[n++] = rest;
            if (bar == NULL)
                break;
            *bar = '\0';
            rest = bar + 3;
        }
        if (n != 7)
            die("%s: a line has %d fields, expected 7 separated by ' | ': %s", path, n, start);
        if (course->count == MAX_CHAPTERS)
            die("%s: more than %d chapters", path, MAX_CHAPTERS);
        Chapter *c = &course->chapters[course->count];
        c->index = course->count++;
        c->id = format_string("%s", trim(fields[0]));
        c->folder = format_string("%s", trim(fields[1]));
        char *state = trim(fields[2]);
        c->written = strcmp(state, "written") == 0;
        c->is_intro = strcmp(state, "intro") == 0;
        if (!c->written && !c->is_intro && strcmp(state, "coming") != 0)
            die("%s: chapter %s has state '%s', expected written, coming or intro", path, c->id, state);
        char *needs = format_string("%s", trim(fields[3]));
        if (strcmp(needs, "-") != 0)
            for (char *save = NULL, *w = strtok_r(needs, " ", &save); w && c->need_count < MAX_NEEDS;
                 w = strtok_r(NULL, " ", &save))
                c->needs[c->need_count++] = w;
        c->kinds = format_string("%s", trim(fields[4]));
        c->title = format_string("%s", trim(fields[5]));
        c->functions = format_string("%s", trim(fields[6]));
    }
    free(text);
    for (int i = 0; i < course->count; i++)
        for (int k = 0; k < course->chapters[i].need_count; k++)
            if (course_find(course, course->chapters[i].needs[k]) == NULL)
                die("%s: chapter %s needs '%s', which is not a chapter", path, course->chapters[i].id,
                    course->chapters[i].needs[k]);
}

const Chapter *course_find(const Course *course, const char *id)
{
    for (int i = 0; i < course->count; i++)
        if (strcmp(course->chapters[i].id, id) == 0 && !course->chapters[i].is_intro)
            return &course->chapters[i];
    return NULL;
}

const Chapter *course_intro(const Course *course)
{
    for (int i = 0; i < course->count; i++)
        if (course->chapters[i].is_intro)
            return &course->chapters[i];
    return NULL;
}

static char *id_list(const Course *course, int written_only)
{
    char *list = format_string("%s", "");
    for (int i = 0; i < course->count; i++) {
        const Chapter *c = &course->chapters[i];
        if (c->is_intro || (written_only && !c->written))
            continue;
        char *longer = format_string("%s%s%s", list, list[0] ? ", " : "", c->id);
        free(list);
        list = longer;
    }
    return list;
}

char *course_id_list(const Course *course) { return id_list(course, 0); }

char *course_written_list(const Course *course) { return id_list(course, 1); }

void print_course_map(const Course *course)
{
    printf("| Chapter | Title | Functions you write | Checks |\n");
    printf("|---|---|---|---|\n");
    for (int i = 0; i < course->count; i++) {
        const Chapter *c = &course->chapters[i];
        if (c->is_intro) {
            printf("| %s | [%s](lessons/%s/README.md) | | |\n", c->id, c->title, c->folder);
            continue;
        }
        char *functions = format_string("%s", c->functions);
        printf("| %s | ", c->id);
        if (c->written)
            printf("[%s](lessons/%s/README.md)", c->title, c->folder);
        else
            printf("%s (coming)", c->title);
        printf(" | ");
        int first = 1;
        for (char *save = NULL, *f = strtok_r(functions, " ", &save); f; f = strtok_r(NULL, " ", &save)) {
            printf("%s`%s`", first ? "" : ", ", f);
            first = 0;
        }
        printf(" | ");
        for (const char *k = c->kinds; *k; k++)
            fputs(*k == ' ' ? ", " : (char[]){*k, '\0'}, stdout);
        printf(" |\n");
        free(functions);
    }
}
