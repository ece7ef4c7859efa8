/* The line labeller's pass over a page's characters and words, and its stage two, in C.

   dateline/extract/line_features.py holds the reference implementation (numpy), the
   character tables, the vocabulary codes and the feature names; it hands them to
   make_scanner() once per model. scan() then reads a page's lines (joined by "\n") once,
   character by character, and writes the features that need no pattern matching, with
   the same arithmetic in the same order as the reference, so that the two give the same
   numbers (tests/test_linescan.py holds them together). stage() computes each line's
   context from the scores of the stage before and sums the boosted trees (make_forest()
   takes them once per model); it agrees with the reference to the last few bits, as the
   leaves are summed tree by tree where numpy sums them in another order. Everything here
   is optional: when the module is not built, line_features.py runs its numpy path.

   Words are what str.split() gives of the lower-cased page. Lower-casing here is the
   simple one-character mapping, which is what str.lower() does for every character but
   two: U+0130 (two characters lower-cased) and U+03A3 (the final sigma depends on its
   neighbours). A word holding either is lower-cased by str.lower() instead. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* the class bits of line_features._TABLE */
enum { UP = 1, LOW = 2, DIG = 4, COMMA = 8, STOP = 16, NAV = 32, SPACE = 64, QUOTE = 128 };
/* the bits of Model.code_flags */
enum { STOP_WORD = 1 };
#define TOP 0x2600
#define BINS 7

/* the line features scan() fills, by name (the module's ROWS, from which line_features.py
   takes their row indices, handed back to make_scanner() in this order) */
static const char *ROW_NAMES[] = {
    "bias", "words_bin0", "ends_sentence", "ends_period", "ends_colon", "sentence_breaks", "caps_share",
    "caps_share_long", "stop_share", "comma_density", "digit_share", "all_caps", "bullet_first", "nav_marks",
    "urlish", "chars_per_word", "position", "position_sq", "ellipsis_end", "quote_share", "first_lower",
    "words_weight_mean", "words_weight_min", "words_weight_max", "words_weight_first",
};
/* the same rows, numbered */
enum {
    R_BIAS, R_BIN0, R_ENDS_SENTENCE, R_ENDS_PERIOD, R_ENDS_COLON,
    R_BREAKS, R_CAPS, R_CAPS_LONG, R_STOP_SHARE, R_COMMA_DENSITY, R_DIGIT_SHARE, R_ALL_CAPS,
    R_BULLET, R_NAV, R_URLISH, R_CHARS_PER_WORD, R_POSITION, R_POSITION_SQ, R_ELLIPSIS,
    R_QUOTE_SHARE, R_FIRST_LOWER, R_W_MEAN, R_W_MIN, R_W_MAX, R_W_FIRST, N_ROWS
};
/* the rows of the int64 array of line counts scan() also fills (the logarithms of the
   first two are numpy's, whose log1p differs from the C library's in the last bit) */
enum { A_LENGTH, A_SPACED, A_DIGITS, A_COMMAS, A_NAV, A_HEAD, A_FLAGS, A_WORDS, A_DATE_HINT, A_SHORT_FIRST,
       A_SHAPE_FIRST, N_AUX };

/* The vocabulary: open addressing, eight bytes a slot so that the table stays in the cache
   (a page's unknown words each probe one random slot). A slot holds the top half of its
   word's hash and where the word lies in the pool: its code, its length, its characters. */
typedef struct {
    uint32_t tag;
    uint32_t at; /* 0: an empty slot; else 1 + the word's offset in the pool */
} Slot;

typedef struct {
    Slot *slots;
    size_t mask;
    Py_UCS4 *pool;
    size_t pool_used, pool_size;
    Py_ssize_t longest; /* no longer word is in the vocabulary */
    unsigned char table[TOP], prose_end[TOP], bullet[TOP];
    unsigned char code_flags[256];
    double code_weights[256];
    Py_ssize_t rows[N_ROWS];
    long bins[BINS];
    PyObject *word_codes; /* the dictionary, for the words lower-cased by str.lower() */
    Py_UCS4 strip[16];    /* the marks stripped from a line's first word */
    int n_strip;
    PyObject *short_firsts; /* the first words that make a short line worth a look-up */
    PyObject *shape_firsts; /* the first words (stripped) that make a line worth a shape check */
    /* scratch space kept from page to page; ``busy`` while a scan uses it (a finaliser run
       by the garbage collector inside a scan could start another: that one declines) */
    void *lines, *words, *chars, *cum;
    size_t lines_size, words_size, chars_size, cum_size;
    int busy;
} Scanner;

static const char *CAPSULE = "dateline.extract._linescan.Scanner";

static inline uint64_t hash_step(uint64_t h, Py_UCS4 c) {
    return (h ^ (uint64_t)c) * 0x100000001b3ULL;
}
#define HASH_START 0xcbf29ce484222325ULL

static void scanner_free(PyObject *capsule) {
    Scanner *s = PyCapsule_GetPointer(capsule, CAPSULE);
    if (s == NULL)
        return;
    PyMem_Free(s->slots);
    PyMem_Free(s->pool);
    Py_XDECREF(s->word_codes);
    Py_XDECREF(s->short_firsts);
    Py_XDECREF(s->shape_firsts);
    PyMem_Free(s->lines);
    PyMem_Free(s->words);
    PyMem_Free(s->chars);
    PyMem_Free(s->cum);
    PyMem_Free(s);
}

static int copy_table(unsigned char *to, Py_buffer *from, Py_ssize_t size, const char *what) {
    if (from->len != size) {
        PyErr_Format(PyExc_ValueError, "%s: %zd bytes, expected %zd", what, from->len, size);
        return -1;
    }
    memcpy(to, from->buf, (size_t)size);
    return 0;
}

static int add_word(Scanner *s, PyObject *key, PyObject *value) {
    if (!PyUnicode_Check(key)) {
        PyErr_SetString(PyExc_TypeError, "word_codes: keys must be str");
        return -1;
    }
    long code = PyLong_AsLong(value);
    if (code == -1 && PyErr_Occurred())
        return -1;
    if (code < 0 || code > 255) {
        PyErr_SetString(PyExc_ValueError, "word_codes: codes must be 0..255");
        return -1;
    }
    const Py_ssize_t len = PyUnicode_GET_LENGTH(key);
    const size_t need = s->pool_used + 2 + (size_t)len;
    if (need >= UINT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "word_codes: too large");
        return -1;
    }
    if (need > s->pool_size) {
        size_t size = need * 2;
        Py_UCS4 *grown = PyMem_Realloc(s->pool, size * sizeof(Py_UCS4));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        s->pool = grown;
        s->pool_size = size;
    }
    Py_UCS4 *entry = s->pool + s->pool_used;
    entry[0] = (Py_UCS4)code;
    entry[1] = (Py_UCS4)len;
    if (PyUnicode_AsUCS4(key, entry + 2, len, 0) == NULL)
        return -1;
    uint64_t h = HASH_START;
    for (Py_ssize_t k = 0; k < len; k++)
        h = hash_step(h, entry[2 + k]);
    size_t at = (size_t)h & s->mask;
    while (s->slots[at].at != 0)
        at = (at + 1) & s->mask;
    s->slots[at].tag = (uint32_t)(h >> 32);
    s->slots[at].at = (uint32_t)(s->pool_used + 1);
    s->pool_used = need;
    if (len > s->longest)
        s->longest = len;
    return 0;
}

