"""The test suites of the libraries built on http.client (urllib3, requests,
botocore's AWSHTTPConnection, the standard library's own consumers), run on
the standard library and on httpcore_compat and compared: ``nox -s
consumers``, driven by run_consumers.py."""
