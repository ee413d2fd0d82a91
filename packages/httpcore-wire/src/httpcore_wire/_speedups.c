/* The optional compiled fast paths: BodyBuffer and compact_chunks(), each
 * the twin of Python code in _body_buffer.py and _chunked_pull.py that gives
 * the same results (tests/test_speedups.py compares them).  Each was kept
 * because it pays on a user's workload, measured against its twin by
 * ``nox -s bench -- "no compiled"``: read() of a whole body, chunked
 * downloads.
 *
 * Built by setup.py (setuptools, an optional extension) where a C compiler
 * is at hand; the package works the same without it, and ignores it when
 * HTTPCORE_NO_EXTENSIONS is set.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

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
    return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
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
    .m_doc = "Compiled fast paths of chunked bodies and body buffers (optional).",
    .m_size = 0,
    .m_methods = methods,
    .m_slots = slots,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    return PyModuleDef_Init(&module_def);
}