/* A capsule named ``name`` that owns ``size`` zeroed bytes (in *made), freed by ``free_it``. */
static PyObject *zeroed_capsule(size_t size, const char *name, PyCapsule_Destructor free_it, void **made) {
    void *memory = PyMem_Calloc(1, size);
    if (memory == NULL)
        return PyErr_NoMemory();
    PyObject *capsule = PyCapsule_New(memory, name, free_it);
    if (capsule == NULL) {
        PyMem_Free(memory);
        return NULL;
    }
    *made = memory;
    return capsule;
}

/* make_scanner(word_codes, code_flags, code_weights, table, prose_end, bullet, rows, bins, strip,
                short_firsts, shape_firsts) */
static PyObject *make_scanner(PyObject *self, PyObject *args) {
    PyObject *word_codes, *rows, *bins, *strip, *short_firsts, *shape_firsts;
    Py_buffer flags, weights, table, prose_end, bullet;
    if (!PyArg_ParseTuple(args, "O!y*y*y*y*y*O!O!UO!O!", &PyDict_Type, &word_codes, &flags, &weights, &table,
                          &prose_end, &bullet, &PyTuple_Type, &rows, &PyTuple_Type, &bins, &strip,
                          &PyFrozenSet_Type, &short_firsts, &PyFrozenSet_Type, &shape_firsts))
        return NULL;
    PyObject *capsule = NULL;
    Scanner *s = NULL;
    capsule = zeroed_capsule(sizeof(Scanner), CAPSULE, scanner_free, (void **)&s);
    if (capsule == NULL)
        goto done;
    if (copy_table(s->code_flags, &flags, 256, "code_flags") < 0 ||
        copy_table((unsigned char *)s->code_weights, &weights, 256 * sizeof(double), "code_weights") < 0 ||
        copy_table(s->table, &table, TOP, "table") < 0 || copy_table(s->prose_end, &prose_end, TOP, "prose_end") < 0 ||
        copy_table(s->bullet, &bullet, TOP, "bullet") < 0)
        goto fail;
    if (PyTuple_GET_SIZE(rows) != N_ROWS || PyTuple_GET_SIZE(bins) != BINS) {
        PyErr_Format(PyExc_ValueError, "expected %d rows and %d bins", N_ROWS, BINS);
        goto fail;
    }
    for (int k = 0; k < N_ROWS; k++) {
        s->rows[k] = PyLong_AsSsize_t(PyTuple_GET_ITEM(rows, k));
        if (s->rows[k] < 0) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "rows must be >= 0");
            goto fail;
        }
    }
    if (PyUnicode_GET_LENGTH(strip) > 16) {
        PyErr_SetString(PyExc_ValueError, "strip: at most 16 characters");
        goto fail;
    }
    s->n_strip = (int)PyUnicode_GET_LENGTH(strip);
    for (int k = 0; k < s->n_strip; k++)
        s->strip[k] = PyUnicode_READ_CHAR(strip, k);
    for (int k = 0; k < BINS; k++) {
        s->bins[k] = PyLong_AsLong(PyTuple_GET_ITEM(bins, k));
        if (s->bins[k] == -1 && PyErr_Occurred())
            goto fail;
    }
    size_t size = 16;
    while (size < (size_t)PyDict_GET_SIZE(word_codes) * 3 / 2)
        size <<= 1;
    s->slots = PyMem_Calloc(size, sizeof(Slot));
    if (s->slots == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    s->mask = size - 1;
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(word_codes, &pos, &key, &value))
        if (add_word(s, key, value) < 0)
            goto fail;
    s->word_codes = Py_NewRef(word_codes);
    s->short_firsts = Py_NewRef(short_firsts);
    s->shape_firsts = Py_NewRef(shape_firsts);
    goto done;
fail:
    Py_CLEAR(capsule);
done:
    PyBuffer_Release(&flags);
    PyBuffer_Release(&weights);
    PyBuffer_Release(&table);
    PyBuffer_Release(&prose_end);
    PyBuffer_Release(&bullet);
    return capsule;
}

/* one word of the page: where it is, and its code */
typedef struct {
    Py_ssize_t start;
    int32_t len;
    uint32_t slot;  /* 1 + the first slot whose tag is the word's, or 0 */
    uint64_t hash;  /* of the word lower-cased */
    unsigned char code;
    unsigned char special; /* holds U+0130 or U+03A3: lower-cased by str.lower() */
} Word;

/* per-line counts gathered by the character pass */
typedef struct {
    Py_ssize_t start, length;
    long up, low, digits, commas, nav, quotes, spaces, breaks, split_words;
    int urlish, date_hint;
} Line;

static inline Py_UCS4 clip(Py_UCS4 c) { return c < TOP ? c : TOP - 1; }

static inline Py_UCS4 lower(Py_UCS4 c) {
    if (c < 128)
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    return Py_UNICODE_TOLOWER(c);
}

/* str.isspace() of one character */
static inline int is_space(Py_UCS4 c) {
    if (c < 128)
        return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
    return Py_UNICODE_ISSPACE(c);
}

/* scratch space past this many bytes is given back after the page that needed it */
#define KEEP_SCRATCH (8u << 20)

/* scratch space of at least ``size`` bytes at *at (kept in the scanner), or NULL */
static void *room(void **at, size_t *have, size_t size) {
    if (size > *have) {
        void *grown = PyMem_Realloc(*at, size);
        if (grown == NULL)
            return NULL;
        *at = grown;
        *have = size;
    }
    return *at;
}

/* str.lower() of a word of the page, by Python (for the words simple lower-casing gets wrong) */
static PyObject *python_lower(PyObject *page, const Word *w) {
    PyObject *raw = PyUnicode_Substring(page, w->start, w->start + w->len);
    if (raw == NULL)
        return NULL;
    PyObject *low = PyObject_CallMethod(raw, "lower", NULL);
    Py_DECREF(raw);
    return low;
}

/* The words' codes, looked up once the character pass has cut every word of the page and
   asked for its slot (a prefetch): first each word's first slot with its tag, asking for
   its entry in the pool, then the comparisons. Spread out so, the page's cache misses
   overlap instead of each stalling the pass. Returns -1 with an exception set. */
