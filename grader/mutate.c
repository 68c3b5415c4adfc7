/*
 * mutate.c: makes the single-site mutants of a chapter's reference solution for make mutate (tools/mutate.sh).
 *
 *   mutate [--equivalent FILE] CHAPTER FOLDER
 *
 * Reads solutions/<folder>/exercise.c and, only inside the bodies of the functions the chapter's learner writes
 * (the last field of grader/course.txt), makes one mutant per change:
 *   relational   <  <=  >  >=  ==  !=  each swapped for its neighbour (< for <=, == for !=, ...)
 *   arithmetic   binary + and -, binary * and /, += and -=, *= and /= swapped
 *   loop bound   the right side of a for loop's comparison moved by one the way the swap above does not reach
 *                (k < n: n - 1; k <= n: n + 1)
 *   integers     a decimal literal n becomes n + 1 and n - 1 (0 only becomes 1)
 *   floats       a floating literal v becomes v / 2 (0 becomes 1)
 *   statement    an expression statement (an assignment, a call such as free(x)) becomes ";"
 * Comments, string and character literals and preprocessor lines are never touched. Whether a * or a - is a
 * binary operator is a guess from the token before it (an operand: a name that is not a type, a number, a ")"
 * that does not close a cast, a "]"); a wrong guess makes a mutant that does not compile, which make mutate
 * counts as such and never reports as a survivor.
 *
 * It writes FOLDER/<n>/exercise.c for mutant n and prints one line per mutant, tab-separated, after a header:
 *   n line column function original mutated change equivalent source
 * where change is the mutant's stable key ("< -> <=", "#2" added for the second same change on a line), equivalent
 * is the reason from the equivalent-mutants file or "-", and source is the line of the solution, its runs of
 * spaces made one. The equivalent-mutants file (grader/mutants/<chapter>.equivalent unless --equivalent names
 * another; its format is described at the top of each one) names mutants by function, line text and change, not
 * by line number, so that an unrelated edit of the solution keeps them; an entry that matches no mutant is stale,
 * and is reported on stderr as a warning.
 * Exit status: 0, or 2 for a wrong request (an unknown chapter, an unreadable or malformed file).
 */
#define _GNU_SOURCE
#include "grade.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- errors ------------------------------------------------------------ */

static _Noreturn void fatal(const char *format, ...) __attribute__((format(printf, 1, 2)));
static void fatal(const char *format, ...)
{
    va_list args;
    fflush(stdout);
    fputs("make mutate: ", stderr);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
    exit(2);
}

/* ---- tokens ------------------------------------------------------------ */

typedef enum { TOKEN_NAME, TOKEN_NUMBER, TOKEN_LITERAL, TOKEN_PUNCT } TokenKind;

typedef struct {
    TokenKind kind;
    size_t start, end; /* byte offsets in the source: [start, end) */
    int line, column;  /* 1-based */
} Token;

typedef struct {
    const char *text;
    Token *items;
    int count, capacity;
} Tokens;

/* The punctuators, longest first so that the first match is the longest one. */
static const char *const punctuators[] = {
    "<<=", ">>=", "...", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=", "*=", "/=",
    "%=", "&=", "^=", "|=", "##", "[", "]", "(", ")", "{", "}", ".", "&", "*", "+", "-", "~", "!", "/", "%", "<",
    ">", "^", "|", "?", ":", ";", "=", ",", "#"};

static void add_token(Tokens *tokens, TokenKind kind, size_t start, size_t end, int line, int column)
{
    if (tokens->count == tokens->capacity) {
        tokens->capacity = tokens->capacity ? 2 * tokens->capacity : 1024;
        tokens->items = realloc(tokens->items, (size_t)tokens->capacity * sizeof *tokens->items);
        if (tokens->items == NULL)
            fatal("out of memory");
    }
    tokens->items[tokens->count++] = (Token){kind, start, end, line, column};
}

