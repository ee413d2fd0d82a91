"""HTTP/1.1 message syntax as bytes in and bytes out, for clients and servers.

The sans-I/O layer of httpcore: request-line and header-field serialization
with validation, request and response body framing (RFC 9112 section 6),
status-line parsing, and an incremental chunked encoder and decoder that a
server can use on its own. No sockets, threads or sleeping. Depends only on
``httpcore-headers``.
"""

from httpcore_headers import HTTPException, LineTooLong

from ._accelerator import accelerated
from ._body import (
    body_chunks,
    content_length_of,
    encode_text_body,
    frame_request_body,
)
from ._body_buffer import BodyBuffer, body_buffer
from ._chunked_decoder import ChunkedDecoder, parse_chunk_size
from ._chunked_encoder import ChunkedEncoder
from ._chunked_pull import ChunkCompaction, ChunkStep, compact_chunks, decode_chunks
from ._exceptions import (
    AmbiguousFraming,
    BadStatusLine,
    IncompleteRead,
    InvalidChunk,
    InvalidContentLength,
    InvalidURL,
    TooManyInterimResponses,
    UnknownProtocol,
    UnknownTransferEncoding,
)
from ._framing import (
    BodyFraming,
    ambiguous_framing,
    content_length,
    keep_alive_refused,
    request_framing,
    response_framing,
    response_framing_of_fields,
    transfer_codings,
)
from ._host import (
    host_field_value,
    host_from_url,
    parse_host_port,
    validate_host,
)
from ._request import (
    encode_field_line,
    encode_field_name,
    encode_field_value,
    encode_request_line,
    validate_method,
    validate_target,
)
from ._status import (
    DEFAULT_MAX_INTERIM_RESPONSES,
    FinalStatus,
    is_interim,
    match_final_status,
    parse_status_line,
    version_number,
)
from ._version import __version__

__all__ = [
    "DEFAULT_MAX_INTERIM_RESPONSES",
    "AmbiguousFraming",
    "BadStatusLine",
    "BodyBuffer",
    "BodyFraming",
    "ChunkCompaction",
    "ChunkStep",
    "ChunkedDecoder",
    "ChunkedEncoder",
    "FinalStatus",
    "HTTPException",
    "IncompleteRead",
    "InvalidChunk",
    "InvalidContentLength",
    "InvalidURL",
    "LineTooLong",
    "TooManyInterimResponses",
    "UnknownProtocol",
    "UnknownTransferEncoding",
    "__version__",
    "accelerated",
    "ambiguous_framing",
    "body_buffer",
    "body_chunks",
    "compact_chunks",
    "content_length",
    "content_length_of",
    "decode_chunks",
    "encode_field_line",
    "encode_field_name",
    "encode_field_value",
    "encode_request_line",
    "encode_text_body",
    "frame_request_body",
    "host_field_value",
    "host_from_url",
    "is_interim",
    "keep_alive_refused",
    "match_final_status",
    "parse_chunk_size",
    "parse_host_port",
    "parse_status_line",
    "request_framing",
    "response_framing",
    "response_framing_of_fields",
    "transfer_codings",
    "validate_host",
    "validate_method",
    "validate_target",
    "version_number",
]