static int look_up_words(const Scanner *s, PyObject *page, const Py_UCS4 *text, Word *words, Py_ssize_t n_words) {
    for (Py_ssize_t j = 0; j < n_words; j++) {
        Word *w = &words[j];
        w->slot = 0;
        if (w->special || w->len > s->longest)
            continue;
        const uint32_t tag = (uint32_t)(w->hash >> 32);
        for (size_t at = (size_t)w->hash & s->mask; s->slots[at].at != 0; at = (at + 1) & s->mask)
            if (s->slots[at].tag == tag) {
                w->slot = (uint32_t)at + 1;
                __builtin_prefetch(s->pool + s->slots[at].at - 1);
                break;
            }
    }
    for (Py_ssize_t j = 0; j < n_words; j++) {
        Word *w = &words[j];
        if (w->special) {
            PyObject *word = python_lower(page, w);
            if (word == NULL)
                return -1;
            PyObject *code = PyDict_GetItemWithError(s->word_codes, word);
            Py_DECREF(word);
            if (code == NULL && PyErr_Occurred())
                return -1;
            if (code != NULL)
                w->code = (unsigned char)PyLong_AsLong(code);
            continue;
        }
        if (w->slot == 0)
            continue;
        const uint32_t tag = (uint32_t)(w->hash >> 32);
        const Py_UCS4 *at_text = text + w->start;
        for (size_t at = w->slot - 1; s->slots[at].at != 0; at = (at + 1) & s->mask) {
            if (s->slots[at].tag != tag)
                continue;
            const Py_UCS4 *entry = s->pool + s->slots[at].at - 1;
            if ((int32_t)entry[1] != w->len)
                continue;
            int32_t k = 0;
            while (k < w->len && entry[2 + k] == lower(at_text[k]))
                k++;
            if (k == w->len) {
                w->code = (unsigned char)entry[0];
                break;
            }
        }
    }
    return 0;
}

/* a line's first word, lower-cased as str.lower() does */
static PyObject *first_word(PyObject *page, const Py_UCS4 *text, const Word *w) {
    if (w->special)
        return python_lower(page, w);
    Py_UCS4 small[64];
    Py_UCS4 *low = w->len <= 64 ? small : PyMem_Malloc((size_t)w->len * sizeof(Py_UCS4));
    if (low == NULL)
        return PyErr_NoMemory();
    for (int32_t k = 0; k < w->len; k++)
        low[k] = lower(text[w->start + k]);
    PyObject *out = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, low, w->len);
    if (low != small)
        PyMem_Free(low);
    return out;
}

static int stripped(const Scanner *s, Py_UCS4 c) {
    for (int k = 0; k < s->n_strip; k++)
        if (s->strip[k] == c)
            return 1;
    return 0;
}

/* word.strip(the scanner's marks) */
static PyObject *strip_word(const Scanner *s, PyObject *word) {
    Py_ssize_t start = 0, end = PyUnicode_GET_LENGTH(word);
    while (start < end && stripped(s, PyUnicode_READ_CHAR(word, start)))
        start++;
    while (end > start && stripped(s, PyUnicode_READ_CHAR(word, end - 1)))
        end--;
    if (start == 0 && end == PyUnicode_GET_LENGTH(word))
        return Py_NewRef(word);
    return PyUnicode_Substring(word, start, end);
}

static inline int ascii_is(Py_UCS4 c, char lower_case) { return (c | 0x20) == (Py_UCS4)lower_case; }

static inline int is_decimal(Py_UCS4 c) { return c < 128 ? c >= '0' && c <= '9' : Py_UNICODE_ISDECIMAL(c); }

/* Whether the three characters at ``at`` may be ``word`` (three lower-case ASCII letters)
   under case-insensitive matching: any character beyond ASCII may (re.I folds "ſ" to "s",
   "K" to "k", and "é" or "ä" stand where the pattern has them). */
static inline int may_be(const Py_UCS4 *at, const char *word) {
    for (int k = 0; k < 3; k++)
        if (at[k] < 128 ? (at[k] | 0x20) != (Py_UCS4)word[k] : 0)
            return 0;
    return 1;
}

/* The first three letters of every month line_features._MONTHS knows ("fév", "mär", "déc",
   "aoû" are covered by their ASCII twins, since any character beyond ASCII may match). */
static const char MONTH_STEMS[][4] = {"jan", "feb", "fev", "mar", "apr", "avr", "abr", "may", "mai",
                                      "mag", "jun", "jui", "jul", "aug", "aou", "ago", "sep", "set",
                                      "oct", "okt", "ott", "nov", "dec", "dez", "dic"};

/* Whether a month's name may start in text[from:to]. */
static int month_before(const Py_UCS4 *text, Py_ssize_t from, Py_ssize_t to) {
    for (Py_ssize_t j = from; j + 2 < to; j++) {
        const Py_UCS4 c = text[j] | 0x20;
        if (text[j] < 128 && c != 'j' && c != 'f' && c != 'm' && c != 'a' && c != 's' && c != 'o' &&
            c != 'n' && c != 'd')
            continue;
        for (size_t k = 0; k < sizeof MONTH_STEMS / sizeof MONTH_STEMS[0]; k++)
            if (may_be(text + j, MONTH_STEMS[k]))
                return 1;
    }
    return 0;
}

/* False only where no match of line_features.DATE can start at ``i``, a decimal digit of the
   line that starts at ``line_start``; its shapes need:
   - a year (four digits) after a month's name ("01 March 2021", "March 1, 2021"), or four
     digits and a hyphen ("2021-03-01");
   - a digit, a separator and a digit, then a digit or a separator ("16:48", "4.41 BST",
     "01.03.2021", "3/1/21");
   - white space and what may open "minutes", "hours", "days" or "weeks" ("5 hours ago").
   A superset of the pattern's matches, so that the lines it passes over need no look. */
static int date_hint(const Py_UCS4 *text, Py_ssize_t i, Py_ssize_t size, Py_ssize_t line_start) {
    if (i + 1 >= size)
        return 0;
    const Py_UCS4 next = text[i + 1];
    if (is_decimal(next)) {
        if (!(i + 3 < size && is_decimal(text[i + 2]) && is_decimal(text[i + 3])))
            return 0;
        return (i + 4 < size && text[i + 4] == '-') || month_before(text, line_start, i);
    }
    if (next == ':' || next == '.' || next == '/') {
        if (!(i + 3 < size && is_decimal(text[i + 2])))
            return 0;
        const Py_UCS4 after = text[i + 3];
        return is_decimal(after) || after == '.' || after == '/';
    }
    if (!is_space(next))
        return 0;
    Py_ssize_t k = i + 1;
    while (k < size && is_space(text[k]))
        k++;
    return k + 2 < size && (may_be(text + k, "min") || may_be(text + k, "hou") || may_be(text + k, "day") ||
                            may_be(text + k, "wee"));
}

/* The character pass: each line's class counts, the page's words with their hashes (their
   codes are looked up after, by look_up_words). Returns the number of words. */