/* Splits C source into tokens, leaving out comments and preprocessor lines (a string or character literal is one
 * token, which no mutation touches). */
static Tokens tokenize(const char *text)
{
    Tokens tokens = {text, NULL, 0, 0};
    size_t i = 0, line_start = 0;
    int line = 1, at_line_start = 1;
    while (text[i]) {
        char c = text[i];
        if (c == '\n') {
            line++, i++, line_start = i, at_line_start = 1;
            continue;
        }
        if (isspace((unsigned char)c)) {
            i++;
            continue;
        }
        if (c == '#' && at_line_start) { /* a preprocessor line, continued by backslashes */
            while (text[i] && !(text[i] == '\n' && text[i - 1] != '\\'))
                i++;
            continue;
        }
        at_line_start = 0;
        size_t start = i;
        int column = (int)(i - line_start) + 1;
        if (c == '/' && text[i + 1] == '*') {
            for (i += 2; text[i] && !(text[i] == '*' && text[i + 1] == '/'); i++)
                if (text[i] == '\n')
                    line++, line_start = i + 1;
            i += text[i] ? 2 : 0;
        } else if (c == '/' && text[i + 1] == '/') {
            while (text[i] && text[i] != '\n')
                i++;
        } else if (c == '"' || c == '\'') {
            for (i++; text[i] && text[i] != c && text[i] != '\n'; i++)
                if (text[i] == '\\' && text[i + 1])
                    i++;
            i += text[i] == c;
            add_token(&tokens, TOKEN_LITERAL, start, i, line, column);
        } else if (isalpha((unsigned char)c) || c == '_') {
            while (isalnum((unsigned char)text[i]) || text[i] == '_')
                i++;
            add_token(&tokens, TOKEN_NAME, start, i, line, column);
        } else if (isdigit((unsigned char)c) || (c == '.' && isdigit((unsigned char)text[i + 1]))) {
            /* a preprocessing number: digits, letters, dots, and a sign after an exponent's e or p */
            for (i++; isalnum((unsigned char)text[i]) || text[i] == '.' || text[i] == '_' ||
                      ((text[i] == '+' || text[i] == '-') && strchr("eEpP", text[i - 1]));
                 i++)
                ;
            add_token(&tokens, TOKEN_NUMBER, start, i, line, column);
        } else {
            size_t length = 1;
            for (size_t k = 0; k < sizeof punctuators / sizeof punctuators[0]; k++) {
                size_t n = strlen(punctuators[k]);
                if (strncmp(text + i, punctuators[k], n) == 0) {
                    length = n;
                    break;
                }
            }
            i += length;
            add_token(&tokens, TOKEN_PUNCT, start, i, line, column);
        }
    }
    return tokens;
}

static int is(const Tokens *t, int k, const char *word)
{
    if (k < 0 || k >= t->count)
        return 0;
    size_t n = t->items[k].end - t->items[k].start;
    return strlen(word) == n && strncmp(t->text + t->items[k].start, word, n) == 0;
}

static char *token_text(const Tokens *t, int k)
{
    return format_string("%.*s", (int)(t->items[k].end - t->items[k].start), t->text + t->items[k].start);
}

/* The index of the bracket that closes the one at k ("(" or "{"), or -1. */
static int closing(const Tokens *t, int k, int last)
{
    const char *open = is(t, k, "(") ? "(" : "{", *close = is(t, k, "(") ? ")" : "}";
    int depth = 0;
    for (int i = k; i <= last; i++) {
        depth += is(t, i, open) - is(t, i, close);
        if (depth == 0)
            return i;
    }
    return -1;
}

static int opening(const Tokens *t, int k, int first)
{
    int depth = 0;
    for (int i = k; i >= first; i--) {
        depth += is(t, i, ")") - is(t, i, "(");
        if (depth == 0)
            return i;
    }
    return -1;
}

/* ---- names: keywords and types ----------------------------------------- */

