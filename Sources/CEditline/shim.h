#ifndef PIPELINE_CEDITLINE_SHIM_H
#define PIPELINE_CEDITLINE_SHIM_H
/*
 * A thin C layer over libedit (histedit.h) for the REPL. Swift cannot call C variadic functions (el_set, history)
 * and Swift 6 treats C globals (stdin, stdout, stderr) as unsafe, so every such call happens here.
 */
#include <stdio.h>
#include <string.h>
#include <histedit.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* The prompt text, owned by C; set with pipeline_el_set_prompt. */
static inline char *pipeline_el_prompt_buffer(void) {
    static char text[1024];
    return text;
}

static inline char *pipeline_el_prompt(EditLine *el) {
    (void)el;
    return pipeline_el_prompt_buffer();
}

/* Creates an editor on the process's terminal, with emacs key bindings and the prompt above. */
static inline EditLine *pipeline_el_init(const char *program) {
    EditLine *el = el_init(program, stdin, stdout, stderr);
    if (el == NULL) return NULL;
    el_set(el, EL_EDITOR, "emacs");
    el_set(el, EL_SIGNAL, 1);
    el_set(el, EL_PROMPT, pipeline_el_prompt);
    return el;
}

static inline void pipeline_el_set_prompt(const char *text) {
    char *buffer = pipeline_el_prompt_buffer();
    strncpy(buffer, text, 1023);
    buffer[1023] = 0;
}

/* Reads one line; returns NULL at end of input (Ctrl-D). *count gets the length including the newline. */
static inline const char *pipeline_el_gets(EditLine *el, int *count) {
    return el_gets(el, count);
}

static inline void pipeline_el_set_history(EditLine *el, History *h) {
    el_set(el, EL_HIST, history, h);
}

/* Binds Tab to a completion function. */
static inline void pipeline_el_set_completer(EditLine *el, unsigned char (*fn)(EditLine *, int), void *context) {
    el_set(el, EL_CLIENTDATA, context);
    el_set(el, EL_ADDFN, "pipeline-complete", "complete the word before the cursor", fn);
    el_set(el, EL_BIND, "^I", "pipeline-complete", NULL);
}

static inline void *pipeline_el_context(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return data;
}

/* The text before the cursor (copied into buffer, NUL-terminated). */
static inline void pipeline_el_line_before_cursor(EditLine *el, char *buffer, size_t size) {
    const LineInfo *li = el_line(el);
    size_t n = (size_t)(li->cursor - li->buffer);
    if (n >= size) n = size - 1;
    memcpy(buffer, li->buffer, n);
    buffer[n] = 0;
}

static inline int pipeline_el_insert(EditLine *el, const char *text) { return el_insertstr(el, text); }

static inline void pipeline_el_print(const char *text) {
    fputs(text, stdout);
    fflush(stdout);
}

static inline void pipeline_el_end(EditLine *el) { el_end(el); }

static inline History *pipeline_history_init(int size) {
    HistEvent ev;
    History *h = history_init();
    if (h == NULL) return NULL;
    history(h, &ev, H_SETSIZE, size);
    history(h, &ev, H_SETUNIQUE, 1);
    return h;
}

static inline void pipeline_history_enter(History *h, const char *line) {
    HistEvent ev;
    history(h, &ev, H_ENTER, line);
}

static inline int pipeline_history_load(History *h, const char *file) {
    HistEvent ev;
    return history(h, &ev, H_LOAD, file);
}

static inline int pipeline_history_save(History *h, const char *file) {
    HistEvent ev;
    return history(h, &ev, H_SAVE, file);
}

static inline void pipeline_history_end(History *h) { history_end(h); }

/* Terminal size of stdout, or 0 when stdout is not a terminal. */
static inline int pipeline_terminal_columns(void) {
    struct winsize w;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col > 0) return w.ws_col;
    return 0;
}

static inline int pipeline_terminal_rows(void) {
    struct winsize w;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_row > 0) return w.ws_row;
    return 0;
}
#endif
