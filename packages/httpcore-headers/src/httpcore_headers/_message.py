# HTTPMessage: the standard library's header container, unchanged in
# behaviour so that code written against http.client.HTTPMessage (urllib3,
# requests' cookie jar, http.cookiejar) sees the same object.
from __future__ import annotations

import email.message


class HTTPMessage(email.message.Message):
    """The header fields of an HTTP message, as :func:`parse_headers` returns them.

    A subclass of :class:`email.message.Message`, so every method of that class
    works: ``msg["Content-Type"]``, :meth:`~email.message.Message.get`,
    :meth:`~email.message.Message.get_all`, :meth:`~email.message.Message.items`
    (names with the case they were sent in, repeated fields kept, in order),
    ``"name" in msg``, :attr:`~email.message.Message.defects`,
    :meth:`~email.message.Message.get_content_type`,
    :meth:`~email.message.Message.get_params`,
    :meth:`~email.message.Message.get_content_charset` and the rest.
    """

    def getallmatchingheaders(self, name: str) -> list[str]:
        """Return the field names equal to ``name + ":"``, which is none of them.

        Kept for compatibility with ``http.client.HTTPMessage``, whose method
        of this name compares field names (which never contain a colon) with
        ``name + ":"`` and therefore always returns an empty list.  Use
        :meth:`~email.message.Message.get_all` to get every value of a field.
        """
        prefix = name.lower() + ":"
        size = len(prefix)
        found = []
        hit = False
        for key in self.keys():
            if key[:size].lower() == prefix:
                hit = True
            elif not key[:1].isspace():
                hit = False
            if hit:
                found.append(key)
        return found
