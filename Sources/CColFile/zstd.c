// zstd for cold columns (Specification.md §13, codec 2), loaded at run time from the system's
// runtime library (libzstd.so.1) with dlopen: the build needs no zstd headers or -dev package,
// and a process without libzstd fails only when it meets a zstd column, with a clear error.
// The declarations below are zstd's stable API (zstd.h, v1.4 and later), written out here.
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "CColFile.h"

static struct {
    size_t (*compress2)(void *, void *, size_t, const void *, size_t);
    size_t (*setParameter)(void *, int, int);
    size_t (*resetContext)(void *, int);
    size_t (*decompressDCtx)(void *, void *, size_t, const void *, size_t);
    void *(*createCCtx)(void);
    size_t (*freeCCtx)(void *);
    void *(*createDCtx)(void);
    size_t (*freeDCtx)(void *);
    size_t (*compressBound)(size_t);
    unsigned (*isError)(size_t);
    const char *(*getErrorName)(size_t);
    unsigned long long (*getFrameContentSize)(const void *, size_t);
    size_t (*findFrameCompressedSize)(const void *, size_t);
    unsigned (*versionNumber)(void);
} zstd;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_key_t decompressorKey;
static pthread_key_t compressorKey;
static int loaded = 0;
static char failure[256] = "";

static void load(void) {
    // $COLFILE_ZSTD_LIBRARY names another build of the library (a path, or a name dlopen searches).
    const char *name = getenv("COLFILE_ZSTD_LIBRARY");
    if (name == NULL || name[0] == '\0') {
        name = "libzstd.so.1";
    }
    void *library = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *reason = dlerror();
        snprintf(failure, sizeof failure, "%s", reason ? reason : "libzstd.so.1 not found");
        return;
    }
#define LOAD(field, symbol)                                                                     \
    *(void **)(&zstd.field) = dlsym(library, symbol);                                         \
    if (zstd.field == NULL) {                                                                  \
        snprintf(failure, sizeof failure, "%s has no %s", name, symbol);                  \
        return;                                                                                \
    }
    LOAD(compress2, "ZSTD_compress2")
    LOAD(setParameter, "ZSTD_CCtx_setParameter")
    LOAD(resetContext, "ZSTD_CCtx_reset")
    LOAD(decompressDCtx, "ZSTD_decompressDCtx")
    LOAD(createCCtx, "ZSTD_createCCtx")
    LOAD(freeCCtx, "ZSTD_freeCCtx")
    LOAD(createDCtx, "ZSTD_createDCtx")
    LOAD(freeDCtx, "ZSTD_freeDCtx")
    LOAD(compressBound, "ZSTD_compressBound")
    LOAD(isError, "ZSTD_isError")
    LOAD(getErrorName, "ZSTD_getErrorName")
    LOAD(getFrameContentSize, "ZSTD_getFrameContentSize")
    LOAD(findFrameCompressedSize, "ZSTD_findFrameCompressedSize")
    LOAD(versionNumber, "ZSTD_versionNumber")
#undef LOAD
    if (pthread_key_create(&decompressorKey, (void (*)(void *))zstd.freeDCtx) != 0
        || pthread_key_create(&compressorKey, (void (*)(void *))zstd.freeCCtx) != 0) {
        snprintf(failure, sizeof failure, "no thread-specific key for zstd contexts");
        return;
    }
    loaded = 1;
}

// Each thread keeps one context of each kind, made on first use and freed when the thread ends:
// a context holds ~100 KB–1 MB of tables, too much to make per chunk.
static void *threadContext(pthread_key_t key, void *(*create)(void)) {
    void *context = pthread_getspecific(key);
    if (context == NULL) {
        context = create();
        if (context != NULL && pthread_setspecific(key, context) != 0) {
            return NULL;
        }
    }
    return context;
}

const char *colfile_zstd_load(void) {
    pthread_once(&once, load);
    return loaded ? NULL : failure;
}

unsigned colfile_zstd_version(void) { return zstd.versionNumber(); }

size_t colfile_zstd_compress_bound(size_t length) { return zstd.compressBound(length); }

// zstd.h's stable parameter numbers.
enum { resetSessionAndParameters = 3, compressionLevel = 100, checksumFlag = 201, contentSizeFlag = 200 };

size_t colfile_zstd_compress(void *destination, size_t capacity, const void *source, size_t length, int level) {
    void *context = threadContext(compressorKey, zstd.createCCtx);
    if (context == NULL) {
        return (size_t)-64; // ZSTD_error_memory_allocation
    }
    size_t result = zstd.resetContext(context, resetSessionAndParameters);
    if (!zstd.isError(result)) result = zstd.setParameter(context, compressionLevel, level);
    if (!zstd.isError(result)) result = zstd.setParameter(context, contentSizeFlag, 1);
    if (!zstd.isError(result)) result = zstd.setParameter(context, checksumFlag, 1);
    if (zstd.isError(result)) {
        return result;
    }
    return zstd.compress2(context, destination, capacity, source, length);
}

size_t colfile_zstd_decompress(void *destination, size_t capacity, const void *source, size_t length) {
    void *context = threadContext(decompressorKey, zstd.createDCtx);
    if (context == NULL) {
        return (size_t)-64; // ZSTD_error_memory_allocation
    }
    return zstd.decompressDCtx(context, destination, capacity, source, length);
}

int colfile_zstd_is_error(size_t result) { return zstd.isError(result) != 0; }

const char *colfile_zstd_error_name(size_t result) { return zstd.getErrorName(result); }

unsigned long long colfile_zstd_frame_content_size(const void *source, size_t length) {
    return zstd.getFrameContentSize(source, length);
}

size_t colfile_zstd_frame_compressed_size(const void *source, size_t length) {
    return zstd.findFrameCompressedSize(source, length);
}