static const char *const type_words[] = {"void", "char", "short", "int", "long", "float", "double", "signed",
                                         "unsigned", "const", "volatile", "static", "struct", "union", "enum",
                                         "register", "extern", "_Bool", "bool", "restrict", "inline"};
static const char *const statement_words[] = {"return", "break", "continue", "goto", "if", "else", "for", "while",
                                              "do", "switch", "case", "default", "typedef", "sizeof"};

/* The type names the kit's headers declare (Matrix, KitRng, ...), read from their typedefs. */
static char *typedef_names[256];
static int typedef_count;

static int in_list(const char *const *list, size_t n, const char *word)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], word) == 0)
            return 1;
    return 0;
}

static int is_type_name(const Tokens *t, int k)
{
    if (k < 0 || t->items[k].kind != TOKEN_NAME)
        return 0;
    char *word = token_text(t, k);
    size_t n = strlen(word);
    int type = in_list(type_words, sizeof type_words / sizeof type_words[0], word) ||
               (n > 2 && strcmp(word + n - 2, "_t") == 0) ||
               in_list((const char *const *)typedef_names, (size_t)typedef_count, word);
    free(word);
    return type;
}

static int is_keyword(const Tokens *t, int k)
{
    if (k < 0 || t->items[k].kind != TOKEN_NAME)
        return 0;
    char *word = token_text(t, k);
    int keyword = in_list(statement_words, sizeof statement_words / sizeof statement_words[0], word);
    free(word);
    return keyword || is_type_name(t, k);
}

/* Reads the names a header's typedefs declare: the last name before the ";" of "typedef ...;", or the name in
 * "(*Name)" for a pointer to a function. */
static void read_typedefs(const char *path)
{
    char *text = read_file(path, 0);
    if (text == NULL)
        return; /* then only the C types and the *_t names count as types */
    Tokens t = tokenize(text);
    for (int k = 0; k < t.count; k++) {
        if (!is(&t, k, "typedef"))
            continue;
        int depth = 0, name = -1, pointer_name = -1, end = k + 1;
        for (; end < t.count && !(depth == 0 && is(&t, end, ";")); end++) {
            depth += is(&t, end, "{") - is(&t, end, "}");
            if (depth == 0 && t.items[end].kind == TOKEN_NAME)
                name = end;
            /* typedef float (*Name)(void *context): the name is the first one after "(*", not the last */
            if (pointer_name < 0 && is(&t, end, "(") && is(&t, end + 1, "*") && end + 2 < t.count &&
                t.items[end + 2].kind == TOKEN_NAME)
                pointer_name = end + 2;
        }
        if (pointer_name >= 0)
            name = pointer_name;
        if (name >= 0 && typedef_count < (int)(sizeof typedef_names / sizeof typedef_names[0]))
            typedef_names[typedef_count++] = token_text(&t, name);
        k = end;
    }
    free(t.items);
    free(text);
}

/* ---- what an operator is next to ---------------------------------------- */

/* Does the ")" at k close a cast such as "(float)" or "(const float *)"? */
static int closes_cast(const Tokens *t, int k, int first)
{
    int open = opening(t, k, first);
    if (open < 0 || open + 1 == k || is(t, open - 1, "sizeof"))
        return 0;
    if (open - 1 >= first && t->items[open - 1].kind == TOKEN_NAME && !is_keyword(t, open - 1))
        return 0; /* a call: f(x) */
    for (int i = open + 1; i < k; i++)
        if (!is_type_name(t, i) && !is(t, i, "*"))
            return 0;
    return 1;
}

/* Does the token at k end an operand, so that an operator after it is a binary one? */
static int ends_operand(const Tokens *t, int k, int first)
{
    if (k < first)
        return 0;
    switch (t->items[k].kind) {
    case TOKEN_NUMBER:
    case TOKEN_LITERAL: return 1;
    case TOKEN_NAME: return !is_keyword(t, k);
    case TOKEN_PUNCT: return is(t, k, "]") || (is(t, k, ")") && !closes_cast(t, k, first));
    }
    return 0;
}

