/*
 * mtshim: an LD_PRELOAD test double for st(4) ioctls, used by crates/tools/tests to run the
 * real Debian mt-st 1.7 and tapekit's `mt` against the same fake drive and compare them.
 * Written for tapekit (MIT OR Apache-2.0); no mt-st code.
 *
 * For the device path named by $MTSHIM_DEV (use a character device such as /dev/null, so
 * open() succeeds), it:
 *   - logs every open of that path as "open <flags>" (flags & (O_ACCMODE|O_NONBLOCK|O_CREAT|
 *     O_EXCL|O_TRUNC|O_APPEND), in hex; O_CLOEXEC is not compared);
 *   - logs every MTIOCTOP as "op <mt_op> <mt_count>" and answers it with success, or with
 *     failure errno $MTSHIM_FAIL_ERRNO for the call with index $MTSHIM_FAIL_AT (0-based,
 *     default: every call fails when $MTSHIM_FAIL_ERRNO is set and $MTSHIM_FAIL_AT is not);
 *   - answers MTIOCGET from $MTSHIM_STATUS = "type,resid,dsreg,gstat,erreg,fileno,blkno"
 *     (strtol base 0 per field) and logs "get";
 *   - answers MTIOCPOS from $MTSHIM_POS and logs "pos".
 * Everything not configured is passed to the real function (dlsym RTLD_NEXT), so with no
 * variables set, st ioctls on /dev/null fail with ENOTTY as usual. The log is appended to
 * $MTSHIM_LOG.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mtio.h>
#include <sys/stat.h>
#include <unistd.h>

static int shim_fd = -1;
static long op_index = 0;

static void shim_log(const char *fmt, ...)
{
    const char *path = getenv("MTSHIM_LOG");
    if (path == NULL)
        return;
    int saved = errno;
    FILE *f = fopen(path, "a");
    if (f != NULL) {
        va_list ap;
        va_start(ap, fmt);
        vfprintf(f, fmt, ap);
        va_end(ap);
        fclose(f);
    }
    errno = saved;
}

static void note_open(const char *path, int flags, int fd)
{
    const char *dev = getenv("MTSHIM_DEV");
    if (dev == NULL || path == NULL || strcmp(dev, path) != 0)
        return;
    int shown = flags & (O_ACCMODE | O_NONBLOCK | O_CREAT | O_EXCL | O_TRUNC | O_APPEND);
    shim_log("open 0x%x\n", shown);
    if (fd >= 0)
        shim_fd = fd;
}

static mode_t mode_arg(int flags, va_list ap)
{
    if ((flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE)
        return (mode_t)va_arg(ap, int);
    return 0;
}

#define OPEN_WRAPPER(name)                                                       \
    int name(const char *path, int flags, ...)                                   \
    {                                                                            \
        static int (*real)(const char *, int, ...);                              \
        va_list ap;                                                              \
        va_start(ap, flags);                                                     \
        mode_t mode = mode_arg(flags, ap);                                       \
        va_end(ap);                                                              \
        if (real == NULL)                                                        \
            real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, #name);     \
        int fd = real(path, flags, mode);                                        \
        note_open(path, flags, fd);                                              \
        return fd;                                                               \
    }

#define OPENAT_WRAPPER(name)                                                     \
    int name(int dirfd, const char *path, int flags, ...)                        \
    {                                                                            \
        static int (*real)(int, const char *, int, ...);                         \
        va_list ap;                                                              \
        va_start(ap, flags);                                                     \
        mode_t mode = mode_arg(flags, ap);                                       \
        va_end(ap);                                                              \
        if (real == NULL)                                                        \
            real = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, #name); \
        int fd = real(dirfd, path, flags, mode);                                 \
        note_open(path, flags, fd);                                              \
        return fd;                                                               \
    }

OPEN_WRAPPER(open)
OPEN_WRAPPER(open64)
OPENAT_WRAPPER(openat)
OPENAT_WRAPPER(openat64)

/* The _FORTIFY_SOURCE entry points (mt-st 1.7 on Debian imports __open_2). */
int __open_2(const char *path, int flags)
{
    static int (*real)(const char *, int);
    if (real == NULL)
        real = (int (*)(const char *, int))dlsym(RTLD_NEXT, "__open_2");
    int fd = real(path, flags);
    note_open(path, flags, fd);
    return fd;
}

int __open64_2(const char *path, int flags)
{
    static int (*real)(const char *, int);
    if (real == NULL)
        real = (int (*)(const char *, int))dlsym(RTLD_NEXT, "__open64_2");
    int fd = real(path, flags);
    note_open(path, flags, fd);
    return fd;
}

static int is_shim_fd(int fd)
{
    if (shim_fd < 0 || fd != shim_fd)
        return 0;
    return 1;
}

static int fill_status(struct mtget *g)
{
    const char *spec = getenv("MTSHIM_STATUS");
    if (spec == NULL)
        return -1;
    long v[7] = { 0 };
    const char *p = spec;
    for (int i = 0; i < 7 && *p != 0; i++) {
        char *end;
        v[i] = strtol(p, &end, 0);
        p = (*end == ',') ? end + 1 : end;
    }
    memset(g, 0, sizeof(*g));
    g->mt_type = v[0];
    g->mt_resid = v[1];
    g->mt_dsreg = v[2];
    g->mt_gstat = v[3];
    g->mt_erreg = v[4];
    g->mt_fileno = (int)v[5];
    g->mt_blkno = (int)v[6];
    return 0;
}

int ioctl(int fd, unsigned long request, ...)
{
    static int (*real)(int, unsigned long, ...);
    va_list ap;
    va_start(ap, request);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    if (real == NULL)
        real = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");

    if (is_shim_fd(fd)) {
        if (request == MTIOCTOP) {
            struct mtop *op = arg;
            shim_log("op %d %d\n", (int)op->mt_op, op->mt_count);
            const char *fail = getenv("MTSHIM_FAIL_ERRNO");
            const char *at = getenv("MTSHIM_FAIL_AT");
            long index = op_index++;
            if (fail != NULL && (at == NULL || strtol(at, NULL, 0) == index)) {
                errno = (int)strtol(fail, NULL, 0);
                return -1;
            }
            return 0;
        }
        if (request == MTIOCGET && getenv("MTSHIM_STATUS") != NULL) {
            shim_log("get\n");
            const char *gfail = getenv("MTSHIM_GET_ERRNO");
            if (gfail != NULL) {
                errno = (int)strtol(gfail, NULL, 0);
                return -1;
            }
            return fill_status(arg);
        }
        if (request == MTIOCPOS && getenv("MTSHIM_POS") != NULL) {
            shim_log("pos\n");
            struct mtpos *pos = arg;
            pos->mt_blkno = strtol(getenv("MTSHIM_POS"), NULL, 0);
            return 0;
        }
    }
    return real(fd, request, arg);
}