static Py_ssize_t count_page(const Scanner *s, const Py_UCS4 *text, Py_ssize_t size, Line *lines, Word *words) {
    const unsigned char *table = s->table;
    const Py_ssize_t longest = s->longest;
    Py_ssize_t li = 0, n_words = 0, line_start = 0;
    long up = 0, lows = 0, digits = 0, commas = 0, nav = 0, quotes = 0, spaces = 0, breaks = 0, split = 0;
    int urlish = 0, hint = 0;
    Py_UCS4 prev = '\n', prev2 = '\n'; /* what precedes position 0 counts as a line start */
    Word *w = NULL;                    /* the word being read, if any */
    Py_ssize_t len = 0;
    uint64_t h = HASH_START;
    for (Py_ssize_t i = 0; i <= size; i++) {
        const Py_UCS4 c = i < size ? text[i] : '\n';
        if (i == size || is_space(c)) {
            if (w != NULL) {
                w->len = (int32_t)len;
                w->hash = h;
                if (len <= longest)
                    __builtin_prefetch(&s->slots[(size_t)h & s->mask]);
                w = NULL;
            }
            if (c == '\n') {
                Line *line = &lines[li++];
                line->start = line_start;
                line->length = i - line_start;
                line->up = up, line->low = lows, line->digits = digits, line->commas = commas;
                line->nav = nav, line->quotes = quotes, line->spaces = spaces, line->breaks = breaks;
                line->split_words = split, line->urlish = urlish, line->date_hint = hint;
                up = lows = digits = commas = nav = quotes = spaces = breaks = split = 0;
                urlish = hint = 0;
                line_start = i + 1;
                prev2 = prev;
                prev = c;
                continue;
            }
        } else {
            if (w == NULL) {
                w = &words[n_words++];
                w->start = i;
                w->code = 0;
                w->special = 0;
                len = 0;
                h = HASH_START;
                split++;
            }
            w->special |= c == 0x130 || c == 0x3A3;
            if (len <= longest)
                h = hash_step(h, lower(c));
            len++;
        }
        const unsigned char bits = table[clip(c)];
        if (prev == ' ' || prev == '\n') { /* a word starts: its letter counts */
            if (bits & UP) {
                up++;
                breaks += prev == ' ' && i >= 2 && (table[clip(prev2)] & STOP);
            } else
                lows += (bits & LOW) != 0;
        }
        if (!hint && is_decimal(c))
            hint = date_hint(text, i, size, line_start);
        if (bits & (DIG | COMMA | NAV | QUOTE | SPACE)) {
            digits += (bits & DIG) != 0;
            commas += (bits & COMMA) != 0;
            nav += (bits & NAV) != 0;
            quotes += (bits & QUOTE) != 0;
            spaces += c == ' ';
        }
        if (c == '@' || (i + 3 < size && ((ascii_is(c, 'h') && ascii_is(text[i + 1], 't') &&
                                           ascii_is(text[i + 2], 't') && ascii_is(text[i + 3], 'p')) ||
                                          (ascii_is(c, 'w') && ascii_is(text[i + 1], 'w') &&
                                           ascii_is(text[i + 2], 'w') && text[i + 3] == '.'))))
            urlish = 1;
        prev2 = prev;
        prev = c;
    }
    return n_words;
}

/* Whether a line whose first word is not a plain word may still be a chrome line, a related
   header or a section name: its key's first word (line_features._key_words: the first run of
   letters and digits, after lower-casing) must be one of ``short_firsts``. Decided here for
   ASCII runs; 1 (look it up) where a character beyond ASCII comes before the run's end, since
   lower-casing and the classes of such characters are str's to say. -1 on error. */
static int may_open_short(const Scanner *s, const Py_UCS4 *text, Py_ssize_t start, Py_ssize_t length) {
    char run[64];
    Py_ssize_t i = start, n = 0;
    const Py_ssize_t end = start + length;
    for (; i < end && text[i] < 128 && !isalnum((int)text[i]); i++)
        ;
    if (i == end)
        return 0; /* no word at all: the key is empty, which no vocabulary holds */
    if (text[i] >= 128)
        return 1;
    for (; i < end && text[i] < 128 && isalnum((int)text[i]); i++) {
        if (n == (Py_ssize_t)sizeof run)
            return 1; /* longer than any first word of the vocabularies is worth a look */
        run[n++] = (char)tolower((int)text[i]);
    }
    if (i < end && text[i] >= 128)
        return 1;
    PyObject *word = PyUnicode_FromStringAndSize(run, n);
    if (word == NULL)
        return -1;
    const int found = PySet_Contains(s->short_firsts, word);
    Py_DECREF(word);
    return found;
}

/* scan(scanner, page, out, aux) -> (each line's first word, the same stripped of the marks
   make_scanner was given), or None when the page's lines (split at "\n") are not as many
   as out's columns, or when the scanner is busy with another page.
   out: float64 (features, lines), C order, zeros; aux: int64 (11, lines), C order. */
