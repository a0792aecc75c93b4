#ifndef HOTLINE_ETL_CFILEWRITEBACK_SHIM_H
#define HOTLINE_ETL_CFILEWRITEBACK_SHIM_H

// Linux's sync_file_range(2) is declared by <fcntl.h> only under _GNU_SOURCE, which the Swift
// Glibc module does not define, so Swift cannot see it. It is declared here by hand (glibc's
// prototype on LP64 Linux, where off64_t is long) and wrapped for one use: starting the kernel's
// write-out of a range already written, without waiting for it.

#if defined(__linux__)
extern int sync_file_range(int fd, long offset, long nbytes, unsigned int flags);

/// Starts writing the dirty pages of [offset, offset + length) of `fd` to disk and returns at
/// once (SYNC_FILE_RANGE_WRITE = 2): a later fsync then waits only for what is still unwritten.
/// 0, or -1 with errno set (EINVAL, ESPIPE: a file kind that has no page cache to write out).
static inline int hotline_start_writeback(int fd, long offset, long length) {
    return sync_file_range(fd, offset, length, 2);
}
#else
/// Elsewhere there is no portable way to start write-out early; fsync does all of it.
static inline int hotline_start_writeback(int fd, long offset, long length) {
    (void)fd; (void)offset; (void)length;
    return 0;
}
#endif

#endif