/* ---- mutants ----------------------------------------------------------- */

typedef struct {
    size_t start, end;     /* the bytes of the solution replaced */
    char *replacement;
    int line, column;
    const char *function;
    char *original, *mutated; /* as shown: "<" and "<=", or a statement and ";" */
    char *change;          /* the stable key: "< -> <=", "#2" added for a second same change on the line */
    const char *equivalent; /* the reason given in the equivalent-mutants file, or NULL */
    int order;             /* when it was made */
} Mutant;

static Mutant *mutants;
static int mutant_count, mutant_capacity;

static void add_mutant(const Tokens *t, int first, int last, const char *function, const char *replacement,
                       const char *original, const char *mutated)
{
    if (mutant_count == mutant_capacity) {
        mutant_capacity = mutant_capacity ? 2 * mutant_capacity : 256;
        mutants = realloc(mutants, (size_t)mutant_capacity * sizeof *mutants);
        if (mutants == NULL)
            fatal("out of memory");
    }
    mutants[mutant_count++] = (Mutant){t->items[first].start, t->items[last].end, format_string("%s", replacement),
                                       t->items[first].line, t->items[first].column, function,
                                       format_string("%s", original), format_string("%s", mutated), NULL, NULL, 0};
}

/* One token swapped for another word. */
static void swap_token(const Tokens *t, int k, const char *function, const char *word)
{
    char *original = token_text(t, k);
    add_mutant(t, k, k, function, word, original, word);
    free(original);
}

/* Text with every run of white space made one space, and none at either end. */
static char *squeeze(const char *text, size_t length)
{
    char *out = allocate(length + 1);
    size_t n = 0;
    for (size_t i = 0; i < length; i++) {
        if (isspace((unsigned char)text[i])) {
            if (n > 0 && out[n - 1] != ' ')
                out[n++] = ' ';
        } else {
            out[n++] = text[i];
        }
    }
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
    return out;
}

static void mutate_number(const Tokens *t, int k, const char *function)
{
    char *text = token_text(t, k);
    size_t n = strlen(text);
    int is_float = strpbrk(text, ".eEpP") != NULL && strncmp(text, "0x", 2) != 0 && strncmp(text, "0X", 2) != 0;
    if (is_float || (n > 1 && (text[n - 1] == 'f' || text[n - 1] == 'F') && strncmp(text, "0x", 2) != 0)) {
        char *end;
        double value = strtod(text, &end);
        const char *suffix = end; /* f, F, l or L, or nothing */
        char number[64];
        snprintf(number, sizeof number, "%.9g", value == 0 ? 1.0 : value / 2);
        if (!strpbrk(number, ".eEni"))
            strcat(number, ".0");
        char *word = format_string("%s%s", number, suffix);
        swap_token(t, k, function, word);
        free(word);
    } else if (text[0] != '0' || n == 1) { /* a decimal integer (octal and hexadecimal ones are left alone) */
        char *end;
        errno = 0;
        unsigned long long value = strtoull(text, &end, 10);
        if (errno == 0 && value < 1000000) {
            char *up = format_string("%llu%s", value + 1, end);
            swap_token(t, k, function, up);
            free(up);
            if (value > 0) {
                char *down = format_string("%llu%s", value - 1, end);
                swap_token(t, k, function, down);
                free(down);
            }
        }
    }
    free(text);
}