static PyObject *scan(PyObject *self, PyObject *args) {
    PyObject *capsule, *page;
    Py_buffer out_buf, aux_buf;
    if (!PyArg_ParseTuple(args, "OUw*w*", &capsule, &page, &out_buf, &aux_buf))
        return NULL;
    PyObject *result = NULL;
    Scanner *s = PyCapsule_GetPointer(capsule, CAPSULE);
    if (s == NULL)
        goto done;
    if (s->busy) {
        s = NULL; /* not ours to release */
        result = Py_NewRef(Py_None);
        goto done;
    }
    s->busy = 1;
    if (aux_buf.len % (Py_ssize_t)(N_AUX * sizeof(int64_t)) != 0) {
        PyErr_SetString(PyExc_ValueError, "aux: expected int64 (11, lines)");
        goto done;
    }
    const Py_ssize_t n = aux_buf.len / (Py_ssize_t)(N_AUX * sizeof(int64_t));
    const Py_ssize_t size = PyUnicode_GET_LENGTH(page);
    if (n == 0 || size == 0) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    const Py_ssize_t n_rows = out_buf.len / (Py_ssize_t)sizeof(double) / n;
    for (int k = 0; k < N_ROWS; k++)
        if (s->rows[k] + (k == R_BIN0 ? BINS : 0) >= n_rows) {
            PyErr_SetString(PyExc_ValueError, "out: too few rows");
            goto done;
        }
    Py_UCS4 *text = room(&s->chars, &s->chars_size, (size_t)(size + 1) * sizeof(Py_UCS4));
    Line *lines = room(&s->lines, &s->lines_size, (size_t)n * sizeof(Line));
    Word *words = room(&s->words, &s->words_size, (size_t)(size / 2 + 2) * sizeof(Word));
    double *cum = room(&s->cum, &s->cum_size, (size_t)(size / 2 + 3) * sizeof(double));
    if (text == NULL || lines == NULL || words == NULL || cum == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (PyUnicode_AsUCS4(page, text, size + 1, 1) == NULL)
        goto done;
    Py_ssize_t n_lines = 1;
    for (Py_ssize_t i = 0; i < size; i++)
        n_lines += text[i] == '\n';
    if (n_lines != n) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    const Py_ssize_t n_words = count_page(s, text, size, lines, words);
    if (n_words < 0 || look_up_words(s, page, text, words, n_words) < 0)
        goto done;

    /* words to lines as the reference cuts them: by the count of spaces + 1 when that
       accounts for every word of the page, else by str.split() line by line */
    long spaced_total = 0;
    for (Py_ssize_t k = 0; k < n; k++)
        spaced_total += lines[k].spaces + 1;
    const int by_spaces = spaced_total == n_words;
    cum[0] = 0.0;
    for (Py_ssize_t k = 0; k < n_words; k++)
        cum[k + 1] = cum[k] + s->code_weights[words[k].code];

    double *out = out_buf.buf;
    int64_t *aux = aux_buf.buf;
#define OUT(row, k) out[s->rows[row] * n + (k)]
#define AUX(row, k) aux[(row) * n + (k)]
    PyObject *firsts = PyList_New(n), *bare = PyList_New(n);
    result = firsts && bare ? PyTuple_Pack(2, firsts, bare) : NULL;
    Py_XDECREF(firsts);
    Py_XDECREF(bare);
    if (result == NULL)
        goto done;
    const double last_line = n - 1 > 1 ? (double)(n - 1) : 1.0;
    Py_ssize_t first_at = 0;
    for (Py_ssize_t k = 0; k < n; k++) {
        const Line *line = &lines[k];
        const long nw = line->spaces + 1, seg = by_spaces ? nw : line->split_words;
        const double nwf = (double)nw, length = (double)line->length;
        /* the first, second, last and last but two characters, as the reference indexes them */
        const Py_ssize_t end = line->start + line->length - 1;
        const Py_UCS4 first = clip(text[line->start < size ? line->start : size - 1]);
        const Py_UCS4 last = clip(text[end >= 0 ? end : size - 1]);
        const Py_UCS4 second = line->length > 1 ? clip(text[line->start + 1]) : 0;
        const Py_UCS4 before = clip(text[end - 2 >= 0 ? end - 2 : 0]);
        const int period = last == '.', colon = last == ':';
        OUT(R_BIAS, k) = 1.0;
        int bin = 0;
        while (bin < BINS && s->bins[bin] < nw)
            bin++;
        out[(s->rows[R_BIN0] + bin) * n + k] = 1.0;
        OUT(R_ENDS_SENTENCE, k) = s->prose_end[last] || (colon && nw >= 6);
        OUT(R_ENDS_PERIOD, k) = period;
        OUT(R_ENDS_COLON, k) = colon;
        OUT(R_BREAKS, k) = (line->breaks < 5 ? (double)line->breaks : 5.0) / 5.0;
        const double alpha = line->up + line->low > 1 ? (double)(line->up + line->low) : 1.0;
        const double caps = (double)line->up / alpha;
        OUT(R_CAPS, k) = caps;
        OUT(R_CAPS_LONG, k) = caps * (double)(nw > 3);
        const double comma = (double)line->commas / nwf, quote = (double)line->quotes / nwf;
        OUT(R_COMMA_DENSITY, k) = comma < 1.0 ? comma : 1.0;
        OUT(R_DIGIT_SHARE, k) = (double)line->digits / length;
        OUT(R_ALL_CAPS, k) = line->up >= 1 && line->low == 0 && line->length > 3;
        OUT(R_BULLET, k) = s->bullet[first] != 0;
        OUT(R_NAV, k) = line->nav > 0;
        OUT(R_URLISH, k) = line->urlish;
        const double per_word = length / nwf;
        OUT(R_CHARS_PER_WORD, k) = (per_word < 15.0 ? per_word : 15.0) / 15.0;
        const double position = (double)k / last_line;
        OUT(R_POSITION, k) = position;
        OUT(R_POSITION_SQ, k) = position * position;
        OUT(R_ELLIPSIS, k) = last == 0x2026 || (period && before == '.' && line->length > 2);
        OUT(R_QUOTE_SHARE, k) = quote < 1.0 ? quote : 1.0;
        OUT(R_FIRST_LOWER, k) = (s->table[first] & LOW) != 0;
        /* the line's words */
        const Py_ssize_t stop_at = first_at + seg <= n_words ? first_at + seg : n_words;
        long stops = 0;
        unsigned char flags = 0;
        double lowest = 0.0, highest = 0.0;
        for (Py_ssize_t j = first_at; j < stop_at; j++) {
            const unsigned char code = words[j].code;
            const double weight = s->code_weights[code];
            stops += (s->code_flags[code] & STOP_WORD) != 0;
            flags |= s->code_flags[code];
            if (j == first_at || weight < lowest)
                lowest = weight;
            if (j == first_at || weight > highest)
                highest = weight;
        }
        OUT(R_STOP_SHARE, k) = (double)stops / nwf;
        const long taken = (long)(stop_at - first_at);
        OUT(R_W_MEAN, k) = (cum[stop_at] - cum[first_at]) / (double)(taken > 1 ? taken : 1);
        OUT(R_W_MIN, k) = lowest;
        OUT(R_W_MAX, k) = highest;
        OUT(R_W_FIRST, k) = taken > 0 ? s->code_weights[words[first_at].code] : 0.0;
        AUX(A_LENGTH, k) = line->length;
        AUX(A_SPACED, k) = nw;
        AUX(A_DIGITS, k) = line->digits;
        AUX(A_COMMAS, k) = line->commas;
        AUX(A_NAV, k) = line->nav;
        AUX(A_HEAD, k) = s->table[first] & (line->length > 1 ? (s->table[second] | DIG) : 0);
        AUX(A_FLAGS, k) = flags;
        AUX(A_WORDS, k) = taken;
        AUX(A_DATE_HINT, k) = line->date_hint;
        PyObject *word =
            first_at < n_words ? first_word(page, text, &words[first_at]) : PyUnicode_FromStringAndSize("", 0);
        PyObject *plain = word == NULL ? NULL : strip_word(s, word);
        if (plain == NULL) {
            Py_XDECREF(word);
            Py_CLEAR(result);
            goto done;
        }
        const int short_first = PySet_Contains(s->short_firsts, word);
        const int shape_first = PySet_Contains(s->shape_firsts, plain);
        PyList_SET_ITEM(firsts, k, word);
        PyList_SET_ITEM(bare, k, plain);
        if (short_first < 0 || shape_first < 0) {
            Py_CLEAR(result);
            goto done;
        }
        /* a short line is looked up when its first word may open a chrome line, a related
           header or a section name, or, not a plain word (str.isalnum()), holds a first word
           of its key that may */
        int plain_word = PyUnicode_GET_LENGTH(word) > 0;
        for (Py_ssize_t j = 0; plain_word && j < PyUnicode_GET_LENGTH(word); j++)
            plain_word = Py_UNICODE_ISALNUM(PyUnicode_READ_CHAR(word, j));
        int look_up = short_first;
        if (!look_up && !plain_word && (look_up = may_open_short(s, text, line->start, line->length)) < 0) {
            Py_CLEAR(result);
            goto done;
        }
        AUX(A_SHORT_FIRST, k) = look_up;
        AUX(A_SHAPE_FIRST, k) = shape_first;
        first_at = stop_at;
    }
#undef OUT
#undef AUX
done:
    if (s != NULL)
        s->busy = 0;
    if (s != NULL && s->chars_size + s->words_size + s->cum_size + s->lines_size > KEEP_SCRATCH) {
        void **kept[] = {&s->lines, &s->words, &s->chars, &s->cum};
        size_t *sizes[] = {&s->lines_size, &s->words_size, &s->chars_size, &s->cum_size};
        for (int k = 0; k < 4; k++) {
            PyMem_Free(*kept[k]);
            *kept[k] = NULL;
            *sizes[k] = 0;
        }
    }
    PyBuffer_Release(&out_buf);
    PyBuffer_Release(&aux_buf);
    return result;
}

/* --- stage two: each line in its page, and the trees ------------------------------------- */

/* the context features, in the order of line_features.CONTEXT_NAMES (make_forest checks) */
static const char *CONTEXT[] = {
    "p", "p_prev", "p_next", "p_prev2", "p_next2", "p_max_neighbour", "p_window3", "p_window8",
    "in_main_block", "before_main", "after_main", "main_edge", "log_words_prev", "log_words_next",
    "block_log_words", "block_log_lines", "block_sentence_share", "block_mean_p", "headline_run", "list_run",
    "sentence_window3", "ends_sentence_prev", "ends_sentence_next", "main_block_words_share", "p_page_mean",
    "p_page_body_share", "words_vs_page_max", "main_sentence_share",
};
enum {
    X_P, X_P_PREV, X_P_NEXT, X_P_PREV2, X_P_NEXT2, X_P_MAX_NEIGHBOUR, X_P_WINDOW3, X_P_WINDOW8, X_IN_MAIN,
    X_BEFORE_MAIN, X_AFTER_MAIN, X_MAIN_EDGE, X_LOG_WORDS_PREV, X_LOG_WORDS_NEXT, X_BLOCK_LOG_WORDS,
    X_BLOCK_LOG_LINES, X_BLOCK_SENTENCE_SHARE, X_BLOCK_MEAN_P, X_HEADLINE_RUN, X_LIST_RUN, X_SENTENCE_WINDOW3,
    X_ENDS_PREV, X_ENDS_NEXT, X_MAIN_WORDS_SHARE, X_P_PAGE_MEAN, X_P_PAGE_BODY_SHARE, X_WORDS_VS_MAX,
    X_MAIN_SENTENCE_SHARE, N_CONTEXT
};

/* boosted depth-2 trees: per tree the features, thresholds (go right when x > threshold)
   and leaves (left-left, left-right, right-left, right-right) */
typedef struct {
    Py_ssize_t n_trees, n_stage1;
    Py_ssize_t *feature; /* (trees, 3) */
    double *threshold;   /* (trees, 3) */
    double *leaf;        /* (trees, 4) */
    double base;
    Py_ssize_t log_words, ends_sentence, list_item; /* rows of the line features the context reads */
    void *scratch;
    size_t scratch_size;
} Forest;

static const char *FOREST = "dateline.extract._linescan.Forest";

static void forest_free(PyObject *capsule) {
    Forest *f = PyCapsule_GetPointer(capsule, FOREST);
    if (f == NULL)
        return;
    PyMem_Free(f->feature);
    PyMem_Free(f->threshold);
    PyMem_Free(f->leaf);
    PyMem_Free(f->scratch);
    PyMem_Free(f);
}

/* make_forest(feature int64 (T, 3), threshold float64 (T, 3), leaf float64 (T, 4), base,
               n_stage1, context_names, (log_words, ends_sentence, list_item)) -> forest */
static PyObject *make_forest(PyObject *self, PyObject *args) {
    Py_buffer feature, threshold, leaf;
    double base;
    Py_ssize_t n_stage1, rows[3];
    PyObject *names;
    if (!PyArg_ParseTuple(args, "y*y*y*dnO!(nnn)", &feature, &threshold, &leaf, &base, &n_stage1, &PyTuple_Type,
                          &names, &rows[0], &rows[1], &rows[2]))
        return NULL;
    PyObject *capsule = NULL;
    const Py_ssize_t n_trees = feature.len / (Py_ssize_t)(3 * sizeof(int64_t));
    if (feature.len != n_trees * 3 * (Py_ssize_t)sizeof(int64_t) ||
        threshold.len != n_trees * 3 * (Py_ssize_t)sizeof(double) ||
        leaf.len != n_trees * 4 * (Py_ssize_t)sizeof(double)) {
        PyErr_SetString(PyExc_ValueError, "trees: expected feature (T, 3), threshold (T, 3), leaf (T, 4)");
        goto done;
    }
    if (PyTuple_GET_SIZE(names) != N_CONTEXT) {
        PyErr_Format(PyExc_ValueError, "expected %d context features", N_CONTEXT);
        goto done;
    }
    for (int k = 0; k < N_CONTEXT; k++) {
        PyObject *name = PyTuple_GET_ITEM(names, k);
        if (!PyUnicode_Check(name) || PyUnicode_CompareWithASCIIString(name, CONTEXT[k]) != 0) {
            PyErr_Format(PyExc_ValueError, "context feature %d is not %s", k, CONTEXT[k]);
            goto done;
        }
    }
    const int64_t *features = feature.buf;
    for (Py_ssize_t k = 0; k < n_trees * 3; k++)
        if (features[k] < 0 || features[k] >= n_stage1 + N_CONTEXT) {
            PyErr_SetString(PyExc_ValueError, "trees: a feature out of range");
            goto done;
        }
    for (int k = 0; k < 3; k++)
        if (rows[k] < 0 || rows[k] >= n_stage1) {
            PyErr_SetString(PyExc_ValueError, "a line feature row out of range");
            goto done;
        }
    Forest *f = NULL;
    capsule = zeroed_capsule(sizeof(Forest), FOREST, forest_free, (void **)&f);
    if (capsule == NULL)
        goto done;
    f->n_trees = n_trees;
    f->n_stage1 = n_stage1;
    f->base = base;
    f->log_words = rows[0], f->ends_sentence = rows[1], f->list_item = rows[2];
    f->feature = PyMem_Malloc((size_t)(n_trees * 3 + 1) * sizeof(Py_ssize_t));
    f->threshold = PyMem_Malloc((size_t)(n_trees * 3 + 1) * sizeof(double));
    f->leaf = PyMem_Malloc((size_t)(n_trees * 4 + 1) * sizeof(double));
    if (f->feature == NULL || f->threshold == NULL || f->leaf == NULL) {
        PyErr_NoMemory();
        Py_CLEAR(capsule);
        goto done;
    }
    for (Py_ssize_t k = 0; k < n_trees * 3; k++)
        f->feature[k] = (Py_ssize_t)features[k];
    memcpy(f->threshold, threshold.buf, (size_t)threshold.len);
    memcpy(f->leaf, leaf.buf, (size_t)leaf.len);
done:
    PyBuffer_Release(&feature);
    PyBuffer_Release(&threshold);
    PyBuffer_Release(&leaf);
    return capsule;
}

/* the means of ``values`` over each line and its ``r`` neighbours on each side, from the
   prefix sums ``cum`` (cum[0] = 0), as line_features._Context._windows takes them */
static void window_means(const double *cum, Py_ssize_t n, Py_ssize_t r, double *out) {
    for (Py_ssize_t i = 0; i < n; i++) {
        const Py_ssize_t lo = i - r > 0 ? i - r : 0, hi = i + r + 1 < n ? i + r + 1 : n;
        out[i] = (cum[hi] - cum[lo]) / (double)(hi - lo);
    }
}

static void prefix_sums(const double *values, Py_ssize_t n, double *cum) {
    cum[0] = 0.0;
    for (Py_ssize_t i = 0; i < n; i++)
        cum[i + 1] = cum[i] + values[i];
}

/* the length of each line's run of equal flags (flag[i] != 0), into ``length`` */
static void run_lengths(const unsigned char *flag, Py_ssize_t n, double *length) {
    Py_ssize_t start = 0;
    for (Py_ssize_t i = 1; i <= n; i++)
        if (i == n || flag[i] != flag[start]) {
            for (Py_ssize_t k = start; k < i; k++)
                length[k] = (double)(i - start);
            start = i;
        }
}

/* stage(forest, feats, p, words, context, margin): the context of the scores ``p`` into
   ``context`` (float64 (28, lines), one row a feature, as line_features.context_features
   gives it transposed), then the trees' summed log-odds for each line into ``margin``.
   feats: the page's line features, float64 (features, lines), C order; words: each
   line's word count as expm1 of its log_words feature. */
static PyObject *stage(PyObject *self, PyObject *args) {
    PyObject *capsule;
    Py_buffer feats_buf, p_buf, words_buf, ctx_buf, margin_buf;
    if (!PyArg_ParseTuple(args, "Oy*y*y*w*w*", &capsule, &feats_buf, &p_buf, &words_buf, &ctx_buf, &margin_buf))
        return NULL;
    PyObject *result = NULL;
    Forest *f = PyCapsule_GetPointer(capsule, FOREST);
    if (f == NULL)
        goto done;
    const Py_ssize_t n = p_buf.len / (Py_ssize_t)sizeof(double);
    if (n == 0 || feats_buf.len != f->n_stage1 * n * (Py_ssize_t)sizeof(double) || words_buf.len != p_buf.len ||
        margin_buf.len != p_buf.len || ctx_buf.len != N_CONTEXT * n * (Py_ssize_t)sizeof(double)) {
        PyErr_SetString(PyExc_ValueError, "stage: arrays of mismatched sizes");
        goto done;
    }
    const double *feats = feats_buf.buf, *p = p_buf.buf, *words = words_buf.buf;
    const double *sizes = feats + f->log_words * n, *ends = feats + f->ends_sentence * n;
    const double *listed = feats + f->list_item * n;
    double *ctx = ctx_buf.buf, *margin = margin_buf.buf;
    /* scratch: two prefix-sum arrays of n + 1, one of run lengths, two of flags */
    double *cum = room(&f->scratch, &f->scratch_size, (size_t)(3 * (n + 1)) * sizeof(double) + 2 * (size_t)n);
    if (cum == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    double *cum2 = cum + (n + 1), *length = cum2 + (n + 1);
    unsigned char *flag = (unsigned char *)(length + n + 1), *flag2 = flag + n;
#define X(row) (ctx + (Py_ssize_t)(row) * n)
    memset(ctx, 0, (size_t)ctx_buf.len);
    /* what the line features fix */
    double total = 0.0, most = 0.0;
    for (Py_ssize_t i = 0; i < n; i++) {
        total += words[i];
        most = words[i] > most || i == 0 ? words[i] : most;
        if (i > 0) {
            X(X_LOG_WORDS_PREV)[i] = sizes[i - 1];
            X(X_ENDS_PREV)[i] = ends[i - 1];
        }
        if (i + 1 < n) {
            X(X_LOG_WORDS_NEXT)[i] = sizes[i + 1];
            X(X_ENDS_NEXT)[i] = ends[i + 1];
        }
        flag[i] = words[i] >= 2 && words[i] <= 16 && ends[i] == 0; /* headline-shaped */
        flag2[i] = listed[i] > 0;
    }
    total = total > 1.0 ? total : 1.0;
    most = most > 1.0 ? most : 1.0;
    run_lengths(flag, n, length);
    for (Py_ssize_t i = 0; i < n; i++)
        X(X_HEADLINE_RUN)[i] = log1p(length[i] * flag[i]);
    run_lengths(flag2, n, length);
    for (Py_ssize_t i = 0; i < n; i++) {
        X(X_LIST_RUN)[i] = log1p(length[i] * flag2[i]);
        X(X_WORDS_VS_MAX)[i] = words[i] / most;
    }
    prefix_sums(ends, n, cum);
    window_means(cum, n, 3, X(X_SENTENCE_WINDOW3));
    /* what the scores give */
    for (Py_ssize_t i = 0; i < n; i++) {
        const double prev = i > 0 ? p[i - 1] : 0.0, next = i + 1 < n ? p[i + 1] : 0.0;
        X(X_P)[i] = p[i];
        X(X_P_PREV)[i] = prev;
        X(X_P_NEXT)[i] = next;
        X(X_P_PREV2)[i] = i > 1 ? p[i - 2] : 0.0;
        X(X_P_NEXT2)[i] = i + 2 < n ? p[i + 2] : 0.0;
        X(X_P_MAX_NEIGHBOUR)[i] = prev > next ? prev : next;
    }
    prefix_sums(p, n, cum);
    window_means(cum, n, 3, X(X_P_WINDOW3));
    window_means(cum, n, 8, X(X_P_WINDOW8));
    /* the main block: the run of lines with the largest sum of (p - 0.5) * size */
    cum2[0] = 0.0;
    for (Py_ssize_t i = 0; i < n; i++)
        cum2[i + 1] = cum2[i] + (p[i] - 0.5) * sizes[i];
    Py_ssize_t end = 0;
    double lowest = cum2[0], best = 0.0;
    for (Py_ssize_t i = 0; i < n; i++) {
        lowest = cum2[i] < lowest ? cum2[i] : lowest;
        const double gain = cum2[i + 1] - lowest;
        if (i == 0 || gain > best)
            best = gain, end = i;
    }
    Py_ssize_t start = 0;
    for (Py_ssize_t i = 1; i <= end; i++)
        if (cum2[i] < cum2[start])
            start = i;
    double main_words = 0.0, main_ends = 0.0;
    for (Py_ssize_t i = start; i <= end; i++) {
        X(X_IN_MAIN)[i] = 1.0;
        main_words += words[i];
        main_ends += ends[i];
    }
    for (Py_ssize_t i = 0; i < start; i++)
        X(X_BEFORE_MAIN)[i] = log1p((double)(start - i));
    for (Py_ssize_t i = end + 1; i < n; i++)
        X(X_AFTER_MAIN)[i] = log1p((double)(i - end));
    X(X_MAIN_EDGE)[start] = X(X_MAIN_EDGE)[end] = 1.0;
    /* blocks: runs of lines on the same side of 0.5 */
    Py_ssize_t body = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        flag[i] = p[i] >= 0.5;
        body += flag[i];
    }
    Py_ssize_t first = 0;
    for (Py_ssize_t i = 1; i <= n; i++)
        if (i == n || flag[i] != flag[first]) {
            double w = 0.0, e = 0.0, q = 0.0;
            for (Py_ssize_t k = first; k < i; k++)
                w += words[k], e += ends[k], q += p[k];
            const double lines = (double)(i - first);
            for (Py_ssize_t k = first; k < i; k++) {
                X(X_BLOCK_LOG_WORDS)[k] = log1p(w);
                X(X_BLOCK_LOG_LINES)[k] = log1p(lines);
                X(X_BLOCK_SENTENCE_SHARE)[k] = e / lines;
                X(X_BLOCK_MEAN_P)[k] = q / lines;
            }
            first = i;
        }
    const double p_total = cum[n];
    for (Py_ssize_t i = 0; i < n; i++) {
        X(X_MAIN_WORDS_SHARE)[i] = main_words / total;
        X(X_P_PAGE_MEAN)[i] = p_total / (double)n;
        X(X_P_PAGE_BODY_SHARE)[i] = (double)body / (double)n;
        X(X_MAIN_SENTENCE_SHARE)[i] = main_ends / (double)(end + 1 - start);
    }
    /* the trees, one at a time over all lines */
    for (Py_ssize_t i = 0; i < n; i++)
        margin[i] = f->base;
    for (Py_ssize_t t = 0; t < f->n_trees; t++) {
        const double *x[3];
        for (int j = 0; j < 3; j++) {
            const Py_ssize_t feature = f->feature[3 * t + j];
            x[j] = feature < f->n_stage1 ? feats + feature * n : X(feature - f->n_stage1);
        }
        const double *th = f->threshold + 3 * t, *leaf = f->leaf + 4 * t;
        const double *x0 = x[0], *x1 = x[1], *x2 = x[2];
        const double t0 = th[0], t1 = th[1], t2 = th[2];
        const double l0 = leaf[0], l1 = leaf[1], l2 = leaf[2], l3 = leaf[3];
        for (Py_ssize_t i = 0; i < n; i++) {
            const double left = x1[i] > t1 ? l1 : l0, right = x2[i] > t2 ? l3 : l2;
            margin[i] += x0[i] > t0 ? right : left;
        }
    }
#undef X
    result = Py_NewRef(Py_None);
done:
    PyBuffer_Release(&feats_buf);
    PyBuffer_Release(&p_buf);
    PyBuffer_Release(&words_buf);
    PyBuffer_Release(&ctx_buf);
    PyBuffer_Release(&margin_buf);
    return result;
}

/* text_shape(text, changed) -> flags: what lines._normalized_lines must do to ``text``.
   changed: one byte a code point of the BMP, non-zero where normalisation changes that
   character (code points beyond take the entry of U+FFFF). Flags: 1, a character in
   ``changed``; 2, a space next to a space or a newline ("  ", " \n", "\n "); 4, a
   character beyond ASCII. One pass instead of a handful of numpy passes over the page. */
#define TEXT_SHAPE_LOOP(TYPE)                                                                             \
    do {                                                                                                  \
        const TYPE *data = (const TYPE *)PyUnicode_DATA(text);                                            \
        Py_UCS4 prev = 0;                                                                                 \
        for (Py_ssize_t i = 0; i < size; i++) {                                                           \
            const Py_UCS4 c = data[i];                                                                    \
            if (c == ' ' ? prev == ' ' || prev == '\n' : c == '\n' && prev == ' ')                         \
                flags |= 2;                                                                               \
            if (c - 0x20 >= 0x5F) { /* a control character, DEL or beyond ASCII */                        \
                if (c >= 0x80)                                                                            \
                    flags |= 4;                                                                           \
                if (changed[c < 0xFFFF ? c : 0xFFFF])                                                     \
                    flags |= 1;                                                                           \
            }                                                                                             \
            prev = c;                                                                                     \
        }                                                                                                 \
    } while (0)

static PyObject *text_shape(PyObject *self, PyObject *args) {
    PyObject *text;
    Py_buffer table;
    if (!PyArg_ParseTuple(args, "Uy*", &text, &table))
        return NULL;
    if (table.len != 0x10000) {
        PyBuffer_Release(&table);
        PyErr_SetString(PyExc_ValueError, "changed: expected one byte a code point of the BMP");
        return NULL;
    }
    const unsigned char *changed = table.buf;
    const Py_ssize_t size = PyUnicode_GET_LENGTH(text);
    long flags = 0;
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND:
        TEXT_SHAPE_LOOP(Py_UCS1);
        break;
    case PyUnicode_2BYTE_KIND:
        TEXT_SHAPE_LOOP(Py_UCS2);
        break;
    default:
        TEXT_SHAPE_LOOP(Py_UCS4);
    }
    PyBuffer_Release(&table);
    return PyLong_FromLong(flags);
}

