/* The optional compiled fast paths: BodyBuffer and compact_chunks()
 * (below), and _framing.response_framing_of_fields():
 * the framing of an ordinary response, or None for the Python code.
 *
 * It must return None wherever it cannot give exactly what
 * _decide(method, status, version, _collect(fields)) gives, and never raise
 * where that code would not: tests/test_speedups.py compares the two on
 * generated and hostile fields.  "Ordinary" is: fields in a list or tuple of
 * (str, str) pairs, ASCII names, ASCII values for the fields that decide,
 * no Transfer-Encoding, and at most one Content-Length of 1 to 19 digits
 * (anything else, including every error, is the Python code's).  Names are
 * compared without regard to case, which for ASCII is what str.lower()
 * does; non-ASCII text is left to Python because str.lower() maps some of
 * it to ASCII (the Kelvin sign to "k").
 *
 * Built by hatch_build.py when a C compiler is at hand; the package works
 * the same without it (and ignores it when HTTPCORE_NO_EXTENSIONS is set).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

enum { CONTENT_LENGTH, TRANSFER_ENCODING, CONNECTION, KEEP_ALIVE, PROXY_CONNECTION, NAMES };

static const char *const names[NAMES] = {
    "content-length", "transfer-encoding", "connection", "keep-alive", "proxy-connection",
};

static int
ascii_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* Which framing field an ASCII name is, or -1. */
static int
framing_name(const char *name, Py_ssize_t size)
{
    for (int which = 0; which < NAMES; which++) {
        const char *wanted = names[which];
        if ((size_t)size != strlen(wanted)) {
            continue;
        }
        Py_ssize_t i = 0;
        while (i < size && ascii_lower((unsigned char)name[i]) == wanted[i]) {
            i++;
        }
        if (i == size) {
            return which;
        }
    }
    return -1;
}

/* Whether ASCII text holds word (lower case) in any case. */
static int
contains(const char *text, Py_ssize_t size, const char *word)
{
    Py_ssize_t n = (Py_ssize_t)strlen(word);
    for (Py_ssize_t at = 0; at + n <= size; at++) {
        Py_ssize_t i = 0;
        while (i < n && ascii_lower((unsigned char)text[at + i]) == word[i]) {
            i++;
        }
        if (i == n) {
            return 1;
        }
    }
    return 0;
}

/* compact_chunks(buffer, data, pos, chunk_left): the common framing of a
 * chunked body, decoded in place (see _chunked_pull.compact_chunks(), whose
 * _compact_python() this must match exactly: tests/test_speedups.py
 * compares the two).  From buffer[pos:], chunk data is moved down to
 * buffer[data:] and the framing dropped, while the framing is size lines of
 * 1 to 15 hex digits ended by CRLF, and CRLF after each chunk's data.
 * chunk_left is -1 before a size line (None in Python), 0 before the CRLF
 * after a chunk's data, else the data bytes due.  Returns
 * (data, pos, chunk_left, status): status is 0 where the bytes ran out
 * (pos is then at framing not all there), 1 after the last chunk's size
 * line, 2 at a size line for the Python code (an extension, white space, a
 * bare LF, 16 digits, anything not hex) and 3 at a chunk's data not
 * followed by CRLF. */
