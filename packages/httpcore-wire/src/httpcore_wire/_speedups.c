/* The optional compiled fast path of _framing.response_framing_of_fields():
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

static PyMethodDef methods[] = {
    {"response_framing", (PyCFunction)(void (*)(void))response_framing, METH_FASTCALL,
     "response_framing(method, status, version, fields)\n--\n\n"
     "(chunked, length, will_close) of an ordinary response, or None for the\n"
     "Python code."},
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
    .m_name = "httpcore_wire._speedups",
    .m_doc = "Compiled fast path of response framing (optional).",
    .m_size = 0,
    .m_methods = methods,
    .m_slots = slots,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    return PyModuleDef_Init(&module_def);
}