/* for (init; A op B; step): B moved by one the way swapping op does not reach. */
static void mutate_loop_bound(const Tokens *t, int k, int last, const char *function)
{
    int open = k + 1, close = is(t, open, "(") ? closing(t, open, last) : -1;
    if (close < 0)
        return;
    int first_semicolon = -1, second_semicolon = -1, depth = 0;
    for (int i = open + 1; i < close; i++) {
        depth += is(t, i, "(") - is(t, i, ")");
        if (depth == 0 && is(t, i, ";")) {
            if (first_semicolon < 0)
                first_semicolon = i;
            else if (second_semicolon < 0)
                second_semicolon = i;
        }
    }
    if (second_semicolon < 0)
        return;
    int op = -1, end = second_semicolon;
    depth = 0;
    for (int i = first_semicolon + 1; i < second_semicolon; i++) {
        depth += is(t, i, "(") - is(t, i, ")");
        if (depth != 0)
            continue;
        if (is(t, i, "&&") || is(t, i, "||") || is(t, i, "?")) {
            end = i;
            break;
        }
        if (op < 0 && (is(t, i, "<") || is(t, i, "<=") || is(t, i, ">") || is(t, i, ">=") || is(t, i, "!=")))
            op = i;
    }
    if (op < 0 || op + 1 >= end || (op + 2 == end && t->items[op + 1].kind == TOKEN_NUMBER))
        return; /* no comparison, or a literal bound, which the integer mutants move already */
    const char *step = is(t, op, "<") || is(t, op, ">=") || is(t, op, "!=") ? "-" : "+";
    char *bound = squeeze(t->text + t->items[op + 1].start, t->items[end - 1].end - t->items[op + 1].start);
    char *moved = op + 2 == end ? format_string("%s %s 1", bound, step) : format_string("(%s) %s 1", bound, step);
    add_mutant(t, op + 1, end - 1, function, moved, bound, moved);
    free(bound);
    free(moved);
}

/* A statement that starts at k: an expression statement (not a declaration, not return, if, ...) is dropped. */
static void drop_statement(const Tokens *t, int k, int last, const char *function)
{
    int starts_expression = (t->items[k].kind == TOKEN_NAME && !is_keyword(t, k) && !is(t, k + 1, ":")) ||
                            is(t, k, "*") || is(t, k, "++") || is(t, k, "--") || is(t, k, "(");
    /* Name *p = ...: a declaration of a type the headers do not declare */
    if (t->items[k].kind == TOKEN_NAME && is(t, k + 1, "*") && k + 2 <= last && t->items[k + 2].kind == TOKEN_NAME &&
        (is(t, k + 3, "=") || is(t, k + 3, ";") || is(t, k + 3, ",")))
        starts_expression = 0;
    if (t->items[k].kind == TOKEN_NAME && k + 1 <= last && t->items[k + 1].kind == TOKEN_NAME)
        starts_expression = 0; /* Name name: a declaration too */
    if (!starts_expression)
        return;
    int depth = 0, end = k;
    for (; end <= last; end++) {
        depth += is(t, end, "(") + is(t, end, "[") + is(t, end, "{") - is(t, end, ")") - is(t, end, "]") -
                 is(t, end, "}");
        if (depth < 0)
            return;
        if (depth == 0 && is(t, end, ";"))
            break;
    }
    if (end > last)
        return;
    char *original = squeeze(t->text + t->items[k].start, t->items[end].end - t->items[k].start);
    /* the lines it spanned are kept as empty ones, so that the compiler's line numbers stay those of the solution */
    size_t newlines = 0;
    for (size_t i = t->items[k].start; i < t->items[end].end; i++)
        newlines += t->text[i] == '\n';
    char *replacement = allocate(newlines + 2);
    replacement[0] = ';';
    memset(replacement + 1, '\n', newlines);
    replacement[newlines + 1] = '\0';
    add_mutant(t, k, end, function, replacement, original, ";");
    free(replacement);
    free(original);
}

/* Is the "{" at k a block's, not a struct's or an initializer's? "struct { ... } pairs[2] = {{...}};" is one
 * declaration. A block follows the ")" of if, for, while or a function's parameters, else, do, or another
 * statement. */