static int
hex_value(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c = ascii_lower(c);
    return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

enum { COMPACT_MORE, COMPACT_LAST, COMPACT_SLOW_LINE, COMPACT_BAD_END };

static PyObject *
compact_chunks(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "compact_chunks(buffer, data, pos, chunk_left)");
        return NULL;
    }
    Py_ssize_t data = PyLong_AsSsize_t(args[1]);
    Py_ssize_t pos = PyLong_AsSsize_t(args[2]);
    Py_ssize_t left = PyLong_AsSsize_t(args[3]);
    if (PyErr_Occurred()) {
        return NULL;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(args[0], &view, PyBUF_WRITABLE) < 0) {
        return NULL;
    }
    char *buf = view.buf;
    Py_ssize_t end = view.len;
    if (data < 0 || data > pos || pos > end || left < -1) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "compact_chunks: positions out of order");
        return NULL;
    }
    int status = COMPACT_MORE;
    for (;;) {
        if (left > 0) {
            Py_ssize_t take = left < end - pos ? left : end - pos;
            if (data != pos) {
                memmove(buf + data, buf + pos, (size_t)take);
            }
            data += take;
            pos += take;
            left -= take;
            if (left) {
                break;
            }
        }
        if (left == 0) {
            if (end - pos < 2) {
                if (pos < end && buf[pos] != '\r') {
                    status = COMPACT_BAD_END;
                }
                break;
            }
            if (buf[pos] != '\r' || buf[pos + 1] != '\n') {
                status = COMPACT_BAD_END;
                break;
            }
            pos += 2;
            left = -1;
        }
        /* A size line. */
        Py_ssize_t at = pos;
        size_t size = 0; /* (unsigned: 16 digits wrap, and are refused below) */
        int digit;
        while (at < end && at - pos < 16 && (digit = hex_value((unsigned char)buf[at])) >= 0) {
            size = size * 16 + (size_t)digit;
            at++;
        }
        if (at == end) {
            break;
        }
        if (at == pos || at - pos == 16 || buf[at] != '\r') {
            status = COMPACT_SLOW_LINE;
            break;
        }
        if (at + 1 == end) {
            break;
        }
        if (buf[at + 1] != '\n') {
            status = COMPACT_SLOW_LINE;
            break;
        }
        pos = at + 2;
        if (size == 0) {
            status = COMPACT_LAST;
            break;
        }
        left = (Py_ssize_t)size;
    }
    PyBuffer_Release(&view);
    return Py_BuildValue("(nnni)", data, pos, left, status);
}

static PyObject *decide(PyObject *method, long status, long version, PyObject *fields);

static PyObject *
response_framing(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError,
                        "response_framing(method, status, version, fields)");
        return NULL;
    }
    PyObject *method = args[0];
    PyObject *fields = args[3];
    if ((method != Py_None && !PyUnicode_CheckExact(method)) ||
        !PyLong_CheckExact(args[1]) || !PyLong_CheckExact(args[2]) ||
        !(PyList_CheckExact(fields) || PyTuple_CheckExact(fields))) {
        Py_RETURN_NONE;
    }
    int overflow = 0;
    long status = PyLong_AsLongAndOverflow(args[1], &overflow);
    if (overflow || status == -1) {
        PyErr_Clear();
        Py_RETURN_NONE;
    }
    long version = PyLong_AsLongAndOverflow(args[2], &overflow);
    if (overflow || version == -1) {
        PyErr_Clear();
        Py_RETURN_NONE;
    }

    PyObject *result;
#ifdef Py_GIL_DISABLED
    /* The list must not change while its items are read. */
    Py_BEGIN_CRITICAL_SECTION(fields);
    result = decide(method, status, version, fields);
    Py_END_CRITICAL_SECTION();
#else
    result = decide(method, status, version, fields);
#endif
    return result;
}

