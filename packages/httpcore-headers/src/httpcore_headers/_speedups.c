/* The optional compiled twin of _parse.crlf_fields(): the fields of an
 * ordinary CRLF header block, or None for the exact (pure Python) path.
 *
 * It must return None wherever crlf_fields() does, and the same list where
 * crlf_fields() returns one; tests/test_speedups.py compares the two on
 * generated and hostile blocks.  See _parse.py for why the checks below
 * (every line is name ":" [ \t]* value CRLF, with no other CR or LF, names
 * of printable ASCII but ":", no Content-Type that makes email.parser read a
 * body) make the result email.parser's.
 *
 * Built by setup.py (setuptools, an optional extension) where a C compiler
 * is at hand; the package works the same without it (and ignores it when
 * HTTPCORE_NO_EXTENSIONS is set).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

/* str.isspace() of a code point below 256: what re's \s matches there. */
static int
is_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f) ||
           c == 0x85 || c == 0xa0;
}

static int
lower_is(const unsigned char *p, const unsigned char *end, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(end - p) < n) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (c >= 'A' && c <= 'Z') {
            c += 'a' - 'A';
        }
        if (c != (unsigned char)word[i]) {
            return 0;
        }
    }
    return 1;
}

/* Whether the value after "Content-Type:" at p (white space skipped, across
 * lines as \s* would) starts with multipart or message, in any case. */
static int
body_type(const unsigned char *p, const unsigned char *end)
{
    while (p < end && is_space(*p)) {
        p++;
    }
    return lower_is(p, end, "multipart") || lower_is(p, end, "message");
}

/* Find b"\r\n\r\n" in [p, end); NULL when absent. */
static const unsigned char *
find_blank_line(const unsigned char *p, const unsigned char *end)
{
    while (end - p >= 4) {
        const unsigned char *cr = memchr(p, '\r', (size_t)(end - p - 3));
        if (cr == NULL) {
            return NULL;
        }
        if (cr[1] == '\n' && cr[2] == '\r' && cr[3] == '\n') {
            return cr;
        }
        p = cr + 1;
    }
    return NULL;
}

/* The str of the Latin-1 bytes [p, p + n), all of them below 0x80 unless
 * `high` has its top bit set: PyUnicode_DecodeLatin1() without its own pass
 * to find the largest character, which parse() knows from the pass that
 * found the line's end. */
static PyObject *
latin1_str(const unsigned char *p, Py_ssize_t n, unsigned char high)
{
    PyObject *str = PyUnicode_New(n, (high & 0x80) ? 0xff : 0x7f);
    if (str != NULL && n > 0) {
        memcpy(PyUnicode_1BYTE_DATA(str), p, (size_t)n);
    }
    return str;
}