static int opens_block(const Tokens *t, int k, int first)
{
    return k == first || is(t, k - 1, ")") || is(t, k - 1, "else") || is(t, k - 1, "do") || is(t, k - 1, "{") ||
           is(t, k - 1, "}") || is(t, k - 1, ";");
}

/* Does a statement start at k, the token after the one before it? */
static int starts_statement(const Tokens *t, int k, int first)
{
    if (k == first)
        return 1;
    if (is(t, k - 1, "else"))
        return 1;
    if (is(t, k - 1, "{"))
        return opens_block(t, k - 1, first);
    if (is(t, k - 1, "}")) {
        int depth = 0;
        for (int i = k - 1; i >= first; i--) {
            depth += is(t, i, "}") - is(t, i, "{");
            if (depth == 0)
                return opens_block(t, i, first);
        }
        return 0;
    }
    if (is(t, k - 1, ";")) { /* not the ; inside for ( ... ) */
        int depth = 0;
        for (int i = k - 1; i >= first; i--) {
            depth += is(t, i, ")") - is(t, i, "(");
            if (depth < 0)
                return 0;
            if (is(t, i, "{") || is(t, i, "}"))
                break;
        }
        return 1;
    }
    if (is(t, k - 1, ")")) { /* the body of if ( ... ), for ( ... ), while ( ... ) */
        int open = opening(t, k - 1, first);
        return open > first && (is(t, open - 1, "if") || is(t, open - 1, "for") || is(t, open - 1, "while"));
    }
    return 0;
}

static void mutate_body(const Tokens *t, int first, int last, const char *function)
{
    static const char *const swaps[][2] = {{"<", "<="}, {"<=", "<"}, {">", ">="}, {">=", ">"}, {"==", "!="},
                                           {"!=", "=="}, {"+=", "-="}, {"-=", "+="}, {"*=", "/="}, {"/=", "*="}};
    static const char *const binary_swaps[][2] = {{"+", "-"}, {"-", "+"}, {"*", "/"}, {"/", "*"}};
    for (int k = first; k <= last; k++) {
        if (starts_statement(t, k, first))
            drop_statement(t, k, last, function);
        if (t->items[k].kind == TOKEN_NUMBER) {
            mutate_number(t, k, function);
            continue;
        }
        if (is(t, k, "for"))
            mutate_loop_bound(t, k, last, function);
        for (size_t s = 0; s < sizeof swaps / sizeof swaps[0]; s++)
            if (is(t, k, swaps[s][0]))
                swap_token(t, k, function, swaps[s][1]);
        for (size_t s = 0; s < sizeof binary_swaps / sizeof binary_swaps[0]; s++)
            if (is(t, k, binary_swaps[s][0]) && ends_operand(t, k - 1, first))
                swap_token(t, k, function, binary_swaps[s][1]);
    }
}

/* ---- the source lines and the stable keys ------------------------------ */

static char *source_line(const char *text, int line)
{
    const char *p = text;
    for (int i = 1; i < line && p; i++) {
        p = strchr(p, '\n');
        p = p ? p + 1 : NULL;
    }
    if (p == NULL)
        return format_string("%s", "");
    return squeeze(p, strcspn(p, "\n"));
}

/* In the order of the source, and for one token in the order the changes were made (qsort is not stable). */
static int by_place(const void *a, const void *b)
{
    const Mutant *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->order - y->order;
}

/* Puts the mutants in the order of the source, and gives each its stable key (its change, numbered when the same
 * change is made more than once on its line). */
static void make_keys(void)
{
    for (int i = 0; i < mutant_count; i++)
        mutants[i].order = i;
    qsort(mutants, (size_t)mutant_count, sizeof *mutants, by_place);
    for (int i = 0; i < mutant_count; i++) {
        Mutant *m = &mutants[i];
        int same = 1;
        for (int j = 0; j < i; j++)
            same += mutants[j].line == m->line && strcmp(mutants[j].original, m->original) == 0 &&
                    strcmp(mutants[j].mutated, m->mutated) == 0;
        m->change = same == 1 ? format_string("%s -> %s", m->original, m->mutated)
                              : format_string("%s -> %s #%d", m->original, m->mutated, same);
    }
}