/* The work of response_framing() on a list or tuple of fields. */
static PyObject *
decide(PyObject *method, long status, long version, PyObject *fields)
{
    /* The first value of each framing field (ASCII), and how many. */
    const char *first[NAMES] = {NULL};
    Py_ssize_t first_size[NAMES] = {0};
    Py_ssize_t count[NAMES] = {0};
    Py_ssize_t size = PySequence_Fast_GET_SIZE(fields);
    PyObject **items = PySequence_Fast_ITEMS(fields);
    for (Py_ssize_t i = 0; i < size; i++) {
        PyObject *pair = items[i];
        if (!PyTuple_CheckExact(pair) || PyTuple_GET_SIZE(pair) != 2) {
            Py_RETURN_NONE;
        }
        PyObject *name = PyTuple_GET_ITEM(pair, 0);
        PyObject *value = PyTuple_GET_ITEM(pair, 1);
        if (!PyUnicode_CheckExact(name) || !PyUnicode_CheckExact(value) ||
            !PyUnicode_IS_ASCII(name)) {
            Py_RETURN_NONE;
        }
        int which = framing_name((const char *)PyUnicode_DATA(name),
                                 PyUnicode_GET_LENGTH(name));
        if (which < 0) {
            continue;
        }
        if (!PyUnicode_IS_ASCII(value)) {
            Py_RETURN_NONE;
        }
        if (count[which]++ == 0) {
            first[which] = (const char *)PyUnicode_DATA(value);
            first_size[which] = PyUnicode_GET_LENGTH(value);
        }
    }

    /* http.client's _check_close. */
    int will_close;
    const char *connection = first[CONNECTION];
    if (version == 11) {
        will_close = connection != NULL && contains(connection, first_size[CONNECTION], "close");
    }
    else if (first_size[KEEP_ALIVE] > 0) {
        will_close = 0;
    }
    else if (connection != NULL && contains(connection, first_size[CONNECTION], "keep-alive")) {
        will_close = 0;
    }
    else {
        const char *proxy = first[PROXY_CONNECTION];
        will_close =
            !(proxy != NULL && contains(proxy, first_size[PROXY_CONNECTION], "keep-alive"));
    }

    int head = method != Py_None && PyUnicode_CompareWithASCIIString(method, "HEAD") == 0;
    int connect = method != Py_None && PyUnicode_CompareWithASCIIString(method, "CONNECT") == 0;
    if (head || (100 <= status && status < 200) || status == 204 || status == 304 ||
        (connect && 200 <= status && status < 300)) {
        return Py_BuildValue("(OiO)", Py_False, 0, will_close ? Py_True : Py_False);
    }
    if (count[TRANSFER_ENCODING] > 0) {
        Py_RETURN_NONE;
    }
    if (count[CONTENT_LENGTH] == 0) {
        return Py_BuildValue("(OOO)", Py_False, Py_None, Py_True);
    }
    Py_ssize_t digits = first_size[CONTENT_LENGTH];
    if (count[CONTENT_LENGTH] > 1 || digits < 1 || digits > 19) {
        Py_RETURN_NONE;
    }
    unsigned long long length = 0;
    for (Py_ssize_t i = 0; i < digits; i++) {
        char c = first[CONTENT_LENGTH][i];
        if (c < '0' || c > '9') {
            Py_RETURN_NONE;
        }
        length = length * 10 + (unsigned long long)(c - '0');
    }
    PyObject *number = PyLong_FromUnsignedLongLong(length);
    if (number == NULL) {
        return NULL;
    }
    return Py_BuildValue("(ONO)", Py_False, number, will_close ? Py_True : Py_False);
}

/* BodyBuffer: a buffer for a body of unknown length that becomes one bytes
 * object without a copy (see _body_buffer.py, whose Python class it
 * replaces).  It owns a bytes object that nobody else sees until take();
 * grow() resizes it in place (realloc, which for large sizes remaps pages
 * rather than copying them, and leaves the new bytes untouched instead of
 * zero-filling them: the reads that follow write them).  Writable
 * memoryviews of it are counted, and while one is alive the bytes can be
 * neither resized nor taken: no view ever points into freed memory or into
 * a bytes object already handed out. */

typedef struct {
    PyObject_HEAD
    PyObject *data; /* a bytes object of `size` bytes, or NULL */
    Py_ssize_t size;
    Py_ssize_t exports;
} BodyBuffer;

static int
body_buffer_free_to_change(BodyBuffer *self)
{
    if (self->exports > 0) {
        PyErr_SetString(PyExc_BufferError,
                        "a view of the buffer is still alive: release it first");
        return 0;
    }
    return 1;
}

static PyObject *
body_buffer_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    if (PyTuple_GET_SIZE(args) != 0 || (kwargs != NULL && PyDict_GET_SIZE(kwargs) != 0)) {
        PyErr_SetString(PyExc_TypeError, "BodyBuffer() takes no arguments");
        return NULL;
    }
    BodyBuffer *self = (BodyBuffer *)type->tp_alloc(type, 0);
    if (self != NULL) {
        self->data = NULL;
        self->size = 0;
        self->exports = 0;
    }
    return (PyObject *)self;
}

static void
body_buffer_dealloc(BodyBuffer *self)
{
    PyTypeObject *type = Py_TYPE(self);
    Py_XDECREF(self->data);
    type->tp_free((PyObject *)self);
    Py_DECREF(type);
}

