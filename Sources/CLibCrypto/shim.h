#ifndef HOTLINE_ETL_CLIBCRYPTO_SHIM_H
#define HOTLINE_ETL_CLIBCRYPTO_SHIM_H

// OpenSSL 3 libcrypto (Debian libssl-dev), used by the Normalize module's Pseudonymizer for
// HMAC-SHA-256 (SHA-NI accelerated where the CPU has it). Only the low-level SHA256_CTX API is
// used: its context is a plain C struct, so a keyed HMAC state can be copied by value. That API
// is marked deprecated in OpenSSL 3.0 (in favour of EVP); the define below keeps it warning-free.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#endif