static PyMethodDef methods[] = {
    {"make_scanner", make_scanner, METH_VARARGS,
     "make_scanner(word_codes, code_flags, code_weights, table, prose_end, bullet, rows, bins, strip, "
     "short_firsts, shape_firsts) -> scanner"},
    {"scan", scan, METH_VARARGS, "scan(scanner, page, out, aux) -> (first words, first words stripped), or None"},
    {"make_forest", make_forest, METH_VARARGS,
     "make_forest(feature, threshold, leaf, base, n_stage1, context_names, rows) -> forest"},
    {"stage", stage, METH_VARARGS, "stage(forest, feats, p, words, context, margin) -> None"},
    {"text_shape", text_shape, METH_VARARGS, "text_shape(text, changed) -> flags (1: changed, 2: loose spaces, 4: not ASCII)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_linescan", "The line labeller's pass over a page's characters and words, in C.",
    -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__linescan(void) {
    PyObject *m = PyModule_Create(&module);
    PyObject *rows = m == NULL ? NULL : PyTuple_New(N_ROWS);
    for (int k = 0; rows != NULL && k < N_ROWS; k++) {
        PyObject *name = PyUnicode_FromString(ROW_NAMES[k]);
        if (name == NULL)
            Py_CLEAR(rows);
        else
            PyTuple_SET_ITEM(rows, k, name);
    }
    if (rows == NULL || PyModule_AddObject(m, "ROWS", rows) < 0) {
        Py_XDECREF(rows);
        Py_XDECREF(m);
        return NULL;
    }
    return m;
}