static PyObject *
body_buffer_grow(BodyBuffer *self, PyObject *arg)
{
    Py_ssize_t size = PyNumber_AsSsize_t(arg, PyExc_OverflowError);
    if (size == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (size <= self->size) {
        Py_RETURN_NONE;
    }
    if (!body_buffer_free_to_change(self)) {
        return NULL;
    }
    if (self->data == NULL) {
        self->data = PyBytes_FromStringAndSize(NULL, size);
        if (self->data == NULL) {
            return NULL;
        }
    }
    else if (_PyBytes_Resize(&self->data, size) < 0) {
        /* The old bytes are gone with the failure. */
        self->size = 0;
        return NULL;
    }
    self->size = size;
    Py_RETURN_NONE;
}

static PyObject *
body_buffer_view(BodyBuffer *self, PyObject *Py_UNUSED(ignored))
{
    return PyMemoryView_FromObject((PyObject *)self);
}

static PyObject *
body_buffer_take(BodyBuffer *self, PyObject *arg)
{
    Py_ssize_t size = PyNumber_AsSsize_t(arg, PyExc_OverflowError);
    if (size == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (size < 0 || size > self->size) {
        PyErr_Format(PyExc_ValueError, "take(%zd) of a buffer of %zd bytes", size, self->size);
        return NULL;
    }
    if (!body_buffer_free_to_change(self)) {
        return NULL;
    }
    PyObject *data = self->data;
    self->data = NULL;
    self->size = 0;
    if (data == NULL) {
        return PyBytes_FromStringAndSize(NULL, 0);
    }
    if (size != PyBytes_GET_SIZE(data) && _PyBytes_Resize(&data, size) < 0) {
        return NULL;
    }
    return data;
}

static int
body_buffer_getbuffer(BodyBuffer *self, Py_buffer *view, int flags)
{
    static char empty[1];
    char *start = self->data == NULL ? empty : PyBytes_AS_STRING(self->data);
    if (PyBuffer_FillInfo(view, (PyObject *)self, start, self->size, 0, flags) < 0) {
        return -1;
    }
    self->exports++;
    return 0;
}

static void
body_buffer_releasebuffer(BodyBuffer *self, Py_buffer *Py_UNUSED(view))
{
    self->exports--;
}

static PyMethodDef body_buffer_methods[] = {
    {"grow", (PyCFunction)body_buffer_grow, METH_O,
     "grow(size)\n--\n\nMake the buffer at least size bytes long; its first bytes stay."},
    {"view", (PyCFunction)body_buffer_view, METH_NOARGS,
     "view()\n--\n\nA writable memoryview of the whole buffer."},
    {"take", (PyCFunction)body_buffer_take, METH_O,
     "take(size)\n--\n\nThe first size bytes, as bytes; the buffer is empty afterwards."},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot body_buffer_slots[] = {
    {Py_tp_new, body_buffer_new},
    {Py_tp_dealloc, body_buffer_dealloc},
    {Py_tp_methods, body_buffer_methods},
    {Py_tp_doc, "BodyBuffer()\n--\n\nA growing buffer that becomes bytes without a copy."},
    {Py_bf_getbuffer, body_buffer_getbuffer},
    {Py_bf_releasebuffer, body_buffer_releasebuffer},
    {0, NULL},
};

static PyType_Spec body_buffer_spec = {
    .name = "httpcore_wire._speedups.BodyBuffer",
    .basicsize = sizeof(BodyBuffer),
    .flags = Py_TPFLAGS_DEFAULT,
    .slots = body_buffer_slots,
};

static int
module_exec(PyObject *module)
{
    PyObject *type = PyType_FromModuleAndSpec(module, &body_buffer_spec, NULL);
    if (type == NULL) {
        return -1;
    }
    if (PyModule_AddObject(module, "BodyBuffer", type) < 0) {
        Py_DECREF(type);
        return -1;
    }
    return 0;
}

static PyMethodDef methods[] = {
    {"response_framing", (PyCFunction)(void (*)(void))response_framing, METH_FASTCALL,
     "response_framing(method, status, version, fields)\n--\n\n"
     "(chunked, length, will_close) of an ordinary response, or None for the\n"
     "Python code."},
    {"compact_chunks", (PyCFunction)(void (*)(void))compact_chunks, METH_FASTCALL,
     "compact_chunks(buffer, data, pos, chunk_left)\n--\n\n"
     "The common framing of a chunked body decoded in place:\n"
     "(data, pos, chunk_left, status)."},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, module_exec},
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
    .m_name = "httpcore_wire._speedups",
    .m_doc = "Compiled fast paths of response framing, chunked bodies and body buffers (optional).",
    .m_size = 0,
    .m_methods = methods,
    .m_slots = slots,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    return PyModuleDef_Init(&module_def);
}