/* The work of crlf_fields() on the bytes [base, base + size). */
static PyObject *
parse(const unsigned char *base, Py_ssize_t size, Py_ssize_t start,
      Py_ssize_t max_line, Py_ssize_t max_headers, int has_max_block,
      Py_ssize_t max_block)
{
    if (start < 0 || start > size) {
        Py_RETURN_NONE; /* the pure path decides */
    }
    const unsigned char *block = base + start;
    const unsigned char *limit = base + size;
    Py_ssize_t block_size;
    if (limit - block >= 2 && block[0] == '\r' && block[1] == '\n') {
        block_size = 2;
    }
    else {
        const unsigned char *blank = find_blank_line(block, limit);
        if (blank == NULL) {
            Py_RETURN_NONE;
        }
        block_size = (blank - block) + 4;
    }
    if (block_size > max_line || (has_max_block && block_size > max_block)) {
        Py_RETURN_NONE;
    }
    const unsigned char *end = block + block_size;
    PyObject *fields = PyList_New(0);
    if (fields == NULL) {
        return NULL;
    }
    /* Lines, the final empty one included, against max_headers. */
    Py_ssize_t lines = 1;
    const unsigned char *line = block;
    const unsigned char *last = end - 2; /* the final empty line */
    while (line < last) {
        const unsigned char *p = line;
        while (p < last && *p != ':' && *p > ' ' && *p < 0x7f) {
            p++;
        }
        if (p == line || p >= last || *p != ':') {
            goto unusual;
        }
        const unsigned char *colon = p;
        p++;
        while (p < last && (*p == ' ' || *p == '\t')) {
            p++;
        }
        const unsigned char *value = p;
        unsigned char high = 0; /* the value's bytes OR-ed */
        while (*p != '\r' && *p != '\n') {
            high |= *p;
            p++; /* stops at the final CRLF at the latest */
        }
        if (p[0] != '\r' || p[1] != '\n') {
            goto unusual; /* a bare LF */
        }
        if (++lines > max_headers) {
            goto unusual;
        }
        if (colon - line == 12 && lower_is(line, colon, "content-type") &&
            body_type(colon + 1, end)) {
            goto unusual;
        }
        PyObject *pair = PyTuple_New(2);
        if (pair == NULL) {
            Py_DECREF(fields);
            return NULL;
        }
        /* (A name is printable ASCII: checked above.) */
        PyObject *name_str = latin1_str(line, colon - line, 0);
        PyTuple_SET_ITEM(pair, 0, name_str);
        PyObject *value_str = latin1_str(value, p - value, high);
        PyTuple_SET_ITEM(pair, 1, value_str);
        if (name_str == NULL || value_str == NULL) {
            Py_DECREF(pair);
            Py_DECREF(fields);
            return NULL;
        }
        int failed = PyList_Append(fields, pair);
        Py_DECREF(pair);
        if (failed) {
            Py_DECREF(fields);
            return NULL;
        }
        line = p + 2;
    }
    if (lines > max_headers) {
        goto unusual;
    }
    return Py_BuildValue("(Nn)", fields, (Py_ssize_t)(end - base));

unusual:
    Py_DECREF(fields);
    Py_RETURN_NONE;
}

static PyObject *
crlf_fields(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 5) {
        PyErr_SetString(PyExc_TypeError,
                        "crlf_fields(data, start, max_line, max_headers, max_block)");
        return NULL;
    }
    Py_ssize_t start = PyLong_AsSsize_t(args[1]);
    Py_ssize_t max_line = PyLong_AsSsize_t(args[2]);
    Py_ssize_t max_headers = PyLong_AsSsize_t(args[3]);
    int has_max_block = args[4] != Py_None;
    Py_ssize_t max_block = has_max_block ? PyLong_AsSsize_t(args[4]) : 0;
    if (PyErr_Occurred()) {
        if (!PyErr_ExceptionMatches(PyExc_OverflowError)) {
            return NULL;
        }
        PyErr_Clear(); /* a limit beyond any buffer: the pure path decides */
        Py_RETURN_NONE;
    }
    Py_buffer data;
    if (PyObject_GetBuffer(args[0], &data, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    PyObject *result = parse(
        (const unsigned char *)data.buf, data.len, start, max_line, max_headers,
        has_max_block, max_block);
    PyBuffer_Release(&data);
    return result;
}

static PyMethodDef methods[] = {
    {"crlf_fields", (PyCFunction)(void (*)(void))crlf_fields, METH_FASTCALL,
     "crlf_fields(data, start, max_line, max_headers, max_block)\n--\n\n"
     "The (name, value) pairs of the ordinary CRLF header block at\n"
     "data[start:] and the offset just past it, or None for the exact path."},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {
#if PY_VERSION_HEX >= 0x030C0000
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
#endif
#if PY_VERSION_HEX >= 0x030D0000
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "httpcore_headers._speedups",
    .m_doc = "Compiled fast path of the header parser (optional).",
    .m_size = 0,
    .m_methods = methods,
    .m_slots = slots,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    return PyModuleDef_Init(&module_def);
}