/* ---- the equivalent-mutants file -------------------------------------- */

typedef struct {
    int line;                    /* where its "in" line is */
    char *function, *source, *change, *why;
    int used;
} Entry;

/* The next line of a text being read (its newline replaced by a NUL), or NULL at the end. strtok_r would skip
 * empty lines, and the line numbers of the messages count them. */
static char *next_line(char **cursor)
{
    char *line = *cursor;
    if (*line == '\0')
        return NULL;
    char *end = strchr(line, '\n');
    if (end) {
        *end = '\0';
        *cursor = end + 1;
    } else {
        *cursor = line + strlen(line);
    }
    return line;
}

static int read_equivalents(const char *path, Entry **entries)
{
    char *text = read_file(path, 0);
    if (text == NULL)
        return 0; /* none: every survivor is reported */
    int count = 0, capacity = 0, number = 0;
    Entry *list = NULL;
    char *cursor = text;
    for (char *line; (line = next_line(&cursor)) != NULL;) {
        number++;
        char *trimmed = squeeze(line, strlen(line));
        if (trimmed[0] == '\0' || trimmed[0] == '#') {
            free(trimmed);
            continue;
        }
        char *space = strchr(trimmed, ' ');
        char *value = space ? space + 1 : trimmed + strlen(trimmed);
        if (space)
            *space = '\0';
        if (strcmp(trimmed, "in") == 0) {
            if (count == capacity) {
                capacity = capacity ? 2 * capacity : 16;
                list = realloc(list, (size_t)capacity * sizeof *list);
                if (list == NULL)
                    fatal("out of memory");
            }
            list[count++] = (Entry){number, format_string("%s", value), NULL, NULL, NULL, 0};
        } else if (count == 0) {
            fatal("%s:%d: '%s' comes before the first 'in <function>' line: an entry opens with 'in', then has "
                  "'line', 'change' and 'why' (the format is described at the top of the file)",
                  path, number, trimmed);
        } else if (strcmp(trimmed, "line") == 0) {
            list[count - 1].source = format_string("%s", value);
        } else if (strcmp(trimmed, "change") == 0) {
            list[count - 1].change = format_string("%s", value);
        } else if (strcmp(trimmed, "why") == 0) {
            list[count - 1].why = format_string("%s", value);
        } else {
            fatal("%s:%d: '%s' is not a field of an entry; the fields are in, line, change and why", path, number,
                  trimmed);
        }
        free(trimmed);
    }
    for (int i = 0; i < count; i++)
        if (!list[i].source || !list[i].change || !list[i].why || !list[i].why[0])
            fatal("%s:%d: the entry for %s has no '%s' line: every entry has in, line, change and why (why: the "
                  "reason no check can tell the mutant from the solution)",
                  path, list[i].line, list[i].function,
                  !list[i].source ? "line" : !list[i].change ? "change" : "why");
    *entries = list;
    free(text);
    return count;
}

/* ---- main -------------------------------------------------------------- */

static void write_mutant_file(const char *text, const Mutant *m, const char *path)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        fatal("cannot write %s: %s", path, strerror(errno));
    fwrite(text, 1, m->start, f);
    fputs(m->replacement, f);
    fputs(text + m->end, f);
    if (fclose(f) != 0)
        fatal("cannot write %s: %s", path, strerror(errno));
}

