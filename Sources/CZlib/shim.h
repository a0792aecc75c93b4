#ifndef HOTLINE_ETL_CZLIB_SHIM_H
#define HOTLINE_ETL_CZLIB_SHIM_H

#include <zlib.h>

// zlib's init functions are macros, which Swift does not import.

/// inflateInit2 for gzip input (windowBits 15 + 16; 15 + 32 auto-detects gzip or zlib).
static inline int hotline_inflate_init2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}

/// deflateInit2 with the given level and window bits (15 + 16 writes an RFC 1952 gzip stream).
static inline int hotline_deflate_init2(z_streamp stream, int level, int windowBits) {
    return deflateInit2(stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}

#endif
