#ifndef HOTLINE_ETL_CZSTD_SHIM_H
#define HOTLINE_ETL_CZSTD_SHIM_H

// Zstandard (Debian libzstd-dev), used by the Parquet module's ZSTD codec.
#include <zstd.h>

#endif