int main(int argc, char **argv)
{
    const char *equivalent_path = NULL;
    int a = 1;
    if (a + 1 < argc && strcmp(argv[a], "--equivalent") == 0) {
        equivalent_path = argv[a + 1];
        a += 2;
    }
    if (argc - a != 2)
        fatal("usage: mutate [--equivalent FILE] CHAPTER FOLDER (make mutate CH=1.3 calls it)");
    const char *id = argv[a], *out = argv[a + 1];
    Course course;
    course_read(&course, "grader/course.txt");
    const Chapter *chapter = NULL;
    for (int i = 0; i < course.count; i++)
        if (strcmp(course.chapters[i].id, id) == 0)
            chapter = &course.chapters[i];
    if (chapter == NULL || !chapter->written)
        fatal("there is no written chapter '%s' in grader/course.txt; the written chapters are %s%s", id,
              course_written_list(&course),
              chapter && !chapter->written ? " (that one is not written yet: it has no reference solution to mutate)"
                                           : "");
    char *path = format_string("solutions/%s/exercise.c", chapter->folder);
    char *text = read_file(path, 0);
    if (text == NULL)
        fatal("cannot read %s, chapter %s's reference solution: %s", path, id, strerror(errno));
    read_typedefs("harness/kit.h");
    read_typedefs("harness/course.h");

    Tokens t = tokenize(text);
    char *functions = format_string("%s", chapter->functions);
    for (char *save = NULL, *name = strtok_r(functions, " ", &save); name; name = strtok_r(NULL, " ", &save)) {
        int found = 0, depth = 0;
        for (int k = 0; k < t.count; k++) {
            depth += is(&t, k, "{") - is(&t, k, "}");
            if (depth != 0 || !is(&t, k, name) || !is(&t, k + 1, "("))
                continue;
            int close = closing(&t, k + 1, t.count - 1);
            if (close < 0 || !is(&t, close + 1, "{"))
                continue; /* a call or a prototype */
            int end = closing(&t, close + 1, t.count - 1);
            if (end < 0)
                fatal("%s: the body of %s has no closing brace", path, name);
            mutate_body(&t, close + 2, end - 1, name);
            found = 1;
            break;
        }
        if (!found)
            fatal("%s has no definition of %s, which grader/course.txt lists among chapter %s's functions", path,
                  name, id);
    }
    make_keys();

    /* the equivalent mutants, matched by function, line text and change */
    char *default_equivalent = format_string("grader/mutants/%s.equivalent", id);
    if (equivalent_path == NULL)
        equivalent_path = default_equivalent;
    Entry *entries = NULL;
    int entry_count = read_equivalents(equivalent_path, &entries);
    for (int i = 0; i < mutant_count; i++) {
        char *line = source_line(text, mutants[i].line);
        for (int e = 0; e < entry_count; e++)
            if (strcmp(entries[e].function, mutants[i].function) == 0 && strcmp(entries[e].source, line) == 0 &&
                strcmp(entries[e].change, mutants[i].change) == 0) {
                mutants[i].equivalent = entries[e].why;
                entries[e].used = 1;
            }
        free(line);
    }
    for (int e = 0; e < entry_count; e++)
        if (!entries[e].used)
            fprintf(stderr,
                    "warning: %s:%d: stale entry: no mutant of %s changes '%s' on a line that reads '%s' (did the "
                    "solution change?): fix the entry or remove it\n",
                    equivalent_path, entries[e].line, entries[e].function, entries[e].change, entries[e].source);

    make_dirs(out);
    printf("n\tline\tcolumn\tfunction\toriginal\tmutated\tchange\tequivalent\tsource\n");
    for (int i = 0; i < mutant_count; i++) {
        const Mutant *m = &mutants[i];
        char *dir = format_string("%s/%d", out, i + 1);
        char *file = format_string("%s/exercise.c", dir);
        make_dirs(dir);
        write_mutant_file(text, m, file);
        char *line = source_line(text, m->line);
        printf("%d\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", i + 1, m->line, m->column, m->function, m->original,
               m->mutated, m->change, m->equivalent ? m->equivalent : "-", line);
        free(line);
        free(file);
        free(dir);
    }
    return 0;
}
